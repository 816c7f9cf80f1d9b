/**
 * The limit on a token's requests at once (HALO_MCP_MAX_CONCURRENT), so that one token cannot take
 * the process, or its Halo's rate limit, from every other. A batch counts each of its messages as a
 * request of its own, or one POST of twenty tool calls would pass a limit of sixteen.
 */
import { HttpError } from './errors.js';

/** Takes further places among the token's requests at once, for the other messages of a batch. */
export type ReserveMore = (count: number) => void;

export class TokenConcurrency {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Runs `work` on one place of the token's (refused with 429 when it has none left), and frees every place it took once it ends. */
  async run(token: string, work: (reserveMore: ReserveMore) => Promise<void>): Promise<void> {
    let reserved = 0;
    const reserve = (count: number): void => {
      const running = this.inFlight.get(token) ?? 0;
      if (reserved + count > this.limit) {
        throw new HttpError(413, `A batch of ${reserved + count} messages counts as ${reserved + count} requests, more than the ${this.limit} a token may have at once; send smaller batches.`);
      }
      if (running + count > this.limit) throw new HttpError(429, `At most ${this.limit} requests at once per token, each message of a batch counted.`, { 'retry-after': '1' });
      this.inFlight.set(token, running + count);
      reserved += count;
    };
    reserve(1);
    try {
      await work(reserve);
    } finally {
      this.inFlight.set(token, (this.inFlight.get(token) ?? reserved) - reserved);
    }
  }
}
