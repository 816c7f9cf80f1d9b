/**
 * Requests a service desk makes every day, each with the calls a model makes for it from the tool
 * descriptions alone, the answer it draws from the results, and the right answer read from the
 * tenant's data. The technician is Sam Patel, a service desk analyst.
 *
 * An answer is compared as a value: ids sorted, names, hours to two decimals. Where a request writes,
 * the right answer is read back from the tenant after the write, so a write that did the wrong thing
 * fails as a wrong answer does.
 */
import type { Model, ToolAnswer, Truth } from './harness.js';

export const TECHNICIAN = 'Sam Patel';

export interface EvalRequest {
  id: string;
  ask: string;
  /** The calls a model makes and the answer it gives. */
  answer(model: Model): Promise<unknown>;
  /** The right answer, from Halo's API read directly. */
  truth(truth: Truth): Promise<unknown>;
}

type Row = Record<string, unknown>;

const DAY = 86_400_000;

function items(answer: ToolAnswer): Row[] {
  if (answer.isError) throw new Error(`The call failed: ${answer.text}`);
  return (answer.data.items ?? []) as Row[];
}

/** Every page of a list tool, following next_cursor as a model does when the first page is not all. */
async function everyPage(model: Model, tool: string, args: Record<string, unknown>): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: unknown;
  do {
    const page = await model.call(tool, { ...args, ...(cursor ? { cursor } : {}) });
    rows.push(...items(page));
    cursor = page.data.next_cursor;
  } while (cursor);
  return rows;
}

/** The records of a gateway answer: its page of items, or the list inside Halo's raw answer. */
function gatewayRows(answer: ToolAnswer): Row[] {
  if (answer.isError) throw new Error(`The call failed: ${answer.text}`);
  if (Array.isArray(answer.data.items)) return answer.data.items as Row[];
  const raw = answer.data.result;
  if (Array.isArray(raw)) return raw as Row[];
  const lists = Object.values((raw ?? {}) as Row).filter(Array.isArray);
  return (lists[0] ?? []) as Row[];
}

const ids = (rows: Row[]): number[] => rows.map((row) => Number(row.id)).sort((a, b) => a - b);
/** A value a model reads as text: strings and numbers as they are, anything else as nothing. */
const textOf = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const nameOf = (value: unknown): string => (typeof value === 'object' && value !== null ? textOf((value as Row).name) : textOf(value));
/** A note as the tools show it, fenced as text from outside, without its fence. */
const unfenced = (note: unknown): string => textOf(note).replace(/^```untrusted\n|\n```$/g, '');
const round2 = (value: number): number => Math.round(value * 100) / 100;
/** Halo writes 1900-01-01 where a date is unset. */
const haloDate = (value: unknown): number => (typeof value === 'string' && value && !value.startsWith('1900') ? Date.parse(/Z|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) : Number.NaN);
const isOpen = (ticket: Row): boolean => Number.isNaN(haloDate(ticket.dateclosed)) && Number(ticket.status_id) !== 9;

async function idOfNamed(truth: Truth, path: string, name: string): Promise<number> {
  const found = (await truth.all(path, { search: name })).find((record) => record.name === name);
  if (!found) throw new Error(`No ${path} named ${name}`);
  return Number(found.id);
}

async function openTicketsOf(truth: Truth, query: Record<string, string | number | boolean>): Promise<Row[]> {
  return (await truth.all('/Tickets', { ...query, domain: 'reqs' })).filter(isOpen);
}

export const REQUESTS: EvalRequest[] = [
  {
    id: 'my-queue',
    ask: "What's in my queue? Which ones are most urgent?",
    // The install names its technician (HALO_AGENT), so "me" is Sam.
    answer: async (model) => ids(await everyPage(model, 'halo_my_queue', {})),
    truth: async (truth) => ids(await openTicketsOf(truth, { agent_id: await idOfNamed(truth, '/Agent', TECHNICIAN) })),
  },
  {
    id: 'printer-history',
    ask: "Lumen Architects keep reporting printer problems. What's the history of their printer tickets?",
    answer: async (model) => ids(items(await model.call('halo_search_tickets', { client: 'Lumen Architects', query: 'printer' }))),
    truth: async (truth) => {
      const client = await idOfNamed(truth, '/Client', 'Lumen Architects');
      return ids((await truth.all('/Tickets', { client_id: client })).filter((ticket) => /print/i.test(String(ticket.summary))));
    },
  },
  {
    id: 'note-time-status',
    ask: 'On ticket 5: add a private note "Called the user, restarted the print spooler", log 20 minutes, and set it to In Progress.',
    answer: async (model) => {
      // The note's answer shows the ticket as Halo stored it afterwards: its status and time.
      const noted = (await model.call('halo_add_note', { ticket_id: 5, note: 'Called the user, restarted the print spooler', time_taken_hours: 1 / 3, new_status: 'In Progress' })).data;
      return { status: nameOf((noted.ticket as Row | undefined)?.status), latest_note: unfenced((noted.action as Row | undefined)?.note) };
    },
    truth: async (truth) => {
      const ticket = await truth.one('/Tickets/5');
      const [latest] = (await truth.all('/Actions', { ticket_id: 5, excludesys: true })).sort((a, b) => Number(b.id) - Number(a.id));
      const status = (await truth.one(`/Status/${String(ticket.status_id)}`)).name;
      return { status, latest_note: textOf(latest?.note).replace(/<[^>]+>/g, '') };
    },
  },
  {
    id: 'new-ticket',
    ask: 'Log a new ticket for Alice Hughes at Pinecrest Accounting: "Outlook crashes when opening PDF attachments". Give it to the Service Desk team.',
    answer: async (model) => {
      // "Search first, so as not to log it twice."
      await model.call('halo_search_tickets', { user: 'Alice Hughes', query: 'Outlook', status: 'open' });
      const created = await model.call('halo_create_ticket', {
        summary: 'Outlook crashes when opening PDF attachments',
        client: 'Pinecrest Accounting',
        user: 'Alice Hughes',
        team: 'Service Desk',
      });
      const ticket = (created.data.ticket ?? created.data) as Row;
      return { id: Number(ticket.id), user: nameOf(ticket.user), client: nameOf(ticket.client), team: nameOf(ticket.team) };
    },
    truth: async (truth) => {
      const [latest] = (await truth.all('/Tickets', { search: 'Outlook crashes when opening PDF attachments' })).sort((a, b) => Number(b.id) - Number(a.id));
      if (!latest) return { error: 'no ticket was logged' };
      return { id: Number(latest.id), user: latest.user_name, client: latest.client_name, team: latest.team };
    },
  },
  {
    id: 'close-and-email',
    ask: 'Close ticket 103 with the resolution "Replaced the toner cartridge; printing normally" and email the customer.',
    answer: async (model) => {
      const closed = await model.call('halo_close_ticket', { ticket_id: 103, note: 'Replaced the toner cartridge; printing normally', private: false, send_email: true });
      // The answer names whom Halo emailed, as "Name <address>".
      const emailed = (closed.data.emailed ?? []) as string[];
      return { closed: nameOf((closed.data.ticket as Row | undefined)?.status) === 'Closed', emailed: emailed.map((to) => /<([^>]+)>/.exec(to)?.[1] ?? to).join(', ') };
    },
    truth: async (truth) => {
      const ticket = await truth.one('/Tickets/103');
      const sent = (await truth.emails()).filter((email) => email.ticket_id === 103);
      return { closed: Boolean(ticket.dateclosed) || Number(ticket.status_id) === 9, emailed: sent.map((email) => email.to).join(', ') };
    },
  },
  {
    id: 'client-overview',
    ask: 'Give me an overview of Acme Manufacturing: open tickets, contracts, anything I should know before I call them.',
    answer: async (model) => {
      const client = (await model.call('halo_get_client', { id: 'Acme Manufacturing' })).data;
      const open = await everyPage(model, 'halo_search_tickets', { client: 'Acme Manufacturing', status: 'open' });
      await model.call('halo_find_operations', { query: 'client contracts' });
      const contracts = gatewayRows(await model.call('halo_call_operation', { method: 'GET', path: '/ClientContract', query: { client_id: Number(client.id) } }));
      return { open_tickets: ids(open), contracts: ids(contracts) };
    },
    truth: async (truth) => {
      const client = await idOfNamed(truth, '/Client', 'Acme Manufacturing');
      return { open_tickets: ids(await openTicketsOf(truth, { client_id: client })), contracts: ids(await truth.all('/ClientContract', { client_id: client })) };
    },
  },
  {
    id: 'kb-mfa',
    ask: "Is there a knowledge-base article on how to reset someone's MFA?",
    answer: async (model) => ids(items(await model.call('halo_search_kb', { query: 'reset MFA' }))).slice(0, 1),
    truth: async (truth) => ids((await truth.all('/KBArticle')).filter((article) => /mfa/i.test(String(article.name)) && /reset/i.test(String(article.name)))),
  },
  {
    id: 'time-per-agent',
    ask: 'How much time did each agent log this week?',
    answer: async (model) => {
      const report = (await model.call('halo_time_report', { period: 'this week' })).data;
      return hoursByAgent(((report.agents ?? []) as Row[]).map((row) => ({ agent: textOf((row.agent as Row | undefined)?.id), hours: Number(row.hours) })));
    },
    truth: async (truth) => {
      const monday = mondayOf(truth.now);
      const events = await truth.all('/TimesheetEvent', { start_date: monday, end_date: new Date().toISOString() });
      // Work, not breaks or leave, and only what has happened by now. Halo lists entries that overlap the
      // period; an entry counts in the week it starts in (one from Sunday night into Monday does not).
      const worked = events.filter((event) => !event.break_type && !event.holiday_id && haloDate(event.start_date) >= Date.parse(`${monday}Z`) && haloDate(event.end_date) <= Date.now());
      return hoursByAgent(worked.map((event) => ({ agent: textOf(event.agent_id), hours: Number(event.timetaken ?? 0) })));
    },
  },
  {
    id: 'warranties',
    ask: 'Which assets have a warranty expiring in the next 90 days?',
    answer: async (model) => {
      return ids(await everyPage(model, 'halo_search_assets', { warranty_within_days: 90 }));
    },
    truth: async (truth) => {
      const from = truth.now.getTime();
      return ids((await truth.all('/Asset')).filter((asset) => warrantyWithin(asset.warranty_end, from, from + 90 * DAY)));
    },
  },
  {
    id: 'unpaid-invoices',
    ask: 'Which invoices of Pinecrest Accounting are still unpaid?',
    answer: async (model) => {
      await model.call('halo_find_operations', { query: 'invoice unpaid' });
      const invoices = gatewayRows(await model.call('halo_call_operation', { method: 'GET', path: '/Invoice', query: { client_id: 13 } }));
      return ids(invoices.filter((invoice) => Number(invoice.amountdue ?? 0) > 0));
    },
    truth: async (truth) => {
      const client = await idOfNamed(truth, '/Client', 'Pinecrest Accounting');
      return ids((await truth.all('/Invoice', { client_id: client })).filter((invoice) => Number(invoice.amountdue ?? 0) > 0));
    },
  },
  {
    id: 'dispatch-team',
    ask: 'Dispatch: which open tickets in the Service Desk team have no agent yet?',
    answer: async (model) => ids(await everyPage(model, 'halo_my_queue', { team: 'Service Desk', agent: 'none' })),
    truth: async (truth) => ids((await openTicketsOf(truth, {})).filter((ticket) => ticket.team === 'Service Desk' && !Number(ticket.agent_id))),
  },
  {
    id: 'sla-breached-today',
    ask: 'Which open tickets breached their SLA today (their fix-by time passed today)?',
    answer: async (model) => {
      return ids(await everyPage(model, 'halo_my_queue', { agent: 'any', sla: 'overdue', fix_by: 'today' }));
    },
    truth: async (truth) => ids((await openTicketsOf(truth, {})).filter((ticket) => breachedToday(ticket.fixbydate, new Date()))),
  },
  {
    id: 'user-assets-tickets',
    ask: 'What devices does Alice Hughes have, and what tickets has she got open?',
    answer: async (model) => {
      const assets = items(await model.call('halo_search_assets', { query: 'Alice Hughes' }));
      const tickets = items(await model.call('halo_search_tickets', { user: 'Alice Hughes', status: 'open' }));
      return { assets: ids(assets), tickets: ids(tickets) };
    },
    truth: async (truth) => {
      const user = (await truth.all('/Users', { search: 'Alice Hughes' })).find((candidate) => candidate.name === 'Alice Hughes');
      const userId = Number(user?.id);
      return { assets: ids((await truth.all('/Asset')).filter((asset) => asset.username === user?.name && asset.client_id === user?.client_id)), tickets: ids(await openTicketsOf(truth, { user_id: userId })) };
    },
  },
  {
    id: 'changes-since-yesterday',
    ask: 'What changed on ticket 5 since yesterday?',
    answer: async (model) => {
      const since = startOfYesterday(new Date());
      const actions = items(await model.call('halo_list_ticket_actions', { ticket_id: 5, include_private: true }));
      return ids(actions.filter((action) => Date.parse(String(action.when)) >= since));
    },
    truth: async (truth) => {
      const since = startOfYesterday(truth.now);
      return ids((await truth.all('/Actions', { ticket_id: 5 })).filter((action) => haloDate(action.datetime) >= since));
    },
  },
];

/** The start of the (UTC) week holding `day`, Monday, as Halo's date parameters take it. */
function mondayOf(day: Date): string {
  return `${new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - ((day.getUTCDay() + 6) % 7))).toISOString().slice(0, 10)}T00:00:00`;
}

/** Hours by agent id, each to two decimals. */
function hoursByAgent(entries: { agent: string; hours: number }[]): Record<string, number> {
  const totals = new Map<string, number>();
  for (const { agent, hours } of entries) totals.set(agent, (totals.get(agent) ?? 0) + hours);
  return Object.fromEntries([...totals].filter(([, hours]) => hours > 0).sort(([a], [b]) => a.localeCompare(b)).map(([agent, hours]) => [agent, round2(hours)]));
}

function warrantyWithin(value: unknown, from: number, to: number): boolean {
  const when = haloDate(value);
  return when >= from && when <= to;
}

/** A fix-by time between the start of today (UTC) and now. */
function breachedToday(value: unknown, now: Date): boolean {
  const when = haloDate(value);
  return when >= Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) && when < now.getTime();
}

function startOfYesterday(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1);
}
