/**
 * One HTTP exchange with Halo over the shared undici pool, and the translation of what can go
 * wrong into typed errors: the transport failure itself (refused, reset, timed out, cancelled),
 * or Halo's error answer with its own message.
 */
import type { Dispatcher } from 'undici';
import {
  HaloCancelledError,
  HaloNetworkError,
  HaloNotFoundError,
  HaloRateLimitError,
  HaloResponseError,
  HaloResponseTooLargeError,
  HaloServerError,
  HaloTimeoutError,
  HaloValidationError,
  type HaloError,
} from './errors.js';
import { AddressRefusedError } from './egress.js';
import type { Redactor } from '../util/redact.js';

/**
 * undici, loaded with the first exchange rather than at start: starting the server (initialize,
 * tools/list) is then as quick as a bare SDK server's, and the HTTP client costs nothing until a
 * tool reaches Halo.
 */
let undici: Promise<typeof import('undici')> | undefined;

export function loadUndici(): Promise<typeof import('undici')> {
  // Installed, undici's named exports are there; bundled (a CommonJS module in an ES module build) only its default export is.
  undici ??= import('undici').then((module) => ('Agent' in module ? module : (module as { default: typeof import('undici') }).default));
  return undici;
}

/** The connection pool, made on first use. */
export type DispatcherSource = () => Promise<Dispatcher>;

export interface Exchange {
  dispatcher: DispatcherSource;
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** The largest answer to read (HALO_MAX_RESPONSE_MB). */
  maxResponseBytes: number;
  signal?: AbortSignal;
  /** What the error messages call the call, e.g. `GET /Tickets`. */
  label: { method: string; path: string };
  effect: Effect;
  redactor: Redactor;
}

/**
 * What a request does to Halo, which decides what a failure after sending it means: a read changed
 * nothing; a repeatable change (an update or a delete) may have been applied, and sending it again
 * is safe; a change made once (a create) may have been applied, and must not be sent again blindly.
 */
export type Effect = 'read' | 'repeatable' | 'once';

export interface HaloResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Failures in the connection phase, in words: nothing of the request can have reached Halo. A
 * name that does not resolve is an answer, not a hiccup (EAI_AGAIN is the hiccup): no retry.
 */
const CONNECT_FAILURES: Record<string, { words: string; transient: boolean }> = {
  ECONNREFUSED: { words: 'connection refused', transient: true },
  ENOTFOUND: { words: 'no such host', transient: false },
  EAI_AGAIN: { words: 'host name lookup failed for now', transient: true },
  EHOSTUNREACH: { words: 'host unreachable', transient: true },
  ENETUNREACH: { words: 'network unreachable', transient: true },
  ENETDOWN: { words: 'network down', transient: true },
  UND_ERR_CONNECT_TIMEOUT: { words: 'no connection within the connect timeout', transient: true },
};

/** TLS refusals of Halo's certificate: the handshake fails before any of the request is sent. */
const CERTIFICATE_FAILURES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'a self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'a self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'an issuer this machine does not know',
  UNABLE_TO_GET_ISSUER_CERT: 'an issuer this machine does not know',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'an issuer this machine does not know',
  CERT_UNTRUSTED: 'an untrusted certificate',
  CERT_HAS_EXPIRED: 'an expired certificate',
  CERT_NOT_YET_VALID: 'a certificate not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'a certificate for another host name',
};

/** Failures once the request was under way, in words. */
const TRANSFER_FAILURES: Record<string, string> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'body shorter than its announced length',
};

/** What a failure after sending means for the change, in the sentence that ends an error. */
export function outcomeText(effect: Effect, stopped = 'the failure'): string {
  if (effect === 'repeatable') return ` It may have been applied before ${stopped}; sending it again is safe, as it changes the same record.`;
  if (effect === 'once') return ` It may have been applied before ${stopped}, so it was not sent again: check whether the change exists before retrying.`;
  return '';
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A transport failure in words, with its code for anyone who searches for it. */
export function failureWords(error: unknown): string {
  const code = errorCode(error);
  const words = code === undefined ? undefined : (CONNECT_FAILURES[code]?.words ?? CERTIFICATE_FAILURES[code] ?? TRANSFER_FAILURES[code]);
  if (words && code) return `${words}, ${code}`;
  return code ?? (error instanceof Error ? error.message || error.name : 'unknown error');
}

/** Whether TLS refused Halo's certificate; retrying cannot help, and nothing was sent. */
export function isCertificateFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && code in CERTIFICATE_FAILURES;
}

export const CERTIFICATE_ADVICE =
  "If your organisation issued it, set NODE_EXTRA_CA_CERTS to the file of its root certificate; if it expired or names another host, it needs renewing, or HALO_URL needs the host it names.";

/** An error answer is read for Halo's message only; past this much, the rest is not worth holding. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

function tooLarge(options: Exchange, status: number, announced: number | undefined): HaloResponseTooLargeError {
  const { method, path } = options.label;
  const size = announced === undefined ? `more than ${megabytes(options.maxResponseBytes)}` : megabytes(announced);
  const applied = options.effect === 'read' ? '' : ` Halo answered ${status}, so the change was applied; only its answer went unread.`;
  return new HaloResponseTooLargeError(
    `Halo's answer to ${method} ${path} is ${size}, over the ${megabytes(options.maxResponseBytes)} this server reads (HALO_MAX_RESPONSE_MB), so it was not read.${applied} Ask for less: narrow the query with filters, or page through it (a smaller count or page size); raise HALO_MAX_RESPONSE_MB only if such answers are expected.`,
    { status, method, path },
  );
}

/**
 * Reads the body as it streams, and stops as soon as it passes the cap, so that an answer too
 * large is never held whole: one 47 MB answer took the process from 110 to 394 MB. An error
 * answer is only read for Halo's message, so its end is dropped rather than failing the call.
 */
async function readBody(body: Dispatcher.ResponseData['body'], status: number, announced: number | undefined, options: Exchange): Promise<string> {
  const isError = status >= 300;
  const limit = isError ? Math.min(MAX_ERROR_BODY_BYTES, options.maxResponseBytes) : options.maxResponseBytes;
  if (!isError && announced !== undefined && announced > limit) {
    body.destroy();
    throw tooLarge(options, status, announced);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      if (!isError) throw tooLarge(options, status, undefined);
      chunks.push(chunk.subarray(0, chunk.length - (size - limit)));
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function exchange(options: Exchange): Promise<HaloResponse> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const { method, path } = options.label;
  let status: number | undefined;
  try {
    const [{ request }, dispatcher] = await Promise.all([loadUndici(), options.dispatcher()]);
    const response = await request(options.url, {
      dispatcher,
      method: options.method,
      headers: options.headers,
      ...(options.body !== undefined ? { body: options.body } : {}),
      signal,
    });
    status = response.statusCode;
    const length = Number(header(response.headers, 'content-length'));
    const text = await readBody(response.body, status, Number.isFinite(length) && length >= 0 ? length : undefined, options);
    return { status, headers: response.headers, text };
  } catch (error) {
    if (error instanceof HaloResponseTooLargeError) throw error;
    const code = errorCode(error);
    const detail = failureWords(error);
    const after = outcomeText(options.effect);
    const outcomeUnknown = options.effect === 'once';
    if (options.signal?.aborted) {
      throw new HaloCancelledError(`The call ${method} ${path} was cancelled.${outcomeText(options.effect, 'it was cancelled')}`, { method, path, outcomeUnknown, cause: error });
    }
    if (timeout.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      throw new HaloTimeoutError(`Halo did not answer ${method} ${path} within ${options.timeoutMs} ms.${after}`, { method, path, outcomeUnknown, cause: error });
    }
    if (status !== undefined) {
      throw new HaloResponseError(`Halo's answer to ${method} ${path} (${status}) was cut off (${detail}).${after}`, { status, method, path, outcomeUnknown, cause: error });
    }
    const where = options.url.origin;
    if (error instanceof AddressRefusedError) {
      throw new HaloNetworkError(`Halo at ${where} was not contacted: ${error.message}.`, { method, path, requestSent: false, transient: false, cause: error });
    }
    if (isCertificateFailure(error)) {
      throw new HaloNetworkError(`Halo's certificate at ${where} was refused (${detail}). ${CERTIFICATE_ADVICE}`, {
        method,
        path,
        requestSent: false,
        transient: false,
        cause: error,
      });
    }
    const connectFailure = code === undefined ? undefined : CONNECT_FAILURES[code];
    if (connectFailure) {
      throw new HaloNetworkError(`Could not connect to Halo at ${where} (${detail}). Check HALO_URL and that this machine can reach it.`, {
        method,
        path,
        requestSent: false,
        transient: connectFailure.transient,
        cause: error,
      });
    }
    throw new HaloNetworkError(`The connection to Halo at ${where} failed during ${method} ${path} (${detail}).${after}`, {
      method,
      path,
      requestSent: true,
      transient: true,
      outcomeUnknown,
      cause: error,
    });
  }
}

function header(headers: HaloResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After in milliseconds, from seconds or an HTTP date. */
export function retryAfterMs(response: HaloResponse, now = Date.now()): number | undefined {
  const value = header(response.headers, 'retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const MAX_MESSAGE = 500;

/**
 * Halo's own words from an error body. Halo answers with a JSON string, an object with a message
 * (`message`, `Message`, `error_description`, `error`), ASP.NET's `errors` by field, a plain text,
 * or nothing; an HTML page from a proxy carries nothing worth repeating.
 */
export function haloMessageOf(response: HaloResponse, redactor: Redactor): string | undefined {
  const text = response.text.trim();
  if (!text || text.startsWith('<') || /text\/html/i.test(header(response.headers, 'content-type') ?? '')) return undefined;
  let message: string | undefined;
  try {
    message = messageFromJson(JSON.parse(text) as unknown);
  } catch {
    message = text;
  }
  if (!message) return undefined;
  const clean = redactor.redact(message.replace(/\s+/g, ' ').trim());
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

function messageFromJson(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item) => typeof item === 'string').join('; ') || undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ['message', 'Message', 'error_description', 'errorMessage']) {
    if (typeof record[key] === 'string' && record[key]) return record[key];
  }
  const errors = record.errors;
  if (errors && typeof errors === 'object') {
    const parts = Array.isArray(errors)
      ? errors.filter((item): item is string => typeof item === 'string')
      : Object.entries(errors as Record<string, unknown>).map(([field, problem]) => `${field}: ${[problem].flat().join(' ')}`);
    if (parts.length > 0) return parts.join('; ');
  }
  if (typeof record.error === 'string') return record.error;
  if (typeof record.title === 'string') return record.title;
  // ModelState-style bodies keyed by field path: {"[0].summary": "..."}.
  const fields = Object.entries(record).filter(([, problem]) => typeof problem === 'string' || Array.isArray(problem));
  return fields.length > 0 ? fields.map(([field, problem]) => `${field}: ${[problem].flat().join(' ')}`).join('; ') : undefined;
}

const REASONS: Record<number, string> = {
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Ends a message with a full stop unless Halo's own words already end it. */
export function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** What a 429 says before any word on waiting. */
export function rateLimitText(method: string, path: string, haloMessage: string | undefined): string {
  return sentence(`Halo's rate limit was reached on ${method} ${path}${haloMessage ? `: ${haloMessage}` : ''}`);
}

/** The typed error for a Halo API answer that is not a success, a refusal (401, 403) aside: see refusal.ts. */
export function apiError(
  response: HaloResponse,
  options: Pick<Exchange, 'label' | 'effect' | 'redactor'> & {
    /** After a 429 without Retry-After: how long the client's own window says to wait. */
    estimatedWaitMs?: number;
  },
): HaloError {
  const { method, path } = options.label;
  const { status } = response;
  const haloMessage = haloMessageOf(response, options.redactor);
  const said = haloMessage ? `: ${haloMessage}` : '';
  const details = { status, method, path, ...(haloMessage ? { haloMessage } : {}) };
  if (status === 404) return new HaloNotFoundError(sentence(`Halo found nothing for ${method} ${path} (404)${said}`), details);
  if (status === 429) {
    const asked = retryAfterMs(response);
    const wait = asked ?? options.estimatedWaitMs;
    return new HaloRateLimitError(`${rateLimitText(method, path, haloMessage)}${asked !== undefined ? ` Halo asks to wait ${Math.ceil(asked / 1000)} s.` : ''}`, {
      ...details,
      ...(wait !== undefined ? { retryAfterMs: wait, retryAfterEstimated: asked === undefined } : {}),
    });
  }
  if (status === 408 || status >= 500) {
    return new HaloServerError(`${sentence(`Halo failed on ${method} ${path} (${status} ${REASONS[status] ?? 'Server Error'})${said}`)}${outcomeText(options.effect)}`, {
      ...details,
      outcomeUnknown: options.effect === 'once',
    });
  }
  if (status === 413 || status === 414 || status === 431) {
    // A web server's limit, met before Halo reads the call: a query string (414, 431) or a body (413) too long.
    const advice = status === 413 ? 'Send less in one call.' : 'Shorten the search text or the filters.';
    return new HaloValidationError(`${sentence(`Halo's web server refused ${method} ${path} as too large (${status} ${REASONS[status] ?? ''})${said}`)} ${advice}`, details);
  }
  return new HaloValidationError(sentence(`Halo rejected ${method} ${path} (${status})${said}`), details);
}

/** Parses a success body; an empty body is `null`, anything that is not JSON is an error. */
export function parseJson(response: HaloResponse, options: Pick<Exchange, 'label' | 'effect'>): unknown {
  if (response.text.trim() === '') return null;
  try {
    return JSON.parse(response.text) as unknown;
  } catch (error) {
    const { method, path } = options.label;
    throw new HaloResponseError(
      `Halo answered ${method} ${path} (${response.status}) with a body that is not valid JSON.${outcomeText(options.effect)}`,
      { status: response.status, method, path, outcomeUnknown: options.effect === 'once', cause: error },
    );
  }
}
