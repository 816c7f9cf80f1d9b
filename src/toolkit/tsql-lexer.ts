/**
 * Splits text into tokens by SQL Server's lexical rules, so that the SQL guard sees statement
 * boundaries, strings and comments exactly where SQL Server will. General-purpose SQL parsers
 * disagree with SQL Server in ways an attacker can use: a backslash escapes a quote for them but
 * not for SQL Server (`'a\'` is a whole string there), and T-SQL block comments nest.
 *
 * T-SQL's rules, as implemented here:
 * - a string is `'…'` (or `N'…'`) in which a quote is written twice; nothing else escapes;
 * - a delimited name is `[…]` with `]]` for a bracket, or `"…"` with `""` for a double quote
 *   (SQL Server reads `"…"` as a name or, with QUOTED_IDENTIFIER off, as a string: delimited
 *   either way, which is all that matters here);
 * - `--` starts a comment to the end of the line; `/* … *\/` is a comment that nests;
 * - words start with a letter, `_`, `@` or `#` and go on with letters, digits, `_` (or another
 *   connector such as `＿`), `@`, `#`, `$`.
 */

export type TsqlTokenKind = 'word' | 'string' | 'delimited_name' | 'number' | 'punctuation' | 'line_comment' | 'block_comment' | 'whitespace';

export interface TsqlToken {
  kind: TsqlTokenKind;
  /** The token as written. */
  text: string;
  /** Where it starts in the text. */
  start: number;
  /** For a string or a delimited name: what it holds, escapes resolved. */
  value?: string;
}

/** Text SQL Server could not split into tokens: a string, name or comment left open. */
export class TsqlLexError extends Error {
  override name = 'TsqlLexError';

  constructor(
    message: string,
    /** Where the unclosed construct starts. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const WORD_START = /[\p{L}_@#]/u;
/**
 * Connector punctuation beyond `_` (the full-width `＿`) is kept inside a word, so that a name
 * spelling `_` so is checked, once folded, as the name it imitates, whether or not SQL Server
 * would take it unbracketed.
 */
const WORD_PART = /[\p{L}\p{N}\p{Pc}@#$]/u;
const WHITESPACE = /\s/u;
const NUMBER = /^(?:0x[0-9a-f]*|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i;

/** The end (exclusive) of a run delimited by `close`, in which `close` written twice stands for itself. */
function delimitedEnd(sql: string, start: number, close: string): number | undefined {
  let index = start;
  for (;;) {
    const found = sql.indexOf(close, index);
    if (found === -1) return undefined;
    if (sql.charAt(found + 1) !== close) return found + 1;
    index = found + 2;
  }
}

/** The end (exclusive) of a block comment starting at `start`, counting nested comments. */
function blockCommentEnd(sql: string, start: number): number | undefined {
  let depth = 0;
  let index = start;
  while (index < sql.length) {
    if (sql.startsWith('/*', index)) {
      depth++;
      index += 2;
    } else if (sql.startsWith('*/', index)) {
      depth--;
      index += 2;
      if (depth === 0) return index;
    } else {
      index++;
    }
  }
  return undefined;
}

function lineCommentEnd(sql: string, start: number): number {
  const match = /[\r\n]/.exec(sql.slice(start));
  return match ? start + match.index : sql.length;
}

/** A short quote of where an unclosed construct starts, for the error message. */
function near(sql: string, offset: number): string {
  const rest = sql.slice(offset, offset + 30);
  return rest.length < sql.length - offset ? `${rest}…` : rest;
}

/** The text's tokens in order; whitespace and comments included, so that they join back to the text. */
export function lexTsql(sql: string): TsqlToken[] {
  const tokens: TsqlToken[] = [];
  let index = 0;
  const push = (kind: TsqlTokenKind, end: number, value?: string) => {
    tokens.push({ kind, text: sql.slice(index, end), start: index, ...(value === undefined ? {} : { value }) });
    index = end;
  };
  while (index < sql.length) {
    const char = sql.charAt(index);
    const next = sql.charAt(index + 1);
    if (WHITESPACE.test(char)) {
      let end = index + 1;
      while (end < sql.length && WHITESPACE.test(sql.charAt(end))) end++;
      push('whitespace', end);
    } else if (char === '-' && next === '-') {
      push('line_comment', lineCommentEnd(sql, index));
    } else if (char === '/' && next === '*') {
      const end = blockCommentEnd(sql, index);
      if (end === undefined) throw new TsqlLexError(`Missing end comment mark '*/' for the comment at "${near(sql, index)}".`, index);
      push('block_comment', end);
    } else if (char === "'" || ((char === 'N' || char === 'n') && next === "'")) {
      const open = char === "'" ? index : index + 1;
      const end = delimitedEnd(sql, open + 1, "'");
      if (end === undefined) throw new TsqlLexError(`Unclosed quotation mark after the character string at "${near(sql, index)}".`, index);
      push('string', end, sql.slice(open + 1, end - 1).replace(/''/g, "'"));
    } else if (char === '[' || char === '"') {
      const close = char === '[' ? ']' : '"';
      const end = delimitedEnd(sql, index + 1, close);
      if (end === undefined) throw new TsqlLexError(`Unclosed delimited name at "${near(sql, index)}".`, index);
      push('delimited_name', end, sql.slice(index + 1, end - 1).replaceAll(close + close, close));
    } else if (WORD_START.test(char)) {
      let end = index + 1;
      while (end < sql.length && WORD_PART.test(sql.charAt(end))) end++;
      push('word', end);
    } else if (/\d/.test(char) || (char === '.' && /\d/.test(next))) {
      push('number', index + (NUMBER.exec(sql.slice(index))?.[0].length ?? 1));
    } else {
      // Code points beyond the BMP stay whole, so a token never ends on half a surrogate pair.
      push('punctuation', index + ((sql.codePointAt(index) ?? 0) > 0xffff ? 2 : 1));
    }
  }
  return tokens;
}

/** Whether a token is code rather than whitespace or a comment. */
export function isSignificant(token: TsqlToken): boolean {
  return token.kind !== 'whitespace' && token.kind !== 'line_comment' && token.kind !== 'block_comment';
}
