/**
 * Attacks on the SQL guard, each replayed as it would be sent. Every one of them passed the guard
 * that parsed with node-sql-parser alone: that parser reads a backslash before a quote as an
 * escape, so where SQL Server sees `'a\'` end and a DELETE follow, it saw one long string. The
 * guard must refuse each, and none may reach Halo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolInputError } from '../../src/mcp/errors.js';
import { checkReadOnlySelect } from '../../src/mcp/sql.js';
import { connectMcp, type McpHarness } from '../helpers/mcp.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/** What SQL Server would do with each, and the text. */
const ATTACKS: readonly (readonly [string, string])[] = [
  ['a DELETE after a string ended by a backslash', "SELECT 'a\\'; DELETE FROM faults; SELECT \\'x'"],
  ['a DELETE between two strings, the last hiding a -- from the parser', "SELECT 'a\\', 1; DELETE FROM faults; SELECT ' AS c -- '"],
  ['a DROP TABLE', "SELECT 'a\\', 1; DROP TABLE faults; SELECT ' AS c -- '"],
  ['a TRUNCATE', "SELECT 'a\\', 1; TRUNCATE TABLE faults; SELECT ' AS c -- '"],
  ['an EXEC of a stored procedure', "SELECT 'a\\', 1; EXEC sp_who; SELECT ' AS c -- '"],
  ['a DECLARE', "SELECT 'a\\' AS x; DECLARE @x int; SELECT ' AS c -- '"],
  ['lower-case statements', "select 'a\\', 1; delete from faults; select ' as c -- '"],
  ['a DELETE with no semicolons (T-SQL needs none)', "SELECT 'a\\' AS x DELETE FROM faults SELECT ' AS y -- '"],
  ['a DELETE on lines of its own', "SELECT 'a\\'\nDELETE FROM faults\nSELECT ' AS y -- '"],
  ['an UPDATE with no semicolons', "SELECT 'a\\', 1 UPDATE faults SET status = 9 SELECT ' AS c -- '"],
  ['a DISABLE TRIGGER (a word T-SQL does not reserve)', "SELECT 'a\\' AS x DISABLE TRIGGER ALL ON faults SELECT ' AS y -- '"],
  ['a SELECT INTO in a second statement', "SELECT 'a\\' AS x INTO copy FROM faults SELECT ' AS y -- '"],
  ['a SELECT INTO in the only statement', "SELECT 'a\\' AS x INTO copy FROM faults WHERE '' = ' -- '"],
  ['a SELECT INTO with more columns', "SELECT 'a\\' AS x, 1 AS y INTO copy FROM faults WHERE 1 = ' -- '"],
  ['a DELETE after a double-quoted name ended by a backslash', 'SELECT "a\\", 1; DELETE FROM faults; SELECT " AS c -- "'],
  ['a DELETE after an N string ended by a backslash', "SELECT N'a\\', 1; DELETE FROM faults; SELECT N' AS c -- '"],
  ['a -- comment hidden by a quote inside /* */', "SELECT faultid FROM faults /* ' */ -- '"],
  ['a -- comment that drops the rest of the line', "SELECT faultid FROM faults WHERE 1 = 1 /* ' */ -- ' AND faultid < 0"],
];

describe('the SQL guard refuses', () => {
  it.each(ATTACKS)('%s', async (_what, sql) => {
    const refusal = await checkReadOnlySelect(sql).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ToolInputError);
    expect((refusal as Error).message).toMatch(/one statement|read-only SELECT|-- comments/);
  });
});

describe('the attacks through halo_run_sql', () => {
  let sandbox: TestSandbox;
  let mcp: McpHarness;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    mcp = await connectMcp(sandbox, { toolsets: ['reports'], allowSql: true });
  });
  afterAll(async () => {
    await mcp.close();
    await sandbox.close();
  });

  it('are refused, and none reaches Halo', async () => {
    await sandbox.clearRequests();
    for (const [what, sql] of ATTACKS) {
      const answer = await mcp.call('halo_run_sql', { sql });
      expect(answer.isError, what).toBe(true);
    }
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });
});
