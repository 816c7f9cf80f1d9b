/**
 * The Halo connection: where the Halo is, the credentials of its API application, and how the
 * client talks to it (scope, timeouts, retries, rate limit, answer size).
 */
import { z } from 'zod';
import type { StoredSignIn } from '../sign-in/credentials-file.js';
import type { HaloSignInTarget } from '../sign-in/halo-authorization.js';
import { DEFAULT_MAX_RESPONSE_MB, DEFAULT_RATE_LIMIT, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, parseRateLimit, type HaloClientConfig, type HaloRateLimit } from '../halo/config.js';
import { ConfigError, optionalText, parseEnv, positiveInteger, present, TIMER_MAX_MS, type Env } from './values.js';

const httpUrl = (name: string, example: string) =>
  z
    .string()
    .trim()
    .transform((value, context) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        context.addIssue({ code: 'custom', message: `${name} must be a URL such as ${example} (got "${value}")` });
        return z.NEVER;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        context.addIssue({ code: 'custom', message: `${name} must start with https:// (got "${value}")` });
        return z.NEVER;
      }
      // People paste the API address or a trailing slash; the client wants the bare web address.
      return `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/api$/i, '');
    });

function rateLimitSetting(value: string | undefined, context: z.RefinementCtx): HaloRateLimit | undefined {
  if (value === undefined) return DEFAULT_RATE_LIMIT;
  const parsed = parseRateLimit(value);
  if (parsed === null) {
    context.addIssue({ code: 'custom', message: `HALO_RATE_LIMIT must be N/SECONDS such as 300/300, or off (got "${value}")` });
    return z.NEVER;
  }
  return parsed;
}

/** Where a Halo is, the application to sign in to it with, and the scope to ask it for. */
const placeSchema = z.object({
  HALO_URL: z
    .string({ error: 'HALO_URL is missing: set it to your Halo web address, such as https://acme.halopsa.com' })
    .pipe(httpUrl('HALO_URL', 'https://acme.halopsa.com')),
  HALO_AUTH_URL: optionalText.pipe(httpUrl('HALO_AUTH_URL', 'https://acme.halopsa.com/auth').optional()),
  HALO_TENANT: optionalText,
  HALO_CLIENT_ID: z
    .string({ error: 'HALO_CLIENT_ID is missing: copy the Client ID of your API application (Configuration > Integrations > Halo API)' })
    .trim()
    .min(1, 'HALO_CLIENT_ID is empty'),
  HALO_SCOPE: optionalText,
});

/** Where a Halo is, the credentials of its API application (the client credentials grant), and the scope to ask it for. */
const whereSchema = placeSchema.extend({
  HALO_CLIENT_SECRET: z
    .string({ error: 'HALO_CLIENT_SECRET is missing: copy the Client Secret of your API application, or sign in as yourself with "halopsa-mcp login"' })
    .min(1, 'HALO_CLIENT_SECRET is empty'),
});

/** How the client talks to any Halo, whichever it is. */
const tuningSchema = z.object({
  HALO_TIMEOUT_MS: positiveInteger('HALO_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 1, TIMER_MAX_MS),
  HALO_RETRY_MAX_ATTEMPTS: positiveInteger('HALO_RETRY_MAX_ATTEMPTS', DEFAULT_RETRY.maxAttempts),
  HALO_RETRY_BUDGET_MS: positiveInteger('HALO_RETRY_BUDGET_MS', DEFAULT_RETRY.budgetMs, 1, TIMER_MAX_MS),
  HALO_RATE_LIMIT: optionalText.transform(rateLimitSetting),
  HALO_MAX_RESPONSE_MB: positiveInteger('HALO_MAX_RESPONSE_MB', DEFAULT_MAX_RESPONSE_MB),
});

/**
 * The timeouts, retries, rate limit and answer size of the client, read once from the environment:
 * they apply as well to a Halo that is named at run time (the demo sandbox, a gateway request's).
 */
export type HaloTuning = Pick<HaloClientConfig, 'timeoutMs' | 'retry' | 'rateLimit' | 'maxResponseBytes'>;

/** What the client asks a Halo for and how it talks to it: everything but where the Halo is and its credentials. */
export type HaloUse = Omit<HaloClientConfig, 'url' | 'authUrl' | 'tenant' | 'clientId' | 'clientSecret'>;

function tuningOf(values: z.output<typeof tuningSchema>): HaloTuning {
  return {
    timeoutMs: values.HALO_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, maxAttempts: values.HALO_RETRY_MAX_ATTEMPTS, budgetMs: values.HALO_RETRY_BUDGET_MS },
    ...(values.HALO_RATE_LIMIT ? { rateLimit: values.HALO_RATE_LIMIT } : {}),
    maxResponseBytes: values.HALO_MAX_RESPONSE_MB * 1024 * 1024,
  };
}

/** The scope to ask for: one a person wrote, as written; otherwise `requested`, the scopes the tools need. */
function scopeOf(written: string | undefined, requested: string): Pick<HaloClientConfig, 'scope' | 'scopeFallback'> {
  return {
    scope: written ?? requested,
    // Scopes worked out from the tools fall back to all if Halo will not issue them; scopes a person wrote stand as written.
    ...(written === undefined && requested !== 'all' ? { scopeFallback: 'all' } : {}),
  };
}

function haloConfigOf(where: z.output<typeof whereSchema>, tuning: HaloTuning, requested: string): HaloClientConfig {
  return {
    url: where.HALO_URL,
    authUrl: where.HALO_AUTH_URL ?? `${where.HALO_URL}/auth`,
    ...(where.HALO_TENANT ? { tenant: where.HALO_TENANT } : {}),
    clientId: where.HALO_CLIENT_ID,
    clientSecret: where.HALO_CLIENT_SECRET,
    ...scopeOf(where.HALO_SCOPE, requested),
    ...tuning,
  };
}

/**
 * Reads the Halo connection settings from the environment. `scope` is what to ask Halo for when
 * HALO_SCOPE does not say: the scopes the enabled tools need (requestedScope), `all` without tools.
 */
export function haloConfigFromEnv(env: Env, scope = 'all'): HaloClientConfig {
  const settings = present(env);
  const where = whereSchema.safeParse(settings);
  const tuning = tuningSchema.safeParse(settings);
  // One message with every problem, those of where the Halo is first.
  const problems = [...(where.error?.issues ?? []), ...(tuning.error?.issues ?? [])].map((issue) => issue.message);
  if (!where.success || !tuning.success) throw new ConfigError(problems);
  return haloConfigOf(where.data, tuningOf(tuning.data), scope);
}

export function haloTuningFromEnv(env: Env): HaloTuning {
  return tuningOf(parseEnv(tuningSchema, present(env)));
}

/** What the environment asks of a Halo it does not name (the demo sandbox): its scope and tuning. */
export function haloUseFromEnv(env: Env, scope: string): HaloUse {
  const written = parseEnv(whereSchema.pick({ HALO_SCOPE: true }), present(env)).HALO_SCOPE;
  return { ...scopeOf(written, scope), ...haloTuningFromEnv(env) };
}

/** The demo sandbox's Halo, once it runs: its address and credentials, and what the environment asks of a Halo. */
export function sandboxHaloConfig(sandbox: { url: string; clientId: string; clientSecret: string }, use: HaloUse): HaloClientConfig {
  return { url: sandbox.url, authUrl: `${sandbox.url}/auth`, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, ...use };
}

/**
 * A Halo named by settings other than the environment's, such as a gateway request's headers:
 * where it is, its credentials and scope from `named`, checked as the environment's would be; how
 * to talk to it as already read.
 */
export function namedHaloConfig(named: Env, tuning: HaloTuning, scope: string): HaloClientConfig {
  return haloConfigOf(parseEnv(whereSchema, present(named)), tuning, scope);
}

/** The Halo a technician signs in to with `halopsa-mcp login`: its address, and the application, whose secret is optional (a public client has none). */
export function signInTargetFromEnv(env: Env): HaloSignInTarget & { url: string } {
  const where = parseEnv(placeSchema.extend({ HALO_CLIENT_SECRET: z.string().optional() }), present(env));
  return {
    url: where.HALO_URL,
    authUrl: where.HALO_AUTH_URL ?? `${where.HALO_URL}/auth`,
    ...(where.HALO_TENANT ? { tenant: where.HALO_TENANT } : {}),
    clientId: where.HALO_CLIENT_ID,
    ...(where.HALO_CLIENT_SECRET ? { clientSecret: where.HALO_CLIENT_SECRET } : {}),
  };
}

/** The loopback host names `halopsa-mcp login` can listen on, as they may appear in a redirect URI. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

// Halo behaviour: docs/halo-behaviour.md#redirect-uri-registration
/**
 * Where `halopsa-mcp login` asks Halo to send the browser back, and listens: the redirect URI
 * registered with the application, which Halo is reported to match exactly. HALO_LOGIN_REDIRECT_URI
 * gives it whole (to reuse one already registered, such as `http://localhost:8400/`); otherwise it
 * is `http://127.0.0.1:<HALO_LOGIN_PORT>/callback`, port 8400 unless set (0 picks a free port, for tests).
 */
export function loginRedirectFromEnv(env: Env): URL {
  const values = parseEnv(
    z.object({
      HALO_LOGIN_PORT: positiveInteger('HALO_LOGIN_PORT', 8400, 0, 65_535),
      HALO_LOGIN_REDIRECT_URI: optionalText.transform((value, context) => {
        if (value === undefined) return undefined;
        const url = URL.canParse(value) ? new URL(value) : undefined;
        if (url?.protocol !== 'http:' || !LOOPBACK_HOSTS.includes(url.hostname) || url.port === '' || url.search !== '' || url.hash !== '') {
          context.addIssue({
            code: 'custom',
            message: `HALO_LOGIN_REDIRECT_URI must be an http address on this computer with a port, such as http://localhost:8400/callback, as registered with the application in Halo (got "${value}")`,
          });
          return z.NEVER;
        }
        return url;
      }),
    }),
    present(env),
  );
  return values.HALO_LOGIN_REDIRECT_URI ?? new URL(`http://127.0.0.1:${values.HALO_LOGIN_PORT}/callback`);
}

/** What the environment may say beside a sign-in: which Halo it means, and the secret of a confidential login application. */
const besideSignInSchema = z.object({
  HALO_URL: optionalText.pipe(httpUrl('HALO_URL', 'https://acme.halopsa.com').optional()),
  HALO_CLIENT_ID: optionalText,
  HALO_CLIENT_SECRET: z.string().optional(),
  HALO_SCOPE: optionalText,
});

/**
 * The Halo of a technician's sign-in (the credentials file), when it is the configured one: its
 * address, authorisation server, tenant and application come from the file, as the refresh token
 * is bound to them. HALO_CLIENT_SECRET goes with them when it is the secret of that application
 * (HALO_CLIENT_ID names it, or names none), for a login application that is a confidential client.
 * `otherHalo` when HALO_URL names another Halo: the sign-in then does not apply.
 */
export function signedInHaloConfig(env: Env, signIn: StoredSignIn, scope: string): { config: HaloClientConfig } | { otherHalo: string } {
  const settings = present(env);
  const beside = besideSignInSchema.safeParse(settings);
  const tuning = tuningSchema.safeParse(settings);
  if (!beside.success || !tuning.success) throw new ConfigError([...(beside.error?.issues ?? []), ...(tuning.error?.issues ?? [])].map((issue) => issue.message));
  const { HALO_URL: configured, HALO_CLIENT_ID: clientId, HALO_CLIENT_SECRET: secret, HALO_SCOPE: written } = beside.data;
  if (configured !== undefined && configured !== signIn.halo_url) return { otherHalo: configured };
  const secretApplies = secret !== undefined && (clientId === undefined || clientId === signIn.client_id);
  return {
    config: {
      url: signIn.halo_url,
      authUrl: signIn.auth_url,
      ...(signIn.tenant ? { tenant: signIn.tenant } : {}),
      clientId: signIn.client_id,
      ...(secretApplies ? { clientSecret: secret } : {}),
      ...scopeOf(written, scope),
      ...tuningOf(tuning.data),
    },
  };
}
