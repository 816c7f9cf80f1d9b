/** MCP over Streamable HTTP through the built CLI, with the SDK's HTTP client, against sandboxes. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIALIZE, httpClient, post, sandboxEnv, startHttp, type HttpServer } from '../helpers/http.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

type Json = Record<string, unknown>;

const TOKEN = 'test-token-0123456789abcdef';
let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe('stateless mode', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttp(['--toolsets', 'core,api,tickets'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: `desk=${TOKEN}` });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('lists and calls tools, each request on a fresh server', async () => {
    const { client } = await httpClient(server.url, TOKEN);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['halo_search_tickets', 'halo_my_queue', 'halo_call_operation']));
      const result = await client.callTool({ name: 'halo_get_ticket', arguments: { id: 4 } });
      expect((result.structuredContent as Json).id).toBe(4);
    } finally {
      await client.close();
    }
  });

  it('streams progress and log notifications of a long call', async () => {
    const { client } = await httpClient(server.url, TOKEN);
    try {
      const progress: number[] = [];
      const logged: string[] = [];
      client.setNotificationHandler('notifications/message', (notification) => {
        logged.push(String(notification.params.data));
      });
      const result = await client.callTool({ name: 'halo_my_queue', arguments: { agent: 'Jane Doe' } }, {
        onprogress: (update) => progress.push(update.progress),
      });
      expect(result.isError).toBeFalsy();
      expect(progress.length).toBeGreaterThan(0);
      expect(logged).toEqual([expect.stringMatching(/^Ranked \d+ open tickets of agent 1\.$/)]);
    } finally {
      await client.close();
    }
  });

  it('logs each tool call as one line with the token id, and never the token', () => {
    expect(server.stderr()).toMatch(/"token_id":"desk"[^\n]*"tool":"halo_get_ticket"[^\n]*"outcome":"ok"/);
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
    const connect = async (secret: string) => {
      const transport = new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}`, 'x-halo-url': sandbox.url, 'x-halo-client-id': sandbox.clientId, 'x-halo-client-secret': secret } },
      });
      const client = new Client({ name: 'gateway', version: '1' });
      await client.connect(transport);
      return client;
    };
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
