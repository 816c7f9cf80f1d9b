/** The resolver's cache shared by replicas: a lookup one made is the other's without asking Halo, apart per Halo identity, and Redis down changes nothing but that. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HaloClient } from '../../src/halo/client.js';
import { RedisReferenceCache, referenceNamespace } from '../../src/replicas/reference-cache.js';
import { SharedRedis } from '../../src/replicas/redis.js';
import { Resolver } from '../../src/toolkit/resolve.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { useSandbox } from '../helpers/setup.js';

const logger = pino({ level: 'silent' });

describe('RedisReferenceCache', () => {
  const sandbox = useSandbox();
  let redis: TestRedis;
  let shared: SharedRedis;
  const halos: HaloClient[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    shared = await SharedRedis.connect(redis.url, logger);
  });
  afterAll(async () => {
    await Promise.all(halos.map((halo) => halo.close()));
    await shared.close();
    await redis.close();
  });

  /** A replica's resolver: a Halo client and a cache of its own, sharing Redis. */
  function replica(actingAs: 'application' | `agent:${number}` = 'application'): { resolver: Resolver; halo: HaloClient } {
    const halo = new HaloClient(sandbox.config());
    halos.push(halo);
    return { halo, resolver: new Resolver(halo, { cacheTtlMs: 60_000 }, new RedisReferenceCache(shared, referenceNamespace(halo.config, actingAs))) };
  }

  it('answers a second replica from the first one\'s lookup, without asking Halo, and counts it as a cache hit', async () => {
    await shared.client.flushAll();
    const a = replica();
    const b = replica();
    await sandbox.clearRequests();
    const status = await a.resolver.resolveReference('status', 'Waiting on Customer');
    const client = await a.resolver.resolve('client', 'Acme Manufacturing');
    expect(await sandbox.apiRequests('GET')).toHaveLength(2);
    expect(await b.resolver.resolveReference('status', 'waiting on customer')).toMatchObject({ id: status.id, name: status.name });
    expect(await b.resolver.resolve('client', 'acme manufacturing')).toBe(client);
    expect(await sandbox.apiRequests('GET')).toHaveLength(2);
    expect(b.resolver.cacheHits).toBe(2);
    expect(b.halo.stats.requests).toBe(0);
  });

  it('keeps apart what different identities looked up: another agent asks Halo itself', async () => {
    await shared.client.flushAll();
    await replica('agent:5').resolver.list('team');
    await sandbox.clearRequests();
    await replica('agent:6').resolver.list('team');
    await replica('application').resolver.list('team');
    expect(await sandbox.apiRequests('GET', /^\/api\/team$/i)).toHaveLength(2);
    const keys = await shared.client.keys('halopsa-mcp:lookup:*');
    expect(keys).toHaveLength(3);
    // Names in keys, never the Halo's URL or secret.
    expect(keys.join(' ')).not.toContain(sandbox.clientSecret);
    expect(keys.join(' ')).not.toContain('127.0.0.1');
  });

  it('keeps the plain fields of a record, for the resolver\'s lifetime', async () => {
    await shared.client.flushAll();
    await replica().resolver.list('agent');
    const [key] = await shared.client.keys('halopsa-mcp:lookup:*:list:agent');
    expect(await shared.client.pTTL(key ?? '')).toBeGreaterThan(59_000);
    const agents = JSON.parse((await shared.client.get(key ?? '')) ?? '[]') as { record: Record<string, unknown> }[];
    expect(agents.length).toBeGreaterThan(1);
    for (const { record } of agents) for (const value of Object.values(record)) expect(value === null || ['string', 'number', 'boolean'].includes(typeof value)).toBe(true);
    expect(agents.some(({ record }) => typeof record.email === 'string')).toBe(true);
  });

  it('while Redis is down, asks Halo at once and keeps answers in the replica', async () => {
    await shared.client.flushAll();
    const a = replica();
    await redis.stop();
    for (let waited = 0; shared.available && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    await sandbox.clearRequests();
    const started = performance.now();
    await a.resolver.list('priority');
    await a.resolver.list('priority');
    expect(performance.now() - started).toBeLessThan(900);
    expect(await sandbox.apiRequests('GET', /^\/api\/priority$/i)).toHaveLength(1);
    await redis.start();
    for (let waited = 0; !shared.available && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  });
});
