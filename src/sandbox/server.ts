/**
 * The sandbox's HTTP front: Halo's authorisation server (`/auth/...`, in oauth.ts), its resource server
 * (`/api/...`), and the admin API for tests (`/_sandbox/...`, only when enabled). Every request
 * passes, in order: fault injection, routing against Halo's OpenAPI document, authentication, the
 * rate limit, parameter checks, scopes, and the resource's own behaviour.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Operation } from '../openapi/types.js';
import { scopeAllows, type ScopeArea } from './scopes.js';
import { TokenIssuer, type IssuedToken } from './auth.js';
import { authorize, issueToken, revokeToken } from './oauth.js';
import { SignIns } from './sign-ins.js';
import { FaultInjector, faultRuleSchema, type FaultRule } from './faults.js';
import { RollingWindow, type RateLimit } from './rate-limit.js';
import { QueryParams, emulatedParams, runList, type RequestContext, type ResourceDefinition } from './resource.js';
import { ACTION_LIST_PARAMS, forgetActionTime, listActions, writeAction, type ActionOrder, type SentEmail } from './resources/actions.js';
import { TIMESHEET_LIST_PARAMS, listTimesheets, loadReport, runReport, timesheetById, type Computed } from './resources/computed.js';
import { haloException } from './resources/shared.js';
import { json, type Reply } from './reply.js';
import { resourcesByPath } from './resources/index.js';
import { seedTenant, type SeedOptions } from './seed.js';
import { checkBody, checkQuery, expandToSchema, matchRoute, schemaProperties, type RouteMatch, type Violation } from './spec.js';
import type { HaloRecord, Store } from './store.js';

export interface SandboxSettings {
  clientId: string;
  clientSecret: string;
  /** When set, token requests must name this tenant, as on Halo's hosted platform. */
  tenant?: string;
  /** The scopes the API application may be granted. */
  allowedScopes: string[];
  /** The status of a call the token's scopes do not allow. */
  scopeRefusalStatus: 401 | 403;
  tokenTtlSeconds: number;
  /** The application technicians sign in to (authorization code with PKCE). */
  loginClientId: string;
  /** Without one the login application is a public client; with one its token requests must carry it. */
  loginClientSecret?: string;
  /** The login application's redirect URIs; a loopback one matches any port (RFC 8252 §7.3). */
  redirectUris: string[];
  /** The password every enabled technician of the seed signs in with. */
  demoPassword: string;
  /** How long a sign-in can be refreshed, counted from the sign-in. */
  refreshTokenTtlSeconds: number;
  authCodeTtlSeconds: number;
  rateLimit?: RateLimit;
  /** Whether a 429 of the rate limit carries Retry-After. */
  rateLimitRetryAfter: boolean;
  admin: boolean;
  /** The order `GET /Actions` lists a ticket's actions in. */
  actionOrder: ActionOrder;
  seed: SeedOptions;
}

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  status: number;
  /** The agent whose token made an API call. */
  agent_id?: number;
  /** How the connection ended when no normal answer was sent. */
  outcome?: 'reset' | 'truncated';
  fault?: boolean;
  duration_ms: number;
}

/** A parameter a request sent that the sandbox does not emulate, so its answer ignores it. */
export interface EmulationGap {
  method: string;
  path: string;
  name: string;
}

/** The request log keeps the latest 50,000 requests, and up to 5,000 more between trims. */
const MAX_LOGGED_REQUESTS = 50_000;
const LOG_TRIM_BATCH = 5_000;
const MAX_BODY_BYTES = 25 * 1024 * 1024;

// Halo behaviour: docs/halo-behaviour.md#business-error-body
/** A request Halo's business rules refuse: 400 with the exception Halo serialises. */
const refused = (message: string): Reply => json(400, haloException(message));

// Halo behaviour: docs/halo-behaviour.md#missing-record-404
/** A record that does not exist: 404, with nothing in the body that anyone has seen Halo send. */
const notFound: Reply = { status: 404 };

// Halo behaviour: docs/halo-behaviour.md#delete-answer
/** A delete that succeeded: 200 with the record as it was, which clients read its `id` from. */
const deleted = (record: unknown): Reply => json(200, record);

// Halo behaviour: docs/halo-behaviour.md#binding-error-body
/** ASP.NET Core's answer when a value cannot bind to a parameter or the body is not JSON. */
const bindingProblem = (errors: Record<string, string[]>): Reply =>
  json(400, { errors, type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title: 'One or more validation errors occurred.', status: 400 });

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

// Halo behaviour: docs/halo-behaviour.md#fault-bodies
/** What an injected status sends when the rule gives no body: proxies answer 502-504 with HTML. */
function faultReply(rule: FaultRule): Reply {
  const status = rule.status ?? 200;
  const headers: Record<string, string> = rule.retry_after !== undefined ? { 'retry-after': String(rule.retry_after) } : {};
  if (rule.body !== undefined) return { status, body: rule.body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
  if (status >= 502 && status <= 504) {
    const reason = REASONS[status] ?? 'Error';
    return { status, body: `<html><head><title>${status} ${reason}</title></head><body><h1>${status} ${reason}</h1></body></html>`, headers: { 'content-type': 'text/html', ...headers } };
  }
  if (status === 500) return json(500, haloException('An unexpected error occurred.'), headers);
  return json(status, REASONS[status] ?? 'Injected fault', headers);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const adminFaultsSchema = z.object({ rules: z.array(faultRuleSchema) }).strict();

// Halo behaviour: docs/halo-behaviour.md#bad-token-401
/** Halo's answer to a bearer token it does not accept. */
const REFUSED_TOKEN: Reply = { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };

// Halo behaviour: docs/halo-behaviour.md#scope-edit-implies-read
/** Scopes of the resources served by their own routes rather than a definition. */
const SCOPE_OF_COMPUTED: Record<string, ScopeArea> = { actions: 'tickets', timesheet: 'timesheets' };

/** The running state of one sandbox tenant. */
export class SandboxState {
  store: Store;
  apiAgentId: number;
  readonly tokens: TokenIssuer;
  readonly signIns: SignIns;
  /** Signs ID tokens; made afresh at each start, as no client checks the signature. */
  readonly idTokenKey = randomBytes(32);
  readonly limiter: RollingWindow | undefined;
  readonly faults = new FaultInjector();
  requests: LoggedRequest[] = [];
  droppedRequests = 0;
  violations: Violation[] = [];
  gaps = new Map<string, EmulationGap>();
  emails: SentEmail[] = [];
  private seq = 0;
  baseUrl = '';

  constructor(readonly settings: SandboxSettings) {
    ({ store: this.store, apiAgentId: this.apiAgentId } = seedTenant(settings.seed));
    this.tokens = new TokenIssuer(settings.tokenTtlSeconds);
    this.signIns = new SignIns({ codeSeconds: settings.authCodeTtlSeconds, refreshSeconds: settings.refreshTokenTtlSeconds, accessSeconds: settings.tokenTtlSeconds });
    this.limiter = settings.rateLimit ? new RollingWindow(settings.rateLimit) : undefined;
  }

  reset(): void {
    ({ store: this.store, apiAgentId: this.apiAgentId } = seedTenant(this.settings.seed));
    this.requests = [];
    this.droppedRequests = 0;
    this.violations = [];
    this.gaps.clear();
    this.emails = [];
    this.faults.clear();
    this.limiter?.reset();
  }

  log(entry: Omit<LoggedRequest, 'seq'>): void {
    this.requests.push({ seq: ++this.seq, ...entry });
    // Trimmed in batches: a full log shifted all its entries on every request.
    if (this.requests.length >= MAX_LOGGED_REQUESTS + LOG_TRIM_BATCH) {
      const excess = this.requests.length - MAX_LOGGED_REQUESTS;
      this.requests.splice(0, excess);
      this.droppedRequests += excess;
    }
  }
}

/** Fields of the authorisation server's forms that would let whoever reads the log sign in. */
const SECRET_FORM_FIELDS = ['client_secret', 'code', 'code_verifier', 'refresh_token', 'password', 'token'];

/** The request log keeps what was sent, except the credentials sent to the authorisation server. */
function loggedBody(path: string, raw: string): unknown {
  if (raw === '') return undefined;
  if (/^\/auth\//i.test(path)) {
    const form = Object.fromEntries(new URLSearchParams(raw));
    for (const field of SECRET_FORM_FIELDS) if (field in form) form[field] = '[redacted]';
    return form;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export function createSandboxServer(state: SandboxState): Server {
  const server = createServer((request, response) => {
    handle(state, request, response).catch(() => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ ClassName: 'System.Exception', Message: 'The sandbox failed to answer.' }));
      }
    });
  });
  return server;
}

async function handle(state: SandboxState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const started = performance.now();
  const method = (request.method ?? 'GET').toUpperCase();
  const url = new URL(request.url ?? '/', 'http://sandbox');
  const path = url.pathname;

  if (path.startsWith('/_sandbox/')) {
    const reply = state.settings.admin ? await admin(state, method, path, request) : { status: 404 };
    send(response, reply);
    return;
  }

  const entry = (status: number, raw: string, extra: Partial<LoggedRequest> = {}): void =>
    state.log({
      at: new Date().toISOString(),
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      ...(raw ? { body: loggedBody(path, raw) } : {}),
      status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      ...extra,
    });

  const rule = state.faults.take(method, path);
  if (rule?.reset === 'before_read') {
    entry(0, '', { outcome: 'reset', fault: true });
    request.socket.destroy();
    return;
  }
  let raw: string;
  try {
    raw = await readBody(request);
  } catch {
    send(response, json(413, 'Request body too large'));
    return;
  }

  // A rule's wait comes before the request is processed, or with `apply` after (see faults.ts).
  if (rule?.delay_ms && !rule.apply) await delay(rule.delay_ms);
  const runsForReal = !rule || rule.apply === true || rule.truncate === true;
  if (rule && !runsForReal) {
    if (rule.reset === true) {
      entry(0, raw, { outcome: 'reset', fault: true });
      request.socket.destroy();
      return;
    }
    if (rule.status !== undefined || rule.body !== undefined) {
      const reply = faultReply(rule);
      entry(reply.status, raw, { fault: true });
      send(response, reply);
      return;
    }
  }

  let reply = route(state, method, path, url.searchParams, raw, request.headers.authorization);
  const caller = reply.agentId === undefined ? {} : { agent_id: reply.agentId };

  if (rule && runsForReal) {
    if (rule.apply && rule.delay_ms) await delay(rule.delay_ms);
    if (rule.reset === true) {
      entry(0, raw, { ...caller, outcome: 'reset', fault: true });
      request.socket.destroy();
      return;
    }
    if (rule.truncate) {
      const body = reply.body ?? '';
      entry(reply.status, raw, { ...caller, outcome: 'truncated', fault: true });
      response.writeHead(reply.status, { ...(reply.headers ?? {}), 'content-length': String(Buffer.byteLength(body)) });
      response.write(body.slice(0, Math.floor(body.length / 2)));
      // Let the partial body leave before the connection drops mid-answer.
      setImmediate(() => request.socket.destroy());
      return;
    }
    if (rule.status !== undefined || rule.body !== undefined) reply = faultReply(rule);
  }
  entry(reply.status, raw, rule ? { ...caller, fault: true } : caller);
  send(response, reply);
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, reply.headers ?? {});
  response.end(reply.body ?? '');
}

function route(state: SandboxState, method: string, path: string, search: URLSearchParams, raw: string, authorization: string | undefined): Reply {
  // Halo behaviour: docs/halo-behaviour.md#token-url
  // Halo behaviour: docs/halo-behaviour.md#case-insensitive-routing
  if (/^\/auth\/token\/?$/i.test(path)) return method === 'POST' ? issueToken(state, search, raw, authorization) : { status: 405 };
  if (/^\/auth\/authorize\/?$/i.test(path)) return authorize(state, method, search, raw);
  if (/^\/auth\/revoke\/?$/i.test(path)) return method === 'POST' ? revokeToken(state, raw, authorization) : { status: 405 };
  const api = /^\/api(\/.*)$/i.exec(path)?.[1];
  if (!api) return { status: 404 };

  // Halo behaviour: docs/halo-behaviour.md#unknown-path
  const match = matchRoute(method, api);
  if (!match) {
    state.violations.push({ kind: 'unknown_path', method, path: api, detail: `Halo's API has no path ${api}` });
    return { status: 404 };
  }
  if (!match.operation) {
    state.violations.push({ kind: 'unknown_method', method, path: match.route.template, detail: `${match.route.template} does not take ${method}` });
    return { status: 405, headers: { allow: Object.keys(match.route.operations).join(', ') } };
  }
  const operation = match.operation;
  // Halo behaviour: docs/halo-behaviour.md#authinfo
  if (operation.path.toLowerCase() === '/authinfo') {
    return json(200, { auth_url: `${state.baseUrl}/auth`, ...(state.settings.tenant ? { tenant_id: state.settings.tenant } : {}) });
  }

  const now = Date.now();
  const token = state.tokens.verify(authorization, now);
  if (!token) return REFUSED_TOKEN;
  return { ...authorisedRoute(state, match, operation, token, search, raw, now), agentId: token.agentId };
}

/** An API call made with a live token, from the rate limit on. */
function authorisedRoute(state: SandboxState, match: RouteMatch, operation: Operation, token: IssuedToken, search: URLSearchParams, raw: string, now: number): Reply {
  const method = operation.method;

  // Halo behaviour: docs/halo-behaviour.md#rate-limit-window
  if (state.limiter) {
    const verdict = state.limiter.take(now);
    if (!verdict.allowed) {
      // Halo behaviour: docs/halo-behaviour.md#rate-limit-no-retry-after
      const retryAfter: Record<string, string> = state.settings.rateLimitRetryAfter ? { 'retry-after': String(verdict.retryAfterSeconds) } : {};
      // Halo behaviour: docs/halo-behaviour.md#rate-limit-body
      return json(429, state.limiter.message(), retryAfter);
    }
  }

  const { violations, invalid } = checkQuery(operation, search);
  state.violations.push(...violations);
  if (invalid.length > 0) {
    return bindingProblem(Object.fromEntries(invalid.map((name) => [name, [`The value '${search.get(name) ?? ''}' is not valid.`]])));
  }

  let body: unknown;
  if (method === 'POST' && raw !== '') {
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      state.violations.push({ kind: 'invalid_body', method, path: operation.path, detail: 'the body is not valid JSON' });
      return bindingProblem({ '$': ['The JSON value could not be converted.'] });
    }
    const bodyViolations = checkBody(operation, body);
    state.violations.push(...bodyViolations);
    if (bodyViolations.some((violation) => violation.kind === 'invalid_body')) {
      return bindingProblem({ '$': [bodyViolations[0]?.detail ?? 'The body is not valid.'] });
    }
  }

  const resource = operation.path.split('/')[1]?.toLowerCase() ?? '';
  const definition = resourcesByPath.get(resource);
  const area = definition?.scope ?? SCOPE_OF_COMPUTED[resource] ?? 'config';
  const write = method !== 'GET';
  // Halo behaviour: docs/halo-behaviour.md#scope-edit-implies-read
  // Halo behaviour: docs/halo-behaviour.md#scope-denied-status
  // Halo behaviour: docs/halo-behaviour.md#token-no-scope (a token without scopes reads nothing, not even the configuration any scope reads)
  if (!scopeAllows(token.scopes, area, write)) return state.settings.scopeRefusalStatus === 401 ? REFUSED_TOKEN : { status: 403 };

  const context: RequestContext = { store: state.store, query: new QueryParams(search), now: new Date(now), agentId: token.agentId };
  recordGaps(state, match, context, definition);
  const computed = computedRoute(match, body, context);
  if (computed) return computed.body === undefined ? { status: computed.status } : json(computed.status, computed.body);
  if (resource === 'actions') return actionsRoute(state, match, body, context);
  if (definition && isCollectionOrRecord(match)) return resourceRoute(definition, match, body, context);
  return genericRoute(state, match, body, context);
}

/** Reports that run, and timesheets added up from their events. */
function computedRoute(match: RouteMatch, body: unknown, context: RequestContext): Computed | undefined {
  const template = match.route.template.toLowerCase();
  const method = match.operation?.method;
  if (template === '/report/{id}' && method === 'GET' && context.query.flag('loadreport')) {
    return loadReport(Number(match.pathParams.id), context) ?? { status: 404 };
  }
  const first = records(body)[0];
  if (template === '/report' && method === 'POST' && first?._loadreportonly === true) return runReport(first, context);
  if (template === '/timesheet/{id}' && method === 'GET') return timesheetById(idOf(match.pathParams.id), context);
  if (template === '/timesheet' && method === 'GET') return listTimesheets(context);
  return undefined;
}

/** `/Tickets` or `/Tickets/{id}`, as opposed to sub-operations such as `/Tickets/vote` or `/Agent/me`. */
function isCollectionOrRecord(match: RouteMatch): boolean {
  const segments = match.route.template.split('/');
  return segments.length === 2 || (segments.length === 3 && segments[2] === '{id}');
}

/** The parameters honoured by lists served by their own routes rather than a definition. */
const COMPUTED_LIST_PARAMS: Record<string, readonly string[]> = { '/actions': ACTION_LIST_PARAMS, '/timesheet': TIMESHEET_LIST_PARAMS };

/** Notes each sent parameter that the sandbox does not emulate (boolean `include*` switches only add fields). */
function recordGaps(state: SandboxState, match: RouteMatch, context: RequestContext, definition: ResourceDefinition | undefined): void {
  const operation = match.operation;
  if (!operation || operation.method !== 'GET') return;
  const single = match.route.paramNames.length > 0;
  const computed = COMPUTED_LIST_PARAMS[operation.path.toLowerCase()];
  const emulated = single
    ? new Set(['includedetails', 'ticket_id', 'loadreport', 'agent_id', 'date'])
    : computed
      ? new Set(computed)
      : definition
        ? emulatedParams(definition)
        : new Set<string>();
  for (const name of context.query.names()) {
    const param = operation.query.find((candidate) => candidate.name.toLowerCase() === name);
    if (!param || emulated.has(name) || (param.type === 'boolean' && name.startsWith('include'))) continue;
    const key = `${operation.method} ${operation.path} ${name}`;
    if (!state.gaps.has(key)) state.gaps.set(key, { method: operation.method, path: operation.path, name });
  }
}

function records(body: unknown): Record<string, unknown>[] {
  const list = Array.isArray(body) ? body : body === undefined ? [] : [body];
  return list.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item));
}

// Halo behaviour: docs/halo-behaviour.md#unknown-fields-ignored
/** The fields of a posted record that the schema knows; Halo drops the rest without a word. */
function knownFields(input: Record<string, unknown>, schema: string): Record<string, unknown> {
  const properties = schemaProperties(schema);
  if (!properties) return input;
  return Object.fromEntries(Object.entries(input).filter(([field]) => field in properties));
}

function idOf(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function resourceRoute(definition: ResourceDefinition, match: RouteMatch, body: unknown, context: RequestContext): Reply {
  const collection = context.store.collection(definition.collection);
  const method = match.operation?.method;
  const single = match.route.paramNames.length > 0;
  if (!single && method === 'GET') {
    const result = runList(definition, context);
    // Halo behaviour: docs/halo-behaviour.md#bare-arrays
    if (!definition.listKey) return json(200, result.items);
    // Halo behaviour: docs/halo-behaviour.md#list-envelopes
    return json(200, { ...(result.page ?? {}), record_count: result.total, [definition.listKey]: result.items });
  }
  if (!single && method === 'POST') return upsert(definition, records(body), context);

  const id = idOf(match.pathParams.id);
  const record = id === undefined ? undefined : collection.get(id);
  // Halo behaviour: docs/halo-behaviour.md#soft-delete
  // Halo behaviour: docs/halo-behaviour.md#agent-restrictions
  const visible = record && (record.deleted !== true || definition.remove === undefined) && mayBeSeen(definition, record, context);
  if (!record || !visible) return notFound;
  // Halo behaviour: docs/halo-behaviour.md#single-record-bare
  if (method === 'GET') return json(200, expandToSchema(record, definition.schema));
  if (definition.remove) definition.remove(record, context);
  else collection.delete(record.id);
  // A soft-deleted record is answered as it now stands (a ticket flagged deleted).
  return deleted(expandToSchema(collection.get(record.id) ?? record, definition.schema));
}

/** Whether the calling agent may see the record at all (a restricted agent sees its own team's tickets only). */
function mayBeSeen(definition: ResourceDefinition, record: HaloRecord, context: RequestContext): boolean {
  return definition.visibleTo?.(context)?.(record) ?? true;
}

// Halo behaviour: docs/halo-behaviour.md#post-answer-shape
/** What a POST answers: the stored record, or of several the last one unless `returnall=true` asks for them all. */
function postAnswer(stored: readonly unknown[], query: QueryParams): unknown {
  return stored.length > 1 && query.flag('returnall') ? stored : stored.at(-1);
}

// Halo behaviour: docs/halo-behaviour.md#upsert-post
/** Halo's array upsert: each element with an id updates that record, each without creates one. */
function upsert(definition: ResourceDefinition, inputs: Record<string, unknown>[], context: RequestContext): Reply {
  if (inputs.length === 0) return refused('No records were posted.');
  const collection = context.store.collection(definition.collection);
  const stored: HaloRecord[] = [];
  let created = false;
  for (const posted of inputs) {
    const input = knownFields(posted, definition.schema);
    const id = input.id ?? definition.identify?.(input, context);
    const found = typeof id === 'number' && id > 0 ? collection.get(id) : undefined;
    // Halo behaviour: docs/halo-behaviour.md#agent-restrictions
    const existing = found && mayBeSeen(definition, found, context) ? found : undefined;
    if (typeof id === 'number' && id > 0 && !existing) return notFound;
    const result = definition.write?.(input, existing, context) ?? { record: { ...(existing ?? {}), ...input } };
    if ('error' in result) return refused(result.error);
    if (existing) stored.push(collection.replace({ ...result.record, id: existing.id }));
    else {
      const { id: _ignored, ...fields } = result.record;
      stored.push(collection.insert(fields));
      created = true;
    }
  }
  const out = stored.map((record) => expandToSchema(record, definition.schema));
  // Halo behaviour: docs/halo-behaviour.md#post-status
  return json(created ? 201 : 200, postAnswer(out, context.query));
}

function actionsRoute(state: SandboxState, match: RouteMatch, body: unknown, context: RequestContext): Reply {
  const method = match.operation?.method;
  const template = match.route.template.toLowerCase();
  if (template === '/actions' && method === 'GET') return json(200, listActions(context, state.settings.actionOrder));
  if (template === '/actions' && method === 'POST') {
    const inputs = records(body);
    if (inputs.length === 0) return refused('No records were posted.');
    const out: Record<string, unknown>[] = [];
    let created = false;
    for (const input of inputs) {
      const result = writeAction(knownFields(input, 'Actions'), context);
      if ('error' in result) return result.status === 404 ? notFound : refused(result.error);
      if (result.email) state.emails.push(result.email);
      created ||= result.created;
      out.push(expandToSchema(result.action, 'Actions'));
    }
    // Halo behaviour: docs/halo-behaviour.md#post-status
    return json(created ? 201 : 200, postAnswer(out, context.query));
  }
  if (template === '/actions/{id}') {
    const ticketId = context.query.int('ticket_id');
    // Halo behaviour: docs/halo-behaviour.md#action-delete-needs-ticket-id
    if (method === 'DELETE' && ticketId === undefined) return refused('ticket_id must be included when deleting an Action.');
    const id = idOf(match.pathParams.id);
    // Halo behaviour: docs/halo-behaviour.md#action-ids-per-ticket
    const action = ticketId === undefined ? undefined : context.store.actions(ticketId).find((candidate) => candidate.id === id);
    if (!action || ticketId === undefined || id === undefined) return notFound;
    if (method === 'GET') return json(200, expandToSchema(action, 'Actions'));
    context.store.deleteAction(ticketId, id);
    forgetActionTime(context.store, ticketId, id);
    return deleted(expandToSchema(action, 'Actions'));
  }
  return genericReply(match, body);
}

// Halo behaviour: docs/halo-behaviour.md#other-operations
/**
 * Resources the sandbox does not model in depth still answer plausibly, so any operation of the
 * document can be exercised: lists are empty until something is posted, posts are stored and
 * echoed with an id, gets and deletes find what was posted.
 */
function genericRoute(state: SandboxState, match: RouteMatch, body: unknown, context: RequestContext): Reply {
  const template = match.route.template;
  const segments = template.split('/');
  const collection = context.store.collection(`generic:${segments[1]?.toLowerCase() ?? ''}`);
  const method = match.operation?.method;
  if (segments.length === 2 && method === 'GET') return json(200, collection.all());
  if (segments.length === 2 && method === 'POST' && match.operation?.body?.array) {
    const stored = records(body).map((input) => {
      const id = input.id;
      const existing = typeof id === 'number' && id > 0 ? collection.get(id) : undefined;
      return existing ? collection.replace({ ...existing, ...input, id: existing.id }) : collection.insert({ ...input, id: undefined });
    });
    return json(200, postAnswer(stored, context.query));
  }
  if (segments.length === 3 && match.route.paramNames.length === 1) {
    const id = idOf(Object.values(match.pathParams)[0]);
    const record = id === undefined ? undefined : collection.get(id);
    if (!record) return notFound;
    if (method === 'GET') return json(200, record);
    if (method === 'DELETE') {
      collection.delete(record.id);
      return deleted(record);
    }
  }
  // Halo behaviour: docs/halo-behaviour.md#login-as-agent
  if (method === 'GET' && template.toLowerCase() === '/agent/me') {
    const agent = context.store.collection('agents').get(context.agentId);
    return agent ? json(200, expandToSchema(agent, 'Uname')) : { status: 404 };
  }
  return genericReply(match, body);
}

/** Sub-operations (`/Tickets/vote`, `/Asset/NextTag`, ...): GETs answer empty, POSTs echo what was sent. */
function genericReply(match: RouteMatch, body: unknown): Reply {
  if (match.operation?.method === 'GET') return json(200, []);
  if (match.operation?.method === 'DELETE') {
    const id = idOf(Object.values(match.pathParams)[0]);
    return deleted(id === undefined ? {} : { id });
  }
  const posted = Array.isArray(body) && body.length === 1 ? (body[0] as unknown) : body;
  return json(200, posted ?? {});
}

async function admin(state: SandboxState, method: string, path: string, request: IncomingMessage): Promise<Reply> {
  const what = path.replace(/^\/_sandbox\//, '').replace(/\/$/, '');
  if (what === 'requests' && method === 'GET') return json(200, { requests: state.requests, dropped: state.droppedRequests });
  if (what === 'requests' && method === 'DELETE') {
    state.requests = [];
    return { status: 204 };
  }
  if (what === 'violations' && method === 'GET') return json(200, { violations: state.violations });
  if (what === 'violations' && method === 'DELETE') {
    state.violations = [];
    return { status: 204 };
  }
  if (what === 'gaps' && method === 'GET') return json(200, { gaps: [...state.gaps.values()] });
  if (what === 'emails' && method === 'GET') return json(200, { emails: state.emails });
  if (what === 'tokens' && method === 'GET') return json(200, { tokens: state.tokens.issued });
  if (what === 'signins' && method === 'GET') {
    const signins = state.signIns.live(Date.now()).map((grant) => ({
      agent_id: grant.agentId,
      client_id: grant.clientId,
      scopes: grant.scopes,
      created: new Date(grant.createdAt).toISOString(),
      expires: new Date(grant.expiresAt).toISOString(),
    }));
    return json(200, { signins });
  }
  if (what === 'faults' && method === 'GET') return json(200, { rules: state.faults.list() });
  if (what === 'faults' && method === 'DELETE') {
    state.faults.clear();
    return { status: 204 };
  }
  if (what === 'faults' && method === 'POST') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readBody(request)) as unknown;
    } catch {
      return json(400, { error: 'The body must be JSON: {"rules":[...]}' });
    }
    const result = adminFaultsSchema.safeParse(parsed);
    if (!result.success) return json(400, { error: z.prettifyError(result.error) });
    try {
      state.faults.add(result.data.rules);
    } catch (error) {
      return json(400, { error: error instanceof Error ? error.message : String(error) });
    }
    return json(200, { rules: state.faults.list() });
  }
  if (what === 'reset' && method === 'POST') {
    state.reset();
    return { status: 204 };
  }
  return json(404, { error: `No admin endpoint ${method} ${path}` });
}
