/**
 * When a failed call is sent again. Reads and updates that carry an id are safe to repeat, so
 * they retry on network failures, timeouts, 408, 429 and 5xx. A create is repeated only when it
 * provably did not reach Halo: a 429, or a connection that failed before anything was sent. A
 * host that does not exist, or a certificate refused, fails the same way every time: no retry.
 * Backoff is exponential with jitter (p-retry); after a 429 the wait Halo asked for, or the one the
 * rate limiter works out, replaces it; and the whole call stays within its time budget.
 */
import pRetry from 'p-retry';
import type { HaloRetryPolicy } from './config.js';
import { clockTimeIn, inSeconds, remainingMs, type Deadline } from './deadline.js';
import { HaloCancelledError, HaloError, HaloNetworkError, HaloRateLimitError } from './errors.js';
import { rateLimitText } from './http.js';

export function isRetryable(error: unknown, idempotent: boolean): boolean {
  if (!(error instanceof HaloError)) return false;
  switch (error.kind) {
    case 'rate_limited':
      return !(error instanceof HaloRateLimitError && error.waitExceedsBudget);
    case 'network':
      return error instanceof HaloNetworkError && error.transient && (idempotent || !error.requestSent);
    case 'server':
    case 'timeout':
    case 'invalid_response':
      return idempotent;
    default:
      return false;
  }
}

function waitFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new HaloCancelledError('The call was cancelled while waiting to retry.'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new HaloCancelledError('The call was cancelled while waiting to retry.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryOptions {
  policy: HaloRetryPolicy;
  /** The end of the call's time budget: no retry starts after it, and no wait runs past it. */
  deadline: Deadline;
  idempotent: boolean;
  signal?: AbortSignal;
  /** Told about each retry before it happens. */
  onRetry?: (error: HaloError, attempt: number) => void;
  /**
   * Failures not to repeat whatever their kind: a failed token request has already had retries of
   * its own, and repeating it for each attempt of the call would multiply them.
   */
  final?: (error: HaloError) => boolean;
}

/** A 429 whose wait outlasts the call's budget: when Halo will take calls again, and the settings that matter. */
function waitTooLong(error: HaloRateLimitError, waitMs: number, deadline: Deadline, estimated: boolean): HaloRateLimitError {
  const when = estimated
    ? `Halo sent no Retry-After; from what this client sent, Halo should take calls again in about ${inSeconds(waitMs)} (at ${clockTimeIn(waitMs)})`
    : `Halo asks to wait ${inSeconds(waitMs)} (until ${clockTimeIn(waitMs)})`;
  return new HaloRateLimitError(
    `${rateLimitText(error.method ?? '', error.path ?? '', error.haloMessage)} ${when}, past this call's time budget of ${inSeconds(deadline.budgetMs)} (HALO_RETRY_BUDGET_MS), so it was not sent again. If other integrations use this Halo too, lower HALO_RATE_LIMIT to leave them room; or raise HALO_RETRY_BUDGET_MS to wait longer.`,
    {
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.method !== undefined ? { method: error.method } : {}),
      ...(error.path !== undefined ? { path: error.path } : {}),
      ...(error.haloMessage !== undefined ? { haloMessage: error.haloMessage } : {}),
      retryAfterMs: waitMs,
      retryAfterEstimated: estimated,
      waitExceedsBudget: true,
      cause: error,
    },
  );
}

export async function withRetry<T>(attempt: () => Promise<T>, { policy, deadline, idempotent, signal, onRetry, final }: RetryOptions): Promise<T> {
  const retryable = (error: unknown): boolean => isRetryable(error, idempotent) && !(final && error instanceof HaloError && final(error));
  try {
    return await pRetry(attempt, {
      retries: policy.maxAttempts - 1,
      factor: 2,
      minTimeout: policy.baseDelayMs,
      maxTimeout: policy.maxDelayMs,
      randomize: true,
      maxRetryTime: Math.max(0, remainingMs(deadline)),
      ...(signal ? { signal } : {}),
      shouldRetry: ({ error }) => retryable(error),
      // A wait after a 429 takes the place of the backoff, rather than adding to it.
      shouldConsumeRetry: ({ error }) => !(error instanceof HaloRateLimitError && error.retryAfterMs !== undefined),
      onFailedAttempt: async ({ error, attemptNumber }) => {
        if (!(error instanceof HaloError) || !retryable(error)) return;
        if (attemptNumber >= policy.maxAttempts) throw error;
        const wait = error instanceof HaloRateLimitError ? error.retryAfterMs : undefined;
        if (error instanceof HaloRateLimitError && wait !== undefined && wait > remainingMs(deadline)) {
          throw waitTooLong(error, wait, deadline, error.retryAfterEstimated);
        }
        onRetry?.(error, attemptNumber);
        if (wait !== undefined) await waitFor(wait, signal);
      },
    });
  } catch (error) {
    if (error instanceof HaloError) throw error;
    if (signal?.aborted) throw new HaloCancelledError('The call was cancelled.', { cause: error });
    throw error;
  }
}
