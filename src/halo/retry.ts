/**
 * When a failed call is sent again. Reads and updates that carry an id are safe to repeat, so
 * they retry on network failures, timeouts, 408, 429 and 5xx. A create is repeated only when it
 * provably did not reach Halo: a 429, or a connection that failed before anything was sent. A
 * host that does not exist, or a certificate refused, fails the same way every time: no retry.
 * Backoff is exponential with jitter (p-retry), a Retry-After from Halo replaces it, and the
 * whole call stays within a time budget.
 */
import pRetry from 'p-retry';
import type { HaloRetryPolicy } from './config.js';
import { HaloCancelledError, HaloError, HaloNetworkError, HaloRateLimitError } from './errors.js';

export function isRetryable(error: unknown, idempotent: boolean): boolean {
  if (!(error instanceof HaloError)) return false;
  switch (error.kind) {
    case 'rate_limited':
      return true;
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

export async function withRetry<T>(attempt: () => Promise<T>, { policy, idempotent, signal, onRetry, final }: RetryOptions): Promise<T> {
  const started = performance.now();
  const retryable = (error: unknown): boolean => isRetryable(error, idempotent) && !(final && error instanceof HaloError && final(error));
  try {
    return await pRetry(attempt, {
      retries: policy.maxAttempts - 1,
      factor: 2,
      minTimeout: policy.baseDelayMs,
      maxTimeout: policy.maxDelayMs,
      randomize: true,
      maxRetryTime: policy.budgetMs,
      ...(signal ? { signal } : {}),
      shouldRetry: ({ error }) => retryable(error),
      // A wait Halo asked for takes the place of the backoff, rather than adding to it.
      shouldConsumeRetry: ({ error }) => !(error instanceof HaloRateLimitError && error.retryAfterMs !== undefined),
      onFailedAttempt: async ({ error, attemptNumber }) => {
        if (!(error instanceof HaloError) || !retryable(error)) return;
        if (attemptNumber >= policy.maxAttempts) throw error;
        const wait = error instanceof HaloRateLimitError ? error.retryAfterMs : undefined;
        if (wait !== undefined && wait > policy.budgetMs - (performance.now() - started)) throw error;
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
