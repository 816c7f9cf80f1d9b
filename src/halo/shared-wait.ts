import { HaloCancelledError } from './errors.js';

/**
 * Work shared by several callers (a token request, a reference lookup, a rate-limit slot) as one
 * caller awaits it: the caller stops waiting when its own signal aborts, while the work goes on
 * for the others. Work not yet started is not started for a caller that has already given up.
 */
export function awaitShared<T>(start: () => Promise<T>, signal: AbortSignal | undefined, waitingFor: string): Promise<T> {
  if (!signal) return start();
  const cancelled = (): HaloCancelledError => new HaloCancelledError(`The call was cancelled while it waited for ${waitingFor}.`);
  if (signal.aborted) return Promise.reject(cancelled());
  const work = start();
  return new Promise<T>((resolve, reject) => {
    const abandon = (): void => reject(cancelled());
    signal.addEventListener('abort', abandon, { once: true });
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abandon));
  });
}
