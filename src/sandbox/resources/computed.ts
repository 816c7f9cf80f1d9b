/**
 * Answers Halo computes rather than stores: running a report (saved, or ad-hoc SQL), and the
 * agents' timesheets, a day each, added up from the timesheet events.
 */
import type { RequestContext } from '../resource.js';
import { runSql, SqlError } from '../sql.js';
import type { HaloRecord } from '../store.js';
import { textOf } from '../../util/text.js';
import { haloDateTime, haloException, parseHaloDate } from './shared.js';

export interface Computed {
  status: number;
  /** Absent for an answer that is its status alone. */
  body?: unknown;
}

// Halo behaviour: docs/halo-behaviour.md#report-values-strings
/** A cell as the report engine answers it: its value written as text, a NULL left null. */
function reportCell(value: unknown): string | null {
  return value === null || value === undefined ? null : textOf(value);
}

function reportAnswer(sql: string, context: RequestContext, profile: HaloRecord = { id: 0 }): Computed {
  try {
    const rows = runSql(sql, context.store).map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, reportCell(value)])));
    const columns = Object.keys(rows[0] ?? {}).map((name, index) => ({ id: index + 1, name }));
    return { status: 200, body: { ...profile, report: { rows, record_count: rows.length }, available_columns: columns } };
  } catch (error) {
    // SQL Server's error comes back inside a successful answer, not as an HTTP error.
    // Halo behaviour: docs/halo-behaviour.md#report-sql-load-error
    if (error instanceof SqlError) return { status: 200, body: { ...profile, report: { load_error: error.message } } };
    throw error;
  }
}

// Halo behaviour: docs/halo-behaviour.md#report-sql
/** `GET /Report/{id}?loadreport=true` runs a saved report. */
export function loadReport(id: number, context: RequestContext): Computed | undefined {
  const report = context.store.collection('reports').get(id);
  if (!report) return undefined;
  return reportAnswer(textOf(report.sql), context, report);
}

// Halo behaviour: docs/halo-behaviour.md#report-sql
/** `POST /Report [{_loadreportonly: true, id | sql}]` runs a report without saving anything. */
export function runReport(input: Record<string, unknown>, context: RequestContext): Computed {
  const saved = typeof input.id === 'number' ? context.store.collection('reports').get(input.id) : undefined;
  if (typeof input.id === 'number' && !saved) return { status: 404 };
  const sql = typeof input.sql === 'string' && input.sql.trim() !== '' ? input.sql : textOf(saved?.sql);
  if (!sql) return { status: 400, body: haloException('Please enter the SQL of the report.') };
  return reportAnswer(sql, context, saved);
}

const DAY = 86_400_000;
/** The longest window one timesheet list answers, so a careless range cannot build years of rows. */
const MAX_LIST_DAYS = 366;
/** Halo numbers timesheets itself; the sandbox derives the number from the agent and the day. */
const DAYS_PER_AGENT = 100_000;
const TARGET_HOURS = 7.5;

function sheetId(agentId: number, dayStart: number): number {
  return agentId * DAYS_PER_AGENT + Math.floor(dayStart / DAY);
}

/** The events an agent logged on a day, and their hours. */
function eventsOf(agentId: number, dayStart: number, context: RequestContext): { events: HaloRecord[]; hours: number } {
  const events = context.store
    .collection('timesheetevents')
    .all()
    .filter((event) => {
      const start = parseHaloDate(event.start_date);
      return event.agent_id === agentId && start !== undefined && start >= dayStart && start < dayStart + DAY;
    });
  return { events, hours: events.reduce((sum, event) => sum + Number(event.timetaken ?? 0), 0) };
}

/** An agent's timesheet for one day as a list row: its number and its hours, without the events. */
function sheetRow(agent: HaloRecord, dayStart: number, context: RequestContext): HaloRecord {
  const { hours } = eventsOf(agent.id, dayStart, context);
  return {
    id: sheetId(agent.id, dayStart),
    agent_id: agent.id,
    agent_name: textOf(agent.name),
    // Halo behaviour: docs/halo-behaviour.md#date-forms
    date: haloDateTime(dayStart, 'unspecified'),
    target_hours: TARGET_HOURS,
    actual_hours: hours,
    chargeable_hours: hours,
    unlogged_hours: Math.max(0, TARGET_HOURS - hours),
  };
}

/** The first instant of the UTC day a Halo date falls on. */
function dayOf(value: string | undefined): number | undefined {
  const time = parseHaloDate(value);
  return time === undefined ? undefined : time - (time % DAY);
}

/** The parameters of `GET /Timesheet` that the sandbox honours. */
export const TIMESHEET_LIST_PARAMS = ['start_date', 'end_date'];

// Halo behaviour: docs/halo-behaviour.md#timesheet-list-by-dates
/**
 * `GET /Timesheet`: one row per working agent per day from `start_date` to `end_date` (today
 * without them), each with the number that `GET /Timesheet/{id}` takes.
 */
export function listTimesheets(context: RequestContext): Computed {
  const today = context.now.getTime() - (context.now.getTime() % DAY);
  const from = dayOf(context.query.get('start_date')) ?? today;
  const to = Math.min(dayOf(context.query.get('end_date')) ?? from, from + (MAX_LIST_DAYS - 1) * DAY);
  const agents = context.store.collection('agents').all().filter((agent) => agent.isapiagent !== true && agent.isdisabled !== true);
  const rows: HaloRecord[] = [];
  for (let day = from; day <= to; day += DAY) rows.push(...agents.map((agent) => sheetRow(agent, day, context)));
  return { status: 200, body: rows };
}

// Halo behaviour: docs/halo-behaviour.md#timesheet-by-id
/**
 * `GET /Timesheet/{id}`: the timesheet that number names, with its events. The number 0 asks for
 * an agent's day instead, named by `agent_id` and `date` (today without one), as live clients read
 * it. A number that names no timesheet is a 404.
 */
export function timesheetById(id: number | undefined, context: RequestContext): Computed {
  if (id === 0) {
    const agent = context.store.collection('agents').get(context.query.int('agent_id') ?? 0);
    const day = dayOf(context.query.get('date')) ?? context.now.getTime() - (context.now.getTime() % DAY);
    return agent ? timesheetOf(agent, day, context) : { status: 404 };
  }
  const agent = id === undefined ? undefined : context.store.collection('agents').get(Math.floor(id / DAYS_PER_AGENT));
  if (!agent || id === undefined) return { status: 404 };
  return timesheetOf(agent, (id % DAYS_PER_AGENT) * DAY, context);
}

function timesheetOf(agent: HaloRecord, dayStart: number, context: RequestContext): Computed {
  return { status: 200, body: { ...sheetRow(agent, dayStart, context), events: eventsOf(agent.id, dayStart, context).events } };
}
