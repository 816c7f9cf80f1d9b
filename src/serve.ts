/**
 * Puts the pieces together for a transport: the Halo client or clients, the tool settings, the
 * server factory. stdio serves one Halo; HTTP serves the server's own Halo, the Halo each token's
 * profile names, or (gateway mode) the Halo a request's headers name.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { catalog, prompts, resources } from '../tools/index.js';
import { ConfigError, type HttpServing } from './config/index.js';
import { HaloClient } from './halo/client.js';
import type { HaloClientConfig } from './halo/config.js';
import type { Redactor } from './util/redact.js';
import { Resolver } from './toolkit/resolve.js';
import { toolAllowed } from './mcp/select.js';
import { createServer, type AuditEntry } from './mcp/server.js';
import type { ServerSettings } from './mcp/settings.js';
import type { Backend, TokenGrant } from './transports/http.js';

export interface ServeContext {
  /** The server's own Halo, when configured (always in demo mode). */
  haloConfig: HaloClientConfig | undefined;
  settings: ServerSettings;
  logger: Logger;
  redactor: Redactor;
}

function backend(halo: HaloClient, settings: ServerSettings, tools: typeof catalog, logger: Logger): Backend {
  // One resolver per Halo, shared by every request's server, so its cache outlives them.
  const resolver = new Resolver(halo, settings);
  return {
    halo,
    createServer: (tokenId, audit: (entry: AuditEntry) => void) =>
      createServer({ halo, resolver, settings, logger: logger.child({ token_id: tokenId ?? null }), catalog: tools, resources, prompts, audit, ...(tokenId !== undefined ? { caller: tokenId } : {}) }),
  };
}

export async function serveHttp(context: ServeContext, http: HttpServing, onStarted: (url: string) => void): Promise<void> {
  const { haloConfig, settings, logger, redactor } = context;
  const { options } = http;
  // A token's settings narrow the server's, never widen them: its tools are those both allow.
  const serverTools = catalog.filter((tool) => toolAllowed(tool, settings));
  const client = (config: HaloClientConfig): HaloClient => new HaloClient(config, { logger, redactor });

  const defaultBackend = haloConfig ? backend(client(haloConfig), settings, serverTools, logger) : undefined;
  const profileBackends = new Map<string, Backend>();
  for (const [name, profile] of http.profiles) {
    // A profile that shares the server's Halo shares its token too.
    const profileHalo = profile.halo ? client(profile.halo) : defaultBackend?.halo;
    if (!profileHalo) throw new ConfigError([`Profile "${name}" names no Halo (url, client_id, client_secret) and the server has none of its own (HALO_URL).`]);
    profileBackends.set(name, backend(profileHalo, profile.settings, serverTools, logger));
  }
  const unbound = options.tokens.filter((grant) => !grant.profile);
  if (!defaultBackend && !http.gateway && (unbound.length > 0 || options.tokens.length === 0)) {
    throw new ConfigError(['HALO_URL, HALO_CLIENT_ID and HALO_CLIENT_SECRET are needed for tokens that are not bound to a profile (or turn on gateway mode).']);
  }

  const gateway = http.gateway
    ? await (await import('./gateway/backends.js')).Gateway.start({
        ...http.gateway,
        logger,
        redactor,
        // The technician HALO_AGENT names is one of the server's own Halo: a request's Halo has agents of its own.
        build: (halo) => backend(halo, { ...settings, agent: undefined }, serverTools, logger),
      })
    : undefined;
  const backendFor = (grant: TokenGrant | undefined, request: IncomingMessage): Backend => {
    if (grant?.profile) {
      const bound = profileBackends.get(grant.profile);
      if (bound) return bound;
    }
    const named = gateway?.backendFor(request);
    if (named) return named;
    if (!defaultBackend) throw new ConfigError(['This request names no Halo: send the X-Halo-Url, X-Halo-Client-Id and X-Halo-Client-Secret headers.']);
    return defaultBackend;
  };

  const { startHttpServer } = await import('./transports/http.js');
  const running = await startHttpServer({
    options,
    backendFor,
    sessionBinding: (request) => gateway?.binding(request) ?? '',
    readiness: () => [...(defaultBackend ? [defaultBackend] : []), ...profileBackends.values()],
    logger,
    redactor,
  });
  onStarted(running.url);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down: finishing calls in flight');
    void running
      .close()
      .then(() => {
        // A profile may share the server's own Halo client: each is closed once.
        const halos = new Set([defaultBackend, ...profileBackends.values()].flatMap((live) => (live ? [live.halo] : [])));
        return Promise.all([...[...halos].map((halo) => halo.close()), gateway?.close()]);
      })
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
