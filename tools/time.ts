/** Time: the calendar, timesheets, to-dos, and logging time against a ticket. */
import { z } from 'zod';
import { nameOrId, recordId, requiredText } from '../src/toolkit/inputs.js';
import { anyRecord, writeOutput } from '../src/toolkit/outputs.js';
import { dateArg, htmlArg, idArg, refArg, resourceTools, textArg } from '../src/toolkit/resource-tools.js';
import { haloTime, hours, isoUtc, optionalId, optionalText, ref } from '../src/toolkit/values.js';
import { defineTool, type AnyTool } from '../src/mcp/tool.js';
import { calendarDay, inDateRange, parseDateRange } from '../src/toolkit/dates.js';
import { ToolInputError } from '../src/toolkit/errors.js';
import { actionBody, noteFields, postAction } from './tickets/tickets.js';
import type { HaloRecord } from '../src/halo/client.js';

export const appointmentTools = resourceTools({
  toolset: 'time',
  noun: 'appointment',
  label: 'appointment',
  path: '/Appointment',
  tools: {
    list: { name: 'halo_search_appointments', title: 'Search appointments' },
    get: { name: 'halo_get_appointment', title: 'Get an appointment' },
    create: { name: 'halo_create_appointment', title: 'Create an appointment' },
    update: { name: 'halo_update_appointment', title: 'Update an appointment' },
    delete: { name: 'halo_delete_appointment', title: 'Delete an appointment' },
  },
  search: true,
  filters: {
    agent: { ...refArg('agent', 'agents', 'Name, id or "me"'), list: true },
    client: refArg('client', 'client_id'),
    ticket_id: idArg('ticket_id', 'Ticket number'),
    from: dateArg('start_date', 'From'),
    to: dateArg('end_date', 'Until'),
  },
  fields: {
    subject: textArg('subject', 'Subject'),
    start: dateArg('start_date', 'Start'),
    end: dateArg('end_date', 'End'),
    agent: refArg('agent', 'agent_id', 'Name, id or "me"'),
    client: refArg('client', 'client_id'),
    ticket_id: idArg('ticket_id', 'Ticket number'),
    note: htmlArg('note_html', 'Note, plain text'),
  },
  required: ['subject', 'start', 'end'],
  project: (appointment) => ({
    id: appointment.id,
    subject: optionalText(appointment.subject) ?? '',
    start: isoUtc(appointment.start_date),
    end: isoUtc(appointment.end_date),
    agent: ref(appointment.agent_id, appointment.agent_name),
    client: ref(appointment.client_id, appointment.client_name),
    ticket_id: optionalId(appointment.ticket_id),
  }),
});

const timesheetOutput = z.looseObject({
  agent: anyRecord,
  date: z.string(),
  timesheet_id: z.number().nullable(),
  target_hours: z.number(),
  logged_hours: z.number(),
  entries: z.array(anyRecord),
});

export const getTimesheet = defineTool({
  name: 'halo_get_timesheet',
  title: "Get an agent's timesheet",
  description: "An agent's timesheet for a day: hours logged against the target, and the entries.",
  toolset: 'time',
  access: 'read',
  input: z.strictObject({
    agent: nameOrId('Name, id or "me"').default('me'),
    date: z.string().default('today').describe('The day: ISO date, "today", "yesterday"'),
  }),
  output: timesheetOutput,
  handler: async (args, context) => {
    const { halo, resolver, signal, settings } = context;
    const agent = await resolver.resolveReference('agent', args.agent, { signal });
    const from = parseDateRange(args.date, settings.timezone).from;
    if (!from) throw new ToolInputError(`"${args.date}" does not name a day; give one day, such as 2026-11-03 or "yesterday".`);
    // The day as the person means it, in the configured time zone: its UTC date can be the day before.
    const date = calendarDay(from, settings.timezone);
    // Timesheet 0 is the agent's day, as live clients read it; a timesheet's own number would need the day's list first.
    const sheet = await halo.get('/Timesheet', 0, { agent_id: agent.id, date }, { signal });
    const events = Array.isArray(sheet.events) ? (sheet.events as HaloRecord[]) : [];
    const chargeable = sheet.chargeable_hours;
    return {
      agent: { id: agent.id, name: agent.name || (optionalText(sheet.agent_name) ?? '') },
      date,
      timesheet_id: optionalId(sheet.id),
      target_hours: hours(sheet.target_hours),
      logged_hours: hours(sheet.actual_hours),
      ...(typeof chargeable === 'number' ? { chargeable_hours: hours(chargeable) } : {}),
      entries: events.map((event) => ({
        start: isoUtc(event.start_date),
        end: isoUtc(event.end_date),
        hours: hours(event.timetaken),
        subject: optionalText(event.subject),
        ticket_id: optionalId(event.ticket_id),
      })),
    };
  },
});

export const timesheetEventTools = resourceTools({
  toolset: 'time',
  noun: 'timesheet_event',
  label: 'timesheet entry',
  path: '/TimesheetEvent',
  tools: {
    list: { name: 'halo_list_timesheet_events', title: 'List timesheet entries' },
    create: { name: 'halo_create_timesheet_event', title: 'Create a timesheet entry' },
  },
  paged: false,
  filters: {
    agent: refArg('agent', 'agent_id', 'Name, id or "me"'),
    from: dateArg('start_date', 'From'),
    to: dateArg('end_date', 'Until'),
  },
  fields: {
    agent: refArg('agent', 'agent_id', 'Name, id or "me"'),
    subject: textArg('subject', 'What the time was for'),
    start: dateArg('start_date', 'Start'),
    end: dateArg('end_date', 'End'),
    ticket_id: idArg('ticket_id', 'Ticket number'),
    note: textArg('note', 'Note'),
  },
  required: ['start', 'end'],
  project: (event) => ({
    id: event.id,
    agent_id: event.agent_id ?? null,
    start: isoUtc(event.start_date),
    end: isoUtc(event.end_date),
    hours: hours(event.timetaken),
    subject: optionalText(event.subject),
  }),
});

export const toDoTools = resourceTools({
  toolset: 'time',
  noun: 'todo',
  label: 'to-do',
  path: '/ToDo',
  tools: {
    list: { name: 'halo_list_todos', title: 'List to-dos' },
    create: { name: 'halo_create_todo', title: 'Create a to-do' },
  },
  paged: false,
  filters: { ticket_id: idArg('ticket_id', 'Ticket number') },
  fields: { ticket_id: idArg('ticket_id', 'Ticket number'), text: textArg('text', 'The to-do') },
  required: ['ticket_id', 'text'],
  project: (todo) => ({ id: todo.id, ticket_id: todo.ticket_id ?? null, text: optionalText(todo.text) ?? '', done: todo.done === true }),
});

/** A note's options, less the time: here the time is the point and has its own argument. */
const { time_taken_hours: _timeTaken, ...logOptions } = noteFields;

export const logTime = defineTool({
  name: 'halo_log_time',
  title: 'Log time on a ticket',
  description: 'Log time worked on a ticket, with a note. Private and not emailed unless asked.',
  toolset: 'time',
  access: 'write',
  input: z.strictObject({
    ticket_id: recordId('Ticket number'),
    hours: z.number().gt(0).max(24).describe('Time worked, hours'),
    note: requiredText('What was done'),
    ...logOptions,
  }),
  output: writeOutput,
  handler: async (args, context) => {
    return postAction(context, await actionBody({ ...args, time_taken_hours: args.hours }, undefined, context), args.dry_run);
  },
});

/** The longest period one time report covers: every agent's entries of a year come in one answer. */
const REPORT_MAX_DAYS = 366;
/** The clients named under each agent, most hours first; the rest are summed, so the answer stays small. */
const REPORT_CLIENTS_PER_AGENT = 10;

/** One agent's time in a report, as it is added up. */
interface AgentTime {
  hours: number;
  entries: number;
  breaksAndLeave: number;
  clients: Map<number, { name: string; hours: number }>;
}

/** An instant in ISO 8601 UTC to the second, as the tools write dates. */
function wholeSeconds(instant: Date): string {
  return `${instant.toISOString().slice(0, 19)}Z`;
}

/** An entry's hours: Halo's `timetaken`, or its span where Halo left that out. */
function entryHours(event: HaloRecord): number {
  if (typeof event.timetaken === 'number') return event.timetaken;
  const start = haloTime(event.start_date);
  const end = haloTime(event.end_date);
  return start === undefined || end === undefined ? 0 : Math.max(0, (end - start) / 3_600_000);
}

/**
 * Agents' time over a period, added up from Halo's timesheet entries: what the timesheet screens
 * show, time logged on tickets' actions included. Summing the actions' own `timetaken` instead
 * undercounts (a live tenant found it about five times too low), and /Actions reads one ticket at a
 * time. Breaks and leave (entries with a `break_type` or a `holiday_id`) are counted apart.
 */
export const timeReport = defineTool({
  name: 'halo_time_report',
  title: 'Time logged by agent',
  description: 'Hours each agent logged over a period, from the timesheets, with each agent\'s hours by client.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    period: z.string().default('this week').describe('"this week", "last month", A..B...'),
    agent: nameOrId('Name, id or "me"').optional(),
    client: nameOrId('Name or id').optional(),
  }),
  output: z.looseObject({ from: z.string(), to: z.string(), total_hours: z.number(), agents: z.array(anyRecord) }),
  handler: async (args, context) => {
    const { halo, resolver, signal, settings } = context;
    const { from, to = new Date() } = parseDateRange(args.period, settings.timezone);
    if (!from) throw new ToolInputError(`"${args.period}" has no start: give a period such as "this week", "last month" or 2026-11-01..2026-11-30.`);
    if (to.getTime() - from.getTime() > REPORT_MAX_DAYS * 86_400_000) throw new ToolInputError(`"${args.period}" is longer than ${REPORT_MAX_DAYS} days: report on a year at most at a time.`);
    const [agent, clientId, agents] = await Promise.all([
      args.agent === undefined ? undefined : resolver.resolveReference('agent', args.agent, { signal }),
      args.client === undefined ? undefined : resolver.resolve('client', args.client, { signal }),
      resolver.list('agent', { signal }),
    ]);
    const { items: events } = await halo.list(
      '/TimesheetEvent',
      { start_date: from.toISOString(), end_date: to.toISOString(), ...(agent ? { agent_id: agent.id } : {}) },
      { signal },
    );
    const byAgent = new Map<number, AgentTime>();
    for (const event of events) {
      const start = haloTime(event.start_date);
      const agentId = optionalId(event.agent_id);
      // An entry belongs to the period it starts in; the filters are checked here too, whatever Halo made of them.
      if (!inDateRange({ from, to }, start) || agentId === null) continue;
      if ((agent && agentId !== agent.id) || (clientId !== undefined && event.client_id !== clientId)) continue;
      const time: AgentTime = byAgent.get(agentId) ?? { hours: 0, entries: 0, breaksAndLeave: 0, clients: new Map() };
      byAgent.set(agentId, time);
      const spent = entryHours(event);
      if ((event.break_type ?? 0) > 0 || (event.holiday_id ?? 0) > 0) {
        time.breaksAndLeave += spent;
        continue;
      }
      time.hours += spent;
      time.entries++;
      const client = optionalId(event.client_id) ?? 0;
      const entry = time.clients.get(client) ?? { name: optionalText(event.customer) ?? '', hours: 0 };
      entry.hours += spent;
      time.clients.set(client, entry);
    }
    const names = new Map(agents.map((known) => [known.id, known.name]));
    const rows = [...byAgent.entries()]
      .map(([id, time]) => {
        const clients = [...time.clients.entries()].sort((a, b) => b[1].hours - a[1].hours);
        const others = clients.slice(REPORT_CLIENTS_PER_AGENT).reduce((sum, [, entry]) => sum + entry.hours, 0);
        return {
          // Halo's agent list leaves out the API application's own agent, whose time (logged through the API) counts all the same.
          agent: { id, name: names.get(id) ?? (id === agent?.id ? agent.name : `agent ${id}, not in Halo's agent list`) },
          hours: hours(time.hours),
          entries: time.entries,
          by_client: clients.slice(0, REPORT_CLIENTS_PER_AGENT).map(([client, entry]) => ({ client: ref(client, entry.name), hours: hours(entry.hours) })),
          ...(others > 0 ? { other_clients_hours: hours(others) } : {}),
          ...(time.breaksAndLeave > 0 ? { breaks_and_leave_hours: hours(time.breaksAndLeave) } : {}),
        };
      })
      .sort((a, b) => b.hours - a.hours);
    return {
      from: wholeSeconds(from),
      to: wholeSeconds(to),
      total_hours: hours(rows.reduce((sum, row) => sum + row.hours, 0)),
      agents: rows,
    };
  },
});

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [...appointmentTools, getTimesheet, ...timesheetEventTools, ...toDoTools, logTime, timeReport];
