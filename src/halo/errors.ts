/**
 * Typed errors for everything that can go wrong talking to Halo. Each carries Halo's own message
 * (secrets removed), the HTTP status where there is one, and a sentence a person or a model can
 * act on.
 */

export type HaloErrorKind =
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'validation'
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'invalid_response'
  | 'too_large'
  | 'cancelled';

export interface HaloErrorDetails {
  status?: number;
  method?: string;
  path?: string;
  /** What Halo itself said, secrets removed. */
  haloMessage?: string;
  /**
   * True when a write failed after it may have reached Halo, so it was not sent again: the record
   * may or may not exist now.
   */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

export abstract class HaloError extends Error {
  abstract readonly kind: HaloErrorKind;
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly haloMessage: string | undefined;
  readonly outcomeUnknown: boolean;

  constructor(message: string, details: HaloErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.haloMessage = details.haloMessage;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
  }
}

/** Credentials refused: wrong client id or secret, wrong tenant, or a token Halo will not accept. */
export class HaloAuthError extends HaloError {
  readonly kind = 'auth';
}

/** Authenticated, but not allowed: a scope missing from the API application or the agent's permissions. */
export class HaloPermissionError extends HaloError {
  readonly kind = 'permission';
  /** The scope that would most likely allow the call, e.g. `edit:tickets`. */
  readonly likelyScope: string | undefined;

  constructor(message: string, details: HaloErrorDetails & { likelyScope?: string } = {}) {
    super(message, details);
    this.likelyScope = details.likelyScope;
  }
}

export class HaloNotFoundError extends HaloError {
  readonly kind = 'not_found';
}

/** Halo refused the request as invalid (400), with its reason. */
export class HaloValidationError extends HaloError {
  readonly kind = 'validation';
}

export class HaloRateLimitError extends HaloError {
  readonly kind = 'rate_limited';
  /** How long to wait before the next request: what Halo asked for, or what the client works out from what it sent. */
  readonly retryAfterMs: number | undefined;
  /** True when Halo sent no Retry-After, so `retryAfterMs` is the client's own reckoning. */
  readonly retryAfterEstimated: boolean;
  /** True when the wait would outlast the call's time budget, so the call ends here rather than waiting. */
  readonly waitExceedsBudget: boolean;

  constructor(message: string, details: HaloErrorDetails & { retryAfterMs?: number; retryAfterEstimated?: boolean; waitExceedsBudget?: boolean } = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
    this.retryAfterEstimated = details.retryAfterEstimated ?? false;
    this.waitExceedsBudget = details.waitExceedsBudget ?? false;
  }
}

/** Halo, or a proxy in front of it, failed (5xx, or 408). */
export class HaloServerError extends HaloError {
  readonly kind = 'server';
}

export class HaloNetworkError extends HaloError {
  readonly kind = 'network';
  /** False when the connection failed before any of the request was sent, so it cannot have reached Halo. */
  readonly requestSent: boolean;
  /** False when trying again cannot help: the host does not exist, or its certificate was refused. */
  readonly transient: boolean;

  constructor(message: string, details: HaloErrorDetails & { requestSent: boolean; transient: boolean }) {
    super(message, details);
    this.requestSent = details.requestSent;
    this.transient = details.transient;
  }
}

export class HaloTimeoutError extends HaloError {
  readonly kind = 'timeout';
}

/** Halo answered with a body that is not what it should be (invalid or cut-off JSON). */
export class HaloResponseError extends HaloError {
  readonly kind = 'invalid_response';
}

/** Halo's answer is larger than the client will read (HALO_MAX_RESPONSE_MB); reading it again would not make it smaller. */
export class HaloResponseTooLargeError extends HaloError {
  readonly kind = 'too_large';
}

/** The caller cancelled the call (its AbortSignal fired). */
export class HaloCancelledError extends HaloError {
  readonly kind = 'cancelled';
}
