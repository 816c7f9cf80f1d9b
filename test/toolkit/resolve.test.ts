/** The resolver's cache shared by concurrent calls: one caller's cancellation is its own, and the cache stays bounded. */
import { describe, expect, it } from 'vitest';
import { HaloCancelledError } from '../../src/halo/errors.js';
import { closest, pick, Resolver } from '../../src/toolkit/resolve.js';
import { useSandboxHalo } from '../helpers/setup.js';

describe('Resolver', () => {
  const { sandbox, halo } = useSandboxHalo();

  it('lets a caller that cancels stop waiting without failing the others sharing the lookup', async () => {
    const resolver = new Resolver(halo, { cacheTtlMs: 60_000 });
    const cancelled = new AbortController();
    await sandbox.clearRequests();
    const first = resolver.list('status', { signal: cancelled.signal });
    const second = resolver.list('status');
    cancelled.abort();
    await expect(first).rejects.toBeInstanceOf(HaloCancelledError);
    expect((await second).length).toBeGreaterThan(3);
    expect(await sandbox.apiRequests('GET', /^\/api\/status$/i)).toHaveLength(1);
  });

  it('takes an id as it is, without fetching its list, and still names it when a reference is asked for', async () => {
    const resolver = new Resolver(halo, { cacheTtlMs: 60_000 });
    await sandbox.clearRequests();
    expect(await resolver.resolve('team', 2)).toBe(2);
    expect(await resolver.resolve('status', ' 3 ')).toBe(3);
    expect(await sandbox.apiRequests()).toEqual([]);
    expect((await resolver.resolveReference('status', '3')).name).toBe('Waiting on Customer');
  });

  it('keeps at most 500 name searches, letting the oldest go', async () => {
    const resolver = new Resolver(halo, { cacheTtlMs: 60_000 });
    for (let i = 0; i < 501; i++) await resolver.search('client', `no such client ${i}`);
    const before = halo.stats.requests;
    await resolver.search('client', 'no such client 500');
    expect(halo.stats.requests).toBe(before);
    await resolver.search('client', 'no such client 0');
    expect(halo.stats.requests).toBe(before + 1);
  });

  it('refuses a name too long to be one without searching Halo, and finds the closest to a long one in milliseconds', async () => {
    const resolver = new Resolver(halo, { cacheTtlMs: 60_000 });
    await sandbox.clearRequests();
    await expect(resolver.resolve('client', 'Acme '.repeat(20_000))).rejects.toThrow(/^No client matches ".*": a name has at most 256 characters/s);
    expect(await sandbox.apiRequests()).toEqual([]);
    const references = Array.from({ length: 2_000 }, (_, id) => ({ id, name: `Client number ${id} Limited`, record: {} }));
    // An edit distance over the whole of a 100,000-character name took ten seconds against 2,000 names.
    const started = performance.now();
    expect(closest('q'.repeat(100_000), references)).toHaveLength(5);
    expect(performance.now() - started).toBeLessThan(500);
    expect(closest('Client numbr 7 Limited', references)[0]?.name).toBe('Client number 7 Limited');
  });

  it('names what an ambiguous name matches in good English', () => {
    const records = (...names: string[]) => names.map((name, id) => ({ id: id + 1, name, record: {} }));
    expect(() => pick('Waiting', records('Waiting on Customer', 'Waiting on Supplier'), 'status')).toThrow(/matches 2 statuses;/);
    expect(() => pick('Hard', records('Hardware', 'Hardware Repair'), 'category')).toThrow(/matches 2 categories;/);
    expect(() => pick('Jo', records('John', 'Joan'), 'agent')).toThrow(/matches 2 agents;/);
  });
});
