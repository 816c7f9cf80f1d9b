/** The SQL guard, one rule at a time: what it lets through, what it sends, and why it refuses. */
import { describe, expect, it } from 'vitest';
import { checkReadOnlySelect } from '../../src/mcp/sql.js';

async function refusal(sql: string): Promise<string> {
  return checkReadOnlySelect(sql).then(
    (sent) => `accepted: ${sent}`,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

describe('checkReadOnlySelect', () => {
  it.each([
    ['a SELECT with TOP and ORDER BY', 'SELECT TOP 3 Faultid, Symptom FROM FAULTS WHERE Status <> 9 ORDER BY Faultid'],
    ['a CTE', 'WITH x AS (SELECT 1 AS a) SELECT a FROM x'],
    ['UNION ALL', 'SELECT 1 UNION ALL SELECT 2'],
    ['a subquery', 'SELECT Faultid FROM FAULTS WHERE Status NOT IN (SELECT Tstatus FROM TSTATUS WHERE TstatusType = 2)'],
    ['a keyword inside a string', "SELECT Faultid FROM FAULTS WHERE Symptom = 'DROP TABLE x; DELETE FROM y'"],
    ['a backslash at the end of a string', "SELECT 'C:\\temp\\' AS folder"],
    ['a doubled quote', "SELECT N'it''s' AS quote"],
    ['keywords as delimited names', 'SELECT [delete], "update", [a]]b] FROM t'],
    ['a keyword inside a nested comment', 'SELECT 1 /* a /* DELETE */ b */ AS one'],
    ['the catalog views', "SELECT name FROM sys.tables WHERE LOWER(name) LIKE '%fault%'"],
    ['INFORMATION_SCHEMA', "SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'FAULTS'"],
  ])('lets through %s, unchanged', async (_what, sql) => {
    expect(await checkReadOnlySelect(sql)).toBe(sql);
  });

  it('sends the statement without its final semicolon or anything after it', async () => {
    expect(await checkReadOnlySelect('  SELECT 1 AS one ;  /* done */ ')).toBe('SELECT 1 AS one');
  });

  it.each([
    ['', /empty/],
    ['  /* only a comment */ ', /empty/],
    ['DELETE FROM faults', /Only a SELECT can be run; this is a DELETE statement/],
    ['SELEKT nonsense', /Only a SELECT can be run; this is something that starts with "SELEKT"/],
    ['(SELECT 1)', /starts with "\("/],
    ['SELECT 1; SELECT 2', /one statement can be run; this has 2/],
    ['SELECT 1 SELECT 2', /one statement can be run; this has 2/],
    ['SELECT 1 UNION SELECT 2 SELECT 3', /this has 2/],
    ['SELECT 1;;', /a semicolon may only end it/],
    ['SELECT * INTO copy FROM faults', /SELECT INTO \(it creates a table\)\.$/],
    ['SELECT 1 AS x DISABLE TRIGGER ALL ON faults', /contains DISABLE\. A column of such a name is written in brackets/],
    ['SELECT NEXT VALUE FOR dbo.counter', /NEXT VALUE FOR \(it advances a sequence\)/],
    ["SELECT * FROM OPENROWSET('SQLNCLI', 'x', 'SELECT 1')", /contains OPENROWSET/],
    ['SELECT * FROM [OPENROWSET](1, 2)', /contains OPENROWSET/],
    ['SELECT Symptom FROM FAULTS -- a note', /does not accept -- comments/],
    ["SELECT 'open", /not valid T-SQL: Unclosed quotation mark/],
    ['SELECT 1 /* open', /not valid T-SQL: Missing end comment mark/],
    ['SELECT [open', /not valid T-SQL: Unclosed delimited name/],
    ['SELECT FROM WHERE', /not valid T-SQL/],
  ])('refuses %j', async (sql, reason) => {
    expect(await refusal(sql)).toMatch(reason);
  });
});
