/**
 * Halo's published limit: a number of requests per rolling window (300 per 5 minutes on hosted
 * tenants). Requests that are answered 429 do not count towards the window.
 */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

// Halo behaviour: docs/halo-behaviour.md#rate-limit-window
/** Hosted Halo's published figure, stated here apart from the client's so that the two can disagree. */
export const HOSTED_RATE_LIMIT: RateLimit = { limit: 300, windowSeconds: 300 };

/** `N/SECONDS` (such as 300/300), or `off` for no limit (undefined); null when the text is neither. */
export function rateLimitFromText(text: string): RateLimit | undefined | null {
  const value = text.trim();
  if (value.toLowerCase() === 'off') return undefined;
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(value);
  const limit = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  return match && limit >= 1 && windowSeconds >= 1 ? { limit, windowSeconds } : null;
}

export class RollingWindow {
  private readonly times: number[] = [];
  private head = 0;

  constructor(readonly rate: RateLimit) {}

  // Halo behaviour: docs/halo-behaviour.md#rate-limit-window
  /** Records a request if the window has room; otherwise returns the seconds until it will. */
  take(now: number): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const windowMs = this.rate.windowSeconds * 1000;
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= now - windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    if (this.times.length - this.head >= this.rate.limit) {
      const oldest = this.times[this.head] ?? now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
    }
    this.times.push(now);
    return { allowed: true };
  }

  // Halo behaviour: docs/halo-behaviour.md#rate-limit-body
  /** Halo's own wording, with the configured figures. */
  message(): string {
    const { limit, windowSeconds } = this.rate;
    const window = windowSeconds % 60 === 0 ? `${windowSeconds / 60} minute` : `${windowSeconds} second`;
    return `Rate Limit Reached - ${limit} Requests per rolling ${window} window`;
  }

  reset(): void {
    this.times.length = 0;
    this.head = 0;
  }
}
