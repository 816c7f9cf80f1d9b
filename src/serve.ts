/**
 * Puts the pieces together for a transport: the Halo client or clients, the tool settings, the
 * server factory. stdio serves one Halo; HTTP serves the server's own Halo, the Halo each token's
 * profile names, (gateway mode) the Halo a request's headers name, or (--oauth) the server's own
 * Halo as the technician who signed in. With HALO_REDIS_URL, replicas share through Redis what
 * they would otherwise each keep: every Halo client draws from one rate-limit window, resolvers
 * read one reference cache, and --oauth keeps its sign-ins there.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { catalog, prompts, resources } from '../tools/index.js';
import { ConfigError, type HttpServing, type OAuthConfig } from './config/index.js';
import { HaloClient } from './halo/client.js';
import type { HaloClientConfig } from './halo/config.js';
import type { Redactor } from './util/redact.js';
import { Resolver } from './toolkit/resolve.js';
import type { ReferenceCache } from './toolkit/reference-cache.js';
import type { ActingAs } from './replicas/reference-cache.js';
import type { SharedState } from './replicas/shared.js';
import type { SignInStore } from './sign-in/store.js';
import { toolAllowed } from './mcp/select.js';
import { createServer, type AuditEntry } from './mcp/server.js';
import type { ServerSettings } from './mcp/settings.js';
import type { HaloAgentIdentity } from './halo/sign-in.js';
import type { SignInGrant } from './sign-in/grants.js';
import type { Backend, CallerGrant } from './transports/http.js';

export interface ServeContext {
  /** The server's own Halo, when configured (always in demo mode). */
  haloConfig: HaloClientConfig | undefined;
  settings: ServerSettings;
  logger: Logger;
  redactor: Redactor;
}

/** The agent the API application logs in as, asked of Halo once (and again only after a failure). */
function applicationAgent(halo: HaloClient): () => Promise<HaloAgentIdentity | undefined> {
  let known: Promise<HaloAgentIdentity | undefined> | undefined;
  return () => {
    known ??= halo.get('/Agent', 'me').then(
      (record) => ({ id: Number(record.id), ...(typeof record.name === 'string' ? { name: record.name } : {}) }),
      () => {
        known = undefined;
        return undefined;
      },
    );
    return known;
  };
}

interface BackendOptions {
  /** Names the agent when Halo's id_token has not: a sign-in's own record; by default a lookup for the API application. */
  agentOtherwise?: () => Promise<HaloAgentIdentity | undefined>;
  /** The reference cache replicas share, when they do; the resolver's own memory otherwise. */
  cache?: ReferenceCache | undefined;
}

function backend(halo: HaloClient, settings: ServerSettings, tools: typeof catalog, logger: Logger, { agentOtherwise = applicationAgent(halo), cache }: BackendOptions = {}): Backend {
  // One resolver per Halo, shared by every request's server, so its cache outlives them.
  const resolver = new Resolver(halo, settings, cache);
  return {
    halo,
    actingAgent: async () => halo.agent ?? (await agentOtherwise()),
    createServer: (tokenId, audit: (entry: AuditEntry) => void) =>
      createServer({ halo, resolver, settings, logger: logger.child({ token_id: tokenId ?? null }), catalog: tools, resources, prompts, audit, ...(tokenId !== undefined ? { caller: tokenId } : {}) }),
  };
}

/** The authorization server of --oauth, and the backends of the people who sign in through it. */
async function authorizationServer(config: OAuthConfig, haloConfig: HaloClientConfig, halo: HaloClient, logger: Logger, sharedStore: SignInStore | undefined) {
  const [{ AuthorizationServer }, { MemorySignInStore }, { Sealer }, { SignInBackends }] = await Promise.all([
    import('./transports/http.js'),
    import('./sign-in/store.js'),
    import('./sign-in/sealed.js'),
    import('./sign-in/backends.js'),
  ]);
  // The API application signs technicians in too unless a login application of its own is configured (Halo may not let one application use both grants).
  const login = config.login ?? { clientId: haloConfig.clientId, ...(haloConfig.clientSecret ? { clientSecret: haloConfig.clientSecret } : {}) };
  const server = new AuthorizationServer({
    publicUrl: config.publicUrl,
    store: sharedStore ?? new MemorySignInStore(),
    sealer: new Sealer(config.tokenKey),
    halo: { authUrl: haloConfig.authUrl, ...(haloConfig.tenant ? { tenant: haloConfig.tenant } : {}), ...login },
    accessTokenTtlMs: config.accessTokenTtlMs,
    logger,
  });
  return {
    server,
    signIns: (build: (halo: HaloClient, signIn: SignInGrant) => Backend) => new SignInBackends({ halo, login, grants: server.grants, build }),
  };
}

/** With HALO_REDIS_URL: what replicas share (Halo's rate budget, sign-ins, reference caches), connected once for the process. */
export async function connectShared(http: HttpServing, logger: Logger): Promise<SharedState | undefined> {
  if (!http.redisUrl) return undefined;
  const { connectSharedState } = await import('./replicas/shared.js');
  return connectSharedState(http.redisUrl, logger);
}

export async function serveHttp(context: ServeContext, http: HttpServing, onStarted: (url: string) => void): Promise<void> {
  const { haloConfig, settings, logger, redactor } = context;
  const { options } = http;
  // A token's settings narrow the server's, never widen them: its tools are those both allow.
  const serverTools = catalog.filter((tool) => toolAllowed(tool, settings));
  const shared = await connectShared(http, logger);
  const budget = shared ? { budget: shared.budget } : {};
  // Sign-in clients share their application's limiter, and with it the shared window (forSignIn).
  const client = (config: HaloClientConfig): HaloClient => new HaloClient(config, { logger, redactor, ...budget });
  const cacheFor = (halo: HaloClient, actingAs: ActingAs): ReferenceCache | undefined => shared?.referenceCache(halo.config, actingAs);

  const defaultHalo = haloConfig ? client(haloConfig) : undefined;
  const defaultBackend = defaultHalo ? backend(defaultHalo, settings, serverTools, logger, { cache: cacheFor(defaultHalo, 'application') }) : undefined;
  const profileBackends = new Map<string, Backend>();
  for (const [name, profile] of http.profiles) {
    // A profile that shares the server's Halo shares its token too.
    const profileHalo = profile.halo ? client(profile.halo) : defaultBackend?.halo;
    if (!profileHalo) throw new ConfigError([`Profile "${name}" names no Halo (url, client_id, client_secret) and the server has none of its own (HALO_URL).`]);
    profileBackends.set(name, backend(profileHalo, profile.settings, serverTools, logger, { cache: cacheFor(profileHalo, 'application') }));
  }
  const unbound = options.tokens.filter((grant) => !grant.profile);
  if (!defaultBackend && !http.gateway && (unbound.length > 0 || options.tokens.length === 0)) {
    throw new ConfigError(['HALO_URL, HALO_CLIENT_ID and HALO_CLIENT_SECRET are needed for tokens that are not bound to a profile (or turn on gateway mode).']);
  }

  const oauth = http.oauth && haloConfig && defaultBackend ? await authorizationServer(http.oauth, haloConfig, defaultBackend.halo, logger, shared?.signInStore) : undefined;
  const signIns = oauth?.signIns((halo, signIn) =>
    backend(halo, settings, serverTools, logger, {
      agentOtherwise: () => Promise.resolve(signIn.agent),
      // Halo's permissions are per agent: a technician's lookups are shared with their own other sign-ins only.
      cache: cacheFor(halo, signIn.agent ? `agent:${signIn.agent.id}` : `sign-in:${signIn.signInId}`),
    }),
  );

  const gateway = http.gateway
    ? await (await import('./gateway/backends.js')).Gateway.start({
        ...http.gateway,
        logger,
        redactor,
        ...budget,
        // The technician HALO_AGENT names is one of the server's own Halo: a request's Halo has agents of its own.
        build: (halo) => backend(halo, { ...settings, agent: undefined }, serverTools, logger, { cache: cacheFor(halo, 'application') }),
      })
    : undefined;
  const backendFor = (grant: CallerGrant | undefined, request: IncomingMessage): Backend => {
    if (grant?.signIn && signIns) return signIns.backendFor(grant.signIn);
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
    ...(oauth ? { oauth: oauth.server } : {}),
    sessionBinding: (request) => gateway?.binding(request) ?? '',
    readiness: () => [...(defaultBackend ? [defaultBackend] : []), ...profileBackends.values()],
    ...(shared ? { sharedState: () => shared.redis.status() } : {}),
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
        return Promise.all([...[...halos].map((halo) => halo.close()), gateway?.close(), shared?.budget.close().then(() => shared.redis.close())]);
      })
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
