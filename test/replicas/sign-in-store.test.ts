/** The sign-in store replicas share: what one writes another reads, a code is taken once, and an outage refuses writes while reads of known records go on. */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedRedis } from '../../src/replicas/redis.js';
import { RedisSignInStore } from '../../src/replicas/sign-in-store.js';
import { Grants } from '../../src/sign-in/grants.js';
import { Sealer } from '../../src/sign-in/sealed.js';
import { StoreUnavailableError } from '../../src/sign-in/store.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

const logger = pino({ level: 'silent' });

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 10_000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('RedisSignInStore', () => {
  let redis: TestRedis;
  let first: SharedRedis;
  let second: SharedRedis;

  beforeAll(async () => {
    redis = await startRedis();
    [first, second] = await Promise.all([SharedRedis.connect(redis.url, logger), SharedRedis.connect(redis.url, logger)]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await redis.close();
  });

  it('shares what one replica writes with another, for its lifetime only', async () => {
    const a = new RedisSignInStore(first);
    const b = new RedisSignInStore(second);
    await a.set('sign-in:one', { agent: { id: 7 }, clientId: 'c' }, 60_000);
    await a.set('code:short', 'x', 100);
    expect(await b.get('sign-in:one')).toEqual({ agent: { id: 7 }, clientId: 'c' });
    expect(await first.client.pTTL('halopsa-mcp:signin:sign-in:one')).toBeGreaterThan(59_000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await b.get('code:short')).toBeUndefined();
    await b.delete('sign-in:one');
    expect(await a.get('sign-in:one')).toBeUndefined();
  });

  it('gives a key taken by two replicas at once to one of them', async () => {
    const a = new RedisSignInStore(first);
    const b = new RedisSignInStore(second);
    await a.set('code:abc', { clientId: 'c' }, 60_000);
    const taken = await Promise.all([a.take('code:abc'), b.take('code:abc'), a.take('code:abc')]);
    expect(taken.filter((value) => value !== undefined)).toEqual([{ clientId: 'c' }]);
  });

  it('while Redis is down, reads what this replica knows, and refuses writes, takes, deletes and unknown keys', async () => {
    const a = new RedisSignInStore(first);
    const b = new RedisSignInStore(second);
    await a.set('access:known', { familyId: 'f' }, 60_000);
    await b.set('sign-in:seen', { clientId: 'c' }, 60_000);
    expect(await a.get('sign-in:seen')).toEqual({ clientId: 'c' });
    await a.set('access:brief', 1, 200);
    await redis.stop();
    await until(() => !first.available);
    expect(await a.get('access:known')).toEqual({ familyId: 'f' });
    expect(await a.get('sign-in:seen')).toEqual({ clientId: 'c' });
    await expect(a.get('sign-in:never-read')).rejects.toBeInstanceOf(StoreUnavailableError);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await expect(a.get('access:brief')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(a.set('code:new', 'x', 60_000)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(a.take('access:known')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(a.delete('sign-in:seen')).rejects.toBeInstanceOf(StoreUnavailableError);
    await redis.start();
    await until(() => first.available);
    // Redis came back empty: the copies do not outlive what Redis says, and a new write is shared again.
    expect(await a.get('access:known')).toBeUndefined();
    await a.set('code:after', 'y', 60_000);
    await until(() => second.available);
    expect(await b.get('code:after')).toBe('y');
  });

  it('holds back a Halo refresh while Redis is down, so that a refresh token Halo rotates is never lost, and lets it go once Redis is back', async () => {
    const grants = new Grants(new RedisSignInStore(first), new Sealer(randomBytes(32)), { accessTokenTtlMs: 60_000 });
    const signInId = await grants.startSignIn('client', 'halo-refresh-token', { id: 7 });
    const keeper = grants.keeper(signInId, () => undefined);
    expect(await keeper.current()).toBe('halo-refresh-token');
    await redis.stop();
    try {
      await until(() => !first.available);
      await expect(keeper.current()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await redis.start();
      await until(() => first.available && second.available);
    }
  });
});
