/**
 * The resolver's cache shared by replicas (HALO_REDIS_URL): a name one replica looked up is
 * answered by the others from Redis, without asking Halo again. Each answer is kept for the
 * resolver's lifetime (PX), under a namespace of the Halo (URL, tenant, the API application and a
 * digest of its secret, so that a gateway caller with the wrong secret reads nothing a right one
 * cached) and of whom the lookups act as (the application, or the signed-in technician's agent),
 * because Halo's permissions per agent change what a lookup returns.
 *
 * A copy of every answer is kept in the process too, for its remaining lifetime: most lookups are
 * answered without Redis, and while Redis is down the replica carries on with its own copies and
 * Halo, at once (no command waits on a Redis that is not there).
 */
import { createHash } from 'node:crypto';
import type { HaloClientConfig } from '../halo/config.js';
import type { HaloRecord } from '../halo/client.js';
import type { Me, Reference } from '../toolkit/resolve.js';
import { MemoryReferenceCache, type CachedLookup, type ReferenceCache } from '../toolkit/reference-cache.js';
import { KEY_PREFIX, type SharedRedis } from './redis.js';

const LOOKUP_PREFIX = `${KEY_PREFIX}lookup:`;
/** Text longer than this in a reference record is a description, a signature or HTML, which no name lookup reads. */
const MAX_KEPT_TEXT = 500;
/** An answer larger than this (thousands of agents or clients) is kept by its replica alone rather than moved through Redis on every miss. */
const MAX_SHARED_BYTES = 1_000_000;

/** Whom lookups act as: the API application, or a signed-in technician (by agent id, or by sign-in when Halo named no agent). */
export type ActingAs = 'application' | `agent:${number}` | `sign-in:${string}`;

/** The namespace of one Halo and identity: a digest, so that no URL or secret is written into Redis's keys. */
export function referenceNamespace(halo: Pick<HaloClientConfig, 'url' | 'tenant' | 'clientId' | 'clientSecret'>, actingAs: ActingAs): string {
  return createHash('sha256')
    .update(JSON.stringify([halo.url, halo.tenant ?? '', halo.clientId, halo.clientSecret ?? '', actingAs]))
    .digest('base64url');
}

/**
 * What the resolver and the tools read of a reference record: its plain fields (a status's type, a
 * priority's SLA, an agent's email, an outcome's flags). Nested records and long text are left out:
 * Halo's agent and client records carry kilobytes of both.
 */
function compactRecord(record: HaloRecord): HaloRecord {
  const kept: HaloRecord = {};
  for (const [field, value] of Object.entries(record)) {
    if (value === null || typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= MAX_KEPT_TEXT)) kept[field] = value;
  }
  return kept;
}

function compact(value: CachedLookup): CachedLookup {
  if (Array.isArray(value)) return value.map((reference: Reference) => ({ ...reference, record: compactRecord(reference.record) }));
  const me: Me = { ...value, record: compactRecord(value.record) };
  return me;
}

export class RedisReferenceCache implements ReferenceCache {
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: SharedRedis,
    namespace: string,
    /** This process's copies, each for what remains of its lifetime. */
    private readonly local: ReferenceCache = new MemoryReferenceCache(),
  ) {
    this.keyPrefix = `${LOOKUP_PREFIX}${namespace}:`;
  }

  async get(key: string): Promise<CachedLookup | undefined> {
    const own = await this.local.get(key);
    if (own !== undefined || !this.redis.available) return own;
    try {
      const client = this.redis.commands;
      const [json, ttlMs] = await Promise.all([client.get(this.keyPrefix + key), client.pTTL(this.keyPrefix + key)]);
      if (json === null || ttlMs <= 0) return undefined;
      const value = JSON.parse(json) as CachedLookup;
      await this.local.set(key, value, ttlMs);
      return value;
    } catch {
      // Redis failed the command: Halo answers instead, and the connection's own log says why.
      return undefined;
    }
  }

  async set(key: string, value: CachedLookup, ttlMs: number): Promise<void> {
    // Kept compact here too, so that a replica answers alike whether it looked the name up itself or read another's answer.
    const kept = compact(value);
    await this.local.set(key, kept, ttlMs);
    if (!this.redis.available) return;
    const json = JSON.stringify(kept);
    if (json.length > MAX_SHARED_BYTES) return;
    try {
      await this.redis.commands.set(this.keyPrefix + key, json, { expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) } });
    } catch {
      // Not shared this time: the answer is still this replica's, and another replica asks Halo.
    }
  }
}
