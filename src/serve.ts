/**
 * Puts the pieces together for a transport: the Halo client or clients, the tool settings, the
 * server factory. stdio serves one Halo; HTTP serves the server's own Halo, the Halo each token's
 * profile names, or (gateway mode) the Halo a request's headers name.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { catalog } from '../tools/index.js';
import { ConfigError, haloConfigFromEnv, httpOptionsFromEnv, serverSettingsFromEnv, type Env, type TokenGrant } from './config.js';
import { HaloClient } from './halo/client.js';
import type { HaloClientConfig } from './halo/config.js';
import type { Redactor } from './halo/redact.js';
import { Resolver } from './mcp/resolve.js';
import { createServer, toolAllowed, type AuditEntry } from './mcp/server.js';
import type { ServerSettings } from './mcp/settings.js';
import type { Backend } from './transports/http.js';

export interface ServeContext {
  env: Env;
  /** The server's own Halo, when configured (always in demo mode). */
  haloConfig: HaloClientConfig | undefined;
  settings: ServerSettings;
  logger: Logger;
  redactor: Redactor;
}

function backend(halo: HaloClient, settings: ServerSettings, tools: typeof catalog, logger: Logger): Backend {
  // One resolver per Halo, shared by every request's server, so its cache outlives them.
  const resolver = new Resolver(halo, settings.cacheTtlMs);
  return {
    halo,
    createServer: (tokenId, audit: (entry: AuditEntry) => void) =>
      createServer({ halo, resolver, settings, logger: logger.child({ token_id: tokenId ?? null }), catalog: tools, audit, ...(tokenId !== undefined ? { caller: tokenId } : {}) }),
  };
}

/** Gateway clients are cached by every credential field, so a wrong secret never borrows another caller's token. */
const GATEWAY_CACHE_LIMIT = 100;

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function serveHttp(context: ServeContext, onStarted: (url: string) => void): Promise<void> {
  const { env, haloConfig, settings, logger, redactor } = context;
  const options = httpOptionsFromEnv(env, (path) => readFileSync(path, 'utf8'));
  // A token's settings narrow the server's, never widen them: its tools are those both allow.
  const serverTools = catalog.filter((tool) => toolAllowed(tool, settings));
  const client = (config: HaloClientConfig): HaloClient => new HaloClient(config, { logger, redactor });

  const defaultBackend = haloConfig ? backend(client(haloConfig), settings, serverTools, logger) : undefined;
  const profileBackends = new Map<string, Backend>();
  for (const [name, profile] of options.profiles) {
    const profileSettings = serverSettingsFromEnv({ ...env, ...profile.settingsEnv }, catalog.map((tool) => tool.name));
    const profileHalo = Object.keys(profile.haloEnv).length > 0 ? client(haloConfigFromEnv({ ...env, HALO_TENANT: '', HALO_AUTH_URL: '', ...profile.haloEnv })) : defaultBackend?.halo;
    if (!profileHalo) throw new ConfigError([`Profile "${name}" names no Halo (url, client_id, client_secret) and the server has none of its own (HALO_URL).`]);
    profileBackends.set(name, backend(profileHalo, profileSettings, serverTools, logger));
  }
  const unbound = options.tokens.filter((grant) => !grant.profile);
  if (!defaultBackend && !options.gateway && (unbound.length > 0 || options.tokens.length === 0)) {
    throw new ConfigError(['HALO_URL, HALO_CLIENT_ID and HALO_CLIENT_SECRET are needed for tokens that are not bound to a profile (or turn on gateway mode).']);
  }

  const gatewayBackends = new Map<string, Backend>();
  const backendFor = (grant: TokenGrant | undefined, request: IncomingMessage): Backend => {
    if (grant?.profile) {
      const bound = profileBackends.get(grant.profile);
      if (bound) return bound;
    }
    const url = header(request, 'x-halo-url');
    if (options.gateway && url) {
      const fields = {
        HALO_URL: url,
        HALO_TENANT: header(request, 'x-halo-tenant') ?? '',
        HALO_CLIENT_ID: header(request, 'x-halo-client-id'),
        HALO_CLIENT_SECRET: header(request, 'x-halo-client-secret'),
        HALO_AUTH_URL: header(request, 'x-halo-auth-url') ?? '',
        HALO_SCOPE: header(request, 'x-halo-scope') ?? '',
      };
      const key = createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
      // Least recently used goes first. An evicted client is not closed, as a call in flight may still use it; once that ends, nothing holds it.
      let found = gatewayBackends.get(key);
      if (found) {
        gatewayBackends.delete(key);
      } else {
        if (gatewayBackends.size >= GATEWAY_CACHE_LIMIT) {
          const oldest = gatewayBackends.keys().next().value;
          if (oldest !== undefined) gatewayBackends.delete(oldest);
        }
        found = backend(client(haloConfigFromEnv({ ...env, ...fields })), settings, serverTools, logger);
      }
      gatewayBackends.set(key, found);
      return found;
    }
    if (!defaultBackend) throw new ConfigError(['This request names no Halo: send the X-Halo-Url, X-Halo-Client-Id and X-Halo-Client-Secret headers.']);
    return defaultBackend;
  };

  const { startHttpServer } = await import('./transports/http.js');
  const running = await startHttpServer({
    options,
    backendFor,
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
        const halos = new Set([defaultBackend, ...profileBackends.values(), ...gatewayBackends.values()].flatMap((live) => (live ? [live.halo] : [])));
        return Promise.all([...halos].map((halo) => halo.close()));
      })
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
