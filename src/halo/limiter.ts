/**
 * Keeps the client under Halo's rolling-window rate limit by queueing, so that a steady workload
 * never collects 429s; shares the window fairly between callers; and bounds every wait by the
 * call's time budget.
 *
 * - A rolling window of the times this client sent requests, with a little headroom, because
 *   Halo counts requests when they arrive, a few milliseconds after they leave.
 * - Callers (the bearer tokens of the HTTP transport, say) queue apart and take turns, so that
 *   one caller's burst does not make the others wait behind all of it.
 * - A wait that cannot end within the call's budget fails at once, and one that runs out of it
 *   fails then, saying when Halo should take calls again and which setting matters.
 * - Halo is not known to send Retry-After, and other integrations spend the same tenant's
 *   window. So after a 429 the client lowers its own limit to a little under what Halo accepted
 *   from it in the window, waits until its own window has room under that, and lets the limit
 *   grow back over two windows: a fixed short sleep would retry into the same full window.
 *
 * p-throttle, which this replaced, has neither per-caller turns, nor a limit that changes, nor a
 * way to take a waiter out of its queue when the waiter gives up.
 */
import type { HaloRateLimit } from './config.js';
import { clockTimeIn, inSeconds, type Deadline } from './deadline.js';
import { HaloCancelledError, HaloRateLimitError } from './errors.js';

/** One request let through: the client reports how Halo answered it. */
export interface Slot {
  /** Halo answered, and not with a 429. */
  accepted(): void;
  /**
   * Halo answered 429. Answers how long to wait before the next request: what Halo asked for,
   * or what the window says; undefined when the client keeps no window (HALO_RATE_LIMIT=off).
   */
  refused(retryAfterMs: number | undefined): number | undefined;
}

export interface SlotRequest {
  /** Whose turn this is: callers take turns; calls of one caller go in order. */
  caller: string;
  deadline: Deadline;
  signal?: AbortSignal;
  /** The call, as messages name it: `GET /Tickets`. */
  label: string;
}

export interface RequestLimiter {
  /** Resolves when one more request may be sent, in the caller's turn. */
  acquire(request: SlotRequest): Promise<Slot>;
}

const HEADROOM_MIN_MS = 250;
const HEADROOM_SHARE = 0.02;
/** After a 429 the limit goes a tenth under what Halo accepted from this client in the window. */
const SHRINK_MARGIN = 0.1;
/** How many windows a lowered limit takes to grow back to the configured one. */
const RECOVERY_WINDOWS = 2;

interface Sent {
  /** When the request leaves the window (sent + window): one sum, so that every comparison agrees. */
  leaves: number;
  answered: 'accepted' | 'refused' | undefined;
}

interface Waiter {
  request: SlotRequest;
  queuedAt: number;
  grant: (sent: Sent) => void;
  fail: (error: Error) => void;
}

const UNLIMITED_SLOT: Slot = { accepted: () => undefined, refused: (retryAfterMs) => retryAfterMs };

export function createLimiter(rate: HaloRateLimit | undefined): RequestLimiter {
  return rate ? new WindowLimiter(rate) : { acquire: () => Promise.resolve(UNLIMITED_SLOT) };
}

class WindowLimiter implements RequestLimiter {
  private readonly windowMs: number;
  /** Requests sent within the last window, oldest first. */
  private sent: Sent[] = [];
  /** Queues by caller; the first entry has the next turn, and a served caller goes to the back. */
  private readonly queues = new Map<string, Waiter[]>();
  private timer: NodeJS.Timeout | undefined;
  /** Until when Halo asked, with Retry-After, not to be called. */
  private blockedUntil = 0;
  /** The limit lowered after a 429: it holds until `from`, then grows back. */
  private lowered: { limit: number; from: number } | undefined;

  constructor(private readonly rate: HaloRateLimit) {
    this.windowMs = rate.windowSeconds * 1000 + Math.max(HEADROOM_MIN_MS, rate.windowSeconds * 1000 * HEADROOM_SHARE);
  }

  acquire(request: SlotRequest): Promise<Slot> {
    if (request.signal?.aborted) return Promise.reject(cancelled());
    const now = performance.now();
    this.prune(now);
    const ahead = this.queues.get(request.caller)?.length ?? 0;
    if (this.queues.size === 0 && this.opening(now) <= now) return Promise.resolve(this.slot(this.record(now)));
    const earliest = Math.max(this.opening(now), this.turnOfOwnCalls(ahead + 1, now));
    if (earliest > request.deadline.at) return Promise.reject(this.waitTooLong(request, earliest - now, 0));
    return new Promise<Slot>((resolve, reject) => {
      const { signal } = request;
      const leave = (): void => {
        const queue = this.queues.get(request.caller);
        const index = queue?.indexOf(waiter) ?? -1;
        if (queue && index >= 0) queue.splice(index, 1);
        if (queue?.length === 0) this.queues.delete(request.caller);
        clearTimeout(expiry);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        leave();
        reject(cancelled());
      };
      const waiter: Waiter = {
        request,
        queuedAt: now,
        grant: (sent) => {
          leave();
          resolve(this.slot(sent));
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      };
      const expiry = setTimeout(() => {
        const at = performance.now();
        waiter.fail(this.waitTooLong(request, Math.max(0, this.opening(at) - at), at - waiter.queuedAt));
      }, request.deadline.at - now);
      signal?.addEventListener('abort', onAbort, { once: true });
      const queue = this.queues.get(request.caller);
      if (queue) queue.push(waiter);
      else this.queues.set(request.caller, [waiter]);
      this.dispatch();
    });
  }

  private slot(sent: Sent): Slot {
    return {
      accepted: () => {
        sent.answered = 'accepted';
      },
      refused: (retryAfterMs) => {
        sent.answered = 'refused';
        return this.refused(retryAfterMs);
      },
    };
  }

  private record(now: number): Sent {
    const sent: Sent = { leaves: now + this.windowMs, answered: undefined };
    this.sent.push(sent);
    return sent;
  }

  private prune(now: number): void {
    while (this.sent.length > 0 && (this.sent[0]?.leaves ?? now) <= now) this.sent.shift();
    if (this.lowered && this.limitAt(now) >= this.rate.limit) this.lowered = undefined;
  }

  /** The limit in force at a moment: the configured one, or the lowered one on its way back up. */
  private limitAt(time: number): number {
    if (!this.lowered) return this.rate.limit;
    const { limit, from } = this.lowered;
    if (time < from) return limit;
    return Math.min(this.rate.limit, limit + Math.floor((time - from) / this.growthStepMs()));
  }

  private growthStepMs(): number {
    return (RECOVERY_WINDOWS * this.windowMs) / this.rate.limit;
  }

  /** The first moment from `now` at which one more request fits the window. */
  private opening(now: number): number {
    let time = Math.max(now, this.blockedUntil);
    for (;;) {
      const first = this.sent.findIndex((sent) => sent.leaves > time);
      const inWindow = first < 0 ? 0 : this.sent.length - first;
      const limit = this.limitAt(time);
      if (inWindow < limit) return time;
      // Enough of the oldest must leave the window for one more to fit, unless the limit grows first.
      time = Math.min(this.sent[first + inWindow - limit]?.leaves ?? time, this.nextGrowth(time));
    }
  }

  /** When a lowered limit next grows by one, after `time`. */
  private nextGrowth(time: number): number {
    if (!this.lowered || this.limitAt(time) >= this.rate.limit) return Number.POSITIVE_INFINITY;
    const step = this.growthStepMs();
    const next = this.lowered.from + (Math.floor(Math.max(0, time - this.lowered.from) / step) + 1) * step;
    // Rounding can land the sum on `time` itself; the next step is then one further.
    return next > time ? next : next + step;
  }

  /**
   * The earliest the n-th of a caller's own queued calls can go, whatever the other callers do:
   * the calls before it go first, and no window holds more than the configured limit.
   */
  private turnOfOwnCalls(n: number, now: number): number {
    const { limit } = this.rate;
    if (n > limit) return now + Math.floor((n - 1) / limit) * this.windowMs;
    const mustLeave = this.sent.length - (limit - n);
    return mustLeave > 0 ? (this.sent[mustLeave - 1]?.leaves ?? now) : now;
  }

  /** Lets waiting calls through while the window has room, one caller's turn at a time. */
  private dispatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = performance.now();
    this.prune(now);
    while (this.queues.size > 0) {
      const opening = this.opening(now);
      if (opening > now) {
        this.timer = setTimeout(() => this.dispatch(), opening - now);
        return;
      }
      const next = this.queues.entries().next().value;
      if (!next) return;
      const [caller, queue] = next;
      const waiter = queue[0];
      // Served callers go to the back, so that the next turn is another caller's.
      this.queues.delete(caller);
      if (queue.length > 1) this.queues.set(caller, queue);
      if (waiter) waiter.grant(this.record(now));
    }
  }

  private refused(retryAfterMs: number | undefined): number {
    const now = performance.now();
    this.prune(now);
    if (retryAfterMs !== undefined) {
      this.blockedUntil = Math.max(this.blockedUntil, now + retryAfterMs);
    } else {
      // Other integrations spend the same window: this client's share is what Halo accepted from it.
      const accepted = this.sent.filter((sent) => sent.answered === 'accepted').length;
      const limit = Math.max(1, Math.floor(accepted * (1 - SHRINK_MARGIN)));
      if (limit < this.limitAt(now)) {
        // It holds until the window has room under it: until then, the next request would meet the same full window.
        const mustLeave = this.sent.length - limit + 1;
        const from = mustLeave > 0 ? (this.sent[mustLeave - 1]?.leaves ?? now) : now;
        this.lowered = { limit, from };
      }
    }
    this.dispatch();
    return Math.max(0, this.opening(now) - now);
  }

  private waitTooLong(request: SlotRequest, turnInMs: number, waitedMs: number): HaloRateLimitError {
    const window = `HALO_RATE_LIMIT=${this.rate.limit}/${this.rate.windowSeconds}`;
    const turn = `${inSeconds(turnInMs)} (at ${clockTimeIn(turnInMs)})`;
    const what =
      waitedMs > 0
        ? `${request.label} waited ${inSeconds(Math.min(waitedMs, request.deadline.budgetMs))} for its turn under this client's share of Halo's rate limit (${window}) until its time budget of ${inSeconds(request.deadline.budgetMs)} (HALO_RETRY_BUDGET_MS) ran out, and was not sent; the next turn comes in about ${turn}.`
        : `${request.label} was not sent: under this client's share of Halo's rate limit (${window}), its turn would come in about ${turn}, after its time budget of ${inSeconds(request.deadline.budgetMs)} (HALO_RETRY_BUDGET_MS).`;
    const waiting = [...this.queues.values()].reduce((count, queue) => count + queue.length, 0);
    const crowded = waiting > 1 ? ` ${waiting} calls are waiting: send fewer at once.` : '';
    return new HaloRateLimitError(
      `${what}${crowded} Raise HALO_RETRY_BUDGET_MS to let calls wait longer, or HALO_RATE_LIMIT if this Halo allows more requests per window.`,
      { retryAfterMs: turnInMs, retryAfterEstimated: true, waitExceedsBudget: true },
    );
  }
}

function cancelled(): HaloCancelledError {
  return new HaloCancelledError('The call was cancelled while it waited for the rate limit.');
}
