/**
 * The one Halo client every tool uses: authenticated, retried, rate-limited calls to Halo's REST
 * API, and helpers for its wire format (list envelopes or bare arrays, `pageinate` paging, the
 * array upsert POST, delete). It knows Halo and nothing of MCP.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { HaloClientConfig } from './config.js';
import { deadlineIn, inSeconds, type Deadline } from './deadline.js';
import { HaloCancelledError, HaloError, HaloResponseError, HaloTimeoutError } from './errors.js';
import { apiError, exchange, loadUndici, outcomeText, parseJson, retryAfterMs, type DispatcherSource, type Effect, type HaloResponse } from './http.js';
import { createLimiter, type RequestLimiter } from './limiter.js';
import { budgetKey, type SharedBudget } from './shared-budget.js';
import { Redactor } from '../util/redact.js';
import { refusalError, scopeMissing } from './refusal.js';
import { withRetry } from './retry.js';
import { TokenProvider } from './token.js';
import type { HaloAgentIdentity, SignInKeeper } from './sign-in.js';
import type { BodyAt, BodyOf, GetQuery, ListQuery, ListRecord, MethodAt, NoUnknownNames, QueryAt, RecordId, RecordOf, RecordPath, RemoveQuery } from './calls.js';

export type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;
export type Query = Record<string, QueryValue>;

export type { BodyOf, GetQuery, ListQuery, ListRecord, RecordOf, RecordPath, RemoveQuery } from './calls.js';

/** A record whose fields are not known here: what `requestAny` answers, or a record a caller builds from names it was given. */
export type HaloRecord = Record<string, unknown>;

export interface CallOptions {
  signal?: AbortSignal;
}

export interface HaloRequest extends CallOptions {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under `/api`, e.g. `/Tickets` or `/Tickets/12`. */
  path: string;
  query?: Query;
  body?: unknown;
  /**
   * What the request does to Halo, when its method does not say: a GET reads and a DELETE is
   * repeatable; a POST is repeatable when every record it carries has an id (an update), and made
   * once when one has none (a create). Repeatable requests are retried; requests made once are not.
   */
  effect?: Effect;
}

export interface ListResult<T> {
  items: T[];
  /** Halo's `record_count` (all matches, across pages), or the number of items of a bare array. */
  total: number;
}


/** Counters for benchmarks and diagnostics. */
export interface HaloClientStats {
  /** API requests sent, retries included. */
  requests: number;
  tokenRequests: number;
  retries: number;
}

/** Envelope keys of Halo's list answers where the resource name does not give them away. */
const ENVELOPE_KEYS: Record<string, string> = {
  tickets: 'tickets',
  projects: 'tickets',
  opportunities: 'tickets',
  actions: 'actions',
  client: 'clients',
  site: 'sites',
  users: 'users',
  asset: 'assets',
  kbarticle: 'articles',
  invoice: 'invoices',
  recurringinvoice: 'invoices',
  quotation: 'quotes',
  clientcontract: 'contracts',
  supplier: 'suppliers',
  report: 'reports',
  attachment: 'attachments',
  item: 'items',
  appointment: 'appointments',
  salesorder: 'salesorders',
  purchaseorder: 'purchaseorders',
  service: 'services',
  softwarelicence: 'licences',
};

/** Arrays that ride along in envelopes without being the list itself. */
const ENVELOPE_EXTRAS = new Set(['columns', 'statuses', 'priorities', 'agents', 'folders', 'actionsdetails']);

const MAX_PAGE_SIZE = 100;

function toQueryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    // Halo's "array of int" parameters take comma-separated values; booleans go as lower-case words.
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A path segment as it reads once decoded, or as it is when it holds a `%` that starts no escape. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The URL of a call, refused when the URL parser would turn its path into another one: it reads
 * `\` as `/`, drops tabs and newlines, and resolves `.` and `..` (`%2e` too), so that a path such
 * as `/Tickets/..\..\x` would leave `/api` carrying the token. Each segment must reach Halo as it
 * was given, at most percent-encoded.
 */
function callUrl(apiBase: string, call: HaloRequest): URL {
  const url = new URL(`${apiBase}${call.path}${toQueryString(call.query)}`);
  const given = `${new URL(apiBase).pathname}${call.path}`.split('/');
  const sent = url.pathname.split('/');
  if (sent.length !== given.length || sent.some((segment, index) => decodedSegment(segment) !== decodedSegment(given[index] ?? ''))) {
    throw new Error(`The path ${JSON.stringify(call.path)} would reach Halo as ${url.pathname}, so ${call.method} was not sent.`);
  }
  return url;
}

function resourceOf(path: string): string {
  return (path.split('/').filter(Boolean)[0] ?? '').toLowerCase();
}

/** Items and total of a list answer, whether an envelope (`{record_count, tickets: [...]}`) or a bare array. */
export function unwrapList<T>(body: unknown, path: string): ListResult<T> {
  if (Array.isArray(body)) return { items: body as T[], total: body.length };
  if (typeof body === 'object' && body !== null) {
    const envelope = body as Record<string, unknown>;
    const expected = ENVELOPE_KEYS[resourceOf(path)];
    const candidates = expected ? [expected] : Object.keys(envelope).filter((name) => Array.isArray(envelope[name]) && !ENVELOPE_EXTRAS.has(name));
    const found = candidates.find((name) => Array.isArray(envelope[name]));
    if (found) {
      const items = envelope[found] as T[];
      return { items, total: typeof envelope.record_count === 'number' ? envelope.record_count : items.length };
    }
  }
  throw new HaloResponseError(`Halo's answer to GET ${path} is not a list Halo is known to send.`, { method: 'GET', path });
}

function effectOf(call: HaloRequest): Effect {
  if (call.method === 'GET') return 'read';
  return call.method === 'DELETE' || carriesIds(call.body) ? 'repeatable' : 'once';
}

function carriesIds(body: unknown): boolean {
  const records = Array.isArray(body) ? body : [body];
  return (
    records.length > 0 &&
    records.every((record) => typeof record === 'object' && record !== null && typeof (record as { id?: unknown }).id === 'number' && (record as { id: number }).id > 0)
  );
}

export interface HaloClientOptions {
  logger?: Logger;
  /** Shared with the logger, so that tokens this client fetches are scrubbed from every log line. */
  redactor?: Redactor;
  /** An undici dispatcher to use instead of the client's own keep-alive pool. */
  dispatcher?: Dispatcher;
  /** The rate-limit window replicas share: every request is admitted to it as well as to this client's own. */
  budget?: SharedBudget;
  /** A technician's sign-in: the client then acts as them, by their refresh token, rather than by the client credentials grant. */
  signIn?: SignInKeeper;
}

/** What a sibling client shares with the client it was made from (forSignIn). */
interface Shared {
  dispatcher: DispatcherSource;
  limiter: RequestLimiter;
  stats: HaloClientStats;
}

/** One attempt's answer, and what it took to get it. */
interface AttemptAnswer {
  response: HaloResponse;
  /** After a 429: how long the rate limiter says to wait before the next request. */
  rateLimitWaitMs: number | undefined;
  /** Whether the call was repeated with a fresh token after Halo refused the first (401). */
  freshTokenTried: boolean;
}

export class HaloClient {
  /**
   * Whom the calls under way are made for, as the code that serves several callers with one
   * client sets it (`runAs`): callers take turns under the rate limit. An opaque key; calls made
   * outside `runAs` share one.
   */
  private readonly callers = new AsyncLocalStorage<string>();
  /** Failures of the token request, which has retried on its own: the call is not to repeat it again. */
  private readonly tokenFailures = new WeakSet<HaloError>();
  readonly stats: HaloClientStats;
  private readonly dispatcher: DispatcherSource;
  /** The client's own keep-alive pool, once made; undefined when a dispatcher was given or nothing was sent yet. */
  private ownPool: Promise<Dispatcher> | undefined;
  private readonly tokens: TokenProvider;
  private readonly limiter: RequestLimiter;
  private readonly redactor: Redactor;
  private readonly logger: Logger | undefined;
  private readonly apiBase: string;

  constructor(
    readonly config: HaloClientConfig,
    private readonly options: HaloClientOptions = {},
    shared?: Shared,
  ) {
    this.redactor = options.redactor ?? new Redactor();
    this.redactor.add(config.clientSecret);
    this.logger = options.logger;
    const given = options.dispatcher;
    this.dispatcher =
      shared?.dispatcher ??
      (given ? () => Promise.resolve(given) : () => (this.ownPool ??= loadUndici().then(({ Agent }) => new Agent({ keepAliveTimeout: 10_000, connections: 16 }))));
    this.limiter = shared?.limiter ?? createLimiter(config.rateLimit, options.budget ? { budget: options.budget, key: budgetKey(config) } : undefined);
    this.stats = shared?.stats ?? { requests: 0, tokenRequests: 0, retries: 0 };
    this.apiBase = `${config.url}/api`;
    this.tokens = new TokenProvider(
      config,
      this.dispatcher,
      this.redactor,
      {
        onTokenRequest: () => {
          this.stats.tokenRequests++;
        },
        onRetry: (error, attempt) => this.noteRetry('POST /auth/token', error, attempt),
        onScopeRefused: (refused, fallback) => this.logger?.warn({ refused, fallback }, 'Halo refused the scopes the enabled tools need (invalid_scope); asking for the fallback instead. Set HALO_SCOPE to what the API application grants.'),
      },
      options.signIn,
    );
  }

  /**
   * A client that acts as one technician, by their sign-in through `application` (the Halo
   * application technicians sign in through), on the same Halo: it shares this client's
   * connections and rate limit, since Halo counts every caller of a tenant against one budget.
   * It owns nothing to close.
   */
  forSignIn(signIn: SignInKeeper, application: Pick<HaloClientConfig, 'clientId' | 'clientSecret'>): HaloClient {
    const { clientSecret: _own, ...config } = this.config;
    return new HaloClient(
      { ...config, clientId: application.clientId, ...(application.clientSecret ? { clientSecret: application.clientSecret } : {}) },
      // A redactor of its own over this client's: the tokens one technician's sign-in brings are theirs to hide, and many sign-ins would crowd each other's out of one.
      { ...this.options, redactor: new Redactor(this.redactor), signIn },
      { dispatcher: this.dispatcher, limiter: this.limiter, stats: this.stats },
    );
  }

  /** Whom the client acts as: a technician who signed in, or the agent the API application logs in as. */
  get actsAs(): 'technician' | 'application' {
    return this.options.signIn ? 'technician' : 'application';
  }

  /** The agent the current token acts as, as Halo's `id_token` named it, once a token has been fetched. */
  get agent(): HaloAgentIdentity | undefined {
    return this.tokens.agent;
  }

  /** The scopes Halo granted the current token, once one has been fetched. */
  get grantedScopes(): string | undefined {
    return this.tokens.grantedScopes;
  }

  /** The scopes asked for: the configured ones, or their fallback once Halo refused them. */
  get requestedScope(): string {
    return this.tokens.requestedScope;
  }

  /** Removes every secret the client knows of from a text. */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** Runs work whose Halo calls are made for one caller, who takes turns with the others under the rate limit. */
  runAs<T>(caller: string, work: () => Promise<T>): Promise<T> {
    return this.callers.run(caller, work);
  }

  /** A call to an operation the client knows by name (src/openapi/wire.ts); its answer is whatever Halo sends. */
  request<
    P extends RecordPath,
    M extends MethodAt<P>,
    Q extends QueryAt<P, M> & NoUnknownNames<Q, QueryAt<P, M>>,
    B extends BodyAt<P, M> & NoUnknownNames<B, BodyAt<P, M>>,
  >(call: CallOptions & { method: M; path: P; query?: Q; body?: readonly B[]; effect?: Effect }): Promise<unknown> {
    // While the method is a type parameter the compiler cannot tell that every operation's query is a Query.
    return this.requestAny(call as HaloRequest);
  }

  /**
   * A call on any path with any names, checked by nobody: for the gateway, which passes on the
   * operation a caller names. Every other call goes through the typed methods.
   */
  async requestAny(call: HaloRequest): Promise<unknown> {
    const effect = call.effect ?? effectOf(call);
    const idempotent = effect !== 'once';
    const label = { method: call.method, path: call.path };
    const url = callUrl(this.apiBase, call);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    // Every wait of the call (token, rate limit, retries) ends within its budget.
    const deadline = deadlineIn(this.config.retry.budgetMs);
    const caller = this.callers.getStore() ?? '';
    // Set by the attempt that puts the request on the wire; an object, as the closure sets it.
    const attempts = { sent: false };
    try {
      return await withRetry(
        async () => {
          const { response, rateLimitWaitMs, freshTokenTried } = await this.send(call, { url, body, label, effect, caller, deadline }, () => (attempts.sent = true));
          if (response.status === 401 || response.status === 403) {
            throw refusalError({ response, label, redactor: this.redactor, scopes: { granted: this.tokens.grantedScopes, requested: this.tokens.requestedScope }, freshTokenTried });
          }
          if (response.status >= 300) {
            throw apiError(response, { label, effect, redactor: this.redactor, ...(rateLimitWaitMs !== undefined ? { estimatedWaitMs: rateLimitWaitMs } : {}) });
          }
          return parseJson(response, { label, effect });
        },
        {
          policy: this.config.retry,
          deadline,
          idempotent,
          ...(call.signal ? { signal: call.signal } : {}),
          onRetry: (error, attempt) => this.noteRetry(`${call.method} ${call.path}`, error, attempt),
          final: (error) => this.tokenFailures.has(error),
        },
      );
    } catch (error) {
      // Cancelled outside an exchange (waiting for a token, the rate limiter or a retry): the error knows nothing of the call, so it is named here, with what an attempt already sent may have done.
      if (error instanceof HaloCancelledError && error.method === undefined) {
        throw new HaloCancelledError(`The call ${call.method} ${call.path} was cancelled.${attempts.sent ? outcomeText(effect, 'it was cancelled') : ''}`, {
          ...label,
          outcomeUnknown: attempts.sent && effect === 'once',
          cause: error,
        });
      }
      throw error;
    }
  }

  private async token(signal: AbortSignal | undefined, deadline: Deadline, label: { method: string; path: string }): Promise<string> {
    const exceeded = (): HaloError => {
      const failing = this.tokens.retryingAfter;
      const why = failing ? ` The token request was retrying after: ${this.redact(failing.message)}` : ' Check that the authorisation server answers, or raise HALO_RETRY_BUDGET_MS if it is slow.';
      return new HaloTimeoutError(
        `The call ${label.method} ${label.path} waited for an access token from ${this.config.authUrl} until its time budget of ${inSeconds(deadline.budgetMs)} (HALO_RETRY_BUDGET_MS) ran out, and was not sent.${why}`,
        label,
      );
    };
    try {
      return await this.tokens.get(signal, { at: deadline.at, exceeded });
    } catch (error) {
      if (error instanceof HaloError) this.tokenFailures.add(error);
      throw error;
    }
  }

  /**
   * One attempt, with one fresh token and a second try when Halo refuses the token (401): a
   * refused call was not processed. When the scopes Halo granted are known and do not allow the
   * call, the refusal is the scope's, and a fresh token would be refused the same way.
   */
  private async send(
    call: HaloRequest,
    { url, body, label, effect, caller, deadline }: { url: URL; body: string | undefined; label: { method: string; path: string }; effect: Effect; caller: string; deadline: Deadline },
    onSend: () => void,
  ): Promise<AttemptAnswer> {
    const attempt = async (token: string): Promise<Omit<AttemptAnswer, 'freshTokenTried'>> => {
      const slot = await this.limiter.acquire({ caller, deadline, label: `${call.method} ${call.path}`, ...(call.signal ? { signal: call.signal } : {}) });
      this.stats.requests++;
      onSend();
      const started = performance.now();
      const response = await exchange({
        dispatcher: this.dispatcher,
        method: call.method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body } : {}),
        timeoutMs: this.config.timeoutMs,
        maxResponseBytes: this.config.maxResponseBytes,
        ...(call.signal ? { signal: call.signal } : {}),
        label,
        effect,
        redactor: this.redactor,
      });
      this.logger?.debug({ method: call.method, path: call.path, status: response.status, ms: Math.round(performance.now() - started) }, 'halo request');
      if (response.status !== 429) {
        slot.accepted();
        return { response, rateLimitWaitMs: undefined };
      }
      return { response, rateLimitWaitMs: slot.refused(retryAfterMs(response)) };
    };
    const token = await this.token(call.signal, deadline, label);
    const first = await attempt(token);
    if (first.response.status !== 401 || scopeMissing(call.method, call.path, this.tokens.grantedScopes)) return { ...first, freshTokenTried: false };
    this.tokens.invalidate(token);
    return { ...(await attempt(await this.token(call.signal, deadline, label))), freshTokenTried: true };
  }

  private noteRetry(call: string, error: Error, attempt: number): void {
    this.stats.retries++;
    this.logger?.warn({ call, attempt, error: error instanceof HaloError ? error.kind : error.name, message: this.redact(error.message) }, 'retrying Halo call');
  }

  /** A list in one request: envelope or bare array, with Halo's total. */
  async list<P extends RecordPath, Q extends ListQuery<P> & NoUnknownNames<Q, ListQuery<P>>>(path: P, query?: Q, options: CallOptions = {}): Promise<ListResult<ListRecord<P>>> {
    const body = await this.requestAny({ method: 'GET', path, query: query ?? {}, ...(options.signal ? { signal: options.signal } : {}) });
    return unwrapList<ListRecord<P>>(body, path);
  }

  /**
   * Every page of a list, one request per page (`pageinate=true`), so a caller can stream a large
   * export without holding it all.
   */
  async *pages<P extends RecordPath, Q extends ListQuery<P> & NoUnknownNames<Q, ListQuery<P>>>(path: P, query?: Q, options: CallOptions = {}): AsyncGenerator<ListRecord<P>[], void, undefined> {
    let seen = 0;
    for (let page = 1; ; page++) {
      const body = await this.requestAny({
        method: 'GET',
        path,
        query: { ...query, pageinate: true, page_size: MAX_PAGE_SIZE, page_no: page },
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const { items, total } = unwrapList<ListRecord<P>>(body, path);
      if (items.length === 0) return;
      yield items;
      seen += items.length;
      if (seen >= total) return;
    }
  }

  async get<P extends RecordPath, Q extends GetQuery<P> & NoUnknownNames<Q, GetQuery<P>>>(path: P, id: RecordId<P, 'GET'>, query?: Q, options: CallOptions = {}): Promise<RecordOf<P>> {
    return (await this.requestAny({ method: 'GET', path: `${path}/${encodeURIComponent(String(id))}`, query: query ?? {}, ...(options.signal ? { signal: options.signal } : {}) })) as RecordOf<P>;
  }

  /**
   * Halo's create-or-update: POSTs `[record]` and returns the stored record. With an `id` it updates
   * that record and may be retried; without one it creates, and is never sent twice after it may
   * have reached Halo.
   */
  async upsert<P extends RecordPath, B extends BodyOf<P> & NoUnknownNames<B, BodyOf<P>>>(path: P, record: B, options: CallOptions = {}): Promise<BodyOf<P>> {
    const body = await this.requestAny({ method: 'POST', path, body: [record], ...(options.signal ? { signal: options.signal } : {}) });
    const stored = Array.isArray(body) ? (body[0] as unknown) : body;
    if (typeof stored !== 'object' || stored === null) {
      throw new HaloResponseError(`Halo answered POST ${path} without the stored record.`, { method: 'POST', path });
    }
    return stored;
  }

  async remove<P extends RecordPath, Q extends RemoveQuery<P> & NoUnknownNames<Q, RemoveQuery<P>>>(path: P, id: RecordId<P, 'DELETE'>, query?: Q, options: CallOptions = {}): Promise<void> {
    await this.requestAny({ method: 'DELETE', path: `${path}/${encodeURIComponent(String(id))}`, query: query ?? {}, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** Fetches a token now, to check the credentials before the first real call. */
  async authenticate(options: CallOptions = {}): Promise<void> {
    await this.tokens.get(options.signal);
  }

  /** Asks Halo for a fresh token, once, within a time limit: whether Halo answers now and takes the credentials. */
  async probe(options: { timeoutMs: number }): Promise<void> {
    await this.tokens.probe(options.timeoutMs);
  }

  async close(): Promise<void> {
    if (this.ownPool) await (await this.ownPool).close();
  }
}
