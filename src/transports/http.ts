/**
 * MCP over Streamable HTTP, for hosted agents: `/mcp` (and `/mcp/<token>` for connectors that cannot
 * send headers), `/healthz` and `/readyz`, and with --oauth the authorization server's paths (which
 * check the Host and then their own requests: oauth/). Every MCP request passes, in order: path and method, Host and
 * Origin, the bearer token, the per-token concurrency limit (each message of a batch counted), the
 * body size, batch and argument limits, and only then MCP. Each of those is a piece of its own under
 * `http/`; this file puts them in that order, listens, and closes them gracefully.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Redactor } from '../util/redact.js';
import { openAuditLog } from './http/audit.js';
import { Authenticator } from './http/auth.js';
import { TokenConcurrency } from './http/concurrency.js';
import { Drain } from './http/drain.js';
import { answerFailure } from './http/errors.js';
import { Health, type SharedStateReport } from './http/health.js';
import { checkHost, checkHostAndOrigin } from './http/host-origin.js';
import { McpEndpoint } from './http/mcp.js';
import type { AuthorizationServer } from './http/oauth/index.js';
import type { Backend, CallerGrant, HttpOptions } from './http/options.js';
import { routeOf } from './http/routes.js';

export type { Backend, CallerGrant, TokenGrant } from './http/options.js';
export { AuthorizationServer } from './http/oauth/index.js';

export interface HttpServerOptions {
  options: HttpOptions;
  /** The backend a caller (or, in gateway mode, the request's Halo headers) is served with. */
  backendFor: (grant: CallerGrant | undefined, request: IncomingMessage) => Backend;
  /** With --oauth: the authorization server whose tokens callers may present beside the configured ones. */
  oauth?: AuthorizationServer;
  /** Besides its token, what a session is bound to (gateway mode: the Halo credentials in the headers); the same on every request of the session. */
  sessionBinding: (request: IncomingMessage) => string;
  /** Backends whose Halo /readyz checks. */
  readiness: () => Backend[];
  /** With replicas sharing state: its report, for /readyz. */
  sharedState?: () => SharedStateReport;
  logger: Logger;
  redactor: Redactor;
}

export interface RunningHttpServer {
  url: string;
  /** Stops accepting, lets calls in flight finish within the grace period, then closes. */
  close(): Promise<void>;
}

/** Listens on the configured address; port 0 picks a free one, which the URL then names. */
async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

export async function startHttpServer({ options, backendFor, oauth, sessionBinding, readiness, sharedState, logger, redactor }: HttpServerOptions): Promise<RunningHttpServer> {
  const audit = options.auditLog ? openAuditLog(options.auditLog, logger) : undefined;
  const drain = new Drain();
  const auth = new Authenticator(options.tokens, oauth ? { verifier: oauth.grants, resource: oauth.resource, resourceMetadataUrl: oauth.resourceMetadataUrl } : undefined);
  const concurrency = new TokenConcurrency(options.maxConcurrentPerToken);
  const health = new Health({ backends: readiness, isDraining: () => drain.isDraining, isAuthenticated: (request) => auth.isAuthenticated(request), redactor, ...(sharedState ? { sharedState } : {}) });
  const mcp = new McpEndpoint({ options, backendFor, sessionBinding, audit, logger, redactor });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const route = routeOf(request, options.sessions, (path) => oauth?.handles(path) ?? false);
    if (route.endpoint === 'health') return health.serve(route.path, request, response);
    drain.refuseWhileDraining();
    if (route.endpoint === 'oauth') {
      checkHost(request, options);
      return (oauth as AuthorizationServer).serve(route.path, request, response);
    }
    checkHostAndOrigin(request, options);
    const grant = await auth.authenticate(request, route.encodedToken);
    // A GET is a session's standing event stream, open while the client is idle: it does no work, and counting it would lock out a token's idle clients; nor has it a batch to count.
    if (request.method === 'GET') return mcp.serve(request, response, grant, () => undefined);
    await concurrency.run(grant?.id ?? '', (reserveMore) => mcp.serve(request, response, grant, reserveMore));
  };

  const httpServer = createHttpServer((request, response) => {
    drain.track(request, response);
    handle(request, response).catch((error: unknown) => answerFailure(response, error, logger));
  });
  const url = await listen(httpServer, options.host, options.port);

  return {
    url,
    close: async () => {
      drain.begin();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await drain.callsFinished(options.shutdownGraceMs);
      await mcp.close();
      httpServer.closeAllConnections();
      await closed;
      await audit?.close();
      await oauth?.close();
    },
  };
}
