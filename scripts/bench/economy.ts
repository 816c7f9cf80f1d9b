/**
 * Halo request economy: the scripted session run twice on one server; Halo requests per tool call,
 * token requests, and lookups answered from the resolver's cache, per run.
 */
import type { Harness } from './harness.js';
import { sessionCalls } from './session.js';
import { round } from './stats.js';

export interface SessionRun {
  calls: number;
  haloRequests: number;
  requestsPerCall: number;
  tokenRequests: number;
  cacheHits: number;
}

export async function requestEconomy(harness: Harness): Promise<SessionRun[]> {
  const runs: SessionRun[] = [];
  for (let run = 0; run < 2; run++) {
    const before = { ...harness.halo.stats, cacheHits: harness.resolver.cacheHits };
    const calls = sessionCalls();
    for (const [name, args] of calls) await harness.call(name, args);
    const haloRequests = harness.halo.stats.requests - before.requests;
    runs.push({
      calls: calls.length,
      haloRequests,
      requestsPerCall: round(haloRequests / calls.length, 2),
      tokenRequests: harness.halo.stats.tokenRequests - before.tokenRequests,
      cacheHits: harness.resolver.cacheHits - before.cacheHits,
    });
  }
  return runs;
}
