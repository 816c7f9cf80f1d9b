/** Tickets with their history of actions, and the restricted types some of them end up with. */
import { CATEGORY_NAMES, SUBJECTS, longThreadHtml, noteHtml, ticketDetailsHtml } from '../content.js';
import { noteTextOf } from '../resources/shared.js';
import type { HaloRecord, Store } from '../store.js';
import { textOf } from '../../util/text.js';
import { DAY, HOUR, type Customers, type SeedContext, type Staff } from './context.js';
import { OUTCOMES, TICKET_TYPES } from './reference.js';

/** Tickets at scale 1. */
const BASE_TICKETS = 240;

/** Every few tickets one of a restricted type, so that tickets show types the API's agent cannot list. */
const RESTRICTED_TICKET_EVERY = 40;

/** The outcome the seeded history uses for each kind of action. */
function seededOutcome(name: string): (typeof OUTCOMES)[number] {
  const outcome = OUTCOMES.find((candidate) => candidate.outcome === name);
  if (!outcome) throw new Error(`No seeded outcome ${name}`);
  return outcome;
}
/** What agents record in the middle of a ticket's history. */
const WORK_OUTCOMES = ['Email User', 'Phone Call', 'Remote Session', 'Site Visit', 'Note', 'Private Note', 'Supplier Update', 'Change Status'].map(seededOutcome);

/** Who raised a ticket and where: the reference fields with the names Halo keeps beside them. */
export function raisedBy(store: Store, client: HaloRecord, user: HaloRecord): Record<string, unknown> {
  const site = store.collection('sites').get(user.site_id as number);
  return {
    client_id: client.id,
    client_name: client.name,
    site_id: site?.id ?? 0,
    site_name: site?.name ?? '',
    user_id: user.id,
    user_name: user.name,
  };
}

/** Who a ticket is for and what it is about. */
interface TicketSubject {
  client: HaloRecord;
  user: HaloRecord;
  categoryIndex: number;
  category: string;
  summary: string;
}

/** Where a ticket stands now. */
interface TicketState {
  closed: boolean;
  statusId: number;
  agent: HaloRecord | undefined;
  priority: number;
  slaId: number;
}

/** When a ticket's actions happened. */
interface TicketTimeline {
  actionCount: number;
  closedAt: number | undefined;
  lastAction: number;
}

/** Everything drawn for one ticket before it is written. */
interface DrawnTicket extends TicketSubject, TicketState, TicketTimeline {
  opened: number;
  details: string;
}

/** `BASE_TICKETS` times `scale` tickets, opened over the last 120 days in order. */
export function seedTickets(context: SeedContext, staff: Staff, customers: Customers, scale: number): void {
  const ticketCount = Math.max(1, Math.round(BASE_TICKETS * scale));
  const ticketTimes: number[] = [];
  for (let i = 0; i < ticketCount; i++) ticketTimes.push(context.now + context.daysAgo(120) - context.random.int(0, 3600) * 1000);
  ticketTimes.sort((a, b) => a - b);
  // A pool of detail bodies shared between tickets keeps 100,000 tickets within a modest heap.
  const detailPool = new Map<string, string>();
  for (const opened of ticketTimes) seedTicket(context, staff, customers, opened, detailPool);
}

function seedTicket(context: SeedContext, staff: Staff, customers: Customers, opened: number, detailPool: Map<string, string>): void {
  const subject = drawSubject(context, customers);
  const state = drawState(context, staff, opened);
  const details = pooledDetails(context, detailPool, subject, state.agent);
  const timeline = drawTimeline(context, opened, state.closed);
  const drawn: DrawnTicket = { opened, details, ...subject, ...state, ...timeline };
  const faults = context.store.collection('faults');
  const ticket = faults.insert(ticketFields(context, drawn));
  const timetaken = seedHistory(context, ticket.id, drawn, staff);
  if (timetaken > 0) faults.replace({ ...ticket, timetaken });
}

function drawSubject({ random }: SeedContext, customers: Customers): TicketSubject {
  const client = random.pick(customers.clients);
  const user = random.pick(customers.usersByClient.get(client.id) ?? []);
  const clientAssets = customers.assetsByClient.get(client.id) ?? [];
  const asset = clientAssets.length > 0 ? random.pick(clientAssets) : undefined;
  const categoryIndex = random.int(0, CATEGORY_NAMES.length - 1);
  const category = CATEGORY_NAMES[categoryIndex] ?? 'Hardware';
  const summary = random
    .pick(SUBJECTS[category] ?? ['General enquiry'])
    .replace('{user}', String(user.name === 'General User' ? 'a new user' : user.name))
    .replace('{asset}', textOf(asset?.inventory_number) || 'the PC');
  return { client, user, categoryIndex, category, summary };
}

/** The older a ticket, the likelier it is closed; a new one is often still unassigned. */
function drawState({ random, now }: SeedContext, staff: Staff, opened: number): TicketState {
  const ageDays = (now - opened) / DAY;
  const closed = ageDays > 3 && random.chance(Math.min(0.9, 0.35 + ageDays / 100));
  const statusId = closed ? (random.chance(0.93) ? 9 : 8) : random.pick([1, 2, 2, 2, 3, 4, 5, 6, 7]);
  const agent = statusId === 1 && random.chance(0.6) ? undefined : random.pick(staff.activeAgents);
  const priority = random.pick([1, 2, 2, 3, 3, 3, 3, 4, 4]);
  const slaId = priority === 1 && random.chance(0.5) ? 2 : 1;
  return { closed, statusId, agent, priority, slaId };
}

/** The ticket's details, one in twelve a long thread, taken from the pool when an alike ticket wrote them already. */
function pooledDetails({ random }: SeedContext, detailPool: Map<string, string>, { client, user, categoryIndex, summary }: TicketSubject, agent: HaloRecord | undefined): string {
  const long = random.chance(1 / 12);
  const poolKey = `${long ? 'L' : 'S'}${categoryIndex}:${random.int(0, 24)}:${client.id}`;
  let details = detailPool.get(poolKey);
  if (!details) {
    details = long
      ? longThreadHtml(random, summary, String(user.name), String(client.name), textOf(agent?.name) || 'Support')
      : ticketDetailsHtml(random, summary, String(user.name), String(client.name));
    detailPool.set(poolKey, details);
  }
  return details;
}

function drawTimeline({ random, now }: SeedContext, opened: number, closed: boolean): TicketTimeline {
  const ageDays = (now - opened) / DAY;
  const actionCount = random.int(1, 6);
  const closedAt = closed ? Math.min(now - HOUR, opened + random.int(1, Math.max(1, Math.floor(ageDays))) * DAY) : undefined;
  const lastAction = closedAt ?? Math.min(now, opened + random.next() * Math.max(HOUR, ageDays * DAY));
  return { actionCount, closedAt, lastAction };
}

/** The ticket as written; its type, impact and urgency are drawn here, in this order. */
function ticketFields({ random, store }: SeedContext, ticket: DrawnTicket): Omit<HaloRecord, 'id'> {
  const policy = store.collection('priorities').get(ticket.slaId * 10 + ticket.priority);
  return {
    summary: ticket.summary,
    details: ticket.details,
    dateoccurred: new Date(ticket.opened).toISOString(),
    status_id: ticket.statusId,
    tickettype_id: ticket.category === 'Accounts & Access' ? 2 : random.chance(0.08) ? 5 : 1,
    sla_id: ticket.slaId,
    priority_id: ticket.priority,
    ...raisedBy(store, ticket.client, ticket.user),
    user_email: ticket.user.emailaddress,
    team: ticket.agent?.team ?? 'Service Desk',
    // Halo behaviour: docs/halo-behaviour.md#unassigned-agent-1
    agent_id: ticket.agent?.id ?? 0,
    categoryid_1: ticket.categoryIndex + 1,
    category_1: ticket.category,
    respondbydate: new Date(ticket.opened + Number(policy?.responsetime) * HOUR).toISOString(),
    fixbydate: new Date(ticket.opened + Number(policy?.fixtime) * HOUR).toISOString(),
    dateclosed: ticket.closedAt ? new Date(ticket.closedAt).toISOString() : null,
    hasbeenclosed: ticket.closed,
    lastactiondate: new Date(ticket.lastAction).toISOString(),
    last_update: new Date(ticket.lastAction).toISOString(),
    timetaken: 0,
    onhold: [3, 4, 6].includes(ticket.statusId),
    impact: random.int(1, 3),
    urgency: random.int(1, 3),
    deleted: false,
    customfields: [],
  };
}

/**
 * The ticket's actions, spread evenly from its opening to its last action: logged by the user,
 * worked by agents, and resolved if the ticket is closed. Returns the hours they took.
 */
function seedHistory({ random, store }: SeedContext, ticketId: number, ticket: DrawnTicket, staff: Staff): number {
  const { opened, lastAction, actionCount, user, agent } = ticket;
  let timetaken = 0;
  for (let a = 0; a < actionCount; a++) {
    const when = a === 0 ? opened : opened + ((lastAction - opened) * a) / Math.max(1, actionCount - 1);
    const closing = ticket.closed && a === actionCount - 1;
    const outcome = a === 0 ? seededOutcome('Opened') : closing ? seededOutcome('Resolve Ticket') : random.pick(WORK_OUTCOMES);
    const noteHtmlText = a === 0 ? '<p>Ticket logged via Email.</p>' : closing ? '<p>Issue resolved, closing the ticket. Please get in touch if it comes back.</p>' : noteHtml(random, String(user.name));
    const time = a === 0 ? 0 : random.pick([0, 0.25, 0.25, 0.5, 1]);
    timetaken += time;
    const actor = a === 0 ? undefined : (agent ?? random.pick(staff.activeAgents));
    store.addAction(ticketId, {
      outcome: outcome.outcome,
      outcome_id: outcome.id,
      who: actor?.name ?? String(user.name),
      who_type: a === 0 ? 0 : 1,
      who_agentid: actor?.id ?? 0,
      datetime: new Date(when).toISOString(),
      // Halo behaviour: docs/halo-behaviour.md#note-from-html
      note: noteTextOf(noteHtmlText),
      note_html: noteHtmlText,
      hiddenfromuser: outcome.hidefromuser,
      timetaken: time,
      new_status: closing ? ticket.statusId : undefined,
      important: false,
    });
  }
  return timetaken;
}

/** The tickets still being worked: neither projects nor opportunities, and not closed. */
export function liveTicketsOf(store: Store): HaloRecord[] {
  return store.collection('faults').all().filter((ticket) => ticket.tickettype_id !== 6 && ticket.tickettype_id !== 7 && !ticket.hasbeenclosed);
}

/** Every RESTRICTED_TICKET_EVERY-th ticket takes a restricted type in turn; one on the best-effort SLA keeps to that SLA's priorities. */
export function giveSomeTicketsRestrictedTypes(store: Store): void {
  const faults = store.collection('faults');
  const restricted = TICKET_TYPES.filter((type) => type.restrictedTo);
  const candidates = faults.all().filter((ticket) => ticket.id % RESTRICTED_TICKET_EVERY === RESTRICTED_TICKET_EVERY - 1 && ticket.tickettype_id === 1);
  candidates.forEach((ticket, index) => {
    const type = restricted[index % restricted.length];
    if (!type) return;
    const sla = type.sla ?? 1;
    const priority = sla === 3 ? Math.max(3, Number(ticket.priority_id)) : ticket.priority_id;
    faults.replace({ ...ticket, tickettype_id: type.id, sla_id: sla, priority_id: priority });
  });
}
