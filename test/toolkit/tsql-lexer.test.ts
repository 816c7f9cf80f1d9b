/** The T-SQL lexer: strings, names and comments end where SQL Server ends them. */
import { describe, expect, it } from 'vitest';
import { isSignificant, lexTsql, TsqlLexError, type TsqlToken } from '../../src/toolkit/tsql-lexer.js';

const significant = (sql: string) => lexTsql(sql).filter(isSignificant);
const kinds = (sql: string) => significant(sql).map((token) => [token.kind, token.text]);

function lexError(sql: string): TsqlLexError {
  try {
    lexTsql(sql);
  } catch (error) {
    if (error instanceof TsqlLexError) return error;
    throw error;
  }
  throw new Error(`lexed without an error: ${sql}`);
}

describe('lexTsql', () => {
  it('gives back every character of the text, in order', () => {
    const sql = "SELECT [a]]b], N'it''s' /* c /* d */ e */ -- f\n FROM \"t\"\"x\" WHERE x = 0x1F;";
    const tokens = lexTsql(sql);
    expect(tokens.map((token) => token.text).join('')).toBe(sql);
    for (const token of tokens) expect(sql.slice(token.start, token.start + token.text.length)).toBe(token.text);
  });

  it('ends a string at a quote after a backslash: SQL Server has no backslash escape', () => {
    expect(kinds("SELECT 'a\\'; DELETE")).toEqual([
      ['word', 'SELECT'],
      ['string', "'a\\'"],
      ['punctuation', ';'],
      ['word', 'DELETE'],
    ]);
  });

  it('reads a doubled quote as a quote inside the string', () => {
    const [, string] = significant("SELECT 'it''s -- not a comment'");
    expect(string).toMatchObject({ kind: 'string', value: "it's -- not a comment" });
  });

  it('reads N and n strings, and keeps an N ending a longer word a word', () => {
    expect(significant("SELECT N'x', n'y'").map((token) => token.kind)).toEqual(['word', 'string', 'punctuation', 'string']);
    expect(kinds("SELECT aN'x'")).toEqual([
      ['word', 'SELECT'],
      ['word', 'aN'],
      ['string', "'x'"],
    ]);
  });

  it('reads [names] with ]] for a bracket, and "names" with "" for a quote', () => {
    const [, bracketed, , quoted] = significant('SELECT [a]] ; DELETE], "b"" ; DROP"');
    expect(bracketed).toMatchObject({ kind: 'delimited_name', value: 'a] ; DELETE' });
    expect(quoted).toMatchObject({ kind: 'delimited_name', value: 'b" ; DROP' });
  });

  it('nests block comments, as SQL Server does', () => {
    expect(kinds('SELECT 1 /* a /* b */ ; DELETE */ AS x')).toEqual([
      ['word', 'SELECT'],
      ['number', '1'],
      ['word', 'AS'],
      ['word', 'x'],
    ]);
  });

  it('ends a -- comment at the end of the line, whichever line break', () => {
    expect(kinds('SELECT 1 -- a\nAS x -- b\rFROM t -- c')).toEqual([
      ['word', 'SELECT'],
      ['number', '1'],
      ['word', 'AS'],
      ['word', 'x'],
      ['word', 'FROM'],
      ['word', 't'],
    ]);
    expect(lexTsql('SELECT 1 -- a').map((token) => token.kind)).toContain('line_comment');
  });

  it('ignores quotes and comment marks inside comments, and comment marks inside strings and names', () => {
    expect(kinds("SELECT /* ' */ 1 -- '")).toEqual([
      ['word', 'SELECT'],
      ['number', '1'],
    ]);
    expect(significant("SELECT '/* -- ', [--], \"/*\"").map((token) => token.kind)).toEqual(['word', 'string', 'punctuation', 'delimited_name', 'punctuation', 'delimited_name']);
  });

  it('reads variables, temporary tables and letters beyond ASCII as words', () => {
    expect(significant('SELECT @@VERSION, @x, #temp, café$1, Größe').filter((token) => token.kind === 'word').map((token) => token.text)).toEqual([
      'SELECT',
      '@@VERSION',
      '@x',
      '#temp',
      'café$1',
      'Größe',
    ]);
  });

  it('reads numbers, hex included', () => {
    expect(significant('SELECT 1, 2.5, .5, 1e3, 1.5E-2, 0x1F').filter((token) => token.kind === 'number').map((token) => token.text)).toEqual(['1', '2.5', '.5', '1e3', '1.5E-2', '0x1F']);
  });

  it('keeps a character beyond the BMP whole', () => {
    const tokens: TsqlToken[] = lexTsql('SELECT 😀');
    expect(tokens.at(-1)).toMatchObject({ kind: 'punctuation', text: '😀' });
  });

  it('refuses a string, name or comment left open, saying where it starts', () => {
    expect(lexError("SELECT 'a''")).toMatchObject({ offset: 7, message: expect.stringMatching(/Unclosed quotation mark/) as unknown });
    expect(lexError('SELECT [a]]')).toMatchObject({ offset: 7, message: expect.stringMatching(/Unclosed delimited name/) as unknown });
    expect(lexError('SELECT "a')).toMatchObject({ offset: 7 });
    expect(lexError('SELECT 1 /* a /* b */')).toMatchObject({ offset: 9, message: expect.stringMatching(/Missing end comment mark/) as unknown });
  });
});
