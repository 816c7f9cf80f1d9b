/**
 * Attacks on the gateway (halo_call_operation and halo_find_operations) by someone holding a valid
 * token, replayed: each test makes the call that once got through and checks that it no longer does.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { connectMcp, type McpHarness } from '../helpers/mcp.js';
import { useSandboxMcp } from '../helpers/setup.js';

type Json = Record<string, unknown>;

const { sandbox, mcp } = useSandboxMcp();
beforeEach(async () => {
  await sandbox.reset();
});

/** The longest the event loop stood still while `work` ran: what every other request waited. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
    longest = Math.max(longest, performance.now() - last);
  } finally {
    clearInterval(ticker);
  }
  return longest;
}

describe('a path that walks out of /api', () => {
  it('is refused before anything is sent, however the walk is spelt', async () => {
    await mcp.halo.authenticate();
    expect((await sandbox.issuedTokens()).length).toBeGreaterThan(0);
    const walks = [
      '/Tickets/..\\..\\_sandbox\\tokens',
      '/Tickets/.\t.',
      '/Tickets/.\n.',
      '/Tickets/%2e%2e',
      '/Tickets/.%2E',
      '/Tickets/..%2f..%2f_sandbox%2ftokens',
      '/Tickets/..%5C..%5C_sandbox%5Ctokens',
      '/Tickets/5%00',
      '/Tickets/5#/../../_sandbox/tokens',
    ];
    for (const path of walks) {
      const { isError, text } = await mcp.call('halo_call_operation', { method: 'GET', path });
      expect(isError, JSON.stringify(path)).toBe(true);
      for (const token of await sandbox.issuedTokens()) expect(text).not.toContain(token);
    }
    expect(await sandbox.apiRequests()).toEqual([]);
    expect(await sandbox.violations()).toEqual([]);
  });

  it('cannot reset the sandbox with a POST, nor hide the walk in a dry run', async () => {
    await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets/1' });
    const walk = '/Invoice/PDF/..\\..\\..\\_sandbox\\reset';
    const dry = await mcp.call('halo_call_operation', { method: 'POST', path: walk, dry_run: true });
    expect(dry.isError).toBe(true);
    const posted = await mcp.call('halo_call_operation', { method: 'POST', path: walk });
    expect(posted.isError).toBe(true);
    // A reset would have emptied the request log.
    expect((await sandbox.apiRequests('GET')).map((request) => request.path)).toEqual(['/api/Tickets/1']);
  });

  it('is refused by the Halo client itself, for any tool', async () => {
    const sent = mcp.halo.stats.requests;
    await expect(mcp.halo.requestAny({ method: 'GET', path: '/Tickets/..\\..\\_sandbox\\tokens' })).rejects.toThrow(/path/i);
    await expect(mcp.halo.requestAny({ method: 'GET', path: '/Tickets/.\t.' })).rejects.toThrow(/path/i);
    await expect(mcp.halo.get('/Tickets', '..')).rejects.toThrow(/path/i);
    expect(mcp.halo.stats.requests).toBe(sent);
  });
});

describe('requests that cost seconds of CPU', () => {
  it('990 unknown fields of 1,000 characters do not stall the process', async () => {
    const body: Json = { summary: 'Flood' };
    for (let index = 0; index < 990; index++) body[`${String(index).padStart(4, '0')}${'x'.repeat(996)}`] = 1;
    let answer: Awaited<ReturnType<McpHarness['call']>> | undefined;
    const stall = await longestStall(async () => {
      answer = await mcp.call('halo_call_operation', { method: 'POST', path: '/Tickets', body, dry_run: true });
    });
    expect(stall).toBeLessThan(500);
    expect(answer?.isError).toBe(false);
    expect(answer?.text.length).toBeLessThan(25_000);
  }, 120_000);

  it('a query of 150,000 words does not stall the process, and is answered plainly', async () => {
    const query = Array.from({ length: 150_000 }, (_, index) => `word${index % 5000}`).join(' ');
    let answer: Awaited<ReturnType<McpHarness['call']>> | undefined;
    const stall = await longestStall(async () => {
      answer = await mcp.call('halo_find_operations', { query });
    });
    expect(stall).toBeLessThan(500);
    expect(answer?.isError).toBe(true);
    expect(answer?.text).toMatch(/query/);
  }, 60_000);
});

describe('a POST body that deletes or merges', () => {
  const ticketExists = async (id: number) => !(await mcp.call('halo_call_operation', { method: 'GET', path: `/Tickets/${id}` })).isError;

  it('is refused by the write variant, naming the switch that allows it', async () => {
    for (const body of [{ id: 9, deleted: true }, { id: 9, domerge: true, merged_into_id: 8 }]) {
      const { isError, text } = await mcp.call('halo_call_operation', { method: 'POST', path: '/Tickets', body });
      expect(isError).toBe(true);
      expect(text).toMatch(/HALO_ALLOW_DESTRUCTIVE/);
    }
    expect(await sandbox.apiRequests('POST')).toEqual([]);
    expect(await ticketExists(9)).toBe(true);
  });

  it('is confirmed like a DELETE in the destructive variant', async () => {
    const destructive = await connectMcp(sandbox, { allowDestructive: true });
    try {
      const unconfirmed = await destructive.call('halo_call_operation', { method: 'POST', path: '/Tickets', body: { id: 9, deleted: true } });
      expect(unconfirmed.isError).toBe(true);
      expect(unconfirmed.text).toMatch(/deleted.*confirm: true/s);
      expect(await ticketExists(9)).toBe(true);
      const confirmed = await destructive.call('halo_call_operation', { method: 'POST', path: '/Tickets', body: { id: 9, deleted: true }, confirm: true });
      expect(confirmed.isError).toBe(false);
      expect(await ticketExists(9)).toBe(false);
    } finally {
      await destructive.close();
    }
  });
});

describe('read-only mode', () => {
  it('refuses GETs that change state, which the write variant still makes', async () => {
    const readOnly = await connectMcp(sandbox, { readOnly: true });
    try {
      for (const [path, query] of [
        ['/Notifications', { update_shown: true }],
        ['/Feedback/1', { clearcomment: true }],
        ['/IntegrationData/Get/Sherweb', { reset_token: true }],
      ] as const) {
        const { isError, text } = await readOnly.call('halo_call_operation', { method: 'GET', path, query });
        expect(isError, path).toBe(true);
        expect(text).toMatch(/read-only/);
      }
      expect(await sandbox.apiRequests()).toEqual([]);
    } finally {
      await readOnly.close();
    }
    const write = await mcp.call('halo_call_operation', { method: 'GET', path: '/Notifications', query: { update_shown: true } });
    expect(write.isError).toBe(false);
    expect(await sandbox.apiRequests('GET', /Notifications/)).toHaveLength(1);
  });

  it('and every variant of the gateway refuse to read stored passwords, saying why', async () => {
    const destructive = await connectMcp(sandbox, { allowDestructive: true });
    try {
      for (const harness of [mcp, destructive]) {
        for (const path of ['/PasswordField/1', '/PasswordField']) {
          const { isError, text } = await harness.call('halo_call_operation', { method: 'GET', path });
          expect(isError).toBe(true);
          expect(text).toMatch(/password/i);
        }
      }
      expect(await sandbox.apiRequests()).toEqual([]);
    } finally {
      await destructive.close();
    }
  });
});
