/**
 * The outcome of an action a tool writes. Halo refuses a new action without one ("An Outcome must
 * be entered for this Action"), and outcome ids differ from tenant to tenant (the "Internal Note"
 * some integrations send as 7 is not 7 everywhere), so when a call names none the tenant's own
 * list (`GET /Outcome`, cached by the resolver) is searched for the one that fits the note. The
 * outcome also decides whether the end user is emailed, so one the call names is checked against
 * what the call asked for before anything is sent; one whose email flag cannot be read is refused.
 */
import type { CallOptions, HaloClient } from '../halo/client.js';
import { HaloNotFoundError } from '../halo/errors.js';
import { textOf } from '../util/text.js';
import { ToolInputError } from './errors.js';
import type { Reference, Resolver } from './resolve.js';

/** Where outcomes are looked up: the tenant's cached list, and Halo for one the list does not show. */
export interface OutcomeLookup {
  resolver: Resolver;
  halo: HaloClient;
}

/** What the note is, as the call asked for it. */
export interface NoteKind {
  private: boolean;
  sendEmail: boolean;
}

const PRIVATE_WORDS = /\b(private|internal)\b/i;
const NOTE_WORD = /\bnote\b/i;
/** Outcomes whose purpose is to write to the end user. */
const REPLY_WORDS = /\b(e-?mail|reply|respon[sd]e?)\b/i;
/** The plain names a stock or tidy tenant gives its note outcomes. */
const PLAIN_PRIVATE = /^(private|internal) note$/i;
const PLAIN_PUBLIC = /^((public|customer|client) )?note$/i;

/**
 * Halo lets the outcome decide whether an action emails the end user: one flagged `hidesendemail`
 * never does, and one that sends email (`sendemail`, such as "Email User") does whether or not the
 * action asks. The tools take that pessimistic reading, so an outcome that emails is only ever
 * used when the call asked for an email.
 */
export function outcomeEmails(record: Record<string, unknown>): boolean {
  return record.hidesendemail !== true && (record.sendemail === true || Number(record.sendemail) > 0);
}

/** An outcome Halo never sends an email with, whatever the action asks. */
export function outcomeNeverEmails(record: Record<string, unknown>): boolean {
  return record.hidesendemail === true;
}

/**
 * Whether a record says if the outcome emails. Without `sendemail` the checks below would read "never
 * emails" and let an outcome through that Halo then emails the customer with.
 */
function emailFlagKnown(record: Record<string, unknown>): boolean {
  return typeof record.sendemail === 'number' || typeof record.sendemail === 'boolean';
}

const changesStatus = (record: Record<string, unknown>): boolean => Number(record.newstatus) > 0;

/**
 * How well an outcome fits a note of this kind; undefined when it must not be used for it.
 *
 * Tenants name and flag their outcomes differently, so the fit is read from several signs, none
 * required alone. Never used: an outcome Halo hides, or one that sets a status (`newstatus`), which
 * would move the ticket as a side effect; a status is always set explicitly (`new_status`).
 * - A private note takes an outcome meant for one: flagged `default_private_note`, or named
 *   "Private ..."/"Internal ...", or a "... Note" hidden from the user (`hidefromuser`). One that
 *   emails (`sendemail`) is never used: the note must reach no one.
 * - A public note takes a visible, non-emailing "... Note" ("Note", "Public Note"), none flagged
 *   or named private. When the call emails the note, a visible outcome that emails and is named
 *   for it ("Email User", "Reply") fits best, and a public note outcome still fits unless it
 *   never emails (`hidesendemail`).
 * Plainer names ("Private Note", "Note") and the flags score higher; ties go to the tenant's own
 * order (`sequence`), then the lower id.
 */
function noteFit(outcome: Reference, kind: NoteKind): number | undefined {
  const { record, name } = outcome;
  if (record.hidden === true || changesStatus(record)) return undefined;
  if (kind.private) {
    if (outcomeEmails(record)) return undefined;
    const flagged = record.default_private_note === true;
    const named = PRIVATE_WORDS.test(name);
    if (!flagged && !named && !(record.hidefromuser === true && NOTE_WORD.test(name))) return undefined;
    return (flagged ? 4 : 0) + (record.hidefromuser === true ? 2 : 0) + (named ? 2 : 0) + (PLAIN_PRIVATE.test(name.trim()) ? 1 : 0);
  }
  if (record.hidefromuser === true || record.default_private_note === true || PRIVATE_WORDS.test(name)) return undefined;
  if (outcomeEmails(record)) return kind.sendEmail && REPLY_WORDS.test(name) ? 3 : undefined;
  // An emailed note asks Halo to send it, which an outcome that never emails would not do.
  if (kind.sendEmail && outcomeNeverEmails(record)) return undefined;
  if (!NOTE_WORD.test(name)) return undefined;
  return PLAIN_PUBLIC.test(name.trim()) ? 2 : 1;
}

/** The outcome that fits a note of this kind best, if any does. */
export function defaultOutcome(outcomes: readonly Reference[], kind: NoteKind): Reference | undefined {
  let best: { outcome: Reference; fit: number; sequence: number } | undefined;
  for (const outcome of outcomes) {
    const fit = noteFit(outcome, kind);
    if (fit === undefined) continue;
    const sequence = typeof outcome.record.sequence === 'number' ? outcome.record.sequence : Number.MAX_SAFE_INTEGER;
    const better = !best || fit > best.fit || (fit === best.fit && (sequence < best.sequence || (sequence === best.sequence && outcome.id < best.outcome.id)));
    if (better) best = { outcome, fit, sequence };
  }
  return best?.outcome;
}

/**
 * Refuses an outcome the call names that would email when the call did not ask for an email (or
 * the note is private), or would not email when it did: nothing is sent either way.
 */
function checkNamedOutcome({ id, name, record }: Reference, kind: NoteKind): void {
  const outcome = `The outcome "${name || id}" (id ${id})`;
  if (outcomeEmails(record) && (kind.private || !kind.sendEmail)) {
    const instead = kind.private
      ? "A private note never uses it: leave outcome out to use the tenant's private note outcome, or name one that sends no email."
      : 'Leave outcome out, or name one that sends no email, to write without emailing.';
    throw new ToolInputError(
      `${outcome} emails the ticket's end user (the customer) whenever it is used, and this call did not ask to email them, so nothing was sent. ${instead} To email the customer, call again with private: false and send_email: true.`,
    );
  }
  if (kind.sendEmail && outcomeNeverEmails(record)) {
    throw new ToolInputError(
      `${outcome} never emails anyone (Halo's "hide send email" is set on it), so send_email: true would send nothing; nothing was sent. Leave outcome out to use the tenant's emailing outcome, or name one that emails.`,
    );
  }
}

/** Outcomes named in an error: enough to choose from, not a whole configuration. */
const NAMED_IN_ERRORS = 15;

/** The tenant's outcomes a call may name, as an error lists them. */
function outcomeChoices(outcomes: readonly Reference[]): string {
  const listed = outcomes
    .filter((outcome) => outcome.record.hidden !== true)
    .slice(0, NAMED_IN_ERRORS)
    .map((outcome) => `${outcome.name} (id ${outcome.id})`);
  const more = outcomes.length > NAMED_IN_ERRORS ? ', …' : '';
  return listed.length > 0 ? `Its outcomes: ${listed.join(', ')}${more}.` : 'It lists no outcomes to this API agent.';
}

/** Halo's own record of one outcome, or undefined when Halo has none by that id. */
async function fetchOutcome(halo: HaloClient, id: number, options: CallOptions): Promise<Record<string, unknown> | undefined> {
  try {
    const record = await halo.get('/Outcome', id, {}, options);
    // Whether Halo answers an unknown id with a 404 or with a blank record is not documented; a record of another id is not this outcome.
    return Number(record.id) === id ? record : undefined;
  } catch (error) {
    if (error instanceof HaloNotFoundError) return undefined;
    throw error;
  }
}

/**
 * An outcome with a record that says whether it emails, or why there is none. An id the tenant's
 * list does not show (GET /Outcome leaves out outcomes limited to other ticket types or teams), or
 * a listed outcome without its email flag, is read from Halo by id; when that still does not say
 * whether it emails, Halo may email the customer with it, and the caller refuses it.
 */
export async function withEmailFlag(halo: HaloClient, outcome: Reference, options: CallOptions): Promise<{ known: Reference } | { unknown: string }> {
  if (emailFlagKnown(outcome.record)) return { known: outcome };
  const record = await fetchOutcome(halo, outcome.id, options);
  if (record && emailFlagKnown(record)) return { known: { id: outcome.id, name: textOf(record.outcome) || outcome.name, record } };
  return { unknown: record ? "Halo does not say whether it emails the ticket's end user (the customer)" : 'Halo has no outcome with that id' };
}

/** The outcome a call names, with the record that says whether it emails; refused when none says. */
async function namedOutcome(lookup: OutcomeLookup, named: string, options: CallOptions): Promise<Reference> {
  const checked = await withEmailFlag(lookup.halo, await lookup.resolver.resolveReference('outcome', named, options), options);
  if ('known' in checked) return checked.known;
  throw new ToolInputError(
    `The outcome "${named}" cannot be used: ${checked.unknown}, so nothing was sent. ${outcomeChoices(await lookup.resolver.list('outcome', options))} Name one of them, or leave outcome out.`,
  );
}

/**
 * The outcome an action is written with: the one the call names (by name or id), refused if it
 * would email against the call's wish or if it cannot be told whether it emails, else the tenant's
 * outcome that fits the note, else an error that lists the tenant's outcomes.
 */
export async function outcomeFor(lookup: OutcomeLookup, named: string | undefined, kind: NoteKind, options: CallOptions = {}): Promise<{ id: number; name: string }> {
  if (named !== undefined) {
    const { id, name, record } = await namedOutcome(lookup, named, options);
    checkNamedOutcome({ id, name, record }, kind);
    return { id, name };
  }
  const outcomes = await lookup.resolver.list('outcome', options);
  const chosen = defaultOutcome(outcomes, kind);
  if (chosen) return { id: chosen.id, name: chosen.name };
  const wanted = kind.private
    ? 'a private note (one hidden from the end user that sends no email)'
    : kind.sendEmail
      ? 'an emailed note (a visible "Email User" or a note outcome)'
      : 'a public note (a visible note outcome that sends no email)';
  throw new ToolInputError(
    `Halo needs an outcome for every action, and none of this tenant's fits ${wanted} without changing the status. ${outcomeChoices(outcomes)} Name one with the outcome argument.`,
  );
}
