/**
 * An outcome decides whether Halo emails the ticket's end user. A note named an outcome by an id
 * that GET /Outcome did not list (as the API agent sees it: an outcome limited to some ticket types
 * or teams), was taken for one that never emails: the dry run said it would email no one, and the
 * real call emailed the customer, private note or not. These tests replay that: an outcome the
 * tools cannot classify is read from Halo by id, and refused when even that does not say.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectMcp, type McpHarness } from '../helpers/mcp.js';
import { useSandbox } from '../helpers/setup.js';

type Json = Record<string, unknown>;

const sandbox = useSandbox();
let mcp: McpHarness;
let outcomes: Json[];

beforeEach(async () => {
  await sandbox.reset();
  // A server of its own per test: the resolver keeps the outcome list it read first.
  mcp = await connectMcp(sandbox);
  ({ items: outcomes } = await mcp.halo.list('/Outcome'));
  await sandbox.clearRequests();
});
afterEach(async () => {
  await sandbox.clearFaults();
  await mcp.close();
});

function idOf(name: string): number {
  const found = outcomes.find((outcome) => outcome.outcome === name);
  if (!found) throw new Error(`the sandbox has no outcome "${name}"`);
  return found.id as number;
}

/** GET /Outcome answers this list instead of the tenant's. */
async function listOutcomes(list: Json[]): Promise<void> {
  await sandbox.faults([{ method: 'GET', path: '^/api/outcome$', status: 200, body: JSON.stringify(list) }]);
}

const postedActions = () => sandbox.apiRequests('POST', /^\/api\/actions$/i);

describe('an outcome GET /Outcome does not list', () => {
  it.each([
    ['a dry run of a public note', { private: false, dry_run: true }],
    ['a public note', { private: false }],
    ['a private note', {}],
  ])('is read by id and refused for %s when it emails the customer', async (_kind, note) => {
    const emailsSent = await sandbox.watchEmails();
    const emailUser = idOf('Email User');
    await listOutcomes(outcomes.filter((outcome) => outcome.id !== emailUser));
    const { isError, text, data } = await mcp.call('halo_add_note', { ticket_id: 5, note: 'Internal: do not tell them.', outcome: String(emailUser), ...note });
    expect(isError, JSON.stringify(data)).toBe(true);
    expect(text).toContain(`The outcome "Email User" (id ${emailUser}) emails the ticket's end user (the customer)`);
    expect(await sandbox.apiRequests('GET', new RegExp(`^/api/outcome/${emailUser}$`, 'i'))).toHaveLength(1);
    expect(await postedActions()).toEqual([]);
    expect(await emailsSent()).toEqual([]);
  });

  it('is used when Halo says by id that it sends no email', async () => {
    const emailsSent = await sandbox.watchEmails();
    const privateNote = idOf('Private Note');
    await listOutcomes(outcomes.filter((outcome) => outcome.id !== privateNote));
    const { isError, data } = await mcp.call('halo_add_note', { ticket_id: 5, note: 'Checked the logs.', outcome: String(privateNote) });
    expect(isError).toBe(false);
    expect(data.outcome).toEqual({ id: privateNote, name: 'Private Note' });
    const [posted] = await postedActions();
    expect(posted?.body).toEqual([expect.objectContaining({ outcome_id: privateNote, sendemail: false, hiddenfromuser: true })]);
    expect(await emailsSent()).toEqual([]);
  });

  it('is refused with the outcomes to choose from when Halo has none by that id', async () => {
    const { isError, text } = await mcp.call('halo_add_note', { ticket_id: 5, note: 'Checked the logs.', outcome: '999', private: false, dry_run: true });
    expect(isError).toBe(true);
    expect(text).toMatch(/^The outcome "999" cannot be used: Halo has no outcome with that id, so nothing was sent\. Its outcomes: .*Private Note \(id \d+\)/);
    expect(await postedActions()).toEqual([]);
  });
});

describe('an outcome whose record does not say whether it emails', () => {
  it('is read by id, and refused when Halo still does not say', async () => {
    const emailsSent = await sandbox.watchEmails();
    const emailUser = idOf('Email User');
    const withoutFlags = outcomes.map(({ sendemail: _sendemail, hidesendemail: _hidesendemail, ...outcome }) => outcome);
    await listOutcomes(withoutFlags);
    await sandbox.faults([
      { method: 'GET', path: `^/api/outcome/${emailUser}$`, status: 200, body: JSON.stringify(withoutFlags.find((outcome) => outcome.id === emailUser)) },
    ]);
    for (const args of [{ dry_run: true }, {}]) {
      const { isError, text } = await mcp.call('halo_add_note', { ticket_id: 6, note: 'PRIVATE: internal only.', outcome: 'Email User', ...args });
      expect(isError).toBe(true);
      expect(text).toMatch(/^The outcome "Email User" cannot be used: Halo does not say whether it emails the ticket's end user \(the customer\), so nothing was sent\./);
    }
    expect(await postedActions()).toEqual([]);
    expect(await emailsSent()).toEqual([]);
  });
});
