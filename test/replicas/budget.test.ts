/** The shared budget's Lua script against a real redis-server. */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBudget } from '../../src/replicas/budget.js';
import { SharedRedis } from '../../src/replicas/redis.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

const logger = pino({ level: 'silent' });

describe('the shared budget in Redis', () => {
  let redis: TestRedis;
  const connections: SharedRedis[] = [];
  const budgets: RedisBudget[] = [];
  const replica = async (): Promise<RedisBudget> => {
    const connection = await SharedRedis.connect(redis.url, logger);
    connections.push(connection);
    const budget = new RedisBudget(connection);
    budgets.push(budget);
    return budget;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(budgets.map((budget) => budget.close()));
    await Promise.all(connections.map((connection) => connection.close()));
    await redis.close();
  });

  it('never admits more than the limit in any window, however many replicas race for it', async () => {
    const racers = await Promise.all([replica(), replica(), replica(), replica()]);
    const limit = 25;
    const windowMs = 400;
    const admitted: number[] = [];
    const started = performance.now();
    // Each replica asks as fast as it can for 1.2 s (three windows), waiting when told to.
    await Promise.all(
      racers.map(async (budget) => {
        while (performance.now() - started < 1_200) {
          const answer = await budget.take('race', limit, windowMs);
          if (answer.granted) admitted.push(performance.now());
          else await new Promise((resolve) => setTimeout(resolve, answer.retryInMs));
        }
      }),
    );
    admitted.sort((a, b) => a - b);
    // Admission times here trail Redis's own by a round trip: a little slack at the window's edge.
    const mostInAnyWindow = Math.max(...admitted.map((at, index) => admitted.slice(index).filter((later) => later < at + windowMs - 20).length));
    expect(mostInAnyWindow).toBeLessThanOrEqual(limit);
    // And the window was used: about a limit per window, over three windows.
    expect(admitted.length).toBeGreaterThanOrEqual(limit * 3);
    expect(admitted.length).toBeLessThanOrEqual(limit * 4);
  });

  it('counts what it admitted, and refuses with the time until the oldest leaves', async () => {
    const budget = await replica();
    expect(await budget.take('retry', 2, 1_000)).toEqual({ granted: true, inWindow: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await budget.take('retry', 2, 1_000)).toEqual({ granted: true, inWindow: 2 });
    const refused = await budget.take('retry', 2, 1_000);
    expect(refused.granted).toBe(false);
    // The first leaves 1 s after it was admitted, about 700 ms from now.
    const retryInMs = refused.granted ? 0 : refused.retryInMs;
    expect(retryInMs).toBeGreaterThan(600);
    expect(retryInMs).toBeLessThanOrEqual(700);
    await new Promise((resolve) => setTimeout(resolve, retryInMs));
    expect(await budget.take('retry', 2, 1_000)).toEqual({ granted: true, inWindow: 2 });
  });

  it("uses the Redis server's clock: the log's times are Redis's, and it expires with the window", async () => {
    const budget = await replica();
    const [connection] = connections.slice(-1);
    if (!connection) throw new Error('no connection');
    await budget.take('clock', 5, 60_000);
    const keys = await connection.client.keys('halopsa-mcp:budget:*');
    const scores = await Promise.all(keys.map((key) => connection.client.zRangeWithScores(key, -1, -1)));
    const [seconds, micros] = await connection.client.time();
    const redisNow = Number(seconds) * 1000 + Number(micros) / 1000;
    const newest = Math.max(...scores.flat().map((entry) => entry.score));
    expect(redisNow - newest).toBeGreaterThanOrEqual(0);
    expect(redisNow - newest).toBeLessThan(1_000);
    const ttls = await Promise.all(keys.map((key) => connection.client.pTTL(key)));
    expect(Math.max(...ttls)).toBeLessThanOrEqual(60_000);
    expect(Math.max(...ttls)).toBeGreaterThan(55_000);
  });

  it('counts the replicas that announce themselves, and forgets one that leaves', async () => {
    const first = await replica();
    await first.announce();
    const before = first.sharers;
    const second = await replica();
    await second.announce();
    expect(second.sharers).toBe(before + 1);
    await second.close();
    await first.announce();
    expect(first.sharers).toBe(before);
  });
});
