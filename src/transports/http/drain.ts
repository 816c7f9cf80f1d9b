/**
 * Graceful shutdown. Once the server begins to close, MCP refuses new work with 503 (a client then
 * retries on another replica) and /healthz reports draining, while the calls being answered get the
 * grace period to finish. Only POSTs are waited for: a GET is a session's standing event stream,
 * which does no work and would hold the shutdown until the client went away.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './errors.js';

export class Drain {
  private activeCalls = 0;
  private draining = false;

  /** Counts a POST as a call in flight until its answer is closed. */
  track(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'POST') return;
    this.activeCalls++;
    response.on('close', () => {
      this.activeCalls--;
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  refuseWhileDraining(): void {
    if (this.draining) throw new HttpError(503, 'The server is shutting down.', { 'retry-after': '5' });
  }

  begin(): void {
    this.draining = true;
  }

  /** Waits until the calls in flight have finished, or the grace period has passed. */
  async callsFinished(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.activeCalls > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
