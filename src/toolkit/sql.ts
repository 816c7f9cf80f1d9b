/**
 * The guard in front of Halo's report engine: a query runs only if SQL Server will read it as one
 * SELECT (a CTE is fine) that writes nothing, locks nothing Halo writes, and reads nothing outside
 * Halo's database or where credentials are kept.
 *
 * SQL Server decides where a statement ends and what is a string, so the guard splits the text by
 * SQL Server's own lexical rules (tsql-lexer.ts) and decides everything on those tokens: no `;`
 * before the end, parentheses that pair up, one top-level SELECT, and no word that starts or
 * belongs to anything else (DELETE, EXEC, INTO, ...) standing as code. Nothing else reads the
 * query here: a general SQL parser takes a backslash for an escape where SQL Server does not, and
 * takes time exponential in the nesting of some expressions, so that 50 characters of nested
 * CAST( held the process for most of a minute. Each check is one pass over the tokens.
 */
import { ToolInputError } from './errors.js';
import { isSignificant, lexTsql, TsqlLexError, type TsqlToken } from './tsql-lexer.js';

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


/**
 * Table hints that lock more than a read does: rows taken for update or exclusively, a whole
 * table, or shared locks held to the end. Each holds up Halo's own writes while the query runs.
 */
const LOCKING_HINTS = new Set(['HOLDLOCK', 'REPEATABLEREAD', 'SERIALIZABLE', 'TABLOCK', 'TABLOCKX', 'UPDLOCK', 'XLOCK']);

/**
 * Objects that reach outside Halo's database: rowset functions that open other servers or files,
 * functions that read files by path (a `\\host\share` path makes SQL Server sign in to that host
 * with its own account), and procedures, which a SELECT has no use for.
 */
const OUTSIDE_OBJECTS =
  /^(?:openrowset|opendatasource|openquery|openxml|fn_xe_\w*|fn_msxe_read_event_stream|fn_get_audit_file\w*|fn_trace_gettable|fn_dump_dblog|dm_os_enumerate_filesystem|dm_os_file_exists|xp_\w*|sp_\w*)$/i;

/**
 * Where Halo and SQL Server keep credentials: Halo's sign-in tables (NHD_IDENTITY_* and the rest,
 * named in Halo's published schema), its API applications and tokens, SQL Server's logins, and
 * any column or table whose name says it holds a password or secret.
 */
const CREDENTIAL_OBJECTS =
  /^(?:nhd_identity_\w+|nhd_tokens|nhd_user|nhd_userlogins|openiddict\w*|apiapplication|apitoken|accesstoken|userhash|unamehash|portalresetpassword|sql_logins|syslogins|sysxlogins|linked_logins)$|password|passwd|secret/i;

/** Tables that keep a credential beside ordinary columns: their columns are named, never read with `*`. */
const TABLES_WITH_CREDENTIALS = new Set(['UNAME', 'USERS']);

/**
 * The longest query read. Lexing costs one to three microseconds a character, so this bounds the
 * guard's time to a fraction of a second; a report query is a few thousand characters.
 */
const MAX_QUERY_LENGTH = 100_000;

/** SQL Server's own limit on nested subqueries; no report query nests its parentheses deeper. */
const MAX_NESTING = 32;

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

/**
 * Refuses parentheses that do not pair up, or nest deeper than SQL Server nests subqueries. Halo
 * runs the query inside a subquery of its own, so a `)` too many would close Halo's and let what
 * follows stand outside it.
 */
function checkNesting(code: TsqlToken[]): void {
  let depth = 0;
  for (const token of code) {
    if (token.text === '(') depth++;
    if (token.text === ')') depth--;
    if (depth < 0) throw new ToolInputError(`The query is not valid T-SQL: the ")" at character ${token.start + 1} closes no "(".`);
    if (depth > MAX_NESTING) throw new ToolInputError(`The query nests parentheses more than ${MAX_NESTING} deep, deeper than SQL Server nests subqueries; simplify it.`);
  }
  if (depth > 0) throw new ToolInputError(`The query is not valid T-SQL: ${depth} "(" ${depth === 1 ? 'is' : 'are'} never closed.`);
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

/** A name as SQL Server reads it: a word, or what a `[…]` or `"…"` name holds. Variables are not names. */
function nameOf(token: TsqlToken | undefined): string | undefined {
  if (token?.kind === 'delimited_name') return token.value ?? '';
  if (token?.kind === 'word' && !token.text.startsWith('@')) return token.text;
  return undefined;
}

/** Every name in the code with its parts (`server.database.schema.object`, parts left empty as in `db..t` kept). */
function qualifiedNames(code: TsqlToken[]): string[][] {
  const names: string[][] = [];
  let index = 0;
  while (index < code.length) {
    if (nameOf(code[index]) === undefined && code[index]?.text !== '.') {
      index++;
      continue;
    }
    const parts = [''];
    for (; index < code.length; index++) {
      const token = code[index];
      const name = nameOf(token);
      if (token?.text === '.') parts.push('');
      else if (name !== undefined && parts[parts.length - 1] === '') parts[parts.length - 1] = name;
      else break;
    }
    // `t.*` ends in a dot: the star is no part of the name.
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    names.push(parts);
  }
  return names;
}

/** Whether a `*` may stand for every column (`*`, `t.*`); only `(*)`, as in COUNT(*), certainly does not. */
function mayReadEveryColumn(code: TsqlToken[]): boolean {
  return code.some((token, index) => token.text === '*' && code[index - 1]?.text !== '(');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** The query as Halo should receive it, or a ToolInputError saying why it will not be run. */
export function checkReadOnlySelect(sql: string): string {
  if (sql.length > MAX_QUERY_LENGTH) throw new ToolInputError(`The query is ${sql.length} characters long; at most ${MAX_QUERY_LENGTH} are read.`);
  const tokens = tokensOf(sql);
  const code = tokens.filter(isSignificant);
  const first = code[0];
  if (!first) throw new ToolInputError('The query is empty.');
  if (tokens.some((token) => token.kind === 'line_comment')) throw new ToolInputError("Halo's report engine does not accept -- comments; use /* ... */ or none.");

  const firstWord = upper(first);
  if (firstWord !== 'SELECT' && firstWord !== 'WITH') {
    // "an INSERT", "an UPDATE", but "a USE": the article follows the sound of the word.
    const article = /^(?:[AEIO]|UP)/.test(firstWord) ? 'an' : 'a';
    const what = FORBIDDEN_WORDS.has(firstWord) ? `${article} ${firstWord} statement` : `something that starts with "${first.text}"`;
    throw new ToolInputError(`Only a SELECT can be run; this is ${what}.`);
  }
  checkNesting(code);
  const statements = statementCount(code);
  if (statements > 1) throw new ToolInputError(`Only one statement can be run; this has ${statements}.`);
  const last = code[code.length - 1];
  const semicolons = code.filter((token) => token.text === ';');
  if (semicolons.length > 1 || (semicolons[0] && semicolons[0] !== last)) throw new ToolInputError('Only one statement can be run; a semicolon may only end it.');

  const words = code.map(upper);
  const forbidden = new Set(words.filter((word) => FORBIDDEN_WORDS.has(word)));
  const sequence = words.join(' ');
  if (sequence.includes('NEXT VALUE FOR')) forbidden.add('NEXT VALUE FOR (it advances a sequence)');
  // END closes a CASE; before CONVERSATION it is a Service Broker statement of its own.
  if (sequence.includes('END CONVERSATION')) forbidden.add('END CONVERSATION');
  if (forbidden.size > 0) {
    const found = [...forbidden];
    // A column may bear one of the shorter words (OPEN, GET, SET...); written in brackets it is a name.
    const hint = found.some((word) => /^[A-Z]+$/.test(word) && word !== 'INTO') ? ' A column of such a name is written in brackets: [name].' : '';
    throw new ToolInputError(`Only a read-only SELECT can be run; this contains ${found.map(describeWord).join(', ')}.${hint}`);
  }
  const hints = unique(words.filter((word) => LOCKING_HINTS.has(word)));
  if (hints.length > 0) throw new ToolInputError(`Only a plain read can be run; the table hints ${hints.join(', ')} lock what Halo writes while the query runs. Leave them out.`);

  // SQL Server finds a name under the database's collation, which, unless it says _WS, does not tell
  // full-width letters from ASCII ones: ＵＮＡＭＥ is UNAME. Names are checked as NFKC folds them.
  const names = qualifiedNames(code).map((parts) => parts.map((part) => part.normalize('NFKC')));
  const outside = unique(names.flat().filter((part) => OUTSIDE_OBJECTS.test(part)));
  if (outside.length > 0) {
    throw new ToolInputError(`Only a read-only SELECT can be run; this contains ${outside.join(', ')}, which reach${outside.length === 1 ? 'es' : ''} outside Halo's database (files, other servers or procedures).`);
  }
  const credentials = unique(names.flat().filter((part) => CREDENTIAL_OBJECTS.test(part)));
  if (credentials.length > 0) throw new ToolInputError(`The query names where credentials are kept (${credentials.join(', ')}); such tables and columns are not read.`);
  const remote = names.find((parts) => parts.length > 3);
  if (remote) throw new ToolInputError(`A name of four parts (server.database.schema.object) reaches another server; this names ${remote.join('.')}. Use at most database.schema.object.`);
  const withCredentials = unique(names.map((parts) => parts[parts.length - 1]?.toUpperCase() ?? '').filter((name) => TABLES_WITH_CREDENTIALS.has(name)));
  if (withCredentials.length > 0 && mayReadEveryColumn(code)) {
    throw new ToolInputError(`${withCredentials.join(' and ')} keep${withCredentials.length === 1 ? 's' : ''} credentials beside other columns: name the columns to read instead of *.`);
  }

  // A final semicolon ends the one statement; Halo is sent the statement without it.
  const statementTokens = last?.text === ';' ? tokens.slice(0, tokens.indexOf(last)) : tokens;
  return statementTokens
    .map((token) => token.text)
    .join('')
    .trim();
}
