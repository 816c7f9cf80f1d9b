/**
 * Answers Halo computes rather than stores: running a report (saved, or ad-hoc SQL), and an
 * agent's timesheet for a day, added up from the timesheet events.
 */
import type { RequestContext } from '../resource.js';
import { runSql, SqlError } from '../sql.js';
import type { HaloRecord } from '../store.js';
import { textOf } from '../../util/text.js';
import { nameOf } from './shared.js';

export interface Computed {
  status: number;
  body: unknown;
}

function reportAnswer(sql: string, context: RequestContext, profile: HaloRecord = { id: 0 }): Computed {
  try {
    const rows = runSql(sql, context.store);
    const columns = Object.keys(rows[0] ?? {}).map((name, index) => ({ id: index + 1, name }));
    return { status: 200, body: { ...profile, report: { rows, record_count: rows.length }, available_columns: columns } };
  } catch (error) {
    // SQL Server's error comes back inside a successful answer, not as an HTTP error.
    // Halo behaviour: docs/halo-behaviour.md#report-sql-load-error
    if (error instanceof SqlError) return { status: 200, body: { ...profile, report: { load_error: error.message } } };
    throw error;
  }
}

/** `GET /Report/{id}?loadreport=true` runs a saved report. */
export function loadReport(id: number, context: RequestContext): Computed | undefined {
  const report = context.store.collection('reports').get(id);
  if (!report) return undefined;
  return reportAnswer(textOf(report.sql), context, report);
}

/** `POST /Report [{_loadreportonly: true, id | sql}]` runs a report without saving anything. */
export function runReport(input: Record<string, unknown>, context: RequestContext): Computed {
  const saved = typeof input.id === 'number' ? context.store.collection('reports').get(input.id) : undefined;
  if (typeof input.id === 'number' && !saved) return { status: 404, body: `Report ${input.id} not found` };
  const sql = typeof input.sql === 'string' && input.sql.trim() !== '' ? input.sql : textOf(saved?.sql);
  if (!sql) return { status: 400, body: 'Please enter the SQL of the report.' };
  return reportAnswer(sql, context, saved);
}

const DAY = 86_400_000;

/** An agent's timesheet for one day: its events and the hours they add up to. */
export function timesheet(agentId: number, date: string, context: RequestContext): Computed {
  const agent = context.store.collection('agents').get(agentId);
  const start = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  if (!agent) return { status: 404, body: `Agent ${agentId} not found` };
  if (Number.isNaN(start)) return { status: 400, body: `'${date}' is not a date.` };
  const events = context.store
    .collection('timesheetevents')
    .all()
    .filter((event) => event.agent_id === agentId && Date.parse(textOf(event.start_date)) >= start && Date.parse(textOf(event.start_date)) < start + DAY);
  const actual = events.reduce((sum, event) => sum + Number(event.timetaken ?? 0), 0);
  return {
    status: 200,
    body: {
      id: agentId * 100_000 + Math.floor(start / DAY) % 100_000,
      agent_id: agentId,
      agent_name: nameOf(context.store, 'agents', agentId),
      date: new Date(start).toISOString(),
      target_hours: 7.5,
      actual_hours: actual,
      unlogged_hours: Math.max(0, 7.5 - actual),
      events,
    },
  };
}
