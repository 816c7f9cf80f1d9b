/** Reports: Halo's saved reports and, when switched on, read-only SQL through its report engine. */
import { z } from 'zod';
import { HaloValidationError } from '../src/halo/errors.js';
import { ToolInputError } from '../src/toolkit/errors.js';
import { cursor, limit, recordId } from '../src/toolkit/inputs.js';
import { listOutput } from '../src/toolkit/outputs.js';
import { resourceTools } from '../src/toolkit/resource-tools.js';
import { arrayPage } from '../src/toolkit/paging.js';
import { isRecord, optionalText } from '../src/toolkit/values.js';
import { checkReadOnlySelect } from '../src/toolkit/sql.js';
import { defineTool, type ToolContext, type AnyTool } from '../src/mcp/tool.js';
import type { HaloRecord } from '../src/halo/client.js';

export const reportTools = resourceTools({
  toolset: 'reports',
  noun: 'report',
  label: 'saved report',
  path: '/Report',
  tools: {
    list: { name: 'halo_search_reports', title: 'Search saved reports' },
  },
  search: true,
  project: (report) => ({ id: report.id, name: optionalText(report.name) ?? '' }),
});

/** What to try after SQL Server's own words about a query. */
function nextStep(message: string, fix: string): string {
  if (/ORDER BY clause is invalid/i.test(message)) return 'Halo runs report SQL as a subquery: add TOP n to a SELECT with ORDER BY, or leave ORDER BY out.';
  return fix;
}

interface ReportSource {
  /** What ran, for the error: "the query", "saved report 12". */
  what: string;
  method: string;
  path: string;
  /** What to try when SQL Server refused it. */
  fix: string;
}

/**
 * The rows of a report answer. A query Halo cannot run still answers 200, with SQL Server's
 * message in `report.load_error` and no rows: that is an error to show, never an empty result.
 * Clients read the answer as one object or a one-element array, with the rows under `report` or
 * at the top of it; all of these are read.
 */
function reportRows(answer: unknown, source: ReportSource): HaloRecord[] {
  const body = Array.isArray(answer) ? (answer[0] as unknown) : answer;
  const top = isRecord(body) ? body : {};
  const report = isRecord(top.report) ? top.report : {};
  const loadError = optionalText(report.load_error) ?? optionalText(top.load_error);
  if (loadError !== null || report.loaded === false) {
    const said = loadError ?? 'Halo did not load it and gave no reason';
    throw new HaloValidationError(`Halo could not run ${source.what}: ${said} ${nextStep(said, source.fix)}`, {
      status: 200,
      method: source.method,
      path: source.path,
      haloMessage: said,
    });
  }
  const rows = Array.isArray(report.rows) ? report.rows : Array.isArray(top.rows) ? top.rows : [];
  return rows.filter(isRecord);
}

/** Runs one query through Halo's report engine, after the read-only guard, and answers its rows. */
async function runQuery(sql: string, context: ToolContext, fix: string): Promise<HaloRecord[]> {
  const query = checkReadOnlySelect(sql);
  // Running a query changes nothing, so it may be repeated like a read.
  const answer = await context.halo.request({ method: 'POST', path: '/Report', body: [{ sql: query, _loadreportonly: true }], effect: 'read', signal: context.signal });
  return reportRows(answer, { what: 'the query', method: 'POST', path: '/Report', fix });
}

/** A row's value by column name: SQL Server may answer a column in the case the query or the table spells it. */
function field(row: HaloRecord, name: string): unknown {
  const key = Object.keys(row).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : row[key];
}

/** Text as a T-SQL string literal: nothing in it can end the string. */
function literal(text: string): string {
  return `N'${text.replace(/'/g, "''")}'`;
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' });

/** More than any Halo database has tables, or any table columns: one page, which the size budget then cuts. */
const SCHEMA_PAGE = 1_000;

export const runReport = defineTool({
  name: 'halo_run_report',
  title: 'Run a saved report',
  description: 'Run a saved Halo report and return its rows.',
  toolset: 'reports',
  access: 'read',
  input: z.strictObject({ id: recordId('Report id'), limit: limit.default(50), cursor }),
  output: listOutput,
  handler: async (args, context) => {
    const answer = await context.halo.get('/Report', args.id, { loadreport: true }, { signal: context.signal });
    const rows = reportRows(answer, {
      what: `saved report ${args.id}`,
      method: 'GET',
      path: `/Report/${args.id}`,
      fix: "The report's SQL does not run on this Halo: correct it in Halo's report designer.",
    });
    return arrayPage(rows, context, { tool: 'halo_run_report', args });
  },
});

export const runSql = defineTool({
  name: 'halo_run_sql',
  title: 'Run a read-only SQL query',
  description: "Run one read-only T-SQL SELECT through Halo's report engine and return the rows.",
  toolset: 'reports',
  access: 'read',
  available: (settings) => settings.allowSql,
  input: z.strictObject({ sql: z.string().describe('One SELECT (ORDER BY needs TOP)'), limit: limit.default(50), cursor }),
  output: listOutput,
  handler: async (args, context) => {
    const rows = await runQuery(args.sql, context, 'Check table and column names with halo_list_sql_tables and halo_describe_sql_table, then correct the query.');
    return arrayPage(rows, context, { tool: 'halo_run_sql', args });
  },
});

export const listSqlTables = defineTool({
  name: 'halo_list_sql_tables',
  title: 'List SQL tables',
  description: "List the tables of Halo's database, for halo_run_sql.",
  toolset: 'reports',
  access: 'read',
  available: (settings) => settings.allowSql,
  input: z.strictObject({ filter: z.string().max(128).optional().describe('Part of a table name'), cursor }),
  output: listOutput,
  handler: async (args, context) => {
    // [ ] % _ are patterns in LIKE; in brackets each stands for itself.
    const fragment = args.filter?.trim().replace(/[[%_]/g, '[$&]');
    const where = fragment ? ` WHERE name LIKE ${literal(`%${fragment}%`)}` : '';
    // No ORDER BY: Halo refuses it without TOP, so the names are sorted here.
    const rows = await runQuery(`SELECT name FROM sys.tables${where}`, context, 'Try again without a filter.');
    const names = rows.map((row) => optionalText(field(row, 'name'))).filter((name): name is string => name !== null);
    return arrayPage(
      names.sort(byName).map((name) => ({ name })),
      context,
      { tool: 'halo_list_sql_tables', args: { ...args, limit: SCHEMA_PAGE } },
    );
  },
});

/**
 * A number a report cell holds. Halo's report engine answers every cell as text ("4000"); a number
 * is read as it is too. NULL, empty text and anything else are no number.
 */
function cellNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** A type as SQL Server writes it in a definition: nvarchar(4000), nvarchar(max), int. */
function typeText(row: HaloRecord): string {
  const type = optionalText(field(row, 'DATA_TYPE')) ?? '?';
  const length = cellNumber(field(row, 'CHARACTER_MAXIMUM_LENGTH'));
  return length === undefined ? type : `${type}(${length === -1 ? 'max' : length})`;
}

export const describeSqlTable = defineTool({
  name: 'halo_describe_sql_table',
  title: 'Describe a SQL table',
  description: "List a table's columns and their types, for halo_run_sql.",
  toolset: 'reports',
  access: 'read',
  available: (settings) => settings.allowSql,
  input: z.strictObject({
    table: z
      .string()
      .trim()
      .max(128)
      .refine((value) => value !== '', 'must not be empty')
      .describe('Table name, e.g. FAULTS'),
    cursor,
  }),
  output: listOutput,
  handler: async (args, context) => {
    // INFORMATION_SCHEMA names a table without its schema or brackets.
    const table = args.table.replace(/^\[?dbo\]?\./i, '').replace(/^\[(.*)\]$/, '$1');
    const rows = await runQuery(
      `SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ${literal(table)}`,
      context,
      'Try again, or find the table with halo_list_sql_tables.',
    );
    if (rows.length === 0) throw new ToolInputError(`Halo's database has no table named "${table}". Find its name with halo_list_sql_tables.`);
    const columns = rows
      .sort((a, b) => (cellNumber(field(a, 'ORDINAL_POSITION')) ?? 0) - (cellNumber(field(b, 'ORDINAL_POSITION')) ?? 0))
      .map((row) => ({ name: optionalText(field(row, 'COLUMN_NAME')) ?? '', type: typeText(row) }));
    return arrayPage(columns, context, { tool: 'halo_describe_sql_table', args: { ...args, limit: SCHEMA_PAGE } });
  },
});

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [...reportTools, runReport, runSql, listSqlTables, describeSqlTable];
