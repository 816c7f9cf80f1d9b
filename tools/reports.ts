/** Reports: Halo's saved reports and, when switched on, read-only SQL through its report engine. */
import { z } from 'zod';
import { cursor, limit, listOutput, recordId } from '../src/mcp/inputs.js';
import { resourceTools } from '../src/mcp/resource-tools.js';
import { arrayPage, optionalText } from '../src/mcp/shape.js';
import { checkReadOnlySelect } from '../src/mcp/sql.js';
import { defineTool, type ToolContext } from '../src/mcp/tool.js';

type HaloRecord = Record<string, unknown>;

export const reportTools = resourceTools({
  toolset: 'reports',
  noun: 'report',
  plural: 'reports',
  label: 'saved report',
  path: '/Report',
  ops: ['list'],
  search: true,
  project: (report) => ({ id: report.id, name: optionalText(report.name) ?? '' }),
});

/** The rows of a report answer, one page of them. */
function rowsPage(answer: HaloRecord, tool: string, args: { limit: number; cursor?: string | undefined } & Record<string, unknown>, context: ToolContext) {
  const report = (answer.report ?? {}) as { rows?: unknown[] };
  const rows = Array.isArray(report.rows) ? report.rows : [];
  return arrayPage(rows, context, { tool, args });
}

export const runReport = defineTool({
  name: 'halo_run_report',
  title: 'Run a saved report',
  description: 'Run a saved Halo report and return its rows.',
  toolset: 'reports',
  access: 'read',
  input: z.strictObject({ id: recordId('Report id'), limit: limit.default(50), cursor }),
  output: listOutput,
  handler: async (args, context) => {
    const answer = await context.halo.get<HaloRecord>('/Report', args.id, { loadreport: true }, { signal: context.signal });
    return rowsPage(answer, 'halo_run_report', args, context);
  },
});

export const runSql = defineTool({
  name: 'halo_run_sql',
  title: 'Run a read-only SQL query',
  description: "Run one read-only T-SQL SELECT through Halo's report engine and return the rows.",
  toolset: 'reports',
  access: 'read',
  available: (settings) => settings.allowSql,
  input: z.strictObject({ sql: z.string().describe('One SELECT statement'), limit: limit.default(50), cursor }),
  output: listOutput,
  handler: async (args, context) => {
    const sql = await checkReadOnlySelect(args.sql);
    // Running a query changes nothing, so it may be repeated like a read.
    const answer = await context.halo.request<HaloRecord>({ method: 'POST', path: '/Report', body: [{ sql, _loadreportonly: true }], effect: 'read', signal: context.signal });
    return rowsPage(Array.isArray(answer) ? ((answer[0] ?? {}) as HaloRecord) : answer, 'halo_run_sql', args, context);
  },
});
