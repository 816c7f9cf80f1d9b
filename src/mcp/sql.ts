/**
 * The guard in front of Halo's report engine: a query runs only if the T-SQL parser reads it as
 * one SELECT (a CTE is fine) that writes nothing: no SELECT INTO, no statement that changes data
 * or schema, no OPENROWSET-style access. Parsed, not pattern-matched, so a keyword inside a string
 * or a column name does not fool it either way.
 */
import { ToolInputError } from './errors.js';

type Node = Record<string, unknown>;

const FORBIDDEN_TYPES = new Set(['insert', 'update', 'delete', 'replace', 'drop', 'create', 'alter', 'exec', 'execute', 'declare', 'set', 'truncate', 'merge', 'grant', 'revoke', 'use']);
const FORBIDDEN_FUNCTIONS = /^(openrowset|opendatasource|openquery|openxml)$/i;

function functionName(node: Node): string {
  const name = node.name;
  if (typeof name === 'string') return name;
  const parts = (name as { name?: { value?: unknown }[] } | undefined)?.name;
  return Array.isArray(parts) ? parts.map((part) => String(part.value)).join('.') : '';
}

/** Every problem found walking the statement's tree. */
function problems(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) problems(item, found);
    return found;
  }
  if (typeof value !== 'object' || value === null) return found;
  const node = value as Node;
  if (typeof node.type === 'string' && FORBIDDEN_TYPES.has(node.type.toLowerCase())) found.push(`a ${node.type.toUpperCase()} statement`);
  if (node.type === 'function' && FORBIDDEN_FUNCTIONS.test(functionName(node))) found.push(functionName(node).toUpperCase());
  const into = node.into as Node | undefined;
  if (node.type === 'select' && into && into.expr) found.push('SELECT INTO (it creates a table)');
  for (const child of Object.values(node)) problems(child, found);
  return found;
}

/** Whether `--` starts a comment somewhere outside a string or a bracketed name: Halo's engine refuses those. */
function hasLineComment(sql: string): boolean {
  let quote: string | undefined;
  for (let index = 0; index < sql.length; index++) {
    const char = sql.charAt(index);
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '[') {
      quote = ']';
    } else if (char === '-' && sql.charAt(index + 1) === '-') {
      return true;
    }
  }
  return false;
}

let parser: Promise<{ astify(sql: string, options: object): unknown }> | undefined;

function loadParser() {
  parser ??= import('node-sql-parser/build/transactsql.js').then((module) => new module.default.Parser());
  return parser;
}

/** The query as Halo should receive it, or a ToolInputError saying why it will not be run. */
export async function checkReadOnlySelect(sql: string): Promise<string> {
  const query = sql.trim().replace(/;\s*$/, '');
  if (query === '') throw new ToolInputError('The query is empty.');
  if (hasLineComment(query)) throw new ToolInputError("Halo's report engine does not accept -- comments; use /* ... */ or none.");
  let ast: unknown;
  try {
    ast = (await loadParser()).astify(query, { database: 'TransactSQL' });
  } catch (error) {
    throw new ToolInputError(`The query is not valid T-SQL: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`);
  }
  const statements = Array.isArray(ast) ? (ast as unknown[]) : [ast];
  if (statements.length !== 1) throw new ToolInputError(`Only one statement can be run; this has ${statements.length}.`);
  const statement = statements[0] as Node;
  if (statement.type !== 'select') {
    const kind = typeof statement.type === 'string' ? `a ${statement.type.toUpperCase()} statement` : 'not a statement the T-SQL parser recognises';
    throw new ToolInputError(`Only a SELECT can be run; this is ${kind}.`);
  }
  const found = problems(statement);
  if (found.length > 0) throw new ToolInputError(`Only a read-only SELECT can be run; this contains ${[...new Set(found)].join(', ')}.`);
  return query;
}
