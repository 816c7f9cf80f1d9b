/** MCP over Streamable HTTP through the built CLI, with the SDK's HTTP client, against sandboxes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INITIALIZE, gatewayHeaders, httpClient, post, sandboxEnv, startHttp, type HttpServer } from '../helpers/http.js';
import { LOG_LEVEL_KEY, REVISIONS } from '../helpers/mcp.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/setup.js';

type Json = Record<string, unknown>;

const TOKEN = 'test-token-0123456789abcdef';
const sandbox = useSandbox();

describe('stateless mode', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttp(['--toolsets', 'core,api,tickets'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: `desk=${TOKEN}` });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it.each(REVISIONS)('lists and calls tools at %s, each request on a fresh server', async (revision) => {
    const { client, transport } = await httpClient(server.url, TOKEN, { revision });
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(revision);
      expect(transport.sessionId).toBeUndefined();
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['halo_search_tickets', 'halo_my_queue', 'halo_call_operation']));
      const result = await client.callTool({ name: 'halo_get_ticket', arguments: { id: 4 } });
      expect((result.structuredContent as Json).id).toBe(4);
    } finally {
      await client.close();
    }
  });

  it.each(REVISIONS)('streams progress and log notifications of a long call at %s', async (revision) => {
    const { client } = await httpClient(server.url, TOKEN, { revision });
    try {
      const progress: number[] = [];
      const logged: string[] = [];
      client.setNotificationHandler('notifications/message', (notification) => {
        logged.push(String(notification.params.data));
      });
      // From 2026-07-28 a request receives log messages only at the level it names.
      const result = await client.callTool({ name: 'halo_my_queue', arguments: { agent: 'Jane Doe' }, _meta: { [LOG_LEVEL_KEY]: 'info' } }, {
        onprogress: (update) => progress.push(update.progress),
      });
      expect(result.isError).toBeFalsy();
      expect(progress.length).toBeGreaterThan(0);
      expect(logged).toEqual([expect.stringMatching(/^Ranked \d+ open tickets of agent 1\.$/)]);
    } finally {
      await client.close();
    }
  });

  it('logs each tool call as one line with the token id, and never the token', async () => {
    const { client } = await httpClient(server.url, TOKEN);
    try {
      await client.callTool({ name: 'halo_get_ticket', arguments: { id: 6 } });
    } finally {
      await client.close();
    }
    // The line reaches stderr through a pipe, shortly after the answer.
    await vi.waitFor(() => expect(server.stderr()).toMatch(/"token_id":"desk"[^\n]*"tool":"halo_get_ticket"[^\n]*"outcome":"ok"/));
    expect(server.stderr()).not.toContain(TOKEN);
    expect(server.stderr()).not.toContain(sandbox.clientSecret);
  });
});

describe('session mode', () => {
  it('keeps a session until the client ends it', async () => {
    const server = await startHttp(['--sessions'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN });
    try {
      const { client, transport } = await httpClient(server.url, TOKEN);
      expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      const first = await client.callTool({ name: 'halo_search_tickets', arguments: { limit: 2 } });
      expect(((first.structuredContent as Json).items as unknown[]).length).toBe(2);
      const sessionId = transport.sessionId ?? '';
      await transport.terminateSession();
      const after = await fetch(server.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'mcp-session-id': sessionId, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
      });
      expect(after.status).toBe(404);
      await client.close();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('serves a 2026-07-28 client beside sessions, without one (the revision has none)', async () => {
    const server = await startHttp(['--sessions'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN });
    try {
      const { client, transport } = await httpClient(server.url, TOKEN, { revision: '2026-07-28' });
      expect(transport.sessionId).toBeUndefined();
      const found = await client.callTool({ name: 'halo_search_tickets', arguments: { limit: 2 } });
      expect(((found.structuredContent as Json).items as unknown[]).length).toBe(2);
      await client.close();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it.each([
    ['a session of 2025-11-25 asks through elicitation', '--sessions', '2025-11-25', 230],
    ['a stateless 2026-07-28 request asks through input_required', undefined, '2026-07-28', 231],
  ] as const)('confirms a delete with the person: %s', async (_how, mode, revision, ticket) => {
    const server = await startHttp([...(mode ? [mode] : []), '--toolsets', 'core,tickets', '--allow-destructive'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN });
    const asked: string[] = [];
    try {
      const { client } = await httpClient(server.url, TOKEN, {
        revision,
        elicit: (message) => {
          asked.push(message);
          return { action: 'accept', content: { confirm: true } };
        },
      });
      const deleted = await client.callTool({ name: 'halo_delete_ticket', arguments: { id: ticket } });
      expect(deleted.isError).toBeFalsy();
      expect(asked).toEqual([expect.stringMatching(new RegExp(`^Delete ticket #${ticket} `))]);
      expect(await sandbox.apiRequests('DELETE', new RegExp(`/Tickets/${ticket}$`, 'i'))).toHaveLength(1);
      await client.close();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('asks a stateless 2025-11-25 client for confirm: true, as it never said it takes questions', async () => {
    const server = await startHttp(['--toolsets', 'core,tickets', '--allow-destructive'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN });
    try {
      // Its capabilities went with initialize, to another request's server: this request's server cannot know them.
      const { client } = await httpClient(server.url, TOKEN, { elicit: () => ({ action: 'accept', content: { confirm: true } }) });
      const refused = await client.callTool({ name: 'halo_delete_ticket', arguments: { id: 232 } });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toMatch(/call again with confirm: true/);
      expect(await sandbox.apiRequests('DELETE', /\/Tickets\/232$/i)).toHaveLength(0);
      await client.close();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("opens a session's event streams with a priming event and a retry field, and replays what a broken stream missed", async () => {
    const server = await startHttp(['--sessions'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN });
    const headers = { authorization: `Bearer ${TOKEN}` };
    try {
      const opened = await post(server.url, { ...INITIALIZE, params: { ...INITIALIZE.params, protocolVersion: '2025-11-25' } }, headers);
      const sessionId = opened.headers.get('mcp-session-id') ?? '';
      expect(sessionId).not.toBe('');
      await opened.text();
      const session = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
      await (await post(server.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)).text();
      const listed = await post(server.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, session);
      const stream = await listed.text();
      // The first event carries an id and no data: the client may reconnect from it, after the retry interval.
      expect(stream).toMatch(/^id: \S+\nretry: 1000\ndata: *\n\n/);
      const events = [...stream.matchAll(/^id: (\S+)$/gm)].map((match) => match[1] ?? '');
      expect(stream).toMatch(/"tools":\[/);
      // Reconnecting after the priming event replays the answer that followed it.
      const replayed = await fetch(server.url, { headers: { ...session, accept: 'text/event-stream', 'last-event-id': events[0] ?? '' }, signal: AbortSignal.timeout(2_000) });
      expect(replayed.status).toBe(200);
      const reader = replayed.body?.getReader();
      let text = '';
      while (!/"tools":\[/.test(text)) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        text += new TextDecoder().decode(chunk.value as Uint8Array);
      }
      expect(text).toMatch(/"tools":\[/);
      await reader?.cancel();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('does not let another token use a session', async () => {
    const other = 'other-token-0123456789abcdef';
    const server = await startHttp(['--sessions'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: `${TOKEN},${other}` });
    try {
      const { client, transport } = await httpClient(server.url, TOKEN);
      const stolen = await fetch(server.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${other}`, 'mcp-session-id': transport.sessionId ?? '', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
      });
      expect(stolen.status).toBe(404);
      await client.close();
    } finally {
      await server.stop();
    }
  });
});

describe('tokens bound to profiles', () => {
  it('serves two tenants, each token seeing only its own Halo', async () => {
    const second = await startTestSandbox({ seed: 'another-msp' });
    const directory = mkdtempSync(join(tmpdir(), 'halo-profiles-'));
    const profiles = join(directory, 'profiles.json');
    const profile = (target: TestSandbox) => ({ url: target.url, client_id: target.clientId, client_secret: target.clientSecret });
    writeFileSync(
      profiles,
      JSON.stringify({
        tokens: [
          { id: 'first-msp', token: 'first-msp-token-0123456789', profile: 'first' },
          { id: 'second-msp', token: 'second-msp-token-0123456789', profile: 'second' },
        ],
        profiles: { first: { halo: profile(sandbox) }, second: { halo: profile(second), settings: { read_only: true } } },
      }),
    );
    const server = await startHttp(['--profiles-file', profiles], { HALO_RATE_LIMIT: 'off' });
    try {
      const first = await httpClient(server.url, 'first-msp-token-0123456789');
      const other = await httpClient(server.url, 'second-msp-token-0123456789');
      const whoFirst = (await first.client.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Json;
      const whoOther = (await other.client.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Json;
      expect(whoFirst.url).toBe(sandbox.url);
      expect(whoOther.url).toBe(second.url);
      const ticketOf = async (client: typeof first.client) => ((await client.callTool({ name: 'halo_get_ticket', arguments: { id: 1 } })).structuredContent as Json).summary;
      expect(await ticketOf(first.client)).not.toBe(await ticketOf(other.client));
      // The second token's profile is read-only: it narrows the server's tools, never widens them.
      const otherTools = (await other.client.listTools()).tools.map((tool) => tool.name);
      expect(otherTools).not.toContain('halo_create_ticket');
      expect((await first.client.listTools()).tools.map((tool) => tool.name)).toContain('halo_create_ticket');
      await first.client.close();
      await other.client.close();
    } finally {
      await server.stop();
      await second.close();
    }
  });
});

describe('gateway mode', () => {
  it("takes the Halo from each request's headers, and never lets a wrong secret borrow a right one's token", async () => {
    // The sandbox is on loopback, so the gateway must list it: by default only Halo's hosted domains are allowed.
    const server = await startHttp(['--gateway'], { HALO_MCP_TOKENS: TOKEN, HALO_RATE_LIMIT: 'off', HALO_GATEWAY_ALLOWED_HOSTS: new URL(sandbox.url).host });
    const connect = async (secret: string) => (await httpClient(server.url, TOKEN, { headers: gatewayHeaders(sandbox, secret) })).client;
    try {
      const right = await connect(sandbox.clientSecret);
      expect(((await right.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Json).connected).toBe(true);
      const wrong = await connect('not-the-secret');
      const refused = (await wrong.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Json;
      expect(refused.connected).toBe(false);
      expect(String(refused.error)).toMatch(/invalid_client/);
      const without = await post(server.url, INITIALIZE, { authorization: `Bearer ${TOKEN}` });
      expect(without.status).toBe(400);
      expect(await without.text()).toMatch(/X-Halo-Url/);
      await right.close();
      await wrong.close();
      expect(server.stderr()).not.toContain(sandbox.clientSecret);
    } finally {
      await server.stop();
    }
  });
});
