/**
 * What an action posted through the gateway shows or sends to the end user, looked up in Halo
 * before it is sent. The outcome decides it, not the body: one that emails ("Email User") emails
 * the ticket's user though the body says `sendemail: false`, an edit of an action keeps its
 * outcome (and so emails again), and a new action is visible unless the body or its outcome hides
 * it. An outcome nobody can say emails or not is taken as one that does, as the curated tools do.
 *
 * The record is read as Halo's .NET binding may read it: names in any case, and ids written as
 * .NET parses an int. Whether Halo binds names case-insensitively is not known; reading them so
 * keeps the check right either way.
 */
import type { CallOptions, HaloClient } from '../halo/client.js';
import { bound, isOff } from './operation-risks.js';
import { outcomeEmails, withEmailFlag } from './outcomes.js';
import { isRecord } from './values.js';
import type { Reference, Resolver } from './resolve.js';

/**
 * An int as Json.NET reads one from a JSON string (`int.TryParse` with `NumberStyles.Integer`):
 * whitespace around, an optional sign and ASCII digits; .NET also ignores trailing NULs.
 */
const DOTNET_INTEGER = /^[\t-\r ]*([+-]?\d+)[\t-\r ]*\0*$/;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * An integer field as Halo reads it: `absent` for no value (Json.NET reads null and "" as none),
 * `unreadable` for one .NET does not read as an int (a fraction, which Json.NET would round, is
 * counted so too: which id it meant is not the check's to guess).
 */
function dotNetInt(value: unknown): number | 'absent' | 'unreadable' {
  if (value === undefined || value === null || value === '') return 'absent';
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(DOTNET_INTEGER.exec(value)?.[1] ?? Number.NaN) : Number.NaN;
  return Number.isInteger(number) && number >= INT_MIN && number <= INT_MAX ? number : 'unreadable';
}

/**
 * A record's fields by the names Halo binds them to, and the keys that bind to one name more
 * than once (`outcome_id` and `OUTCOME_ID`): which of those Halo takes is not known.
 */
function boundFields(record: Record<string, unknown>): { fields: Map<string, unknown>; clashes: string[][] } {
  const keys = new Map<string, string[]>();
  const fields = new Map<string, unknown>();
  for (const [key, value] of Object.entries(record)) {
    const name = bound(key);
    keys.set(name, [...(keys.get(name) ?? []), key]);
    fields.set(name, value);
  }
  return { fields, clashes: [...keys.values()].filter((spellings) => spellings.length > 1) };
}

/** An outcome a record names: by id, by name, or by a value Halo cannot be said to read as either. */
type NamedOutcome = { id: number } | { name: string } | { unreadable: string };

/**
 * Every outcome a record names. A record may name one by `outcome_id` and another by `outcome`;
 * which Halo uses is not known, so each is checked. An id of 0 or less names none.
 */
function namedOutcomes(fields: Map<string, unknown>): NamedOutcome[] {
  const named: NamedOutcome[] = [];
  const byId = dotNetInt(fields.get('outcome_id'));
  if (byId === 'unreadable') named.push({ unreadable: 'outcome_id' });
  else if (byId !== 'absent' && byId > 0) named.push({ id: byId });
  const outcome = fields.get('outcome');
  const asId = dotNetInt(outcome);
  if (typeof asId === 'number') {
    if (asId > 0) named.push({ id: asId });
  } else if (typeof outcome === 'string') {
    if (outcome.trim() !== '') named.push({ name: outcome.trim() });
  } else if (asId === 'unreadable') named.push({ unreadable: 'outcome' });
  return named;
}

/** A named outcome with the record that says whether it emails, or why whether it emails is unknown. */
type CheckedOutcome = { known: Reference } | { unknown: string };

/** The tenant's record of a named outcome, as listed, or a bare one for an id the list leaves out; undefined for a name it does not have. */
function listedOutcome(named: { id: number } | { name: string }, outcomes: readonly Reference[]): Reference | undefined {
  if ('name' in named) return outcomes.find((outcome) => outcome.name.trim().toLowerCase() === named.name.toLowerCase());
  return outcomes.find((outcome) => outcome.id === named.id) ?? { id: named.id, name: '', record: {} };
}

async function checkOutcome(named: NamedOutcome, outcomes: readonly Reference[], { halo, options = {} }: ActionLookups): Promise<CheckedOutcome> {
  if ('unreadable' in named) return { unknown: `${named.unreadable} is not an id as Halo reads one, so which outcome it names, and whether that emails the end user, is unknown` };
  const label = 'name' in named ? `"${named.name}"` : `id ${named.id}`;
  const listed = listedOutcome(named, outcomes);
  if (!listed) return { unknown: `the outcome ${label} is not among the tenant's outcomes (GET /Outcome), so whether it emails the end user is unknown` };
  // An id the tenant's list leaves out, or a listed outcome without its email flag, is read by id, as the curated tools read it.
  const checked = await withEmailFlag(halo, listed, options);
  return 'known' in checked ? checked : { unknown: `the outcome ${label} cannot be checked (${checked.unknown}), so whether it emails the end user is unknown` };
}

export interface ActionLookups {
  halo: HaloClient;
  resolver: Resolver;
  options?: CallOptions;
}

/** The outcome an existing action has, as Halo answers it, or undefined when it cannot be read. */
async function existingOutcome(actionId: number, ticketId: unknown, lookups: ActionLookups): Promise<NamedOutcome | undefined> {
  const ticket = dotNetInt(ticketId);
  if (typeof ticket !== 'number' || ticket <= 0) return undefined;
  const existing = await lookups.halo.get('/Actions', actionId, { ticket_id: ticket }, lookups.options).catch(() => undefined);
  // Halo answers the action's own outcome_id and outcome name, which agree: the id is the firmer of the two.
  return isRecord(existing) ? namedOutcomes(boundFields(existing).fields)[0] : undefined;
}

/** Why writing one action record would email the end user or show them a note; empty when it would not. */
async function recordReach(action: Record<string, unknown>, check: (named: NamedOutcome) => Promise<CheckedOutcome>, lookups: ActionLookups): Promise<string[]> {
  const { fields, clashes } = boundFields(action);
  if (clashes.length > 0) {
    const spelled = clashes.map((keys) => keys.map((key) => JSON.stringify(key)).join(' and ')).join('; ');
    return [`the record sends ${spelled}, names Halo may bind as one, so which value it takes, and what it sends the end user, is unknown`];
  }
  const reasons: string[] = [];
  const hidden = fields.get('hiddenfromuser');
  // hiddenfromuser: false (and its spellings) is reported by customerReach; any other value but true does not hide the note.
  if (hidden !== undefined && hidden !== true && !isOff(hidden)) reasons.push('hiddenfromuser is neither true nor false, so the end user may see the note (hiddenfromuser: true keeps it private)');
  // A name is read in any case when that may reach the end user, but trusted to protect them only as
  // Halo's document spells it: a Halo that binds names by case ignores "HiddenFromUser": true, and
  // takes a record with "Id" for a new action.
  const leavesVisible = hidden === undefined || (hidden === true && !Object.hasOwn(action, 'hiddenfromuser'));
  const id = dotNetInt(fields.get('id'));
  if (id === 'unreadable') return [...reasons, 'id is not an id as Halo reads one, so whether the call edits an action that emails the end user is unknown'];
  const edits = typeof id === 'number' && id > 0;
  const mayBeNew = !edits || !Object.hasOwn(action, 'id');
  const named = namedOutcomes(fields);
  if (edits && named.length === 0) {
    // An edit keeps the action's outcome: one that emails sends the action to the end user again.
    const existing = await existingOutcome(id, fields.get('ticket_id'), lookups);
    const checked = existing && (await check(existing));
    if (!checked) reasons.push(`the outcome of action ${id} could not be read, so whether an edit emails the end user again is unknown`);
    else if ('unknown' in checked) reasons.push(checked.unknown);
    else if (outcomeEmails(checked.known.record)) reasons.push(`action ${id} has the outcome "${checked.known.name}", so an edit emails the end user again`);
  }
  for (const outcome of named) {
    const checked = await check(outcome);
    if ('unknown' in checked) reasons.push(checked.unknown);
    else if (outcomeEmails(checked.known.record)) reasons.push(`the outcome "${checked.known.name}" emails the end user whenever it is used, whatever sendemail says`);
    else if (mayBeNew && leavesVisible && checked.known.record.hidefromuser !== true) {
      reasons.push(`the outcome "${checked.known.name}" does not hide the note, so the end user sees it (hiddenfromuser: true keeps it private)`);
    }
  }
  return reasons;
}

/**
 * How many of these action records are new and name no outcome, which Halo refuses ("An Outcome
 * must be entered for this Action"): said before anything else, so that nobody is asked to consent
 * to a call Halo would refuse anyway.
 */
export function newActionsWithoutOutcome(records: unknown): number {
  return (Array.isArray(records) ? records : [records]).filter(isRecord).filter((action) => {
    const { fields } = boundFields(action);
    const id = dotNetInt(fields.get('id'));
    return !(typeof id === 'number' && id > 0) && namedOutcomes(fields).length === 0 && id !== 'unreadable';
  }).length;
}

/** Why writing these action records would email the end user or show them a note; empty when it would not. */
export async function actionReach(records: unknown, lookups: ActionLookups): Promise<string[]> {
  const actions = (Array.isArray(records) ? records : [records]).filter(isRecord);
  if (actions.length === 0) return [];
  const outcomes = await lookups.resolver.list('outcome', lookups.options ?? {});
  // Each outcome is checked once per call, however many records name it: a check may read it from Halo.
  const checks = new Map<string, Promise<CheckedOutcome>>();
  const check = (named: NamedOutcome): Promise<CheckedOutcome> => {
    const key = JSON.stringify(named);
    const known = checks.get(key);
    if (known) return known;
    const checking = checkOutcome(named, outcomes, lookups);
    checks.set(key, checking);
    return checking;
  };
  const reasons: string[] = [];
  for (const action of actions) reasons.push(...(await recordReach(action, check, lookups)));
  // A record naming one outcome by both id and name would give its reason twice.
  return [...new Set(reasons)];
}
