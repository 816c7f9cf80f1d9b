/**
 * Halo runs report SQL (T-SQL) against its own database. The sandbox answers the same requests
 * over its tables, through views named and shaped like Halo's (`faults`, `area`, `uname`, ...), for
 * the single-table SELECTs reports and tests use: WHERE with comparisons, LIKE, IN, IS NULL, AND,
 * OR, NOT; COUNT, SUM, MIN, MAX, AVG with GROUP BY; ORDER BY; TOP. Anything else (joins,
 * subqueries, functions) answers like Halo's error for SQL it cannot run, naming what the sandbox
 * does not emulate.
 */
import parser from 'node-sql-parser/build/transactsql.js';
import { textOf } from '../util/text.js';
import { compareValues } from './resource.js';
import type { HaloRecord, Store } from './store.js';

type Row = Record<string, unknown>;

/** Halo's table and column names over the sandbox's records. */
const VIEWS: Record<string, (store: Store) => Row[]> = {
  faults: (store) =>
    store
      .collection('faults')
      .all()
      .map((ticket) => ({
        faultid: ticket.id,
        symptom: ticket.summary,
        status: ticket.status_id,
        areaint: ticket.client_id,
        sitenumber: ticket.site_id,
        userid: ticket.user_id,
        assignedtoint: ticket.agent_id,
        requesttype: ticket.tickettype_id,
        seriousness: ticket.priority_id,
        slaid: ticket.sla_id,
        category2: ticket.category_1,
        sectio_: ticket.team,
        dateoccured: ticket.dateoccurred,
        datecleared: ticket.dateclosed ?? null,
        timetaken: ticket.timetaken,
        fdeleted: ticket.deleted === true ? 1 : 0,
      })),
  area: (store) =>
    store
      .collection('clients')
      .all()
      .map((client) => ({ aarea: client.id, aareadesc: client.name, aisinactive: client.inactive === true ? 1 : 0, atoplevel: client.toplevel_id })),
  uname: (store) =>
    store
      .collection('agents')
      .all()
      .map((agent) => ({ unum: agent.id, uname: agent.name, uemail: agent.email, uisdisabled: agent.isdisabled === true ? 1 : 0 })),
  tstatus: (store) =>
    store
      .collection('statuses')
      .all()
      .map((status) => ({ tstatus: status.id, tstatusdesc: status.name })),
  actions: (store) =>
    store
      .collection('faults')
      .all()
      .flatMap((ticket) =>
        store.actions(ticket.id).map((action: HaloRecord) => ({
          faultid: ticket.id,
          actionnumber: action.id,
          who: action.who,
          whe_: action.datetime,
          timetaken: action.timetaken,
          actoutcome: action.outcome,
        })),
      ),
  device: (store) =>
    store
      .collection('assets')
      .all()
      .map((asset) => ({ did: asset.id, dinvno: asset.inventory_number, devtype: asset.assettype_id, areaint: asset.client_id })),
  invoiceheader: (store) =>
    store
      .collection('invoices')
      .all()
      .map((invoice) => ({ ihid: invoice.id, ihinvoice_date: invoice.invoice_date, areaint: invoice.client_id, total: invoice.total, ihpaid: invoice.amountpaid === invoice.total ? 1 : 0 })),
  contractheader: (store) =>
    store
      .collection('contracts')
      .all()
      .map((contract) => ({ chid: contract.id, chstartdate: contract.start_date, chenddate: contract.end_date, areaint: contract.client_id })),
};

export class SqlError extends Error {}

interface Node {
  type?: string;
  [key: string]: unknown;
}

function node(value: unknown): Node {
  return typeof value === 'object' && value !== null ? (value as Node) : {};
}

/** A column's name; the parser writes it as a string or as `{expr: {value}}`. */
function columnName(expression: Node): string {
  const column = expression.column;
  return (typeof column === 'string' ? column : textOf(node(node(column).expr).value)).toLowerCase();
}

function likePattern(pattern: string): RegExp {
  const source = pattern.replace(/[.*+?^${}()|\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${source}$`, 'i');
}

function evaluate(expression: Node, row: Row): unknown {
  switch (expression.type) {
    case 'column_ref':
      return row[columnName(expression)];
    case 'number':
    case 'single_quote_string':
    case 'string':
    case 'bool':
      return expression.value;
    case 'null':
      return null;
    case 'expr_list':
      return (expression.value as Node[]).map((item) => evaluate(item, row));
    case 'unary_expr':
      if (String(expression.operator).toUpperCase() === 'NOT') return !truthy(evaluate(node(expression.expr), row));
      break;
    case 'binary_expr': {
      const operator = String(expression.operator).toUpperCase();
      if (operator === 'AND') return truthy(evaluate(node(expression.left), row)) && truthy(evaluate(node(expression.right), row));
      if (operator === 'OR') return truthy(evaluate(node(expression.left), row)) || truthy(evaluate(node(expression.right), row));
      const left = evaluate(node(expression.left), row);
      const right = evaluate(node(expression.right), row);
      switch (operator) {
        case '=':
          return compareValues(left, right) === 0;
        case '<>':
        case '!=':
          return compareValues(left, right) !== 0;
        case '<':
          return compareValues(left, right) < 0;
        case '>':
          return compareValues(left, right) > 0;
        case '<=':
          return compareValues(left, right) <= 0;
        case '>=':
          return compareValues(left, right) >= 0;
        case 'LIKE':
          return likePattern(textOf(right)).test(textOf(left));
        case 'NOT LIKE':
          return !likePattern(textOf(right)).test(textOf(left));
        case 'IN':
          return (right as unknown[]).some((candidate) => compareValues(left, candidate) === 0);
        case 'NOT IN':
          return !(right as unknown[]).some((candidate) => compareValues(left, candidate) === 0);
        case 'IS':
          return left === null || left === undefined ? right === null : left === right;
        case 'IS NOT':
          return !(left === null || left === undefined ? right === null : left === right);
        default:
          break;
      }
      break;
    }
    default:
      break;
  }
  throw new SqlError(`The sandbox does not emulate this SQL (${textOf(expression.type)} ${textOf(expression.operator)}).`);
}

function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'number' && value !== 0);
}

function aggregate(expression: Node, rows: Row[]): unknown {
  const name = String(expression.name).toUpperCase();
  const argument = node(node(expression.args).expr);
  const values = argument.type === 'star' ? rows.map(() => 1) : rows.map((row) => evaluate(argument, row)).filter((value) => value !== null && value !== undefined);
  switch (name) {
    case 'COUNT':
      return values.length;
    case 'SUM':
      return values.reduce((sum: number, value) => sum + Number(value), 0);
    case 'AVG':
      return values.length === 0 ? null : values.reduce((sum: number, value) => sum + Number(value), 0) / values.length;
    case 'MIN':
      return values.length === 0 ? null : values.reduce((a, b) => (compareValues(a, b) <= 0 ? a : b));
    case 'MAX':
      return values.length === 0 ? null : values.reduce((a, b) => (compareValues(a, b) >= 0 ? a : b));
    default:
      throw new SqlError(`The sandbox does not emulate the aggregate ${name}.`);
  }
}

/** Runs one SELECT of the supported kind and answers its rows. */
export function runSql(sql: string, store: Store): Row[] {
  let ast: unknown;
  try {
    ast = new parser.Parser().astify(sql, { database: 'TransactSQL' });
  } catch (error) {
    throw new SqlError(`Incorrect syntax: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  const select = node(statements[0]);
  if (statements.length !== 1 || select.type !== 'select') throw new SqlError('Only a single SELECT statement can be run as a report.');
  const from = (select.from as Node[] | null) ?? [];
  if (from.length !== 1 || select.with || node(from[0]).join) throw new SqlError('The sandbox emulates single-table SELECTs only (no joins, subqueries or CTEs).');
  const table = String(node(from[0]).table).toLowerCase();
  const view = VIEWS[table];
  if (!view) throw new SqlError(`Invalid object name '${table}'. The sandbox has: ${Object.keys(VIEWS).join(', ')}.`);
  let rows = view(store);
  if (select.where) rows = rows.filter((row) => truthy(evaluate(node(select.where), row)));

  const columns = ((select.columns as Node[] | string) === '*' ? [] : (select.columns as Node[])).map((column) => ({
    expression: node(column.expr),
    name: typeof column.as === 'string' ? column.as : undefined,
  }));
  const star = columns.length === 0 || columns.some(({ expression }) => expression.type === 'column_ref' && columnName(expression) === '*');
  const groupBy = (node(select.groupby).columns as Node[] | undefined) ?? [];
  const aggregated = columns.some(({ expression }) => expression.type === 'aggr_func');
  let result: Row[];
  if (groupBy.length > 0 || aggregated) {
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const key = JSON.stringify(groupBy.map((expression) => evaluate(expression, row)));
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    if (groups.size === 0 && groupBy.length === 0) groups.set('[]', []);
    result = [...groups.values()].map((group) =>
      Object.fromEntries(
        columns.map(({ expression, name }, index) => [
          name ?? (expression.type === 'column_ref' ? columnName(expression) : `column${index + 1}`),
          expression.type === 'aggr_func' ? aggregate(expression, group) : evaluate(expression, group[0] ?? {}),
        ]),
      ),
    );
  } else if (star) {
    result = rows;
  } else {
    result = rows.map((row) =>
      Object.fromEntries(columns.map(({ expression, name }, index) => [name ?? (expression.type === 'column_ref' ? columnName(expression) : `column${index + 1}`), evaluate(expression, row)])),
    );
  }

  const orderBy = (select.orderby as Node[] | null) ?? [];
  if (orderBy.length > 0) {
    result.sort((a, b) => {
      for (const order of orderBy) {
        const expression = node(order.expr);
        const name = expression.type === 'column_ref' ? columnName(expression) : '';
        const difference = compareValues(a[name], b[name]);
        if (difference !== 0) return String(order.type).toUpperCase() === 'DESC' ? -difference : difference;
      }
      return 0;
    });
  }
  const top = node(select.top).value;
  return typeof top === 'number' ? result.slice(0, top) : result;
}
