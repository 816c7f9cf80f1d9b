/**
 * MCP itself, for a request that passed the checks before it: the body read within its limits, then
 * the caller's backend, then the SDK. Stateless by default: the SDK's handler builds a fresh server
 * per request (so replicas need no shared state) and serves 2026-07-28 requests, which carry their
 * revision and capabilities, and earlier revisions without sessions. In session mode an
 * earlier-revision client gets a session instead (sessions.ts); 2026-07-28 has no sessions, so its
 * requests stay stateless. Every write a server makes is audited under the token that called.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest, type AuthInfo, type McpRequestContext } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { CallerGrant, HttpOptions } from './options.js';
import type { AuditEntry } from '../../mcp/server.js';
import type { Redactor } from '../../util/redact.js';
import type { AuditLog } from './audit.js';
import { readMessages, type BodyLimits } from './body.js';
import type { ReserveMore } from './concurrency.js';
import { HttpError } from './errors.js';
import type { Backend } from './options.js';
import { SessionRegistry, type SessionOwner } from './sessions.js';

export interface McpEndpointOptions {
  options: BodyLimits & Pick<HttpOptions, 'sessions' | 'maxSessions' | 'maxSessionsPerToken' | 'sessionIdleMs'>;
  backendFor: (grant: CallerGrant | undefined, request: IncomingMessage) => Backend;
  sessionBinding: (request: IncomingMessage) => string;
  audit: AuditLog | undefined;
  logger: Logger;
  redactor: Redactor;
}

/** What the SDK's handler is told about a request that passed every check: who called, and the backend and audit to build its server with. */
interface Caller {
  tokenId: string | undefined;
  backend: Backend;
  audit: (entry: AuditEntry) => void;
}

/** The caller that `serveStateless` attached to a request, as the SDK hands it back to the server factory. */
function callerOf(context: McpRequestContext): Caller {
  const caller = context.authInfo?.extra?.caller as Caller | undefined;
  // Every request reaches the handler through serveStateless, which attaches it: its absence is a bug here, not the client's.
  if (!caller) throw new Error('An MCP request reached the handler without its caller.');
  return caller;
}

export class McpEndpoint {
  /** One handler for the process: it builds a server per request from the caller attached to it. */
  private readonly handler: ReturnType<typeof createMcpHandler>;
  private readonly stateless: ReturnType<typeof toNodeHandler>;
  /** Present in session mode only. */
  private readonly sessions: SessionRegistry | undefined;
  /** Audit lines waiting for the agent they name: closing waits for them, so that the log is whole. */
  private readonly auditsPending = new Set<Promise<void>>();

  constructor(private readonly endpoint: McpEndpointOptions) {
    const { options, logger } = endpoint;
    this.handler = createMcpHandler(
      (context) => {
        const { backend, tokenId, audit } = callerOf(context);
        return backend.createServer(tokenId, audit);
      },
      {
        // With sessions, earlier revisions are served by the session registry; this handler then takes 2026-07-28 only.
        legacy: options.sessions ? 'reject' : 'stateless',
        onerror: (error) => logger.debug({ err: error }, 'MCP request refused'),
      },
    );
    this.stateless = toNodeHandler(this.handler, { onerror: (error) => logger.error({ err: error }, 'MCP request failed') });
    this.sessions = options.sessions ? new SessionRegistry(options) : undefined;
  }

  /** Serves one request; `reserveMore` counts the other messages of a batch against the token's requests at once. */
  async serve(request: IncomingMessage, response: ServerResponse, grant: CallerGrant | undefined, reserveMore: ReserveMore): Promise<void> {
    const method = request.method ?? 'GET';
    const body = method === 'POST' ? await readMessages(request, this.endpoint.options) : undefined;
    if (Array.isArray(body) && body.length > 1) reserveMore(body.length - 1);
    const sessionId = request.headers['mcp-session-id'];
    if (this.sessions && typeof sessionId === 'string') {
      await this.sessions.serve(sessionId, this.ownerOf(grant, request), request, response, body);
      return;
    }
    if (method !== 'POST') {
      throw new HttpError(405, this.sessions ? 'Send Mcp-Session-Id, or POST an initialize request to start a session.' : 'This server is stateless: only POST is served.', { allow: 'POST' });
    }
    const backend = this.backendOf(grant, request);
    if (this.sessions && (await isLegacyRequest(await toWebRequest(request, body), body))) {
      await this.sessions.open(this.ownerOf(grant, request), () => backend.createServer(grant?.id, this.auditFor(grant, backend)), request, response, body);
      return;
    }
    const caller: Caller = { tokenId: grant?.id, backend, audit: this.auditFor(grant, backend) };
    // The token itself stays here: the SDK is told only which grant called.
    const auth: AuthInfo = { token: grant?.id ?? 'anonymous', clientId: grant?.id ?? 'anonymous', scopes: [], extra: { caller } };
    await this.stateless(Object.assign(request, { auth }), response, body);
  }

  /** Aborts what is left of stateless exchanges, then closes every session. */
  async close(): Promise<void> {
    await this.handler.close();
    await this.sessions?.close();
    await Promise.all(this.auditsPending);
  }

  private backendOf(grant: CallerGrant | undefined, request: IncomingMessage): Backend {
    try {
      return this.endpoint.backendFor(grant, request);
    } catch (error) {
      // A request that names no usable Halo (gateway headers missing or malformed) is the caller's to fix.
      throw new HttpError(400, this.endpoint.redactor.redact(error instanceof Error ? error.message : String(error)));
    }
  }

  private ownerOf(grant: CallerGrant | undefined, request: IncomingMessage): SessionOwner {
    return { tokenId: grant?.id, binding: this.endpoint.sessionBinding(request) };
  }

  /**
   * A gateway caller's redactor removes its own secrets from its arguments; the process's redactor
   * knows only the server's. The line waits for the agent the call acted as, which Halo has
   * usually named by then (a sign-in's id_token) or which one lookup per backend finds.
   */
  private auditFor(grant: CallerGrant | undefined, backend: Backend): (entry: AuditEntry) => void {
    const audit = this.endpoint.audit;
    if (!audit) return () => undefined;
    return (entry) => {
      const written = backend.actingAgent().then((agent) => {
        const haloAgent = agent ? { id: agent.id, name: agent.name ?? null } : null;
        audit.record({ token: grant?.id ?? null, ...(grant?.signIn ? { mcpClient: grant.signIn.clientId } : {}), haloAgent }, entry, (text) => backend.halo.redact(text));
      });
      this.auditsPending.add(written);
      void written.finally(() => this.auditsPending.delete(written));
    };
  }
}
