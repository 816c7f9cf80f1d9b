/**
 * What an action posted through the gateway shows or sends to the end user, looked up in Halo
 * before it is sent. The outcome decides it, not the body: one that emails ("Email User") emails
 * the ticket's user though the body says `sendemail: false`, an edit of an action keeps its
 * outcome (and so emails again), and a new action is visible unless the body or its outcome hides
 * it. An outcome the tenant does not list is unknown, and taken as one that reaches the user.
 */
import type { CallOptions, HaloClient } from '../halo/client.js';
import { outcomeEmails } from './outcomes.js';
import type { Reference, Resolver } from './resolve.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const idOf = (value: unknown): number | undefined => {
  const id = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
  return id !== undefined && id > 0 ? id : undefined;
};

/** The outcome an action names, by id or by name as Halo matches it; `undefined` when it names none. */
function namedOutcome(action: Record<string, unknown>, outcomes: readonly Reference[]): { label: string; found?: Reference } | undefined {
  const id = idOf(action.outcome_id) ?? idOf(action.outcome);
  if (id !== undefined) {
    const found = outcomes.find((outcome) => outcome.id === id);
    return { label: `id ${id}`, ...(found ? { found } : {}) };
  }
  const name = typeof action.outcome === 'string' ? action.outcome.trim() : '';
  if (name === '') return undefined;
  const found = outcomes.find((outcome) => outcome.name.trim().toLowerCase() === name.toLowerCase());
  return { label: `"${name}"`, ...(found ? { found } : {}) };
}

const unlisted = (label: string): string =>
  `the outcome ${label} is not among the tenant's outcomes (GET /Outcome), so whether it emails the end user is unknown`;

export interface ActionLookups {
  halo: HaloClient;
  resolver: Resolver;
  options?: CallOptions;
}

/** Why writing these action records would email the end user or show them a note; empty when it would not. */
export async function actionReach(records: unknown, { halo, resolver, options = {} }: ActionLookups): Promise<string[]> {
  const actions = (Array.isArray(records) ? records : [records]).filter(isRecord);
  if (actions.length === 0) return [];
  const outcomes = await resolver.list('outcome', options);
  const reasons: string[] = [];
  for (const action of actions) {
    const named = namedOutcome(action, outcomes);
    const id = idOf(action.id);
    if (named) {
      if (!named.found) reasons.push(unlisted(named.label));
      else if (outcomeEmails(named.found.record)) reasons.push(`the outcome "${named.found.name}" emails the end user whenever it is used, whatever sendemail says`);
      else if (id === undefined && action.hiddenfromuser === undefined && named.found.record.hidefromuser !== true) {
        reasons.push(`the outcome "${named.found.name}" does not hide the note, so the end user sees it (hiddenfromuser: true keeps it private)`);
      }
      continue;
    }
    if (id === undefined) continue;
    // An edit keeps the action's outcome: one that emails sends the action to the end user again.
    const ticketId = idOf(action.ticket_id);
    const existing = ticketId === undefined ? undefined : await halo.request({ method: 'GET', path: `/Actions/${id}`, query: { ticket_id: ticketId }, ...options }).catch(() => undefined);
    const existingOutcome = isRecord(existing) ? namedOutcome(existing, outcomes) : undefined;
    if (!existingOutcome) reasons.push(`the outcome of action ${id} could not be read, so whether an edit emails the end user again is unknown`);
    else if (!existingOutcome.found) reasons.push(unlisted(existingOutcome.label));
    else if (outcomeEmails(existingOutcome.found.record)) reasons.push(`action ${id} has the outcome "${existingOutcome.found.name}", so an edit emails the end user again`);
  }
  return reasons;
}
