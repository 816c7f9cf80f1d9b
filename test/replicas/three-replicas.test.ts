/**
 * Three replicas of the built HTTP server against one sandbox limited to 60 requests per rolling
 * 10 s, sharing Halo's budget through one redis-server: the sandbox never answers 429 and never
 * takes more than its limit in any window, also while Redis is down and after it comes back.
 */
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoggedRequest } from '../../src/sandbox/server.js';
import { httpClient, sandboxEnv, startHttp, type HttpServer } from '../helpers/http.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const TOKEN = 'replica-token-0123456789abcdef';
const LIMIT = 60;
const WINDOW_MS = 10_000;
/** Callers per replica, each with an MCP client of its own, making calls one after another. */
const CALLERS_PER_REPLICA = 4;

/** The most API requests the sandbox took in any window, by when they arrived (logged at the answer, less its duration). */
function mostInAnyWindow(requests: LoggedRequest[]): number {
  const arrivals = requests
    .filter((entry) => entry.path.toLowerCase().startsWith('/api/') && entry.status !== 429)
    .map((entry) => Date.parse(entry.at) - entry.duration_ms)
    .sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < arrivals.length; last++) {
    while ((arrivals[first] ?? 0) <= (arrivals[last] ?? 0) - WINDOW_MS) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('replicas sharing one Halo budget through Redis', () => {
  let sandbox: TestSandbox;
  let redis: TestRedis;
  let servers: HttpServer[];

  beforeAll(async () => {
    [sandbox, redis] = await Promise.all([startTestSandbox({ rateLimit: `${LIMIT}/${WINDOW_MS / 1000}` }), startRedis()]);
    const env = { ...sandboxEnv(sandbox), HALO_RATE_LIMIT: `${LIMIT}/${WINDOW_MS / 1000}`, HALO_REDIS_URL: redis.url, HALO_MCP_TOKENS: `desk=${TOKEN}`, HALO_RETRY_BUDGET_MS: '120000' };
    servers = await Promise.all([1, 2, 3].map(() => startHttp(['--toolsets', 'core,tickets'], env)));
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await Promise.all([redis.close(), sandbox.close()]);
  });

  /** Makes `calls` halo_get_client calls (one Halo request each), spread evenly over the replicas and their callers; answers the failures. */
  async function callEverywhere(calls: number): Promise<string[]> {
    const failures: string[] = [];
    let next = 0;
    await Promise.all(
      servers.flatMap((server) =>
        Array.from({ length: CALLERS_PER_REPLICA }, async () => {
          const { client } = await httpClient(server.url, TOKEN);
          try {
            while (next < calls) {
              next++;
              const result = await client.callTool({ name: 'halo_get_client', arguments: { id: 1 + (next % 20) } });
              if (result.isError) failures.push(JSON.stringify(result.content));
            }
          } finally {
            await client.close();
          }
        }),
      ),
    );
    return failures;
  }

  /**
   * Makes `calls` calls, none failing, and checks that Halo's log, from the start, holds no 429 and
   * never more than the limit in any window. Answers how long the calls took, in seconds.
   */
  async function callsWithinLimit(calls: number): Promise<number> {
    const started = performance.now();
    expect(await callEverywhere(calls)).toEqual([]);
    const seconds = (performance.now() - started) / 1000;
    const log = await sandbox.requests();
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
    expect(mostInAnyWindow(log)).toBeLessThanOrEqual(LIMIT);
    return seconds;
  }

  async function readyz(server: HttpServer): Promise<{ ready: boolean; shared?: { connected: boolean } }> {
    const response = await fetch(`${server.base}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return (await response.json()) as { ready: boolean; shared?: { connected: boolean } };
  }

  it(
    'keeps 300 calls over three replicas under the one limit, with Redis and while it is down, and shares again once it is back',
    async () => {
      // Shared: 300 calls (300 requests) take about five windows, since all three replicas draw from one.
      const sharedSeconds = await callsWithinLimit(300);
      expect((await sandbox.apiRequests('GET')).length).toBeGreaterThanOrEqual(300);
      // Three replicas keeping the whole limit each would have finished in under two windows.
      expect(sharedSeconds).toBeGreaterThan(35);
      for (const server of servers) expect((await readyz(server)).shared?.connected).toBe(true);

      // Redis down: each replica keeps a third of the limit by itself, and calls go on.
      await redis.stop();
      await vi.waitFor(() => servers.forEach((server) => expect(server.stderr()).toContain('Redis connection lost')), { timeout: 5_000 });
      const down = await readyz(servers[0] as HttpServer);
      expect(down).toMatchObject({ ready: true, shared: { connected: false } });
      const aloneSeconds = await callsWithinLimit(45);

      // Redis back, empty: the replicas reconnect by themselves and admit their requests to it again.
      await redis.start();
      await vi.waitFor(async () => {
        for (const server of servers) expect((await readyz(server)).shared?.connected).toBe(true);
      }, { timeout: 10_000, interval: 200 });
      const backSeconds = await callsWithinLimit(30);
      const inspector = createClient({ url: redis.url });
      await inspector.connect();
      try {
        const [window] = await inspector.keys('halopsa-mcp:budget:*');
        expect(await inspector.zCard(window ?? 'none')).toBeGreaterThan(0);
      } finally {
        await inspector.close();
      }
      console.info(`replicas: 300 shared calls in ${sharedSeconds.toFixed(1)} s, 45 with Redis down in ${aloneSeconds.toFixed(1)} s, 30 after it came back in ${backSeconds.toFixed(1)} s`);
    },
    240_000,
  );
});
