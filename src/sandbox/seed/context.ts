/**
 * What the areas of the seed share: one random sequence they draw from in turn, the store, the
 * tenant's present, and the people later areas need. The order of the draws inside an area is
 * part of the seed as much as the order of the areas: change either and every later record changes.
 */
import { Random } from '../random.js';
import type { HaloRecord } from '../store.js';
import { Store } from '../store.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface SeedContext {
  readonly random: Random;
  readonly store: Store;
  /** The tenant's present, in milliseconds since the epoch. */
  readonly now: number;
  /** The time `offsetMs` away from now, in ISO 8601. */
  readonly at: (offsetMs: number) => string;
  /** A random offset (negative, in milliseconds) back into the last `maxDays` days. */
  readonly daysAgo: (maxDays: number) => number;
}

export function createSeedContext(seed: string | number, now: Date): SeedContext {
  const random = new Random(seed);
  return {
    random,
    store: new Store(),
    now: now.getTime(),
    at: (offsetMs) => new Date(now.getTime() + offsetMs).toISOString(),
    daysAgo: (maxDays) => -Math.floor(random.next() * maxDays * DAY),
  };
}

/** The MSP's people, as the areas after them need them. */
export interface Staff {
  /** The agents work is given to: neither disabled nor the API's own. */
  readonly activeAgents: readonly HaloRecord[];
  /** The agent the sandbox's API application logs in as. */
  readonly apiAgentId: number;
}

/** The MSP's customers (every client but the MSP itself), with each one's users and assets. */
export interface Customers {
  readonly clients: readonly HaloRecord[];
  readonly usersByClient: ReadonlyMap<number, readonly HaloRecord[]>;
  readonly assetsByClient: ReadonlyMap<number, readonly HaloRecord[]>;
}
