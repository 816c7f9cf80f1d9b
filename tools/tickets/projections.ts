/**
 * Tickets and their actions as a person looks at them: references as `{id, name}`, HTML as plain
 * text cut to a length, dates in ISO 8601 UTC. A Halo ticket is hundreds of fields; its projection
 * is a few dozen. Projects and opportunities are tickets, and share these.
 */
import { customFields } from '../../src/toolkit/custom-fields.js';
import type { NameBook } from '../../src/toolkit/names.js';
import type { TextShaper } from '../../src/toolkit/html-text.js';
import { hours, isoUtc, optionalText, ref } from '../../src/toolkit/values.js';
import { fenced } from '../../src/toolkit/untrusted.js';
import type { ListRecord, RecordOf } from '../../src/halo/client.js';

/** A ticket as Halo answers it (projects and opportunities are tickets too). */
type Ticket = RecordOf<'/Tickets'>;
type Action = ListRecord<'/Actions'>;

/** A ticket as one line of a search result. */
export function ticketSummary(ticket: Ticket, names: NameBook) {
  return {
    id: ticket.id as number,
    summary: optionalText(ticket.summary) ?? '',
    status: names.status(ticket.status_id),
    type: names.ticketType(ticket.tickettype_id),
    priority: names.priority(ticket.priority_id, ticket.sla_id),
    client: ref(ticket.client_id, ticket.client_name),
    user: ref(ticket.user_id, ticket.user_name),
    agent: names.agent(ticket.agent_id),
    team: optionalText(ticket.team),
    opened: isoUtc(ticket.dateoccurred),
    updated: isoUtc(ticket.last_update) ?? isoUtc(ticket.lastactiondate),
  };
}

const DETAILS_CHARS = 2_000;
const NOTE_CHARS = 800;

/** A ticket as `halo_get_ticket` shows it. */
export function ticketDetail(ticket: Ticket, names: NameBook, shaper: TextShaper) {
  const custom = customFields(ticket.customfields);
  return {
    ...ticketSummary(ticket, names),
    details: fenced(shaper.fromHtml(ticket.details, DETAILS_CHARS, { withoutDisclaimer: true })),
    category: optionalText(ticket.category_1),
    site: ref(ticket.site_id, ticket.site_name),
    user_email: optionalText(ticket.user_email),
    last_action: isoUtc(ticket.lastactiondate),
    closed: isoUtc(ticket.dateclosed),
    respond_by: isoUtc(ticket.respondbydate),
    fix_by: isoUtc(ticket.fixbydate),
    time_taken_hours: hours(ticket.timetaken),
    ...(typeof ticket.parent_id === 'number' && ticket.parent_id > 0 ? { parent_id: ticket.parent_id } : {}),
    ...(custom ? { custom_fields: custom } : {}),
  };
}

/**
 * An action (note, email, time entry) on a ticket, its note cut to `noteChars`. The note is made
 * from its HTML where Halo sends it (`includehtmlnote`), as that is what the technician sees:
 * the plain text beside it keeps what the HTML hides.
 */
export function actionSummary(action: Action, shaper: TextShaper, noteChars = NOTE_CHARS) {
  const html = typeof action.note_html === 'string' && action.note_html !== '' ? action.note_html : (optionalText(action.note) ?? '');
  const note = fenced(shaper.fromHtml(html, noteChars, { withoutDisclaimer: true }));
  return {
    id: action.id as number,
    when: isoUtc(action.datetime),
    who: optionalText(action.who),
    outcome: optionalText(action.outcome),
    private: action.hiddenfromuser === true,
    note,
    ...(hours(action.timetaken) > 0 ? { time_taken_hours: hours(action.timetaken) } : {}),
  };
}
