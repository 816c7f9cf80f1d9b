/**
 * The sign-in store replicas share (HALO_REDIS_URL with --oauth): a sign-in made through one
 * replica works through every other, and the OAuth flow may hop replicas between /authorize,
 * /oauth/callback and /token. Values are JSON under `halopsa-mcp:signin:<key>` with the store's
 * lifetime as PX; a code is taken with GETDEL, so that of two replicas redeeming it one gets it.
 *
 * While Redis is down, each replica goes on reading the records it has read or written itself
 * (a copy kept for their lifetime), so that a signed-in person's calls keep working on a replica
 * that has seen their token; anything else fails with StoreUnavailableError. Writes, takes and
 * deletes always fail then: a sign-in, code or rotation kept by one replica alone would work there
 * and nowhere else, and a revocation kept by one alone would leave the token valid elsewhere.
 */
import { StoreUnavailableError, type SignInStore, type StoredValue } from '../sign-in/store.js';
import { KEY_PREFIX, type SharedRedis } from './redis.js';

const SIGN_IN_PREFIX = `${KEY_PREFIX}signin:`;
/** Records a replica keeps copies of, for while Redis is down; the least recently read go first. */
const LOCAL_COPIES = 5_000;

const UNAVAILABLE = 'Sign-ins are kept in Redis, which cannot be reached just now; try again shortly.';

interface Copy {
  json: string;
  expiresAt: number;
}

export class RedisSignInStore implements SignInStore {
  private readonly copies = new Map<string, Copy>();

  constructor(
    private readonly redis: SharedRedis,
    private readonly now: () => number = Date.now,
  ) {}

  async get<T extends StoredValue>(key: string): Promise<T | undefined> {
    let found: { json: string | null; ttlMs: number };
    try {
      found = await this.command(async (client) => {
        const [json, ttlMs] = await Promise.all([client.get(SIGN_IN_PREFIX + key), client.pTTL(SIGN_IN_PREFIX + key)]);
        return { json, ttlMs };
      });
    } catch (error) {
      const copy = this.copy(key);
      if (copy === undefined) throw error;
      return JSON.parse(copy) as T;
    }
    // A record gone from Redis (expired, revoked, taken by another replica) goes from the copies too.
    if (found.json === null || found.ttlMs <= 0) {
      this.copies.delete(key);
      return undefined;
    }
    this.keep(key, found.json, found.ttlMs);
    return JSON.parse(found.json) as T;
  }

  async set(key: string, value: StoredValue, ttlMs: number): Promise<void> {
    const json = JSON.stringify(value);
    await this.command((client) => client.set(SIGN_IN_PREFIX + key, json, { expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) } }));
    this.keep(key, json, ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.copies.delete(key);
    await this.command((client) => client.del(SIGN_IN_PREFIX + key));
  }

  async take<T extends StoredValue>(key: string): Promise<T | undefined> {
    this.copies.delete(key);
    const json = await this.command((client) => client.getDel(SIGN_IN_PREFIX + key));
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  /** Runs commands on Redis, failing at once with StoreUnavailableError while it is down, or when it does not answer in time. */
  private async command<T>(run: (client: SharedRedis['commands']) => Promise<T>): Promise<T> {
    if (!this.redis.available) throw new StoreUnavailableError(UNAVAILABLE);
    try {
      return await run(this.redis.commands);
    } catch (error) {
      throw new StoreUnavailableError(UNAVAILABLE, { cause: error });
    }
  }

  private keep(key: string, json: string, ttlMs: number): void {
    this.copies.delete(key);
    this.copies.set(key, { json, expiresAt: this.now() + ttlMs });
    if (this.copies.size <= LOCAL_COPIES) return;
    const oldest = this.copies.keys().next().value;
    if (oldest !== undefined) this.copies.delete(oldest);
  }

  private copy(key: string): string | undefined {
    const copy = this.copies.get(key);
    if (!copy) return undefined;
    if (copy.expiresAt <= this.now()) {
      this.copies.delete(key);
      return undefined;
    }
    return copy.json;
  }
}
