/**
 * The HTTP transport's contract, as any HTTP entry to an MCP server should keep it: who may call,
 * from where, how much, on which paths and methods, and what happens on shutdown.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENVELOPE, INITIALIZE, cleanEnv, httpClient, post, postModern, sandboxEnv, startHttp, type HttpServer } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

const TOKEN = 'contract-token-0123456789abcdef';
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const auth = { authorization: `Bearer ${TOKEN}` };

const sandbox = useSandbox();
let server: HttpServer;
let auditLog: string;

beforeAll(async () => {
  auditLog = join(mkdtempSync(join(tmpdir(), 'halo-audit-')), 'audit.jsonl');
  server = await startHttp(['--audit-log', auditLog], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN, HALO_MCP_MAX_BODY_BYTES: '4096', HALO_MCP_MAX_BATCH: '3', HALO_MCP_MAX_ARGUMENT_ELEMENTS: '50', HALO_MCP_MAX_CONCURRENT: '2' });
});
afterAll(async () => {
  await server.stop();
});

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate without a token, and with a wrong one', async () => {
    const missing = await post(server.url, INITIALIZE);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="halopsa-mcp"');
    const wrong = await post(server.url, INITIALIZE, { authorization: 'Bearer not-the-token-at-all-0000' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(await wrong.text()).not.toContain(TOKEN);
  });

  it('accepts the token as a header, or in the path for connectors that cannot send headers', async () => {
    expect((await post(server.url, INITIALIZE, auth)).status).toBe(200);
    expect((await post(`${server.url}/${TOKEN}`, INITIALIZE)).status).toBe(200);
    expect((await post(`${server.url}/wrong-token-in-the-path-000`, INITIALIZE)).status).toBe(401);
  });
});

describe('Host and Origin', () => {
  it('answers 403 to a browser origin that is not allowed', async () => {
    const response = await post(server.url, INITIALIZE, { ...auth, origin: 'https://evil.example' });
    expect(response.status).toBe(403);
  });

  it('answers 403 to a Host that is not allowed (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(server.url, { method: 'POST', headers: { host: 'attacker.example', 'content-type': 'application/json', ...auth } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('error', reject);
      outgoing.end(JSON.stringify(INITIALIZE));
    });
    expect(status).toBe(403);
  });
});

describe('limits', () => {
  it('answers 413 to a body over the limit, and keeps serving', async () => {
    const big = await post(server.url, { ...INITIALIZE, padding: 'x'.repeat(10_000) }, auth);
    expect(big.status).toBe(413);
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
  });

  it('answers 413 to a batch or tool arguments over their limits', async () => {
    const batch = Array.from({ length: 4 }, (_, index) => ({ jsonrpc: '2.0', id: index + 1, method: 'tools/list' }));
    expect((await post(server.url, batch, auth)).status).toBe(413);
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'halo_search_tickets', arguments: { fields: Array.from({ length: 60 }, (_, i) => `f${i}`) } } };
    expect((await post(server.url, call, auth)).status).toBe(413);
  });

  it('answers 429 beyond the concurrent requests a token may have', async () => {
    await sandbox.faults([{ method: 'GET', path: '^/api/tickets/7$', delay_ms: 1_000, times: 3 }]);
    const slow = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'halo_get_ticket', arguments: { id: 7, actions: 0 } } };
    // Each answer is read to its end: a call is in flight until its event stream closes.
    const statuses = await Promise.all(
      [post(server.url, slow, auth), post(server.url, slow, auth), post(server.url, slow, auth)].map(async (pending) => {
        const response = await pending;
        await response.text();
        return response.status;
      }),
    );
    expect(statuses.sort()).toEqual([200, 200, 429]);
    await sandbox.clearFaults();
  });
});

describe('2026-07-28 requests', () => {
  it('pass the same checks before MCP: token, limits, concurrency', async () => {
    expect((await postModern(server.url, { id: 1, method: 'tools/list' })).status).toBe(401);
    const tooBig = await postModern(server.url, { id: 1, method: 'tools/call', params: { name: 'halo_search_tickets', arguments: { query: 'x'.repeat(5_000) } } }, auth);
    expect(tooBig.status).toBe(413);
    await sandbox.faults([{ method: 'GET', path: '^/api/tickets/9$', delay_ms: 1_000, times: 3 }]);
    const slow = { id: 1, method: 'tools/call', params: { name: 'halo_get_ticket', arguments: { id: 9, actions: 0 } } };
    const statuses = await Promise.all(
      [postModern(server.url, slow, auth), postModern(server.url, slow, auth), postModern(server.url, slow, auth)].map(async (pending) => {
        const response = await pending;
        await response.text();
        return response.status;
      }),
    );
    expect(statuses.sort()).toEqual([200, 200, 429]);
    await sandbox.clearFaults();
  });

  it('are routed by their headers, which must name the revision and agree with the body', async () => {
    const listed = await postModern(server.url, { id: 1, method: 'tools/list' }, auth);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { result: { resultType: string } }).result.resultType).toBe('complete');
    // The body says tools/list; a header that says otherwise is refused before anything runs.
    const mismatched = await postModern(server.url, { id: 2, method: 'tools/list' }, { ...auth, 'mcp-method': 'prompts/list' });
    expect(mismatched.status).toBe(400);
    const noVersionHeader = await post(server.url, { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: ENVELOPE } }, { ...auth, 'mcp-method': 'tools/list' });
    expect(noVersionHeader.status).toBe(400);
    const future = await post(
      server.url,
      { jsonrpc: '2.0', id: 4, method: 'tools/list', params: { _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } },
      { ...auth, 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'tools/list' },
    );
    expect(future.status).toBe(400);
    expect(((await future.json()) as { error: { code: number } }).error.code).toBe(-32022);
  });

  it('end a subscription stream at once, as nothing the server offers ever changes', async () => {
    // Were it held open, it would take one of the token's concurrent requests for as long as the client listens.
    const started = performance.now();
    const listen = await postModern(server.url, { id: 7, method: 'subscriptions/listen', params: { notifications: { toolsListChanged: true, promptsListChanged: true } } }, auth);
    const stream = await listen.text();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(stream).toContain('"notifications":{}');
    expect(stream).toMatch(/"id":7,"result":\{"resultType":"complete"/);
  });

  it('answer a body sent as another content type with 415', async () => {
    const response = await fetch(server.url, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: ENVELOPE } }) });
    expect(response.status).toBe(415);
  });
});

describe('paths and methods', () => {
  it('answers 404 to other paths and 405 to other methods', async () => {
    expect((await fetch(`${server.base}/`)).status).toBe(404);
    expect((await fetch(`${server.base}/mcp/a/b`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(server.url, { method: 'PUT', headers: auth })).status).toBe(405);
    expect((await fetch(`${server.base}/healthz`, { method: 'POST' })).status).toBe(405);
    // Stateless: there is no event stream to GET.
    expect((await fetch(server.url, { headers: { ...auth, accept: 'text/event-stream' } })).status).toBe(405);
  });

  it('reports health and readiness', async () => {
    expect(await (await fetch(`${server.base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.base}/readyz`)).json()).toEqual({ ready: true });
  });

  it('is not ready when it cannot mint a Halo token, and says why, without the secret, to a caller with a token', async () => {
    const broken = await startHttp([], { ...sandboxEnv(sandbox), HALO_CLIENT_SECRET: 'a-wrong-secret-value', HALO_MCP_TOKENS: TOKEN });
    try {
      const ready = await fetch(`${broken.base}/readyz`, { headers: auth });
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { ready: boolean; error: string };
      expect(body.error).toMatch(/invalid_client/);
      expect(JSON.stringify(body)).not.toContain('a-wrong-secret-value');
    } finally {
      await broken.stop();
    }
  });
});

describe('starting and stopping', () => {
  it('refuses to serve beyond loopback without tokens, and says why', () => {
    const result = spawnSync(process.execPath, [cli, '--http', '--host', '0.0.0.0', '--port', '0'], { env: cleanEnv(sandboxEnv(sandbox)), encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Refusing to serve on 0\.0\.0\.0 without bearer tokens/);
    expect(result.stdout).toBe('');
  });

  it.each(['2025-11-25', '2026-07-28'] as const)('finishes a call in flight on SIGTERM, then exits 0 (%s)', async (revision) => {
    const stopping = await startHttp([], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN });
    await sandbox.faults([{ method: 'GET', path: '^/api/tickets/8$', delay_ms: 1_500, times: 1 }]);
    const { client } = await httpClient(stopping.url, TOKEN, { revision });
    const call = client.callTool({ name: 'halo_get_ticket', arguments: { id: 8, actions: 0 } });
    // Stopped while Halo holds the call's request.
    await sandbox.faultsTaken();
    const exited = stopping.stop();
    const result = await call;
    expect((result.structuredContent as { id: number }).id).toBe(8);
    expect(await exited).toBe(0);
    // Once stopping, it takes no new calls.
    await expect(fetch(stopping.url, { method: 'POST' })).rejects.toThrow();
  });
});

describe('audit log', () => {
  it('records each write with the token id and never a secret', async () => {
    const { client } = await httpClient(server.url, TOKEN);
    await client.callTool({ name: 'halo_add_note', arguments: { ticket_id: 5, note: 'Audited note' } });
    await client.callTool({ name: 'halo_get_ticket', arguments: { id: 5 } });
    await client.close();
    // The log is appended through a stream: the line lands shortly after the answer.
    await vi.waitFor(() => {
      const lines = readFileSync(auditLog, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toEqual([expect.objectContaining({ token: 'token-1', tool: 'halo_add_note', access: 'write', outcome: 'ok', arguments: { ticket_id: 5, note: 'Audited note' } })]);
    });
    expect(readFileSync(auditLog, 'utf8')).not.toContain(TOKEN);
    expect(server.stderr()).not.toContain(TOKEN);
    expect(server.stderr()).not.toContain(sandbox.clientSecret);
  });
});
