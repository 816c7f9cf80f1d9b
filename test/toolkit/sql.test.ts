/** The SQL guard, one rule at a time: what it lets through, what it sends, and why it refuses. */
import { describe, expect, it } from 'vitest';
import { checkReadOnlySelect } from '../../src/toolkit/sql.js';

function refusal(sql: string): string {
  try {
    return `accepted: ${checkReadOnlySelect(sql)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
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
    ['a join with NOLOCK, a CASE and a three-part name', "SELECT f.Faultid, u.uname, CASE WHEN f.Status = 9 THEN 'closed' ELSE 'open' END AS state FROM dbo.FAULTS f WITH (NOLOCK) JOIN Halo.dbo.UNAME u ON u.Unum = f.Assignedtoint"],
    ['a database..object name', 'SELECT TOP 5 Faultid FROM Halo..FAULTS'],
    ['every column of a table without credentials', 'SELECT f.* FROM FAULTS f'],
    ['COUNT(*) over a table with credentials', 'SELECT COUNT(*) AS agents FROM UNAME WHERE Uisdisabled = 0'],
    ['a string that holds a UNC path and a four-part name', "SELECT Faultid FROM FAULTS WHERE Symptom = '\\\\host\\share on srv.db.dbo.t'"],
    ['nested functions, 32 deep', `SELECT ${'ISNULL('.repeat(32)}1${', 0)'.repeat(32)} AS n`],
    ['EXCEPT', 'SELECT Faultid FROM FAULTS EXCEPT SELECT Faultid FROM FAULTS WHERE Status = 9'],
    ['INTERSECT', 'SELECT Faultid FROM FAULTS INTERSECT SELECT Faultid FROM ACTIONS'],
    ['two CTEs, the second reading the first', 'WITH a AS (SELECT 1 AS n), b AS (SELECT n + 1 AS n FROM a) SELECT n FROM b'],
    ['OFFSET and FETCH, in lower case', 'select faultid from faults order by faultid offset 0 rows fetch next 5 rows only'],
    ['FOR XML', "SELECT Faultid FROM FAULTS FOR XML PATH('')"],
    ['named columns of a table with credentials', 'SELECT u.uname, u.Unum FROM UNAME u'],
    ['a system variable', 'SELECT @@VERSION AS version'],
    ['forbidden words as bracketed column aliases', 'SELECT 1 AS [waitfor], 2 AS [delete]'],
    ['a leading comment', '/* lead */ SELECT 1'],
  ])('lets through %s, unchanged', (_what, sql) => {
    expect(checkReadOnlySelect(sql)).toBe(sql);
  });

  it('sends the statement without its final semicolon or anything after it', () => {
    expect(checkReadOnlySelect('  SELECT 1 AS one ;  /* done */ ')).toBe('SELECT 1 AS one');
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
    [`SELECT '${'x'.repeat(100_000)}'`, /^The query is 100009 characters long; at most 100000 are read\.$/],
    ['SELECT (1', /not valid T-SQL: 1 "\(" is never closed/],
    ['SELECT 1 AS a) AS t', /not valid T-SQL: the "\)" at character 14 closes no "\("/],
    [`SELECT ${'ISNULL('.repeat(33)}1${', 0)'.repeat(33)}`, /nests parentheses more than 32 deep/],
    ['SELECT 1 END CONVERSATION @h', /contains END CONVERSATION/],
    ['SELECT Faultid FROM FAULTS WITH (UPDLOCK)', /table hints UPDLOCK lock what Halo writes/],
    ['SELECT * FROM [xp_dirtree]', /contains xp_dirtree, which reaches outside Halo's database/],
    ['SELECT * FROM sys.[fn_get_audit_file](1, 2, 3)', /contains fn_get_audit_file/],
    ['SELECT Email FROM NHD_User', /where credentials are kept \(NHD_User\)/],
    ['SELECT [Password] FROM t', /where credentials are kept \(Password\)/],
    ['SELECT * FROM srv . Halo . dbo . FAULTS', /four parts .* names srv\.Halo\.dbo\.FAULTS/],
    ['SELECT * FROM srv.Halo..FAULTS', /names srv\.Halo\.\.FAULTS/],
    ['SELECT TOP 1 * FROM UNAME', /UNAME keeps credentials beside other columns: name the columns/],
    ['SELECT u.* FROM USERS u', /USERS keeps credentials/],
    ['WITH x AS (SELECT 1 AS a) DELETE FROM faults', /read-only SELECT can be run; this contains DELETE/],
    ["WAITFOR DELAY '00:00:05'", /Only a SELECT can be run; this is a WAITFOR statement/],
    ["SELECT 1 WAITFOR DELAY '00:00:05'", /this contains WAITFOR/],
    ["INSERT INTO faults (symptom) VALUES ('x')", /Only a SELECT can be run; this is an INSERT statement/],
    ['UPDATE faults SET status = 9', /this is an UPDATE statement/],
    ['MERGE faults AS t USING x AS s ON t.id = s.id WHEN MATCHED THEN DELETE;', /this is a MERGE statement/],
    ["EXEC('SELECT 1')", /this is an EXEC statement/],
    ['SET NOCOUNT ON; SELECT 1', /this is a SET statement/],
    ['USE master SELECT 1', /this is a USE statement/],
    ['BEGIN TRAN SELECT 1', /this is a BEGIN statement/],
    ['SELECT * INTO #t FROM faults', /SELECT INTO \(it creates a table\)/],
    ['SELECT 1 GO SELECT 2', /one statement can be run; this has 2/],
    ['SELECT 1 EXCEPT SELECT 2 SELECT 3', /one statement can be run; this has 2/],
    ['SELECT * FROM FAULTS WITH (TABLOCK)', /table hints TABLOCK lock what Halo writes/],
    ['SELECT Faultid FROM FAULTS WITH (NOLOCK, REPEATABLEREAD)', /table hints REPEATABLEREAD lock/],
    ["SELECT * FROM OPENXML(@h, '/r')", /contains OPENXML/],
    ['SELECT api_secret FROM CLIENT', /where credentials are kept \(api_secret\)/],
    ['SELECT name FROM sys.syslogins', /where credentials are kept \(syslogins\)/],
  ])('refuses %j', (sql, reason) => {
    expect(refusal(sql)).toMatch(reason);
  });
});
