/**
 * Halo runs report SQL as T-SQL on SQL Server, against its own database. The sandbox answers the
 * same requests over its records, through tables with Halo's names, columns and types (FAULTS,
 * AREA, UNAME, ...) and through the catalog views clients read them with (sys.tables,
 * INFORMATION_SCHEMA), for single-table SELECTs: WHERE with comparisons, LIKE, IN, IS NULL, AND,
 * OR, NOT, LOWER, UPPER, ISNULL, COALESCE; COUNT, SUM, MIN, MAX, AVG with GROUP BY; DISTINCT;
 * ORDER BY with TOP. Names and text compare without regard to case, as under SQL Server's default
 * collation. SQL that SQL Server would refuse fails with SQL Server's own words ("Invalid column
 * name 'x'."); SQL the sandbox does not emulate (joins, subqueries, most functions) says so.
 */
import parser from 'node-sql-parser/build/transactsql.js';
import { textOf } from '../util/text.js';
import type { HaloRecord, Store } from './store.js';

type Row = Record<string, unknown>;

interface Column {
  /** As Halo spells it. */
  name: string;
  /** As SQL Server writes the type: int, nvarchar(4000), datetime... */
  type: string;
  nullable: boolean;
  read(record: HaloRecord): unknown;
}

interface Table {
  /** Schema and name, as SQL Server qualifies them. */
  schema: string;
  name: string;
  columns: readonly Column[];
  records(store: Store): readonly HaloRecord[];
}

export class SqlError extends Error {}

const bit = (value: unknown): number => (value === true ? 1 : 0);

function column(name: string, type: string, read: (record: HaloRecord) => unknown, nullable = true): Column {
  return { name, type, nullable, read };
}

function haloTable(name: string, records: (store: Store) => readonly HaloRecord[], columns: Column[]): Table {
  return { schema: 'dbo', name, columns, records };
}

/**
 * Halo's tables, with the columns the sandbox can fill. Names and types are those of Halo's own
 * schema; columns the sandbox has no data for are left out rather than invented.
 */
// Halo behaviour: docs/halo-behaviour.md#report-sql-tables
const HALO_TABLES: readonly Table[] = [
  haloTable('FAULTS', (store) => store.collection('faults').all(), [
    column('Faultid', 'int', (ticket) => ticket.id, false),
    column('Symptom', 'nvarchar(4000)', (ticket) => ticket.summary),
    column('Status', 'smallint', (ticket) => ticket.status_id),
    column('Areaint', 'int', (ticket) => ticket.client_id),
    column('sitenumber', 'int', (ticket) => ticket.site_id),
    column('userid', 'int', (ticket) => ticket.user_id),
    column('Assignedtoint', 'smallint', (ticket) => ticket.agent_id),
    column('Requesttype', 'int', (ticket) => ticket.tickettype_id),
    column('RequestTypeNew', 'int', (ticket) => ticket.tickettype_id),
    column('seriousness', 'smallint', (ticket) => ticket.priority_id),
    column('Slaid', 'int', (ticket) => ticket.sla_id),
    column('category2', 'nvarchar(4000)', (ticket) => ticket.category_1),
    column('sectio_', 'nvarchar(4000)', (ticket) => ticket.team),
    column('dateoccured', 'datetime', (ticket) => ticket.dateoccurred),
    column('datecleared', 'datetime', (ticket) => ticket.dateclosed ?? null),
    column('cleartime', 'float', (ticket) => ticket.timetaken),
    column('FDeleted', 'bit', (ticket) => bit(ticket.deleted)),
    column('FMergedIntoFaultid', 'int', (ticket) => ticket.merged_into_id ?? 0),
  ]),
  haloTable(
    'ACTIONS',
    (store) => store.collection('faults').all().flatMap((ticket) => store.actions(ticket.id).map((action) => ({ ...action, ticket_id: ticket.id }))),
    [
      column('Faultid', 'int', (action) => action.ticket_id, false),
      column('actionnumber', 'int', (action) => action.id, false),
      column('Actoutcome', 'nvarchar(500)', (action) => action.outcome),
      column('who', 'nvarchar(4000)', (action) => action.who),
      column('whoagentid', 'int', (action) => action.who_agentid),
      column('Whe_', 'datetime', (action) => action.datetime),
      column('timetaken', 'float', (action) => action.timetaken),
    ],
  ),
  haloTable('AREA', (store) => store.collection('clients').all(), [
    column('Aarea', 'int', (client) => client.id, false),
    column('aareadesc', 'nvarchar(4000)', (client) => client.name),
    column('Atreeid', 'int', (client) => client.toplevel_id),
    column('AIsInactive', 'bit', (client) => bit(client.inactive), false),
  ]),
  haloTable('UNAME', (store) => store.collection('agents').all(), [
    column('Unum', 'int', (agent) => agent.id, false),
    column('uname', 'nvarchar(4000)', (agent) => agent.name),
    column('usmtp', 'nvarchar(4000)', (agent) => agent.email),
    column('Uisdisabled', 'bit', (agent) => bit(agent.isdisabled), false),
  ]),
  haloTable('TSTATUS', (store) => store.collection('statuses').all(), [
    column('Tstatus', 'smallint', (status) => status.id, false),
    column('tstatusdesc', 'nvarchar(4000)', (status) => status.name),
  ]),
  haloTable('DEVICE', (store) => store.collection('assets').all(), [
    column('Did', 'int', (asset) => asset.id),
    column('Dsite', 'int', (asset) => asset.site_id, false),
    column('dinvno', 'nvarchar(4000)', (asset) => asset.inventory_number),
    column('Dtype', 'smallint', (asset) => asset.assettype_id),
    column('darea', 'int', (asset) => asset.client_id),
    column('dinactive', 'bit', (asset) => bit(asset.inactive), false),
  ]),
  haloTable('INVOICEHEADER', (store) => store.collection('invoices').all(), [
    column('IHid', 'int', (invoice) => invoice.id, false),
    column('IHInvoiceNumber', 'nvarchar(4000)', (invoice) => invoice.invoicenumber),
    column('IHaarea', 'int', (invoice) => invoice.client_id),
    column('IHInvoice_Date', 'datetime', (invoice) => invoice.invoice_date),
    column('IHDue_Date', 'datetime', (invoice) => invoice.duedate),
    column('IHPosted', 'bit', (invoice) => bit(invoice.posted), false),
    column('IHAmountPaid', 'float', (invoice) => Number(invoice.amountpaid ?? 0)),
    // The invoice's own `amountdue`, the figure the API answers, so that a report and the API agree.
    // Halo behaviour: docs/halo-behaviour.md#invoice-amount-due
    column('IHAmountDue', 'float', (invoice) => Number(invoice.amountdue ?? 0)),
  ]),
  haloTable('CONTRACTHEADER', (store) => store.collection('contracts').all(), [
    column('CHid', 'int', (contract) => contract.id, false),
    column('CHarea', 'int', (contract) => contract.client_id),
    column('CHcontractRef', 'nvarchar(4000)', (contract) => contract.ref),
    column('CHstartdate', 'datetime', (contract) => contract.start_date),
    column('CHenddate', 'datetime', (contract) => contract.end_date),
  ]),
];

function catalogView(schema: string, name: string, columns: readonly Column[], records: () => readonly HaloRecord[]): Table {
  return { schema, name, columns, records };
}

/** What INFORMATION_SCHEMA.COLUMNS says of a column's type: the base type and, for text, its length. */
function typeParts(type: string): { base: string; length: number | null } {
  const match = /^(\w+)(?:\((\d+|max)\))?$/i.exec(type);
  const length = match?.[2];
  return { base: match?.[1] ?? type, length: length === undefined ? null : length.toLowerCase() === 'max' ? -1 : Number(length) };
}

/** SQL Server's catalog views, over Halo's tables as the sandbox defines them. */
// Halo behaviour: docs/halo-behaviour.md#report-sql-catalog-views
const CATALOG_VIEWS: readonly Table[] = [
  catalogView(
    'sys',
    'tables',
    [
      column('name', 'nvarchar(128)', (table) => table.name, false),
      column('object_id', 'int', (table) => table.id, false),
      column('schema_id', 'int', () => 1, false),
      column('type', 'char(2)', () => 'U'),
      column('type_desc', 'nvarchar(60)', () => 'USER_TABLE'),
      column('is_ms_shipped', 'bit', () => 0, false),
    ],
    () => HALO_TABLES.map((table, index) => ({ id: index + 1, name: table.name })),
  ),
  catalogView(
    'INFORMATION_SCHEMA',
    'TABLES',
    [
      column('TABLE_SCHEMA', 'nvarchar(128)', () => 'dbo'),
      column('TABLE_NAME', 'nvarchar(128)', (table) => table.name, false),
      column('TABLE_TYPE', 'varchar(10)', () => 'BASE TABLE'),
    ],
    () => HALO_TABLES.map((table, index) => ({ id: index + 1, name: table.name })),
  ),
  catalogView(
    'INFORMATION_SCHEMA',
    'COLUMNS',
    [
      column('TABLE_SCHEMA', 'nvarchar(128)', () => 'dbo'),
      column('TABLE_NAME', 'nvarchar(128)', (row) => row.table, false),
      column('COLUMN_NAME', 'nvarchar(128)', (row) => row.name),
      column('ORDINAL_POSITION', 'int', (row) => row.position),
      column('COLUMN_DEFAULT', 'nvarchar(4000)', () => null),
      column('IS_NULLABLE', 'varchar(3)', (row) => row.nullable),
      column('DATA_TYPE', 'nvarchar(128)', (row) => row.type),
      column('CHARACTER_MAXIMUM_LENGTH', 'int', (row) => row.length),
    ],
    () =>
      HALO_TABLES.flatMap((table) =>
        table.columns.map((described, index) => {
          const { base, length } = typeParts(described.type);
          return { id: 0, table: table.name, name: described.name, position: index + 1, nullable: described.nullable ? 'YES' : 'NO', type: base, length };
        }),
      ),
  ),
];

// Halo behaviour: docs/halo-behaviour.md#report-sql-case-insensitive
const same = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'accent' }) === 0;

/** The table a FROM names: Halo's tables in dbo (the default schema), the catalog views in theirs. */
function tableNamed(schema: string | null, name: string): Table | undefined {
  return [...HALO_TABLES, ...CATALOG_VIEWS].find((table) => same(table.name, name) && (schema === null ? table.schema === 'dbo' : same(table.schema, schema)));
}

/** SQL Server's comparison under a case-insensitive collation: numbers by value, text without regard to case. */
function compareSql(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b))) return a - Number(b);
  if (typeof b === 'number' && typeof a === 'string' && a.trim() !== '' && !Number.isNaN(Number(a))) return Number(a) - b;
  return textOf(a).localeCompare(textOf(b), 'en', { sensitivity: 'accent' });
}

const isNull = (value: unknown) => value === null || value === undefined;

interface Node {
  type?: string;
  [key: string]: unknown;
}

function node(value: unknown): Node {
  return typeof value === 'object' && value !== null ? (value as Node) : {};
}

/** A column's name as written in the query; the parser gives it as a string or as `{expr: {value}}`. */
function writtenName(expression: Node): string {
  const name = expression.column;
  return typeof name === 'string' ? name : textOf(node(node(name).expr).value);
}

function functionName(expression: Node): string {
  const name = expression.name;
  if (typeof name === 'string') return name.toUpperCase();
  const parts = node(name).name;
  return Array.isArray(parts) ? parts.map((part) => textOf(node(part).value)).join('.').toUpperCase() : '';
}

function functionArgs(expression: Node): Node[] {
  const value = node(expression.args).value;
  return Array.isArray(value) ? value.map(node) : [];
}

/** Every column reference under a node (not inside a nested SELECT, which the sandbox refuses anyway). */
function columnRefs(value: unknown, found: Node[] = []): Node[] {
  if (Array.isArray(value)) {
    for (const item of value) columnRefs(item, found);
  } else if (typeof value === 'object' && value !== null) {
    const current = value as Node;
    if (current.type === 'column_ref') found.push(current);
    else for (const child of Object.values(current)) columnRefs(child, found);
  }
  return found;
}

function likePattern(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern.charAt(index);
    if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else if (char === '[') {
      // [abc] is a set of characters in T-SQL's LIKE; [%] and [_] match the character itself.
      const end = pattern.indexOf(']', index + 1);
      if (end === -1) source += '\\[';
      else {
        source += `[${pattern.slice(index + 1, end).replace(/[\\\]]/g, '\\$&')}]`;
        index = end;
      }
    } else source += char.replace(/[.*+?^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

/** The table a query reads, and the names it may be called by in the query. */
class Scope {
  private readonly byName = new Map<string, string>();

  constructor(
    readonly table: Table | undefined,
    private readonly qualifier: string | undefined,
  ) {
    for (const described of table?.columns ?? []) this.byName.set(described.name.toLowerCase(), described.name);
  }

  /** The column a reference means, as Halo spells it; or why SQL Server would refuse it. */
  resolve(reference: Node): { name?: string; error?: string } {
    const written = writtenName(reference);
    const prefix = typeof reference.table === 'string' ? reference.table : undefined;
    if (prefix !== undefined && (this.qualifier === undefined || !same(prefix, this.qualifier))) {
      return { error: `The multi-part identifier "${prefix}.${written}" could not be bound.` };
    }
    const name = this.byName.get(written.toLowerCase());
    return name ? { name } : { error: `Invalid column name '${written}'.` };
  }
}

function evaluate(expression: Node, row: Row, scope: Scope): unknown {
  switch (expression.type) {
    case 'column_ref': {
      const { name, error } = scope.resolve(expression);
      if (error !== undefined || name === undefined) throw new SqlError(error);
      return row[name];
    }
    case 'number':
    case 'single_quote_string':
    case 'var_string':
    case 'string':
    case 'bool':
      return expression.value;
    case 'null':
      return null;
    case 'expr_list':
      return (expression.value as Node[]).map((item) => evaluate(item, row, scope));
    case 'function':
      return callFunction(expression, row, scope);
    case 'unary_expr':
      if (String(expression.operator).toUpperCase() === 'NOT') return !truthy(evaluate(node(expression.expr), row, scope));
      break;
    case 'binary_expr':
      return binary(expression, row, scope);
    default:
      break;
  }
  throw new SqlError(`The sandbox does not emulate this SQL (${textOf(expression.type)} ${textOf(expression.operator)}).`);
}

function callFunction(expression: Node, row: Row, scope: Scope): unknown {
  const name = functionName(expression);
  const args = functionArgs(expression).map((argument) => evaluate(argument, row, scope));
  switch (name) {
    case 'LOWER':
      return isNull(args[0]) ? null : textOf(args[0]).toLowerCase();
    case 'UPPER':
      return isNull(args[0]) ? null : textOf(args[0]).toUpperCase();
    case 'ISNULL':
    case 'COALESCE':
      return args.find((value) => !isNull(value)) ?? null;
    default:
      throw new SqlError(`The sandbox does not emulate the function ${name}.`);
  }
}

function binary(expression: Node, row: Row, scope: Scope): unknown {
  const operator = String(expression.operator).toUpperCase();
  if (operator === 'AND') return truthy(evaluate(node(expression.left), row, scope)) && truthy(evaluate(node(expression.right), row, scope));
  if (operator === 'OR') return truthy(evaluate(node(expression.left), row, scope)) || truthy(evaluate(node(expression.right), row, scope));
  const left = evaluate(node(expression.left), row, scope);
  const right = evaluate(node(expression.right), row, scope);
  if (operator === 'IS') return isNull(left) === isNull(right);
  if (operator === 'IS NOT') return isNull(left) !== isNull(right);
  // A comparison with NULL is unknown, which WHERE treats as false.
  if (operator === 'IN' || operator === 'NOT IN') {
    if (isNull(left)) return false;
    const found = (right as unknown[]).some((candidate) => !isNull(candidate) && compareSql(left, candidate) === 0);
    return operator === 'IN' ? found : !found;
  }
  if (isNull(left) || isNull(right)) return false;
  switch (operator) {
    case '=':
      return compareSql(left, right) === 0;
    case '<>':
    case '!=':
      return compareSql(left, right) !== 0;
    case '<':
      return compareSql(left, right) < 0;
    case '>':
      return compareSql(left, right) > 0;
    case '<=':
      return compareSql(left, right) <= 0;
    case '>=':
      return compareSql(left, right) >= 0;
    case 'LIKE':
      return likePattern(textOf(right)).test(textOf(left));
    case 'NOT LIKE':
      return !likePattern(textOf(right)).test(textOf(left));
    default:
      throw new SqlError(`The sandbox does not emulate the operator ${operator}.`);
  }
}

function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'number' && value !== 0);
}

function aggregate(expression: Node, rows: Row[], scope: Scope): unknown {
  const name = String(expression.name).toUpperCase();
  const argument = node(node(expression.args).expr);
  const values = argument.type === 'star' ? rows.map(() => 1) : rows.map((row) => evaluate(argument, row, scope)).filter((value) => !isNull(value));
  switch (name) {
    case 'COUNT':
      return values.length;
    case 'SUM':
      return values.length === 0 ? null : values.reduce((sum: number, value) => sum + Number(value), 0);
    case 'AVG':
      return values.length === 0 ? null : values.reduce((sum: number, value) => sum + Number(value), 0) / values.length;
    case 'MIN':
      return values.length === 0 ? null : values.reduce((a, b) => (compareSql(a, b) <= 0 ? a : b));
    case 'MAX':
      return values.length === 0 ? null : values.reduce((a, b) => (compareSql(a, b) >= 0 ? a : b));
    default:
      throw new SqlError(`The sandbox does not emulate the aggregate ${name}.`);
  }
}

/** Where the parser stopped, as SQL Server names it: the text near the error. */
function syntaxError(sql: string, error: unknown): SqlError {
  const offset = node(node(node(error).location).start).offset;
  const rest = typeof offset === 'number' ? sql.slice(offset).trim() : '';
  const near = /^\S+/.exec(rest)?.[0] ?? /\S+$/.exec(sql.trim())?.[0] ?? '';
  return new SqlError(`Incorrect syntax near '${near.replace(/[,;)]+$/, '') || near}'.`);
}

interface Projected {
  source: Row;
  output: Row;
}

/**
 * The most the sandbox hands its parser. node-sql-parser takes time exponential in the nesting of
 * some expressions (a CAST it cannot close costs about 50 ms 3 deep, 300 ms 4 deep, most of a
 * minute 8 deep) and about a tenth of a millisecond a character besides. The sandbox shares the
 * server's process under --demo, so it reads only what parses at once; what it emulates needs no more.
 */
const MAX_SQL_LENGTH = 4_000;
const MAX_SQL_NESTING = 3;

/** How deep the query's parentheses nest, strings left out. */
function nesting(sql: string): number {
  let depth = 0;
  let deepest = 0;
  for (const char of sql.replace(/'(?:[^']|'')*'?/g, "''")) {
    if (char === '(') deepest = Math.max(deepest, ++depth);
    if (char === ')') depth--;
  }
  return deepest;
}

/** Runs one SELECT of the supported kind and answers its rows. */
export function runSql(sql: string, store: Store): Row[] {
  if (sql.length > MAX_SQL_LENGTH) throw new SqlError(`The sandbox does not emulate queries over ${MAX_SQL_LENGTH} characters.`);
  if (nesting(sql) > MAX_SQL_NESTING) throw new SqlError(`The sandbox does not emulate SQL nested more than ${MAX_SQL_NESTING} parentheses deep.`);
  let ast: unknown;
  try {
    ast = new parser.Parser().astify(sql, { database: 'TransactSQL' });
  } catch (error) {
    throw syntaxError(sql, error);
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  const select = node(statements[0]);
  if (statements.length !== 1 || select.type !== 'select') throw new SqlError('The sandbox runs a single SELECT only.');
  const from = ((select.from as Node[] | null) ?? []).map(node);
  if (from.length > 1 || select.with || from.some((source) => source.join || source.expr)) {
    throw new SqlError('The sandbox does not emulate this SQL: it runs single-table SELECTs only (no joins, subqueries or CTEs).');
  }
  if (select.having) throw new SqlError('The sandbox does not emulate HAVING.');
  const source = from[0];
  let table: Table | undefined;
  if (source) {
    const schema = typeof source.db === 'string' ? source.db : null;
    table = tableNamed(schema, textOf(source.table));
    // Halo behaviour: docs/halo-behaviour.md#report-sql-unknown-name
    if (!table) throw new SqlError(`Invalid object name '${[schema, textOf(source.table)].filter(Boolean).join('.')}'.`);
  }
  const scope = new Scope(table, source ? textOf(source.as) || textOf(source.table) : undefined);

  const columns = ((select.columns as Node[] | string) === '*' ? [] : (select.columns as Node[])).map((entry) => ({
    expression: node(entry.expr),
    alias: typeof entry.as === 'string' ? entry.as : undefined,
  }));
  const star = columns.length === 0 || columns.some(({ expression }) => expression.type === 'column_ref' && writtenName(expression) === '*');
  const groupBy = ((node(select.groupby).columns as Node[] | undefined) ?? []).map(node);
  const orderBy = ((select.orderby as Node[] | null) ?? []).map(node);
  const aliases = new Set(columns.flatMap(({ alias }) => (alias ? [alias.toLowerCase()] : [])));

  // SQL Server names every unknown column before it runs anything, so the sandbox checks them first.
  // Halo behaviour: docs/halo-behaviour.md#report-sql-unknown-name
  const references = columnRefs([columns.filter(({ expression }) => !(expression.type === 'column_ref' && writtenName(expression) === '*')).map(({ expression }) => expression), select.where, groupBy]);
  const orderReferences = columnRefs(orderBy).filter((reference) => typeof reference.table === 'string' || !aliases.has(writtenName(reference).toLowerCase()));
  const errors = [...new Set([...references, ...orderReferences].flatMap((reference) => scope.resolve(reference).error ?? []))];
  if (errors.length > 0) throw new SqlError(errors.join('\n'));
  // Halo runs report SQL as a derived table, in which SQL Server refuses ORDER BY without TOP.
  // Halo behaviour: docs/halo-behaviour.md#report-sql-order-by
  if (orderBy.length > 0 && !select.top) {
    throw new SqlError('The ORDER BY clause is invalid in views, inline functions, derived tables, subqueries, and common table expressions, unless TOP, OFFSET or FOR XML is also specified.');
  }
  const top = node(select.top);
  if (top.percent) throw new SqlError('The sandbox does not emulate TOP ... PERCENT.');

  const rows: Row[] = table ? table.records(store).map((record) => Object.fromEntries(table.columns.map((described) => [described.name, described.read(record) ?? null]))) : [{}];
  const kept = select.where ? rows.filter((row) => truthy(evaluate(node(select.where), row, scope))) : rows;
  const outputName = (expression: Node, alias: string | undefined, index: number) => alias ?? (expression.type === 'column_ref' ? writtenName(expression) : `column${index + 1}`);

  let result: Projected[];
  if (groupBy.length > 0 || columns.some(({ expression }) => expression.type === 'aggr_func')) {
    const groups = new Map<string, Row[]>();
    for (const row of kept) {
      const key = JSON.stringify(groupBy.map((expression) => textOf(evaluate(expression, row, scope)).toLowerCase()));
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    if (groups.size === 0 && groupBy.length === 0) groups.set('[]', []);
    result = [...groups.values()].map((group) => ({
      source: group[0] ?? {},
      output: Object.fromEntries(
        columns.map(({ expression, alias }, index) => [
          outputName(expression, alias, index),
          expression.type === 'aggr_func' ? aggregate(expression, group, scope) : evaluate(expression, group[0] ?? {}, scope),
        ]),
      ),
    }));
  } else if (star) {
    result = kept.map((row) => ({ source: row, output: row }));
  } else {
    result = kept.map((row) => ({ source: row, output: Object.fromEntries(columns.map(({ expression, alias }, index) => [outputName(expression, alias, index), evaluate(expression, row, scope)])) }));
  }
  if (select.distinct) {
    const seen = new Set<string>();
    result = result.filter(({ output }) => {
      const key = JSON.stringify(Object.values(output));
      return seen.has(key) ? false : (seen.add(key), true);
    });
  }

  if (orderBy.length > 0) {
    const sortValue = (projected: Projected, expression: Node): unknown => {
      const named = expression.type === 'column_ref' && typeof expression.table !== 'string' ? writtenName(expression).toLowerCase() : undefined;
      const key = named === undefined ? undefined : Object.keys(projected.output).find((candidate) => candidate.toLowerCase() === named);
      return key === undefined ? evaluate(expression, projected.source, scope) : projected.output[key];
    };
    result.sort((a, b) => {
      for (const order of orderBy) {
        const expression = node(order.expr);
        const [left, right] = [sortValue(a, expression), sortValue(b, expression)];
        // NULL sorts first, as in SQL Server.
        const difference = isNull(left) || isNull(right) ? Number(!isNull(left)) - Number(!isNull(right)) : compareSql(left, right);
        if (difference !== 0) return String(order.type).toUpperCase() === 'DESC' ? -difference : difference;
      }
      return 0;
    });
  }
  const rowsOut = result.map(({ output }) => output);
  return typeof top.value === 'number' ? rowsOut.slice(0, top.value) : rowsOut;
}
