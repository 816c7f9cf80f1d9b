/**
 * Where the hosted server keeps what its sign-ins need between requests: registered clients,
 * flows under way, authorization codes, Halo sign-ins and the records of the tokens it issued.
 * Values are JSON and every entry has a lifetime, so that one interface fits a process's memory
 * and a shared store (Redis) alike; keys are namespaced (`<namespace>:<id>`), and a key made from
 * a token is a digest of it (tokenKey), never the token.
 */
import { createHash } from 'node:crypto';

/** A JSON value as the store keeps it: what JSON.stringify and JSON.parse carry unchanged. */
export type StoredValue = string | number | boolean | null | StoredValue[] | { [key: string]: StoredValue | undefined };

export interface SignInStore {
  get<T extends StoredValue>(key: string): Promise<T | undefined>;
  /** Keeps a value for `ttlMs`; refused (StoreFullError) when its namespace holds as many entries as it may. */
  set(key: string, value: StoredValue, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Gets and deletes at once: of two callers taking one key, one gets the value and the other nothing (a code is used once). */
  take<T extends StoredValue>(key: string): Promise<T | undefined>;
}

/**
 * The store cannot be reached just now (the Redis replicas share is down): nothing was stored,
 * taken or deleted, and nothing is known of a key this process has no copy of. The OAuth endpoints
 * answer it as 503 temporarily_unavailable, the MCP endpoint's bearer check as 503.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** A namespace of the store is full; nothing was stored. */
export class StoreFullError extends Error {
  override name = 'StoreFullError';
}

/** The key of a record found by a token: a SHA-256 digest of it, so that the store never holds a usable token. */
export function tokenKey(namespace: string, token: string): string {
  return `${namespace}:${createHash('sha256').update(token).digest('base64url')}`;
}

interface Entry {
  /** The value as JSON: what a shared store would hold, so that nothing relies on sharing objects with the caller. */
  json: string;
  expiresAt: number;
}

export interface MemoryStoreLimits {
  /** Entries one namespace may hold, expired ones pruned first. */
  maxEntriesPerNamespace: number;
}

/** The store of one process: a map whose expired entries are pruned as they are met and whenever a namespace fills. */
export class MemorySignInStore implements SignInStore {
  private readonly entries = new Map<string, Entry>();
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly limits: MemoryStoreLimits = { maxEntriesPerNamespace: 10_000 },
    private readonly now: () => number = Date.now,
  ) {}

  get<T extends StoredValue>(key: string): Promise<T | undefined> {
    return Promise.resolve(this.live(key) as T | undefined);
  }

  set(key: string, value: StoredValue, ttlMs: number): Promise<void> {
    const namespace = namespaceOf(key);
    if (!this.entries.has(key) && (this.counts.get(namespace) ?? 0) >= this.limits.maxEntriesPerNamespace) {
      this.prune();
      if ((this.counts.get(namespace) ?? 0) >= this.limits.maxEntriesPerNamespace) {
        return Promise.reject(new StoreFullError(`The store holds the most ${namespace} entries it may (${this.limits.maxEntriesPerNamespace}).`));
      }
    }
    if (!this.entries.has(key)) this.counts.set(namespace, (this.counts.get(namespace) ?? 0) + 1);
    this.entries.set(key, { json: JSON.stringify(value), expiresAt: this.now() + ttlMs });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.remove(key);
    return Promise.resolve();
  }

  take<T extends StoredValue>(key: string): Promise<T | undefined> {
    const value = this.live(key);
    this.remove(key);
    return Promise.resolve(value as T | undefined);
  }

  private live(key: string): StoredValue | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    return JSON.parse(entry.json) as StoredValue;
  }

  private remove(key: string): void {
    if (!this.entries.delete(key)) return;
    const namespace = namespaceOf(key);
    this.counts.set(namespace, (this.counts.get(namespace) ?? 1) - 1);
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.remove(key);
  }
}

function namespaceOf(key: string): string {
  const colon = key.indexOf(':');
  return colon === -1 ? key : key.slice(0, colon);
}
