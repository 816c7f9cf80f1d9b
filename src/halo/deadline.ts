/**
 * The end of a call's time budget (HALO_RETRY_BUDGET_MS). Every wait of the call (for a token, for
 * its turn under the rate limit, before a retry) ends by then, so that a call answers within the
 * budget rather than queueing for minutes.
 */
export interface Deadline {
  /** `performance.now()` when the budget ends. */
  readonly at: number;
  readonly budgetMs: number;
}

export function deadlineIn(budgetMs: number, now = performance.now()): Deadline {
  return { at: now + budgetMs, budgetMs };
}

export function remainingMs(deadline: Deadline, now = performance.now()): number {
  return deadline.at - now;
}

/** A duration in whole seconds, rounded up: "61 s". */
export function inSeconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

/** The wall-clock time a duration from now ends, for a person to read: "14:05:12 UTC". */
export function clockTimeIn(ms: number): string {
  return `${new Date(Date.now() + ms).toISOString().slice(11, 19)} UTC`;
}
