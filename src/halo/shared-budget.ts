/**
 * A rate-limit window that several processes draw from: replicas of the HTTP server behind one
 * load balancer spend one Halo tenant's budget, and each keeping the whole of it apart would
 * draw 429s. The client knows only this interface; where the window lives (Redis) is the
 * deployment's business.
 */

/** One request admitted to the shared window, or how long until the window has room. */
export type BudgetAnswer = { granted: true; inWindow: number } | { granted: false; retryInMs: number };

export interface SharedBudget {
  /** Whether the shared window can be asked now; while it cannot, the limiter keeps a share of the limit by itself. */
  readonly available: boolean;
  /** How many processes were last seen sharing the budget, this one included: the share each keeps while the window cannot be asked. */
  readonly sharers: number;
  /**
   * Admits one request to the window `key` names if fewer than `limit` were admitted in the last
   * `windowMs`; `inWindow` counts them, this one included. Rejects when the window cannot be asked.
   */
  take(key: string, limit: number, windowMs: number): Promise<BudgetAnswer>;
}

/** The window one Halo tenant's API application spends: Halo counts per tenant, and every caller of the application shares it. */
export function budgetKey(config: { url: string; tenant?: string; clientId: string }): string {
  return JSON.stringify([config.url.toLowerCase(), config.tenant ?? '', config.clientId]);
}
