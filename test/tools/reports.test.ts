/**
 * The report tools read every shape public clients have met in Halo's report answers: one object
 * or a one-element array, rows under `report` or at the top, and a failure as 200 with
 * `report.load_error`, which is an error and never an empty result.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useSandboxMcp } from '../helpers/setup.js';

const { sandbox, mcp } = useSandboxMcp({ settings: { toolsets: ['reports'], allowSql: true } });
afterEach(() => sandbox.clearFaults());

/** Makes Halo answer the next report request with this body, status 200. */
async function answerReport(method: 'GET' | 'POST', body: unknown): Promise<void> {
  await sandbox.faults([{ method, path: method === 'POST' ? '^/api/report$' : '^/api/report/\\d+$', status: 200, body: JSON.stringify(body), times: 1 }]);
}

describe('the report answer', () => {
  it('is read as one object with the rows under report', async () => {
    await answerReport('POST', { report: { rows: [{ Faultid: 7 }] }, available_columns: [{ id: 1, name: 'Faultid' }] });
    expect((await mcp.call('halo_run_sql', { sql: 'SELECT Faultid FROM FAULTS' })).data.items).toEqual([{ Faultid: 7 }]);
  });

  it('is read as a one-element array with the rows at its top', async () => {
    await answerReport('POST', [{ rows: [{ id: 1 }], available_columns: [{ name: 'id' }] }]);
    expect((await mcp.call('halo_run_sql', { sql: 'SELECT Faultid FROM FAULTS' })).data.items).toEqual([{ id: 1 }]);
  });

  it("describes a table from the catalog's cells whether Halo writes them as text or as numbers", async () => {
    const text = [
      { COLUMN_NAME: 'Notes', DATA_TYPE: 'nvarchar', CHARACTER_MAXIMUM_LENGTH: '-1', ORDINAL_POSITION: '10' },
      { COLUMN_NAME: 'Faultid', DATA_TYPE: 'int', CHARACTER_MAXIMUM_LENGTH: null, ORDINAL_POSITION: '9' },
      { COLUMN_NAME: 'Symptom', DATA_TYPE: 'nvarchar', CHARACTER_MAXIMUM_LENGTH: '4000', ORDINAL_POSITION: '2' },
    ];
    const numbers = text.map((row) => ({ ...row, CHARACTER_MAXIMUM_LENGTH: row.CHARACTER_MAXIMUM_LENGTH === null ? null : Number(row.CHARACTER_MAXIMUM_LENGTH), ORDINAL_POSITION: Number(row.ORDINAL_POSITION) }));
    for (const rows of [text, numbers]) {
      await answerReport('POST', { report: { rows } });
      expect((await mcp.call('halo_describe_sql_table', { table: 'FAULTS' })).data.items).toEqual([
        { name: 'Symptom', type: 'nvarchar(4000)' },
        { name: 'Faultid', type: 'int' },
        { name: 'Notes', type: 'nvarchar(max)' },
      ]);
    }
  });

  it("fails with SQL Server's message when report.load_error is set, in either shape", async () => {
    for (const body of [{ report: { load_error: "Invalid column name 'x'." } }, [{ report: { rows: [], load_error: "Invalid column name 'x'." } }]]) {
      await answerReport('POST', body);
      const answer = await mcp.call('halo_run_sql', { sql: 'SELECT x FROM FAULTS' });
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain("Halo could not run the query: Invalid column name 'x'.");
    }
  });

  it('fails when Halo says it did not load a saved report, though it gives no reason', async () => {
    await answerReport('GET', { id: 3, name: 'Broken', report: { loaded: false } });
    const answer = await mcp.call('halo_run_report', { id: 3 });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/Halo could not run saved report 3: Halo did not load it and gave no reason/);
  });

  it('keeps a secret out of the error, whatever Halo echoes in it', async () => {
    await answerReport('POST', { report: { load_error: `Login failed for ${sandbox.clientSecret}` } });
    const answer = await mcp.call('halo_run_sql', { sql: 'SELECT 1' });
    expect(answer.isError).toBe(true);
    expect(answer.text).not.toContain(sandbox.clientSecret);
  });
});
