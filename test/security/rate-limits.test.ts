/**
 * The HTTP transport's per-token limits and the Halo client's rate limit, as hosted agents can
 * stress them: a JSON-RPC batch that multiplies a token's limit, one token's queued calls
 * starving another token's, and a call that waits for the rate limit past its time budget.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sandboxEnv, startHttp, type HttpServer } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

const ALPHA = 'alpha-token-0123456789abcdef';
const BETA = 'beta-token-0123456789abcdefgh';

const sandbox = useSandbox();
const servers: HttpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  await sandbox.clearFaults();
  await sandbox.clearRequests();
});

async function serve(env: Record<string, string>): Promise<HttpServer> {
  const server = await startHttp([], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: `alpha=${ALPHA},beta=${BETA}`, ...env });
  servers.push(server);
  return server;
}

/** A tool call that makes exactly one Halo request. */
function statusCall(id: number): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'halo_call_operation', arguments: { method: 'GET', path: '/Status' } } };
}

/** Posts and reads the answer to its end (a call is in flight until its event stream closes). */
async function answer(url: string, body: unknown, token: string, signal?: AbortSignal): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  return { status: response.status, text: await response.text() };
}

describe('a JSON-RPC batch', () => {
  it('counts each of its calls against the per-token limit, as separate requests would be', async () => {
    const server = await serve({ HALO_MCP_MAX_CONCURRENT: '2' });
    const batch = Array.from({ length: 6 }, (_, index) => statusCall(index + 1));
    const refused = await answer(server.url, batch, ALPHA);
    expect(refused.status).toBe(413);
    expect(refused.text).toMatch(/A batch of 6 messages counts as 6 requests, more than the 2 a token may have at once/);
    expect(await sandbox.apiRequests()).toEqual([]);

    // One call in flight leaves room for one more, not for a batch of two.
    await sandbox.faults([{ method: 'GET', path: '^/api/tickets/7$', delay_ms: 1_000, times: 1 }]);
    const slow = { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'halo_get_ticket', arguments: { id: 7, actions: 0 } } };
    const inFlight = answer(server.url, slow, ALPHA);
    // Held by Halo, so surely in flight.
    await sandbox.faultsTaken();
    const pair = await answer(server.url, [statusCall(1), statusCall(2)], ALPHA);
    expect(pair.status).toBe(429);
    // Another token has its own places.
    expect((await answer(server.url, [statusCall(1), statusCall(2)], BETA)).status).toBe(200);
    expect((await inFlight).status).toBe(200);
  });
});

describe("the client's rate limit, shared by several tokens", () => {
  it("lets another token's call through in its turn rather than behind all of one token's queue", async () => {
    // Three requests a second for the whole server; each call below is one request.
    const server = await serve({ HALO_RATE_LIMIT: '3/1', HALO_RETRY_BUDGET_MS: '30000' });
    const finished: { token: string; at: number }[] = [];
    const call = async (token: string, id: number) => {
      const result = await answer(server.url, statusCall(id), token);
      finished.push({ token: token === ALPHA ? 'alpha' : 'beta', at: performance.now() });
      return result;
    };
    const burst = Array.from({ length: 12 }, (_, index) => call(ALPHA, index + 1));
    // Alpha has spent the first window, so the rest of its burst waits in the queue when beta calls.
    await vi.waitFor(async () => expect((await sandbox.apiRequests('GET', /\/status$/i)).length).toBeGreaterThanOrEqual(3));
    const beta = await call(BETA, 100);
    const alpha = await Promise.all(burst);
    expect([beta, ...alpha].every((result) => result.status === 200 && !result.text.includes('"isError":true'))).toBe(true);
    const betaAt = finished.find((entry) => entry.token === 'beta')?.at ?? Number.POSITIVE_INFINITY;
    // Alpha's calls beyond the first window and beta's one share the turns: most of alpha's end after beta's.
    expect(finished.filter((entry) => entry.token === 'alpha' && entry.at > betaAt).length).toBeGreaterThanOrEqual(6);
  });
});

describe('a call waiting for the rate limit', () => {
  it('fails within its time budget, saying so, rather than queueing for the whole window', async () => {
    const server = await serve({ HALO_RATE_LIMIT: '2/60', HALO_RETRY_BUDGET_MS: '1500' });
    const started = performance.now();
    // Were the call left to queue, it would wait a minute: the test gives it five seconds.
    const results = await Promise.all([1, 2, 3].map((id) => answer(server.url, statusCall(id), ALPHA, AbortSignal.timeout(5_000))));
    expect(performance.now() - started).toBeLessThan(4_000);
    const failed = results.filter((result) => result.text.includes('"isError":true'));
    expect(failed).toHaveLength(1);
    expect(failed[0]?.text).toMatch(/GET \/Status was not sent: under this client's share of Halo's rate limit \(HALO_RATE_LIMIT=2\/60\), its turn would come in about \d+ s .*after its time budget of 2 s \(HALO_RETRY_BUDGET_MS\)/);
    expect(await sandbox.apiRequests('GET', /status$/i)).toHaveLength(2);
  });
});
