/**
 * MCP over Streamable HTTP, for hosted agents: `/mcp` (and `/mcp/<token>` for connectors that cannot
 * send headers), `/healthz` and `/readyz`. Every request passes, in order: path and method, Host and
 * Origin, the bearer token, the per-token concurrency limit (each message of a batch counted), the
 * body size, batch and argument limits, and only then MCP. Stateless by default (a fresh server per
 * request, so replicas need no shared state): the SDK's handler serves 2026-07-28 requests (each
 * carries its revision and capabilities, and its headers name the method) and earlier revisions
 * without sessions. With sessions, an earlier-revision client gets a session that keeps its server
 * until it is deleted or goes idle, and belongs to the token (and, in gateway mode, the Halo
 * credentials) that opened it; 2026-07-28 has no sessions, so its requests stay stateless.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest, type AuthInfo, type McpRequestContext, type McpServer } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { HttpOptions, TokenGrant } from '../config.js';
import type { HaloClient } from '../halo/client.js';
import type { Redactor } from '../util/redact.js';
import type { AuditEntry } from '../mcp/server.js';
import { openAuditLog } from './audit.js';
import { SessionEvents } from './session-events.js';

/** What one request is served with: a Halo and the server built for it. */
export interface Backend {
  halo: HaloClient;
  /** Builds the MCP server for one request (stateless) or one session, for the token that called. */
  createServer(tokenId: string | undefined, audit: (entry: AuditEntry) => void): McpServer;
}

export interface HttpServerOptions {
  options: HttpOptions;
  /** The backend a token (or, in gateway mode, the request's Halo headers) is served with. */
  backendFor: (grant: TokenGrant | undefined, request: IncomingMessage) => Backend;
  /** Besides its token, what a session is bound to (gateway mode: the Halo credentials in the headers); the same on every request of the session. */
  sessionBinding: (request: IncomingMessage) => string;
  /** Backends whose Halo /readyz checks. */
  readiness: () => Backend[];
  logger: Logger;
  redactor: Redactor;
}

export interface RunningHttpServer {
  url: string;
  /** Stops accepting, lets calls in flight finish within the grace period, then closes. */
  close(): Promise<void>;
}

interface Session {
  transport: NodeStreamableHTTPServerTransport;
  server: McpServer;
  tokenId: string | undefined;
  binding: string;
  lastSeen: number;
}

interface Readiness {
  ready: boolean;
  /** Why not, for a caller with a token. */
  error?: string;
  checkedAt: number;
}

/**
 * How long a /readyz answer is reused. Each check asks Halo for a token (proof that it answers and
 * takes the credentials), so an unauthenticated caller cannot make the server ask more often.
 */
const READINESS_TTL_MS = 30_000;
/** How long a client whose session stream broke waits before it reconnects (the SSE `retry` field). */
const SSE_RETRY_MS = 1_000;
/** How long one readiness check may take: a load balancer's probe gives up after seconds. */
const READINESS_TIMEOUT_MS = 5_000;

/** What the SDK's handler is told about a request that passed every check: who called, and the backend and audit to build its server with. */
interface Caller {
  tokenId: string | undefined;
  backend: Backend;
  audit: (entry: AuditEntry) => void;
}

/** The caller that `serveMcp` attached to a request, as the SDK hands it back to the server factory. */
function callerOf(context: McpRequestContext): Caller {
  const caller = context.authInfo?.extra?.caller as Caller | undefined;
  // Every request reaches the handler through serveMcp, which attaches it: its absence is a bug here, not the client's.
  if (!caller) throw new Error('An MCP request reached the handler without its caller.');
  return caller;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The grant a presented token matches, compared in constant time against the digest of every configured token. */
function matchToken(grants: readonly { grant: TokenGrant; digest: Buffer }[], presented: string): TokenGrant | undefined {
  const given = digest(presented);
  let found: TokenGrant | undefined;
  for (const { grant, digest: expected } of grants) if (timingSafeEqual(given, expected)) found = grant;
  return found;
}

/** Array elements and object members in a value, counted until the limit is passed. */
function elementCount(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const item = stack.pop();
    if (typeof item !== 'object' || item === null) continue;
    const children: unknown[] = Array.isArray(item) ? (item as unknown[]) : Object.values(item);
    count += children.length;
    stack.push(...children);
  }
  return count;
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new HttpError(413, `The request body is larger than ${limit} bytes.`));
      request.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `The request body is larger than ${limit} bytes.`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendError(response: ServerResponse, error: HttpError): void {
  if (response.headersSent) return;
  response.writeHead(error.status, { 'content-type': 'application/json', ...error.headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: error.status === 401 || error.status === 403 ? -32001 : -32600, message: error.message }, id: null }));
}

/** Decodes the token of `/mcp/<token>`; a path that is not valid percent-encoding is the caller's mistake. */
function pathToken(encoded: string | undefined): string | undefined {
  if (encoded === undefined) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new HttpError(400, 'The path is not valid percent-encoding.');
  }
}

export async function startHttpServer({ options, backendFor, sessionBinding, readiness, logger, redactor }: HttpServerOptions): Promise<RunningHttpServer> {
  const sessions = new Map<string, Session>();
  /** Sessions being opened (initialize answered, not yet registered), by token: they count against the caps. */
  const opening = new Map<string, number>();
  const inFlight = new Map<string, number>();
  /** POSTs being answered: what a graceful shutdown waits for (long-lived GET event streams are not). */
  let activeCalls = 0;
  let draining = false;
  const audit = options.auditLog ? openAuditLog(options.auditLog, logger) : undefined;
  // A gateway caller's redactor removes its own secrets from its arguments; the process's redactor knows only the server's.
  const auditFor = (grant: TokenGrant | undefined, backend: Backend) => (entry: AuditEntry) => {
    audit?.record(grant?.id ?? null, entry, (text) => backend.halo.redact(text));
  };

  // The configured tokens are hashed once, not on every request.
  const grants = options.tokens.map((grant) => ({ grant, digest: digest(grant.token) }));
  const authenticate = (request: IncomingMessage, pathToken: string | undefined): TokenGrant | undefined => {
    if (options.tokens.length === 0) return undefined;
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const presented = pathToken ?? bearer;
    const challenge = 'Bearer realm="halopsa-mcp"';
    if (!presented) throw new HttpError(401, 'A bearer token is required.', { 'www-authenticate': challenge });
    const grant = matchToken(grants, presented);
    if (!grant) throw new HttpError(401, 'The bearer token is not valid.', { 'www-authenticate': `${challenge}, error="invalid_token"` });
    return grant;
  };

  const checkHostAndOrigin = (request: IncomingMessage): void => {
    const hostHeader = (request.headers.host ?? '').toLowerCase();
    const host = hostHeader.replace(/:\d+$/, '');
    if (options.allowedHosts && !options.allowedHosts.includes(host)) {
      throw new HttpError(403, `The Host "${host}" is not allowed; the server's operator can add it to HALO_MCP_ALLOWED_HOSTS (--allowed-hosts).`);
    }
    const origin = request.headers.origin;
    // Browsers send Origin; MCP clients outside a browser do not. A page from another origin must not drive the server.
    if (origin === undefined || options.allowedOrigins.includes(origin)) return;
    // The server's own origin: a page it serves itself, on a Host checked above against a list (a rebinding page's Host is not on it).
    if (options.allowedHosts && /^https?:\/\//i.test(origin) && origin.replace(/^https?:\/\//i, '').toLowerCase() === hostHeader) return;
    throw new HttpError(403, `The Origin "${origin}" is not allowed; the server's operator can add it to HALO_MCP_ALLOWED_ORIGINS (--allowed-origins).`);
  };

  const checkLimits = (body: unknown): void => {
    const messages = Array.isArray(body) ? (body as unknown[]) : [body];
    if (messages.length > options.maxBatch) throw new HttpError(413, `A batch may hold at most ${options.maxBatch} messages.`);
    for (const message of messages) {
      const params = (message as { method?: unknown; params?: { arguments?: unknown } } | null)?.params;
      if ((message as { method?: unknown } | null)?.method === 'tools/call' && elementCount(params?.arguments, options.maxArgumentElements) > options.maxArgumentElements) {
        throw new HttpError(413, `Tool arguments may hold at most ${options.maxArgumentElements} elements.`);
      }
    }
  };

  // One handler for the process: it builds a server per request from the caller attached to it.
  const mcp = createMcpHandler(
    (context) => {
      const { backend, tokenId, audit: auditCall } = callerOf(context);
      return backend.createServer(tokenId, auditCall);
    },
    {
      // With sessions, earlier revisions are served by the session wiring below; this handler then takes 2026-07-28 only.
      legacy: options.sessions ? 'reject' : 'stateless',
      onerror: (error) => logger.debug({ err: error }, 'MCP request refused'),
    },
  );
  const serveStateless = toNodeHandler(mcp, { onerror: (error) => logger.error({ err: error }, 'MCP request failed') });

  /**
   * Serves one HTTP request. `reserveMore` takes further places among the token's concurrent
   * requests: a batch counts each of its messages as a request of its own, or one POST of twenty
   * tool calls would pass a limit of sixteen.
   */
  const serveMcp = async (request: IncomingMessage, response: ServerResponse, grant: TokenGrant | undefined, reserveMore: (count: number) => void): Promise<void> => {
    const method = request.method ?? 'GET';
    let body: unknown;
    if (method === 'POST') {
      const raw = await readBody(request, options.maxBodyBytes);
      try {
        body = JSON.parse(raw) as unknown;
      } catch {
        throw new HttpError(400, 'The body is not valid JSON.');
      }
      checkLimits(body);
      if (Array.isArray(body) && body.length > 1) reserveMore(body.length - 1);
    }
    const sessionId = request.headers['mcp-session-id'];
    if (options.sessions && typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      // A session belongs to the token (and Halo credentials) that opened it; to any other it does not exist.
      if (!session || session.tokenId !== grant?.id || session.binding !== sessionBinding(request)) throw new HttpError(404, 'The session does not exist or has ended.');
      session.lastSeen = Date.now();
      await session.transport.handleRequest(request, response, body);
      return;
    }
    if (method !== 'POST') {
      throw new HttpError(405, options.sessions ? 'Send Mcp-Session-Id, or POST an initialize request to start a session.' : 'This server is stateless: only POST is served.', { allow: 'POST' });
    }
    let backend: Backend;
    try {
      backend = backendFor(grant, request);
    } catch (error) {
      // A request that names no usable Halo (gateway headers missing or malformed) is the caller's to fix.
      throw new HttpError(400, redactor.redact(error instanceof Error ? error.message : String(error)));
    }
    if (options.sessions && (await isLegacyRequest(await toWebRequest(request, body), body))) {
      await openSession(request, response, body, grant, backend);
      return;
    }
    const caller: Caller = { tokenId: grant?.id, backend, audit: auditFor(grant, backend) };
    // The token itself stays here: the SDK is told only which grant called.
    const auth: AuthInfo = { token: grant?.id ?? 'anonymous', clientId: grant?.id ?? 'anonymous', scopes: [], extra: { caller } };
    await serveStateless(Object.assign(request, { auth }), response, body);
  };

  /** Sessions a token holds or is opening. */
  const sessionsOf = (owner: string): number => {
    let held = opening.get(owner) ?? 0;
    for (const session of sessions.values()) if ((session.tokenId ?? '') === owner) held++;
    return held;
  };

  /** A request without a session id in session mode: an initialize that opens one, within the caps. */
  const openSession = async (request: IncomingMessage, response: ServerResponse, body: unknown, grant: TokenGrant | undefined, backend: Backend): Promise<void> => {
    const owner = grant?.id ?? '';
    const beingOpened = [...opening.values()].reduce((sum, count) => sum + count, 0);
    if (sessions.size + beingOpened >= options.maxSessions) throw new HttpError(503, 'The server holds as many sessions as it may; end one or try later.', { 'retry-after': '30' });
    if (sessionsOf(owner) >= options.maxSessionsPerToken) {
      throw new HttpError(
        429,
        `This token holds ${options.maxSessionsPerToken} sessions, as many as one token may (HALO_MCP_MAX_SESSIONS_PER_TOKEN); end one with DELETE, or let one go idle.`,
        { 'retry-after': '30' },
      );
    }
    opening.set(owner, (opening.get(owner) ?? 0) + 1);
    let opened = false;
    // Once, when the session is registered (it then counts as held) or when the request ends without one.
    const stopOpening = (): void => {
      if (opened) return;
      opened = true;
      opening.set(owner, (opening.get(owner) ?? 1) - 1);
    };
    const server = backend.createServer(grant?.id, auditFor(grant, backend));
    const binding = sessionBinding(request);
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // Events are kept so that a client whose stream broke can resume it; the priming event and retry field tell it how.
      eventStore: new SessionEvents(),
      retryInterval: SSE_RETRY_MS,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, tokenId: grant?.id, binding, lastSeen: Date.now() });
        stopOpening();
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    try {
      await server.connect(transport);
      await transport.handleRequest(request, response, body);
    } finally {
      stopOpening();
    }
  };

  let readinessAnswer: Readiness | undefined;
  let readinessCheck: Promise<Readiness> | undefined;
  /** The last readiness answer while it is fresh; otherwise one check for every caller waiting. */
  const checkReadiness = (): Readiness | Promise<Readiness> => {
    if (readinessAnswer && Date.now() - readinessAnswer.checkedAt < READINESS_TTL_MS) return readinessAnswer;
    readinessCheck ??= Promise.all(readiness().map((backend) => backend.halo.probe({ timeoutMs: READINESS_TIMEOUT_MS })))
      .then(
        (): Readiness => ({ ready: true, checkedAt: Date.now() }),
        (error: unknown): Readiness => ({ ready: false, error: redactor.redact(error instanceof Error ? error.message : String(error)), checkedAt: Date.now() }),
      )
      .then((answer) => (readinessAnswer = answer))
      .finally(() => (readinessCheck = undefined));
    return readinessCheck;
  };

  /** Whether a request carries a valid token, without refusing it: /readyz answers everyone, and says why only to a caller with a token. */
  const isAuthenticated = (request: IncomingMessage): boolean => {
    try {
      authenticate(request, undefined);
      return true;
    } catch {
      return false;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let path: string;
    try {
      path = new URL(request.url ?? '/', 'http://server').pathname;
    } catch {
      throw new HttpError(400, 'The request target is not a valid path.');
    }
    const method = request.method ?? 'GET';
    if (path === '/healthz' || path === '/readyz') {
      if (method !== 'GET') throw new HttpError(405, `${path} answers GET only.`, { allow: 'GET' });
      if (path === '/healthz') {
        response.writeHead(draining ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: draining ? 'draining' : 'ok' }));
        return;
      }
      const { ready, error } = await checkReadiness();
      const detail = error !== undefined && isAuthenticated(request) ? { error } : {};
      response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready, ...detail }));
      return;
    }
    const match = /^\/mcp(?:\/([^/]+))?\/?$/.exec(path);
    // The path is not repeated: under /mcp/ it may hold a token.
    if (!match) throw new HttpError(404, 'Nothing is served at this path; MCP is at /mcp.');
    if (!['POST', 'GET', 'DELETE'].includes(method)) throw new HttpError(405, `/mcp answers POST${options.sessions ? ', GET and DELETE' : ''}.`, { allow: options.sessions ? 'POST, GET, DELETE' : 'POST' });
    if (draining) throw new HttpError(503, 'The server is shutting down.', { 'retry-after': '5' });
    checkHostAndOrigin(request);
    const grant = authenticate(request, pathToken(match[1]));
    // A GET is a session's standing event stream, open while the client is idle: it does no work, and counting it would lock out a token's idle clients.
    if (method === 'GET') {
      // Nor has it a body of messages to count.
      await serveMcp(request, response, grant, () => undefined);
      return;
    }
    const key = grant?.id ?? '';
    const limit = options.maxConcurrentPerToken;
    let reserved = 0;
    const reserve = (count: number): void => {
      const running = inFlight.get(key) ?? 0;
      if (reserved + count > limit) {
        throw new HttpError(413, `A batch of ${reserved + count} messages counts as ${reserved + count} requests, more than the ${limit} a token may have at once; send smaller batches.`);
      }
      if (running + count > limit) throw new HttpError(429, `At most ${limit} requests at once per token, each message of a batch counted.`, { 'retry-after': '1' });
      inFlight.set(key, running + count);
      reserved += count;
    };
    reserve(1);
    try {
      await serveMcp(request, response, grant, reserve);
    } finally {
      inFlight.set(key, (inFlight.get(key) ?? reserved) - reserved);
    }
  };

  const httpServer: Server = createHttpServer((request, response) => {
    if (request.method === 'POST') {
      activeCalls++;
      response.on('close', () => {
        activeCalls--;
      });
    }
    handle(request, response).catch((error: unknown) => {
      if (error instanceof HttpError) {
        sendError(response, error);
        return;
      }
      logger.error({ err: error }, 'HTTP request failed');
      sendError(response, new HttpError(500, 'The server failed to answer.'));
    });
  });

  const sweeper = setInterval(
    () => {
      const cutoff = Date.now() - options.sessionIdleMs;
      for (const [id, session] of sessions) {
        if (session.lastSeen < cutoff) {
          sessions.delete(id);
          void session.transport.close();
          void session.server.close();
        }
      }
    },
    Math.min(60_000, Math.max(1_000, options.sessionIdleMs / 2)),
  );
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;

  return {
    url,
    close: async () => {
      draining = true;
      clearInterval(sweeper);
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const deadline = Date.now() + options.shutdownGraceMs;
      while (activeCalls > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      // Aborts what is left of stateless exchanges past the grace period.
      await mcp.close();
      for (const session of sessions.values()) {
        await session.transport.close();
        await session.server.close();
      }
      sessions.clear();
      httpServer.closeAllConnections();
      await closed;
      await audit?.close();
    },
  };
}
