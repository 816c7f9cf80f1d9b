/**
 * The Halo sandbox: an emulator of a Halo PSA tenant, built from Halo's own OpenAPI document, with
 * seeded demo data. It backs `--demo`, the tests and the benchmarks.
 *
 * It imports nothing from the Halo client, the MCP server or the tool catalog: it must not share the
 * client's assumptions, or a wrong assumption would pass its own test.
 */
import type { AddressInfo } from 'node:net';
import { MSP } from './content.js';
import { HOSTED_RATE_LIMIT, rateLimitFromText, type RateLimit } from './rate-limit.js';
import type { ActionOrder } from './resources/actions.js';
import { createSandboxServer, SandboxState } from './server.js';

export const DEFAULT_CLIENT_ID = 'halo-sandbox';
export const DEFAULT_CLIENT_SECRET = 'halo-sandbox-secret';
export const DEFAULT_SEED = 'halo-sandbox';
export const DEFAULT_LOGIN_CLIENT_ID = 'halo-sandbox-login';
export const DEFAULT_REDIRECT_URIS = ['http://127.0.0.1:8400/callback', 'http://localhost:8400/callback'];
export const DEFAULT_DEMO_PASSWORD = 'halo-demo';
/** A technician of the seed who signs in and sees every ticket. */
const DEMO_AGENT_EMAIL = `jane.doe@${MSP.domain}`;

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Serves the admin API under `/_sandbox/` (request log, violations, faults, reset). */
  admin?: boolean;
  seed?: string | number;
  /** Multiplies the number of tickets and actions (1 = 240 tickets). */
  scale?: number;
  clientId?: string;
  clientSecret?: string;
  /** When set, token requests must name this tenant. */
  tenant?: string;
  /** The scopes the API application may be granted; `all` by default. */
  allowedScopes?: string[];
  /**
   * The status of a call the token's scopes do not allow: 401 by default, as live tenants answer;
   * 403 as some integrations report.
   */
  scopeRefusalStatus?: 401 | 403;
  /** `N/SECONDS`, `off`, or a limit; 300 requests per 300 seconds by default, as on hosted Halo. */
  rateLimit?: string | RateLimit;
  /** Sends Retry-After with a 429 of the rate limit, which live Halo is not known to do; off by default. */
  rateLimitRetryAfter?: boolean;
  tokenTtlSeconds?: number;
  /** The application technicians sign in to with an authorization code; `halo-sandbox-login` by default. */
  loginClientId?: string;
  /** Makes the login application confidential: its token requests must carry this secret. None by default. */
  loginClientSecret?: string;
  /**
   * The login application's redirect URIs; a loopback one (127.0.0.1, localhost, [::1]) matches
   * the same URI on any port. `http://127.0.0.1:8400/callback` and `http://localhost:8400/callback` by default.
   */
  redirectUris?: string[];
  /** The password every enabled technician signs in with, by email or name; `halo-demo` by default. */
  demoPassword?: string;
  /** How long a sign-in can be refreshed, from the sign-in on; 30 days by default. */
  refreshTokenTtlSeconds?: number;
  /** How long an authorization code can be exchanged; 120 seconds by default. */
  authCodeTtlSeconds?: number;
  /** The moment the seeded history leads up to; now by default. */
  now?: Date;
  /**
   * The order of `GET /Actions`: newest first by default, as Halo lists them; `oldest` lists them
   * in the order they were added, to prove a client orders a history by its own dates.
   */
  actionOrder?: ActionOrder;
}

export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:43123`; the API is under `/api`, tokens under `/auth/token`. */
  url: string;
  clientId: string;
  clientSecret: string;
  tenant?: string;
  /** The application technicians sign in to (`/auth/authorize`). */
  loginClientId: string;
  demoPassword: string;
  /** A technician to sign in as, with the demo password. */
  demoAgentEmail: string;
  close(): Promise<void>;
}

function rateLimitOption(text: string): RateLimit | undefined {
  const parsed = rateLimitFromText(text);
  if (parsed === null) throw new Error(`Invalid rate limit "${text}": expected N/SECONDS (for example 300/300) or off`);
  return parsed;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const rateLimit = typeof options.rateLimit === 'string' ? rateLimitOption(options.rateLimit) : (options.rateLimit ?? HOSTED_RATE_LIMIT);
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new Error(`Invalid scale ${String(options.scale)}: expected a number above 0`);
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
  const loginClientId = options.loginClientId ?? DEFAULT_LOGIN_CLIENT_ID;
  const demoPassword = options.demoPassword ?? DEFAULT_DEMO_PASSWORD;
  const redirectUris = options.redirectUris ?? DEFAULT_REDIRECT_URIS;
  for (const uri of redirectUris) {
    if (!URL.canParse(uri)) throw new Error(`Invalid redirect URI "${uri}": expected an absolute URL`);
  }
  const state = new SandboxState({
    clientId,
    clientSecret,
    ...(options.tenant ? { tenant: options.tenant } : {}),
    allowedScopes: options.allowedScopes ?? ['all'],
    // Halo behaviour: docs/halo-behaviour.md#scope-denied-status
    scopeRefusalStatus: options.scopeRefusalStatus ?? 401,
    // Halo behaviour: docs/halo-behaviour.md#token-response-fields
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    loginClientId,
    ...(options.loginClientSecret ? { loginClientSecret: options.loginClientSecret } : {}),
    redirectUris,
    demoPassword,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * 24 * 3600,
    authCodeTtlSeconds: options.authCodeTtlSeconds ?? 120,
    // Halo behaviour: docs/halo-behaviour.md#rate-limit-window
    ...(rateLimit ? { rateLimit } : {}),
    // Halo behaviour: docs/halo-behaviour.md#rate-limit-no-retry-after
    rateLimitRetryAfter: options.rateLimitRetryAfter ?? false,
    admin: options.admin ?? false,
    // Halo behaviour: docs/halo-behaviour.md#actions-order
    actionOrder: options.actionOrder ?? 'newest',
    seed: { seed: options.seed ?? DEFAULT_SEED, scale, now: options.now ?? new Date() },
  });
  const server = createSandboxServer(state);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  state.baseUrl = url;
  return {
    url,
    clientId,
    clientSecret,
    ...(options.tenant ? { tenant: options.tenant } : {}),
    loginClientId,
    demoPassword,
    demoAgentEmail: DEMO_AGENT_EMAIL,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive connections would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}
