/**
 * Where the resolver keeps what it looked up (reference lists, name searches, "me") for its
 * lifetime: in the process by default, or somewhere replicas share (src/replicas). Only answers
 * are kept here; a lookup under way is shared by the resolver itself, in its own process.
 */
import type { Me, Reference } from './resolve.js';

/** What the resolver keeps: a list or a search's references, or whom "me" means. */
export type CachedLookup = Reference[] | Me;

export interface ReferenceCache {
  /** The answer kept under a key while it is fresh; undefined when there is none, or none to be had at once. */
  get(key: string): Promise<CachedLookup | undefined>;
  /** Keeps an answer for `ttlMs`. Never fails: a cache that cannot keep it leaves the next lookup to Halo. */
  set(key: string, value: CachedLookup, ttlMs: number): Promise<void>;
}

interface Entry {
  value: CachedLookup;
  expires: number;
}

/**
 * The cache of one process. A key's group is what comes before its first colon (`list`, `search`,
 * `me`); each group keeps at most `maxEntriesPerGroup` answers, because a long-running server meets
 * endless names to search for and each answer is worth keeping only a while. A full group lets
 * its expired answers go first, then the oldest stored.
 */
export class MemoryReferenceCache implements ReferenceCache {
  private readonly groups = new Map<string, Map<string, Entry>>();

  constructor(
    private readonly maxEntriesPerGroup = 500,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Promise<CachedLookup | undefined> {
    const group = this.groups.get(groupOf(key));
    const entry = group?.get(key);
    if (!entry) return Promise.resolve(undefined);
    if (entry.expires > this.now()) return Promise.resolve(entry.value);
    group?.delete(key);
    return Promise.resolve(undefined);
  }

  set(key: string, value: CachedLookup, ttlMs: number): Promise<void> {
    const name = groupOf(key);
    let group = this.groups.get(name);
    if (!group) this.groups.set(name, (group = new Map<string, Entry>()));
    // Stored again, a key moves to the end: a Map keeps insertion order, which is the order of eviction.
    group.delete(key);
    group.set(key, { value, expires: this.now() + ttlMs });
    if (group.size > this.maxEntriesPerGroup) this.evict(group);
    return Promise.resolve();
  }

  private evict(group: Map<string, Entry>): void {
    const now = this.now();
    for (const [key, entry] of group) if (entry.expires <= now) group.delete(key);
    for (const oldest of group.keys()) {
      if (group.size <= this.maxEntriesPerGroup) break;
      group.delete(oldest);
    }
  }
}

function groupOf(key: string): string {
  const colon = key.indexOf(':');
  return colon === -1 ? key : key.slice(0, colon);
}
