/**
 * Actions: the notes, emails and time entries on a ticket. Halo numbers them per ticket, so an
 * action is addressed by `ticket_id` and its `id` together, and the list is always an envelope.
 */
import { whenTrue, type Predicate, type RequestContext } from '../resource.js';
import { textOf } from '../../util/text.js';
import type { HaloRecord, Store } from '../store.js';
import { checkReferences, closureFields, escapeHtml, haloDateTime, iso, missingReference, nameOf, noteFromHtml, parseHaloDate, withoutControlFlags } from './shared.js';

// Halo behaviour: docs/halo-behaviour.md#list-parameter-meanings
export const actionFilters: Record<string, (value: string, context: RequestContext) => Predicate | undefined> = {
  excludesys: whenTrue(() => (action) => action.who_type !== 0),
  agentonly: whenTrue(() => (action) => action.who_type === 1),
  excludeprivate: whenTrue(() => (action) => action.hiddenfromuser !== true),
  conversationonly: whenTrue(() => (action) => action.outcome === 'Email User' || action.who_type === 2),
  timeentriesonly: whenTrue(() => (action) => Number(action.timetaken ?? 0) > 0),
  importantonly: whenTrue(() => (action) => action.important === true),
  startdate: (value) => {
    const start = Date.parse(value);
    return Number.isNaN(start) ? undefined : (action) => Date.parse(String(action.datetime)) >= start;
  },
  enddate: (value) => {
    const end = Date.parse(value);
    return Number.isNaN(end) ? undefined : (action) => Date.parse(String(action.datetime)) <= end;
  },
};

/** The parameters of `GET /Actions` that the sandbox honours. */
export const ACTION_LIST_PARAMS = ['ticket_id', 'count', 'includehtmlnote', ...Object.keys(actionFilters)];

/** An email Halo would have sent to an end user; the sandbox records it instead of sending it. */
export interface SentEmail {
  ticket_id: number;
  action_id: number;
  to: string;
  subject: string;
  at: string;
}

/**
 * Halo answers at most this many actions when the request names no `count`; `record_count` still
 * says how many match.
 */
// Halo behaviour: docs/halo-behaviour.md#actions-default-50
const DEFAULT_ACTION_COUNT = 50;

/** How `GET /Actions` orders a ticket's actions. */
export type ActionOrder = 'newest' | 'oldest';

/**
 * A ticket's actions newest first (the highest action number first), as Halo lists them, or with
 * `oldest` in the order they were added. `note_html` only with `includehtmlnote=true`.
 */
// Halo behaviour: docs/halo-behaviour.md#actions-order
export function listActions(context: RequestContext, order: ActionOrder): { ticket_id: number; record_count: number; actions: Record<string, unknown>[] } {
  const { query, store } = context;
  // Halo behaviour: docs/halo-behaviour.md#actions-need-ticket
  const ticketId = query.int('ticket_id') ?? 0;
  const predicates: Predicate[] = [];
  for (const name of query.names()) {
    const value = query.get(name);
    const build = actionFilters[name];
    if (build && value) {
      const predicate = build(value, context);
      if (predicate) predicates.push(predicate);
    }
  }
  // The filter copies the stored list, so reversing it changes nothing stored.
  const added = store.actions(ticketId).filter((action) => predicates.every((p) => p(action)));
  const matched = order === 'newest' ? added.reverse() : added;
  const count = query.int('count');
  const page = matched.slice(0, count !== undefined && count >= 0 ? count : DEFAULT_ACTION_COUNT);
  const withHtml = query.flag('includehtmlnote');
  // Halo behaviour: docs/halo-behaviour.md#list-envelopes
  return {
    ticket_id: ticketId,
    record_count: matched.length,
    actions: page.map((action) => {
      if (withHtml) return action;
      const { note_html: _html, ...rest } = action;
      return rest;
    }),
  };
}

/** A refusal: Halo's message, and its status (a 400 is sent as the exception Halo serialises). */
export interface ActionRefusal {
  error: string;
  status: 400 | 404;
}

export type ActionWrite = { action: HaloRecord; created: boolean; email?: SentEmail } | ActionRefusal;

/** Whether a posted action names an outcome, by id or by name. */
function namesOutcome(input: Record<string, unknown>): boolean {
  return typeof input.outcome_id === 'number' || textOf(input.outcome).trim() !== '';
}

// Halo behaviour: docs/halo-behaviour.md#action-outcome-by-name
/** The outcome an action names: by id, else by name (ignoring case). */
function outcomeOf(store: Store, action: Record<string, unknown>): HaloRecord | undefined {
  const outcomes = store.collection('outcomes');
  if (typeof action.outcome_id === 'number') return outcomes.get(action.outcome_id);
  const name = textOf(action.outcome).trim().toLowerCase();
  return name === '' ? undefined : outcomes.all().find((candidate) => textOf(candidate.outcome).toLowerCase() === name);
}

/**
 * Whether writing an action with this outcome emails the end user. The outcome decides, not the
 * body: one flagged `hidesendemail` never emails, one that emails (`sendemail`, such as "Email
 * User") emails the ticket's user though the body says nothing or `sendemail: false`, and the rest
 * email only when the body asks (`sendemail: true`). Where the evidence leaves room, this is the
 * reading that emails more, so a client that trusts the body to keep a note quiet is caught.
 */
// Halo behaviour: docs/halo-behaviour.md#action-email-by-outcome
function emailsUser(outcome: HaloRecord | undefined, input: Record<string, unknown>): boolean {
  if (outcome?.hidesendemail === true) return false;
  return Number(outcome?.sendemail ?? 0) > 0 || input.sendemail === true;
}

const HOUR = 3_600_000;

// Halo behaviour: docs/halo-behaviour.md#action-time-on-timesheet
/**
 * The timesheet entry that time on an action puts on its agent's timesheet: the hours before the
 * action's time (the moment the work was done), against the ticket, its client and the action's
 * number. None for an action without time or without an agent (an end user's reply). `writeDate`
 * writes its dates: as Halo stamps a write, unless the seed writes them its own way.
 */
export function actionTimeEvent(ticket: HaloRecord, action: HaloRecord, writeDate = (ms: number) => haloDateTime(ms, 'utc')): Omit<HaloRecord, 'id'> | undefined {
  const hours = Number(action.timetaken ?? 0);
  const agentId = Number(action.who_agentid ?? 0);
  const end = parseHaloDate(action.datetime);
  if (!(hours > 0) || !(agentId > 0) || end === undefined) return undefined;
  return {
    agent_id: agentId,
    event_type: 0,
    subject: textOf(ticket.summary),
    start_date: writeDate(end - hours * HOUR),
    end_date: writeDate(end),
    timetaken: hours,
    ticket_id: ticket.id,
    action_number: action.id,
    client_id: ticket.client_id,
    customer: textOf(ticket.client_name),
    site_id: ticket.site_id,
  };
}

/** The timesheet entry an action's time put on a timesheet, if there is one. */
function timeEventOf(store: Store, ticketId: number, actionId: number): HaloRecord | undefined {
  return store
    .collection('timesheetevents')
    .all()
    .find((event) => event.ticket_id === ticketId && event.action_number === actionId);
}

/** Keeps an action's timesheet entry as the action now stands: added, changed, or gone with its time. */
function syncActionTime(store: Store, ticket: HaloRecord, action: HaloRecord): void {
  const events = store.collection('timesheetevents');
  const existing = timeEventOf(store, ticket.id, action.id);
  const event = actionTimeEvent(ticket, action);
  if (existing && event) events.replace({ ...existing, ...event });
  else if (existing) events.delete(existing.id);
  else if (event) events.insert(event);
}

/** Takes a deleted action's time off the timesheet it was on. */
export function forgetActionTime(store: Store, ticketId: number, actionId: number): void {
  const existing = timeEventOf(store, ticketId, actionId);
  if (existing) store.collection('timesheetevents').delete(existing.id);
}

/**
 * Creates an action (no `id`) or updates one (`ticket_id` and `id`), with the side effects Halo
 * gives it: a new status on the ticket, time added to the ticket and to its agent's timesheet,
 * and an email to the end user when its outcome sends one (see `emailsUser`).
 */
export function writeAction(rawInput: Record<string, unknown>, context: RequestContext): ActionWrite {
  const { store, now } = context;
  const ticketId = rawInput.ticket_id;
  // Halo behaviour: docs/halo-behaviour.md#action-outcome-required
  if (typeof ticketId !== 'number' || !Number.isInteger(ticketId)) return { error: 'Please specify a ticket_id.', status: 400 };
  const ticket = store.collection('faults').get(ticketId);
  if (!ticket || ticket.deleted === true) return { error: missingReference('Ticket', ticketId), status: 400 };

  const input = withoutControlFlags(rawInput);
  const referenceError = checkReferences(store, input, {
    outcome_id: { collection: 'outcomes', label: 'Outcome' },
    new_status: { collection: 'statuses', label: 'Status' },
  });
  if (referenceError) {
    // Halo behaviour: docs/halo-behaviour.md#action-outcome-not-allowed
    // An outcome the agent cannot use gets Halo's own words for it.
    return { error: 'outcome_id' in input && referenceError.startsWith('Outcome') ? 'You do not have access to this Action at the moment.' : referenceError, status: 400 };
  }

  const id = input.id;
  const existing = typeof id === 'number' && id > 0 ? store.actions(ticketId).find((action) => action.id === id) : undefined;
  if (typeof id === 'number' && id > 0 && !existing) return { error: `Action ${id} does not exist on ticket ${ticketId}.`, status: 404 };
  // A new action needs an outcome; an update keeps the one it has.
  // Halo behaviour: docs/halo-behaviour.md#action-outcome-required
  if (!existing && !namesOutcome(input)) return { error: 'An Outcome must be entered for this Action', status: 400 };

  const outcome = outcomeOf(store, input) ?? (existing ? outcomeOf(store, existing) : undefined);
  const fields: Record<string, unknown> = { ...(existing ?? {}), ...input };
  delete fields.sendemail;
  delete fields.emailto;
  // The text posted wins over the one stored: an edit that sends only `note` replaces the HTML too.
  // Halo behaviour: docs/halo-behaviour.md#note-from-html
  if (typeof input.note_html === 'string') fields.note = noteFromHtml(input.note_html);
  else if (typeof input.note === 'string') fields.note_html = `<p>${escapeHtml(input.note)}</p>`;
  if (outcome) {
    fields.outcome_id = outcome.id;
    fields.outcome = outcome.outcome;
  }
  // Halo behaviour: docs/halo-behaviour.md#action-visibility-by-outcome
  // Visibility follows the outcome unless the call says otherwise.
  fields.hiddenfromuser = typeof input.hiddenfromuser === 'boolean' ? input.hiddenfromuser : (existing?.hiddenfromuser ?? outcome?.hidefromuser === true);
  // Halo behaviour: docs/halo-behaviour.md#timetaken-hours
  fields.timetaken = Number(fields.timetaken ?? 0);
  // Halo behaviour: docs/halo-behaviour.md#login-as-agent
  // An action is the calling token's agent's, whoever the body names; an edit keeps its author.
  const author = existing ?? { who_agentid: context.agentId, who: nameOf(store, 'agents', context.agentId), who_type: 1 };
  fields.who_agentid = author.who_agentid;
  fields.who = author.who;
  fields.who_type = author.who_type;
  fields.datetime ??= iso(now);

  let action: HaloRecord;
  if (existing) {
    action = { ...fields, id: existing.id, ticket_id: ticketId };
    store.replaceAction(action as HaloRecord & { ticket_id: number });
  } else {
    action = store.addAction(ticketId, fields);
  }

  // Halo behaviour: docs/halo-behaviour.md#action-time-on-timesheet
  syncActionTime(store, ticket, action);
  // Halo behaviour: docs/halo-behaviour.md#action-side-effects
  const ticketUpdate: Record<string, unknown> = { lastactiondate: iso(now), last_update: iso(now) };
  const addedTime = Number(fields.timetaken) - Number(existing?.timetaken ?? 0);
  if (addedTime !== 0) ticketUpdate.timetaken = Number(ticket.timetaken ?? 0) + addedTime;
  if (typeof input.new_status === 'number') {
    Object.assign(ticketUpdate, { status_id: input.new_status }, closureFields(store, ticket.status_id, input.new_status, iso(now)));
  }
  store.collection('faults').replace({ ...ticket, ...ticketUpdate });

  if (emailsUser(outcome, rawInput)) {
    // Halo behaviour: docs/halo-behaviour.md#action-email-recipients
    const to = typeof rawInput.emailto === 'string' && rawInput.emailto ? rawInput.emailto : textOf(ticket.user_email);
    const email: SentEmail = { ticket_id: ticketId, action_id: action.id, to, subject: `[Ticket #${ticketId}] ${String(ticket.summary)}`, at: iso(now) };
    return { action, created: !existing, email };
  }
  return { action, created: !existing };
}
