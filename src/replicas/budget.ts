/**
 * Halo's rate-limit budget shared by the replicas that use one Redis: a sliding log of admitted
 * requests per Halo tenant and API application, in a sorted set that one Lua script reads and
 * updates atomically, so that replicas racing for the last places never admit more than the limit.
 * The script reads the Redis server's clock (TIME), so the replicas' clocks do not matter.
 *
 * Not a library: rate-limiter-flexible, the maintained one, counts fixed windows, and a burst on
 * either side of a window's edge would be twice Halo's rolling limit; the sliding-window packages
 * on npm are unmaintained or pin an old ioredis. The algorithm is the script below.
 *
 * Replicas also announce themselves (a sorted set of replica ids by heartbeat time), so that
 * each knows how many share the budget and what its share is while Redis cannot be asked.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { BudgetAnswer, SharedBudget } from '../halo/shared-budget.js';
import { KEY_PREFIX, type SharedRedis } from './redis.js';

/** How often a replica says it is there, and after how long without a word it no longer counts. */
const HEARTBEAT_MS = 10_000;
const REPLICA_EXPIRY_MS = 30_000;
/** The share kept alone before any replica has been counted: two, since a shared budget means replicas. */
const SHARERS_UNKNOWN = 2;

/**
 * KEYS[1] the log; ARGV limit, window (ms), a member unique to this request. Drops the entries
 * that left the window; admits when fewer than the limit remain, answering {1, entries in the
 * window}; otherwise answers {0, milliseconds until enough have left for one more}.
 */
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window))
  return {1, count + 1}
end
local leaving = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return {0, math.max(1, math.ceil(tonumber(leaving[2]) + window - now))}
`;

/** KEYS[1] the replicas; ARGV this replica's id, the expiry (ms). Answers how many replicas are there. */
const HEARTBEAT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return redis.call('ZCARD', KEYS[1])
`;

export class RedisBudget implements SharedBudget {
  readonly replicaId = randomUUID();
  private sequence = 0;
  /** The counts of replicas heard within the last expiry, with when: see `sharers`. */
  private counts: { count: number; at: number }[] = [];
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly redis: SharedRedis) {
    this.heartbeat = setInterval(() => void this.announce(), HEARTBEAT_MS).unref();
    void this.announce();
  }

  get available(): boolean {
    return this.redis.available;
  }

  /**
   * The most replicas counted within the last expiry: a Redis that restarted empty counts only
   * those that announced since, and a share worked out from that count would be too large.
   */
  get sharers(): number {
    if (this.counts.length === 0) return SHARERS_UNKNOWN;
    return Math.max(...this.counts.map((reading) => reading.count));
  }

  async take(key: string, limit: number, windowMs: number): Promise<BudgetAnswer> {
    const member = `${this.replicaId}:${++this.sequence}`;
    const reply = await this.redis.commands.eval(TAKE, { keys: [logKey(key)], arguments: [String(limit), String(windowMs), member] });
    const [granted, value] = reply as [number, number];
    return granted === 1 ? { granted: true, inWindow: value } : { granted: false, retryInMs: value };
  }

  /** Says this replica is there and learns how many are; a Redis that is down leaves the last count as it was. */
  async announce(): Promise<void> {
    if (!this.redis.available) return;
    try {
      const count = await this.redis.commands.eval(HEARTBEAT, { keys: [REPLICAS_KEY], arguments: [this.replicaId, String(REPLICA_EXPIRY_MS)] });
      const now = Date.now();
      // The latest reading stays whatever its age, so that the count is remembered through an outage.
      this.counts = [...this.counts.filter((reading) => reading.at > now - REPLICA_EXPIRY_MS), { count: Math.max(1, Number(count)), at: now }];
    } catch {
      // Redis went away between the check and the command: the next heartbeat tries again.
    }
  }

  /** Stops announcing and leaves the count, so that the others' shares grow at once. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    if (!this.redis.available) return;
    await this.redis.commands.zRem(REPLICAS_KEY, this.replicaId).catch(() => undefined);
  }
}

const REPLICAS_KEY = `${KEY_PREFIX}replicas`;

/** The log's key: a digest, since the window's key names a Halo and its application. */
function logKey(key: string): string {
  return `${KEY_PREFIX}budget:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
