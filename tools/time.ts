/** Time: the calendar, timesheets, to-dos, and logging time against a ticket. */
import { z } from 'zod';
import { nameOrId, recordId, requiredText } from '../src/toolkit/inputs.js';
import { anyRecord, writeOutput } from '../src/toolkit/outputs.js';
import { dateArg, htmlArg, idArg, refArg, resourceTools, textArg } from '../src/toolkit/resource-tools.js';
import { hours, isoUtc, optionalId, optionalText, ref } from '../src/toolkit/values.js';
import { defineTool, type AnyTool } from '../src/mcp/tool.js';
import { calendarDay, parseDateRange } from '../src/toolkit/dates.js';
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

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [...appointmentTools, getTimesheet, ...timesheetEventTools, ...toDoTools, logTime];
