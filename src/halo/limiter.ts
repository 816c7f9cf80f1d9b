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
 * - With a shared budget (replicas behind one load balancer), every request this limiter lets
 *   through, in its caller's turn, is also admitted to one window for the Halo tenant that all
 *   replicas draw from. While that window cannot be asked, the limiter keeps a share of the limit
 *   by itself (the limit over the replicas last seen), counting as spent what the others had
 *   spent beyond their share, and keeps that share for one window after the shared one is back,
 *   since requests sent alone are not in it.
 *
 * p-throttle, which this replaced, has neither per-caller turns, nor a limit that changes, nor a
 * way to take a waiter out of its queue when the waiter gives up.
 */
import type { HaloRateLimit } from './config.js';
import { clockTimeIn, inSeconds, type Deadline } from './deadline.js';
import { HaloCancelledError, HaloRateLimitError } from './errors.js';
import type { SharedBudget } from './shared-budget.js';

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
/** After the shared window failed to answer, how long the limiter counts alone before asking it again. */
const SHARED_RETRY_MS = 1_000;
/**
 * The shared window is longer by this much again: between its admission and Halo's count stand a
 * round trip to it and the replica's own event loop, which under load varies by more than the
 * local headroom (on a busy test machine, 429s came back with only the local headroom).
 */
const SHARED_HEADROOM_MS = 1_000;

/** The shared window a limiter draws from, and the key of its Halo tenant's window. */
export interface SharedWindow {
  budget: SharedBudget;
  key: string;
}

interface Sent {
  /** When the request leaves the window (sent + window): one sum, so that every comparison agrees. */
  leaves: number;
  answered: 'accepted' | 'refused' | undefined;
  /** Not sent by this client: what other replicas had spent beyond their share when the shared window went away. */
  othersExcess?: true;
}

interface Waiter {
  request: SlotRequest;
  queuedAt: number;
  grant: (sent: Sent) => void;
  fail: (error: Error) => void;
}

const UNLIMITED_SLOT: Slot = { accepted: () => undefined, refused: (retryAfterMs) => retryAfterMs };

export function createLimiter(rate: HaloRateLimit | undefined, shared?: SharedWindow): RequestLimiter {
  return rate ? new WindowLimiter(rate, shared) : { acquire: () => Promise.resolve(UNLIMITED_SLOT) };
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
  /** Whether requests went through the shared window when last looked. */
  private sharing: boolean;
  /** A question to the shared window is under way: one at a time, for the caller whose turn it is. */
  private asking = false;
  /** Until when the shared window said it is full. */
  private sharedOpensAt = 0;
  /** Until when the shared window, having failed to answer, is not asked. */
  private sharedUnreachableUntil = 0;
  /** Until when this client keeps its share of the limit by itself: one window after it last counted alone. */
  private aloneUntil = 0;
  /** The shared window as the last request admitted to it found it. */
  private lastAdmitted: { inWindow: number; own: number; at: number } | undefined;

  constructor(
    private readonly rate: HaloRateLimit,
    private readonly shared?: SharedWindow,
  ) {
    this.sharing = shared !== undefined;
    this.windowMs = rate.windowSeconds * 1000 + Math.max(HEADROOM_MIN_MS, rate.windowSeconds * 1000 * HEADROOM_SHARE);
  }

  acquire(request: SlotRequest): Promise<Slot> {
    if (request.signal?.aborted) return Promise.reject(cancelled());
    const now = performance.now();
    this.prune(now);
    const ahead = this.queues.get(request.caller)?.length ?? 0;
    if (!this.shared && this.queues.size === 0 && this.opening(now) <= now) return Promise.resolve(this.slot(this.record(now)));
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

  /** The limit in force at a moment: the configured one (or this client's share of it while it counts alone), or the lowered one on its way back up. */
  private limitAt(time: number): number {
    const ceiling = time < this.aloneUntil ? this.share() : this.rate.limit;
    if (!this.lowered) return ceiling;
    const { limit, from } = this.lowered;
    if (time < from) return Math.min(ceiling, limit);
    return Math.min(ceiling, limit + Math.floor((time - from) / this.growthStepMs()));
  }

  /** What this client may spend by itself: the limit over the replicas last seen sharing it. */
  private share(): number {
    return Math.max(1, Math.floor(this.rate.limit / (this.shared?.budget.sharers ?? 1)));
  }

  /**
   * Whether the shared window is to be asked now. On the way to counting alone, what the other
   * replicas had spent beyond their share (as the last admission found the window) counts as
   * spent here until it leaves the window, so that the shares add up to the limit.
   */
  private shareNow(now: number): boolean {
    if (!this.shared) return false;
    const sharing = this.shared.budget.available && now >= this.sharedUnreachableUntil;
    if (!sharing) {
      const last = this.lastAdmitted;
      if (this.sharing && last && last.at + this.windowMs > now) {
        const excess = last.inWindow - last.own - this.share();
        // The last admission was this client's latest request, so these leave no earlier than any it sent: the log stays in order.
        for (let index = 0; index < excess; index++) this.sent.push({ leaves: last.at + this.windowMs, answered: undefined, othersExcess: true });
      }
      this.aloneUntil = now + this.windowMs;
    }
    this.sharing = sharing;
    return sharing;
  }

  private growthStepMs(): number {
    return (RECOVERY_WINDOWS * this.windowMs) / this.rate.limit;
  }

  /** The first moment from `now` at which one more request fits the window. */
  private opening(now: number): number {
    let time = Math.max(now, this.blockedUntil, this.sharing ? this.sharedOpensAt : 0);
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
    if (this.asking) return;
    const now = performance.now();
    this.prune(now);
    const sharing = this.shareNow(now);
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
      if (!waiter) return;
      if (sharing) {
        this.askShared(caller, waiter);
        return;
      }
      this.serve(caller, waiter, now);
    }
  }

  /** Lets the caller's first call through, and sends the caller to the back, so that the next turn is another caller's. */
  private serve(caller: string, waiter: Waiter, now: number): void {
    const queue = this.queues.get(caller);
    if (queue?.[0] !== waiter) return;
    this.queues.delete(caller);
    if (queue.length > 1) this.queues.set(caller, queue);
    waiter.grant(this.record(now));
  }

  /**
   * Asks the shared window to admit the call whose turn it is. A call that gave up meanwhile
   * leaves its place in the window unused, which errs on the safe side; a window that does not
   * answer sends the call through this client's own share instead, so it is sent once either way.
   */
  private askShared(caller: string, waiter: Waiter): void {
    if (!this.shared) return;
    this.asking = true;
    const { budget, key } = this.shared;
    void budget
      .take(key, this.rate.limit, this.windowMs + SHARED_HEADROOM_MS)
      .then(
        (answer) => {
          const now = performance.now();
          if (!answer.granted) {
            this.sharedOpensAt = now + answer.retryInMs;
            return;
          }
          this.sharedOpensAt = 0;
          this.prune(now);
          this.serve(caller, waiter, now);
          this.lastAdmitted = { inWindow: answer.inWindow, own: this.sent.filter((sent) => !sent.othersExcess).length, at: now };
        },
        () => {
          this.sharedUnreachableUntil = performance.now() + SHARED_RETRY_MS;
        },
      )
      .finally(() => {
        this.asking = false;
        this.dispatch();
      });
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
