/** What the Halo client needs to know, already validated (see `src/config/halo.ts` for where it comes from). */
export interface HaloRateLimit {
  /** Requests allowed per rolling window. */
  limit: number;
  windowSeconds: number;
}

export interface HaloRetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Time budget for one call, retries and waits included. */
  budgetMs: number;
  /** First backoff delay; each retry doubles it, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface HaloClientConfig {
  /** The Halo web address, e.g. `https://acme.halopsa.com`; the API is `<url>/api`. */
  url: string;
  /** The authorisation server, `<url>/auth` unless Halo's API details page says otherwise. */
  authUrl: string;
  /** The tenant name of a Halo-hosted instance, sent with token requests. */
  tenant?: string;
  /** The API application: for the client credentials grant, or the application technicians sign in through. */
  clientId: string;
  /** Needed by the client credentials grant; an application technicians sign in through may have none (a public client). */
  clientSecret?: string;
  /** Space-separated scopes to request, `all` by default. */
  scope: string;
  /**
   * What to ask for instead when Halo refuses `scope` (invalid_scope), once: set when `scope` was
   * worked out from the tools rather than written in HALO_SCOPE. An application granted only `all`
   * may be refused a narrower scope; that it is not is unconfirmed on live tenants, and the server
   * must work either way.
   */
  scopeFallback?: string;
  /** Per-request timeout. */
  timeoutMs: number;
  retry: HaloRetryPolicy;
  /** The window the client keeps under by queueing; none when Halo's limit does not apply. */
  rateLimit?: HaloRateLimit;
  /** The largest answer read from Halo; a larger one fails rather than filling memory. */
  maxResponseBytes: number;
}

export const DEFAULT_RETRY: HaloRetryPolicy = { maxAttempts: 4, budgetMs: 60_000, baseDelayMs: 500, maxDelayMs: 10_000 };
/** Hosted Halo's published figure: 300 requests per rolling 5 minutes. */
export const DEFAULT_RATE_LIMIT: HaloRateLimit = { limit: 300, windowSeconds: 300 };
export const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * 8 MB: forty times the largest single record reported (a ticket with its details, 150-200 KB), and
 * several times a page of 100 records, which is the most any tool asks for at once. Reading and
 * parsing an answer takes about six times its size in memory (a 47 MB answer took 284 MB), so one
 * call stays near 50 MB; a report or an unpaged list past the cap is better narrowed or paged anyway.
 */
export const DEFAULT_MAX_RESPONSE_MB = 8;

/** `N/SECONDS` (such as 300/300), or `off` for no limit (undefined); null when the text is neither. */
export function parseRateLimit(text: string): HaloRateLimit | undefined | null {
  const value = text.trim();
  if (value.toLowerCase() === 'off') return undefined;
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(value);
  const limit = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  return match && limit >= 1 && windowSeconds >= 1 ? { limit, windowSeconds } : null;
}
