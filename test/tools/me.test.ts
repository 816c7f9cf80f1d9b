/**
 * Agent "me": the technician HALO_AGENT names, else the agent the API application logs in as, and
 * every answer that used it says whom it meant, so that an empty queue of the API's agent is never
 * read as the technician's own.
 */
import { describe, expect, it } from 'vitest';
import { startSandboxMcp, useSandboxMcp } from '../helpers/setup.js';

type Json = Record<string, unknown>;

describe('agent "me" without HALO_AGENT', () => {
  const { mcp } = useSandboxMcp({ settings: { toolsets: ['all'] } });

  it("says, in the queue's answer, that it is the API application's agent and how to name the technician", async () => {
    const { isError, data, text } = await mcp.call('halo_my_queue', {});
    expect(isError, text).toBe(false);
    expect(data.items).toEqual([]);
    expect(data.me).toEqual({ id: 10, name: 'API Integration', note: expect.stringMatching(/API application.*agent: "<name>".*HALO_AGENT/) as unknown });
    // The model reads the text, which says it before the empty table.
    expect(text).toMatch(/^\{"me":\{"id":10,"name":"API Integration","note":"The agent the API application logs in as/);
  });

  it('is said by every tool that resolves it, a search, a timesheet, an appointment list, and by none that did not', async () => {
    for (const [tool, args] of [
      ['halo_search_tickets', { agent: 'me', limit: 1 }],
      ['halo_get_timesheet', {}],
      ['halo_search_appointments', { agent: 'ME' }],
    ] as const) {
      const { isError, data, text } = await mcp.call(tool, args);
      expect(isError, `${tool}: ${text}`).toBe(false);
      expect((data.me as Json | undefined)?.name, tool).toBe('API Integration');
    }
    const named = await mcp.call('halo_search_tickets', { agent: 'Jane Doe', limit: 1 });
    expect(named.data).not.toHaveProperty('me');
  });

  it('is said only in the answer of the call that used it, when calls run at once', async () => {
    const [mine, theirs] = await Promise.all([mcp.call('halo_my_queue', {}), mcp.call('halo_my_queue', { agent: 'Sam Patel' })]);
    expect(mine.data).toHaveProperty('me');
    expect(theirs.data).not.toHaveProperty('me');
    expect((theirs.data.agent as Json).name).toBe('Sam Patel');
  });

  it('is named by halo_whoami, with where it comes from', async () => {
    const { data } = await mcp.call('halo_whoami');
    expect(data.agent).toMatchObject({ id: 10, name: 'API Integration' });
    expect(data.me).toMatchObject({ id: 10, name: 'API Integration', from: 'api_application' });
  });
});

describe('agent "me" with HALO_AGENT', () => {
  it("is the technician it names, by email, name or id, looked up once, and the answers say so without a warning", async () => {
    for (const agent of ['jane.doe@northbeam-it.example', 'Jane Doe', '1']) {
      const started = await startSandboxMcp({ settings: { agent } });
      const { sandbox, mcp } = started;
      try {
        const queue = await mcp.call('halo_my_queue', {});
        expect(queue.isError, queue.text).toBe(false);
        expect(queue.data.me).toEqual({ id: 1, name: 'Jane Doe' });
        expect(queue.data.total).toBeGreaterThan(0);
        await mcp.call('halo_search_tickets', { agent: 'me', limit: 1 });
        expect(await sandbox.apiRequests('GET', /^\/api\/agent\/me$/i)).toEqual([]);
        const whoami = await mcp.call('halo_whoami');
        expect(whoami.data.agent).toMatchObject({ name: 'API Integration' });
        expect(whoami.data.me).toEqual({ id: 1, name: 'Jane Doe', from: 'HALO_AGENT' });
        const instructions = mcp.client.getInstructions() ?? '';
        expect(instructions).toMatch(/agent "me" is the technician the server is set up for \(HALO_AGENT\)/);
      } finally {
        await started.close();
      }
    }
  });

  it('that names no agent is an error naming the setting, with the closest agents, in the tools and in halo_whoami', async () => {
    for (const [agent, message] of [
      ['Jnae Doe', /^HALO_AGENT is "Jnae Doe": No agent matches "Jnae Doe"\. Set HALO_AGENT \(--agent\).*Closest: Jane Doe \(id 1\)/],
      ['999', /^HALO_AGENT is 999, which is no agent's id\. Set HALO_AGENT/],
    ] as const) {
      const started = await startSandboxMcp({ settings: { agent } });
      const { mcp } = started;
      try {
        const queue = await mcp.call('halo_my_queue', {});
        expect(queue.isError).toBe(true);
        expect(queue.text).toMatch(message);
        const whoami = await mcp.call('halo_whoami');
        expect(whoami.data.connected).toBe(true);
        expect((whoami.data.me as Json).error).toMatch(message);
      } finally {
        await started.close();
      }
    }
  });
});
