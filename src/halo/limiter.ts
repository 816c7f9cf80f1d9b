/**
 * Keeps the client under Halo's rolling-window rate limit by queueing, so that a steady workload
 * never collects 429s. A rolling window (p-throttle's strict mode) rather than fixed buckets, and a
 * little headroom, because Halo counts requests when they arrive, a few milliseconds after we send.
 */
import pThrottle from 'p-throttle';
import type { HaloRateLimit } from './config.js';
import { awaitShared } from './shared-wait.js';

export interface RequestLimiter {
  /** Resolves when one more request may be sent. */
  acquire(signal?: AbortSignal): Promise<void>;
}

const HEADROOM_MIN_MS = 250;
const HEADROOM_SHARE = 0.02;

export function createLimiter(rate: HaloRateLimit | undefined): RequestLimiter {
  if (!rate) return { acquire: () => Promise.resolve() };
  const windowMs = rate.windowSeconds * 1000;
  const slot = pThrottle({
    limit: rate.limit,
    interval: windowMs + Math.max(HEADROOM_MIN_MS, windowMs * HEADROOM_SHARE),
    strict: true,
  })(() => Promise.resolve());
  return {
    acquire: (signal) => awaitShared(slot, signal, 'the rate limit'),
  };
}
