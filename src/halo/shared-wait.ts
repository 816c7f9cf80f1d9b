import { HaloCancelledError } from './errors.js';

/** Where a wait ends, and the error it ends with there. */
export interface WaitLimit {
  /** `performance.now()` when the wait gives up. */
  at: number;
  exceeded: () => Error;
}

/**
 * Work shared by several callers (a token request, a reference lookup) as one caller awaits it:
 * the caller stops waiting when its own signal aborts or its time is up, while the work goes on
 * for the others. Work not yet started is not started for a caller that has already given up.
 */
export function awaitShared<T>(start: () => Promise<T>, signal: AbortSignal | undefined, waitingFor: string, limit?: WaitLimit): Promise<T> {
  if (!signal && !limit) return start();
  const cancelled = (): HaloCancelledError => new HaloCancelledError(`The call was cancelled while it waited for ${waitingFor}.`);
  if (signal?.aborted) return Promise.reject(cancelled());
  const remaining = limit ? limit.at - performance.now() : Number.POSITIVE_INFINITY;
  if (limit && remaining <= 0) return Promise.reject(limit.exceeded());
  const work = start();
  return new Promise<T>((resolve, reject) => {
    const abandon = (): void => reject(cancelled());
    const timer = limit ? setTimeout(() => reject(limit.exceeded()), remaining) : undefined;
    signal?.addEventListener('abort', abandon, { once: true });
    void work.then(resolve, reject).finally(() => {
      signal?.removeEventListener('abort', abandon);
      clearTimeout(timer);
    });
  });
}
