/**
 * Session mode's shares: a standing GET event stream must not hold one of its token's concurrency
 * slots (idle clients locked a token out), one token must not take every session, and a gateway
 * session belongs to the Halo credentials that opened it as well as to the bearer token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIALIZE, post, sandboxEnv, startHttp, type HttpServer } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

const TOKEN = 'sessions-token-0123456789abcdef';
const OTHER = 'sessions-other-0123456789abcdef';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const sandbox = useSandbox();

/** Opens a session: initialize, then the initialized notification. Answers the session id and the initialize status. */
async function openSession(url: string, headers: Record<string, string>): Promise<{ status: number; id: string }> {
  const response = await post(url, INITIALIZE, headers);
  await response.text();
  const id = response.headers.get('mcp-session-id') ?? '';
  if (response.status === 200) {
    const initialized = await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' });
    await initialized.text();
  }
  return { status: response.status, id };
}

function sessionPost(url: string, id: string, headers: Record<string, string>, body: unknown = { jsonrpc: '2.0', id: 2, method: 'tools/list' }): Promise<Response> {
  return post(url, body, { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' });
}

describe('standing event streams', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttp(['--sessions'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN, HALO_MCP_MAX_CONCURRENT: '2' });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('do not count against the requests a token may have at once', async () => {
    const streams: AbortController[] = [];
    try {
      const ids: string[] = [];
      for (let index = 0; index < 3; index++) {
        const { status, id } = await openSession(server.url, bearer(TOKEN));
        expect(status).toBe(200);
        ids.push(id);
        // Each client keeps its GET stream open, as MCP clients do for server messages.
        const stream = new AbortController();
        streams.push(stream);
        const response = await fetch(server.url, {
          headers: { ...bearer(TOKEN), accept: 'text/event-stream', 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' },
          signal: stream.signal,
        });
        expect(response.status).toBe(200);
      }
      const listed = await sessionPost(server.url, ids[0] ?? '', bearer(TOKEN));
      expect(listed.status).toBe(200);
      expect(await listed.text()).toContain('halo_search_tickets');
    } finally {
      for (const stream of streams) stream.abort();
    }
  });
});

describe('sessions per token', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttp(['--sessions'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: `${TOKEN},${OTHER}`, HALO_MCP_MAX_SESSIONS: '10', HALO_MCP_MAX_SESSIONS_PER_TOKEN: '2' });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('stop at the per-token cap, naming the setting, and leave the other tokens their sessions', async () => {
    expect((await openSession(server.url, bearer(TOKEN))).status).toBe(200);
    expect((await openSession(server.url, bearer(TOKEN))).status).toBe(200);
    const third = await post(server.url, INITIALIZE, bearer(TOKEN));
    expect(third.status).toBe(429);
    expect(await third.text()).toMatch(/HALO_MCP_MAX_SESSIONS_PER_TOKEN/);
    expect((await openSession(server.url, bearer(OTHER))).status).toBe(200);
  });

  it('free a slot when a session ends', async () => {
    const owner = 'sessions-third-0123456789abcdef';
    const own = await startHttp(['--sessions'], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: owner, HALO_MCP_MAX_SESSIONS_PER_TOKEN: '1' });
    try {
      const { id } = await openSession(own.url, bearer(owner));
      expect((await post(own.url, INITIALIZE, bearer(owner))).status).toBe(429);
      const ended = await fetch(own.url, { method: 'DELETE', headers: { ...bearer(owner), 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' } });
      expect(ended.status).toBe(200);
      expect((await openSession(own.url, bearer(owner))).status).toBe(200);
    } finally {
      await own.stop();
    }
  });
});

describe('gateway sessions', () => {
  it('belong to the Halo credentials that opened them, not only to the bearer token', async () => {
    const server = await startHttp(['--sessions', '--gateway'], { HALO_MCP_TOKENS: TOKEN, HALO_RATE_LIMIT: 'off', HALO_GATEWAY_ALLOWED_HOSTS: new URL(sandbox.url).host });
    const halo = (secret: string) => ({ ...bearer(TOKEN), 'x-halo-url': sandbox.url, 'x-halo-client-id': sandbox.clientId, 'x-halo-client-secret': secret });
    const whoami = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'halo_whoami', arguments: {} } };
    try {
      const { status, id } = await openSession(server.url, halo(sandbox.clientSecret));
      expect(status).toBe(200);
      const owner = await sessionPost(server.url, id, halo(sandbox.clientSecret), whoami);
      expect(owner.status).toBe(200);
      expect(await owner.text()).toContain('"connected":true');
      // Same bearer token and session id, other Halo credentials (or none): the session does not exist for them.
      expect((await sessionPost(server.url, id, halo('someone-elses-secret-value'), whoami)).status).toBe(404);
      expect((await sessionPost(server.url, id, bearer(TOKEN), whoami)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
