/**
 * The guard in front of Halo's report engine: a query runs only if SQL Server will read it as one
 * SELECT (a CTE is fine) that writes nothing.
 *
 * SQL Server decides where a statement ends and what is a string, so the guard first splits the
 * text by SQL Server's own lexical rules (tsql-lexer.ts) and makes every decision that could let a
 * second statement through on those tokens: no `;` before the end, one top-level SELECT, and no
 * word that starts or belongs to anything else (DELETE, EXEC, INTO, ...) standing as code. Only
 * then is the query parsed, for its shape, and what the parser reads is rebuilt from the tokens
 * with every string and delimited name rewritten plainly: a parser that takes a backslash for an
 * escape (as general SQL parsers do) cannot read a string where SQL Server reads code.
 */
import { ToolInputError } from './errors.js';
import { isSignificant, lexTsql, TsqlLexError, type TsqlToken } from './tsql-lexer.js';

type Node = Record<string, unknown>;

/**
 * Words that start a statement other than SELECT, or write from within one (INTO, OPENROWSET...).
 * As code they are refused anywhere: T-SQL needs no `;` between statements, so any of them after
 * a SELECT may start a second one. A column of one of these names can still be read as `[name]`.
 */
const FORBIDDEN_WORDS = new Set([
  'ADD',
  'ALTER',
  'BACKUP',
  'BEGIN',
  'BREAK',
  'BULK',
  'CHECKPOINT',
  'CLOSE',
  'COMMIT',
  'CONTINUE',
  'CREATE',
  'DBCC',
  'DEALLOCATE',
  'DECLARE',
  'DELETE',
  'DENY',
  'DISABLE',
  'DROP',
  'ENABLE',
  'EXEC',
  'EXECUTE',
  'GET',
  'GOTO',
  'GRANT',
  'IF',
  'INSERT',
  'INTO',
  'KILL',
  'MERGE',
  'MOVE',
  'OPEN',
  'OPENDATASOURCE',
  'OPENQUERY',
  'OPENROWSET',
  'OPENXML',
  'PRINT',
  'RAISERROR',
  'READTEXT',
  'RECEIVE',
  'RECONFIGURE',
  'RESTORE',
  'RETURN',
  'REVERT',
  'REVOKE',
  'ROLLBACK',
  'SAVE',
  'SEND',
  'SET',
  'SETUSER',
  'SHUTDOWN',
  'THROW',
  'TRUNCATE',
  'UPDATE',
  'UPDATETEXT',
  'USE',
  'WAITFOR',
  'WHILE',
  'WRITETEXT',
]);

/** Functions that reach outside the database; checked on the parsed tree too, where a name may be written `[OPENROWSET]`. */
const FORBIDDEN_FUNCTIONS = /^(openrowset|opendatasource|openquery|openxml)$/i;

/** Words after which a SELECT continues the same statement. */
const SET_OPERATORS = new Set(['UNION', 'ALL', 'EXCEPT', 'INTERSECT']);

function describeWord(word: string): string {
  return word === 'INTO' ? 'SELECT INTO (it creates a table)' : word;
}

function upper(token: TsqlToken | undefined): string {
  return token?.kind === 'word' ? token.text.toUpperCase() : '';
}

function tokensOf(sql: string): TsqlToken[] {
  try {
    return lexTsql(sql);
  } catch (error) {
    if (error instanceof TsqlLexError) throw new ToolInputError(`The query is not valid T-SQL: ${error.message}`);
    throw error;
  }
}

/** How many statements SQL Server would run: parts between semicolons, and SELECTs that start a statement of their own. */
function statementCount(code: TsqlToken[]): number {
  let parts = 0;
  let open = false;
  let depth = 0;
  let selects = 0;
  code.forEach((token, index) => {
    if (token.text === ';') {
      open = false;
      return;
    }
    if (!open) parts++;
    open = true;
    if (token.text === '(') depth++;
    if (token.text === ')') depth--;
    if (depth === 0 && upper(token) === 'SELECT' && !SET_OPERATORS.has(upper(code[index - 1]))) selects++;
  });
  return Math.max(parts, selects);
}

/** The query as the parser should read it: the same code, with strings, names and comments written so that no parser can misread them. */
function plainText(tokens: TsqlToken[]): string {
  return tokens
    .map((token) => {
      switch (token.kind) {
        case 'whitespace':
        case 'line_comment':
        case 'block_comment':
          return ' ';
        case 'string':
          return `'${(token.value ?? '').replace(/['\\]/g, '')}'`;
        case 'delimited_name':
          return `[${(token.value ?? '').replace(/[[\]'"\\]/g, '') || '_'}]`;
        default:
          return token.text;
      }
    })
    .join('');
}

function functionName(node: Node): string {
  const name = node.name;
  if (typeof name === 'string') return name;
  const parts = (name as { name?: { value?: unknown }[] } | undefined)?.name;
  return Array.isArray(parts) ? parts.map((part) => String(part.value)).join('.') : '';
}

/** The forbidden functions anywhere in a parsed statement. */
function forbiddenFunctions(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) forbiddenFunctions(item, found);
  } else if (typeof value === 'object' && value !== null) {
    const node = value as Node;
    if (node.type === 'function' && FORBIDDEN_FUNCTIONS.test(functionName(node))) found.add(functionName(node).toUpperCase());
    for (const child of Object.values(node)) forbiddenFunctions(child, found);
  }
  return found;
}

let parser: Promise<{ astify(sql: string, options: object): unknown }> | undefined;

function loadParser() {
  parser ??= import('node-sql-parser/build/transactsql.js').then((module) => new module.default.Parser());
  return parser;
}

/** The query as Halo should receive it, or a ToolInputError saying why it will not be run. */
export async function checkReadOnlySelect(sql: string): Promise<string> {
  const tokens = tokensOf(sql);
  const code = tokens.filter(isSignificant);
  const first = code[0];
  if (!first) throw new ToolInputError('The query is empty.');
  if (tokens.some((token) => token.kind === 'line_comment')) throw new ToolInputError("Halo's report engine does not accept -- comments; use /* ... */ or none.");

  const firstWord = upper(first);
  if (firstWord !== 'SELECT' && firstWord !== 'WITH') {
    const what = FORBIDDEN_WORDS.has(firstWord) ? `a ${firstWord} statement` : `something that starts with "${first.text}"`;
    throw new ToolInputError(`Only a SELECT can be run; this is ${what}.`);
  }
  const statements = statementCount(code);
  if (statements > 1) throw new ToolInputError(`Only one statement can be run; this has ${statements}.`);
  const last = code[code.length - 1];
  const semicolons = code.filter((token) => token.text === ';');
  if (semicolons.length > 1 || (semicolons[0] && semicolons[0] !== last)) throw new ToolInputError('Only one statement can be run; a semicolon may only end it.');
  const forbidden = new Set(code.map(upper).filter((word) => FORBIDDEN_WORDS.has(word)));
  const sequence = code.map(upper).join(' ');
  if (sequence.includes('NEXT VALUE FOR')) forbidden.add('NEXT VALUE FOR (it advances a sequence)');
  if (forbidden.size > 0) {
    const words = [...forbidden];
    // A column may bear one of the shorter words (OPEN, GET, SET...); written in brackets it is a name.
    const hint = words.some((word) => /^[A-Z]+$/.test(word) && word !== 'INTO') ? ' A column of such a name is written in brackets: [name].' : '';
    throw new ToolInputError(`Only a read-only SELECT can be run; this contains ${words.map(describeWord).join(', ')}.${hint}`);
  }

  // A final semicolon ends the one statement; Halo is sent the statement without it.
  const statementTokens = last?.text === ';' ? tokens.slice(0, tokens.indexOf(last)) : tokens;
  let ast: unknown;
  try {
    ast = (await loadParser()).astify(plainText(statementTokens), { database: 'TransactSQL' });
  } catch (error) {
    throw new ToolInputError(`The query is not valid T-SQL: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`);
  }
  const parsed = Array.isArray(ast) ? (ast as Node[]) : [ast as Node];
  const statement = parsed[0];
  if (parsed.length !== 1 || statement?.type !== 'select') throw new ToolInputError('Only a single SELECT can be run; the T-SQL parser reads this as something else.');
  const functions = forbiddenFunctions(statement);
  if (functions.size > 0) throw new ToolInputError(`Only a read-only SELECT can be run; this contains ${[...functions].join(', ')}.`);
  return statementTokens
    .map((token) => token.text)
    .join('')
    .trim();
}
