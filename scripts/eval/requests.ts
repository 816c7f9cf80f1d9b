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
    answer: async (model) => ids(items(await model.call('halo_search_tickets', { agent: 'me', status: 'open', sort: 'priority' }))),
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
      await model.call('halo_add_note', { ticket_id: 5, note: 'Called the user, restarted the print spooler', time_taken_hours: 1 / 3, new_status: 'In Progress' });
      // The note's answer shows neither the status nor the time: a model reads the ticket to confirm.
      const ticket = (await model.call('halo_get_ticket', { id: 5, actions: 1 })).data;
      return { status: nameOf(ticket.status), latest_note: unfenced((ticket.actions as Row[] | undefined)?.[0]?.note) };
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
      // The answer does not say who was emailed: a model reads the ticket's user to tell the technician.
      const user = (await model.call('halo_get_ticket', { id: 103, actions: 0 })).data.user as Row | undefined;
      const email = (await model.call('halo_get_user', { id: Number(user?.id) })).data;
      return { closed: !closed.isError, emailed: textOf(email.email) };
    },
    truth: async (truth) => {
      const ticket = await truth.one('/Tickets/103');
      const sent = (await truth.emails()).filter((email) => email.ticket_id === 103);
      return { closed: Boolean(ticket.dateclosed) || Number(ticket.status_id) === 9, emailed: sent.map((email) => email.to).join(', ') };
    },
  },
  {
    id: 'client-overview',
    ask: 'Give me an overview of Pinecrest Accounting: open tickets, contracts, anything I should know before I call them.',
    answer: async (model) => {
      await model.call('halo_get_client', { id: 'Pinecrest Accounting' });
      const open = await everyPage(model, 'halo_search_tickets', { client: 'Pinecrest Accounting', status: 'open' });
      await model.call('halo_find_operations', { query: 'client contracts' });
      const contracts = gatewayRows(await model.call('halo_call_operation', { method: 'GET', path: '/ClientContract', query: { client_id: 13 } }));
      return { open_tickets: ids(open), contracts: ids(contracts) };
    },
    truth: async (truth) => {
      const client = await idOfNamed(truth, '/Client', 'Pinecrest Accounting');
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
      await model.call('halo_find_operations', { query: 'timesheet' });
      const week = weekOf(new Date());
      const events = gatewayRows(await model.call('halo_call_operation', { method: 'GET', path: '/TimesheetEvent', query: { start_date: week.from, end_date: week.to } }));
      // The events name agents by id only: a model looks the names up.
      const agents = items(await model.call('halo_lookup', { kind: 'agents', limit: 100 }));
      const agentName = (id: unknown) => textOf(agents.find((agent) => Number(agent.id) === Number(id))?.name) || textOf(id);
      return hoursByAgent(events.map((event) => ({ agent: textOf(event.agent_name) || agentName(event.agent_id), hours: Number(event.timetaken ?? 0) })));
    },
    truth: async (truth) => {
      const week = weekOf(truth.now);
      const agents = new Map((await truth.all('/Agent')).map((agent) => [Number(agent.id), String(agent.name)]));
      const events = await truth.all('/TimesheetEvent', { start_date: week.from, end_date: week.to });
      return hoursByAgent(events.map((event) => ({ agent: agents.get(Number(event.agent_id)) ?? String(event.agent_id), hours: Number(event.timetaken ?? 0) })));
    },
  },
  {
    id: 'warranties',
    ask: 'Which assets have a warranty expiring in the next 90 days?',
    answer: async (model) => {
      await model.call('halo_describe_operation', { method: 'GET', path: '/Asset/{id}', match: 'warranty' });
      const assets = await everyPage(model, 'halo_search_assets', { fields: 'warranty_end', limit: 100 });
      const horizon = Date.now() + 90 * DAY;
      return ids(assets.filter((asset) => warrantyWithin(asset.warranty_end, Date.now(), horizon)));
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
      await model.call('halo_find_operations', { query: 'invoices' });
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
    answer: async (model) => ids((await everyPage(model, 'halo_search_tickets', { team: 'Service Desk', status: 'open', limit: 100 })).filter((ticket) => !ticket.agent)),
    truth: async (truth) => ids((await openTicketsOf(truth, {})).filter((ticket) => ticket.team === 'Service Desk' && !Number(ticket.agent_id))),
  },
  {
    id: 'sla-breached-today',
    ask: 'Which open tickets breached their SLA today (their fix-by time passed today)?',
    answer: async (model) => {
      const open = await everyPage(model, 'halo_search_tickets', { status: 'open', fields: 'fixbydate', limit: 100 });
      return ids(open.filter((ticket) => breachedToday(ticket.fixbydate, new Date())));
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
  {
    id: 'unbilled-time',
    ask: 'How much unbilled time do we have for Pinecrest Accounting?',
    answer: async (model) => {
      await model.call('halo_find_operations', { query: 'unbilled time' });
      const actions = gatewayRows(await model.call('halo_call_operation', { method: 'GET', path: '/Actions', query: { client_id: 13 } }));
      return round2(actions.filter((action) => !action.actioninvoicenumber).reduce((sum, action) => sum + Number(action.actionchargehours ?? 0), 0));
    },
    truth: async (truth) => {
      const client = await idOfNamed(truth, '/Client', 'Pinecrest Accounting');
      const tickets = await truth.all('/Tickets', { client_id: client });
      let hours = 0;
      for (const ticket of tickets) {
        for (const action of await truth.all('/Actions', { ticket_id: Number(ticket.id) })) {
          if (!action.actioninvoicenumber) hours += Number(action.actionchargehours ?? 0);
        }
      }
      return round2(hours);
    },
  },
];

/** Monday to Sunday of the week holding `day`, as Halo's date parameters take them (UTC). */
function weekOf(day: Date): { from: string; to: string } {
  const monday = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - ((day.getUTCDay() + 6) % 7)));
  const sunday = new Date(monday.getTime() + 6 * DAY);
  return { from: `${monday.toISOString().slice(0, 10)}T00:00:00`, to: `${sunday.toISOString().slice(0, 10)}T23:59:59` };
}

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
