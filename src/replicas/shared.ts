/**
 * What replicas of the HTTP server share through Redis (HALO_REDIS_URL): Halo's rate budget, the
 * sign-in store of --oauth and the resolver's reference caches. Legacy MCP sessions (--sessions) are not shared:
 * a session lives in the replica that opened it, so they need routing by Mcp-Session-Id.
 */
import type { Logger } from 'pino';
import type { HaloClientConfig } from '../halo/config.js';
import type { ReferenceCache } from '../toolkit/reference-cache.js';
import { RedisReferenceCache, referenceNamespace, type ActingAs } from './reference-cache.js';
import { RedisBudget } from './budget.js';
import { SharedRedis } from './redis.js';
import { RedisSignInStore } from './sign-in-store.js';

export interface SharedState {
  redis: SharedRedis;
  /** Halo's rate budget, one sliding window per Halo tenant and application for every replica. */
  budget: RedisBudget;
  signInStore: RedisSignInStore;
  /** The reference cache of one Halo, for lookups made as `actingAs`. */
  referenceCache(halo: HaloClientConfig, actingAs: ActingAs): ReferenceCache;
}

export async function connectSharedState(redisUrl: string, logger: Logger): Promise<SharedState> {
  const redis = await SharedRedis.connect(redisUrl, logger);
  return {
    redis,
    budget: new RedisBudget(redis),
    signInStore: new RedisSignInStore(redis),
    referenceCache: (halo, actingAs) => new RedisReferenceCache(redis, referenceNamespace(halo, actingAs)),
  };
}
