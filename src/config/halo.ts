/**
 * The Halo connection: where the Halo is, the credentials of its API application, and how the
 * client talks to it (scope, timeouts, retries, rate limit, answer size).
 */
import { z } from 'zod';
import { DEFAULT_MAX_RESPONSE_MB, DEFAULT_RATE_LIMIT, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, parseRateLimit, type HaloClientConfig, type HaloRateLimit } from '../halo/config.js';
import { optionalText, parseEnv, positiveInteger, present, TIMER_MAX_MS, type Env } from './values.js';

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

const haloSchema = z.object({
  HALO_URL: z
    .string({ error: 'HALO_URL is missing: set it to your Halo web address, such as https://acme.halopsa.com' })
    .pipe(httpUrl('HALO_URL', 'https://acme.halopsa.com')),
  HALO_AUTH_URL: optionalText.pipe(httpUrl('HALO_AUTH_URL', 'https://acme.halopsa.com/auth').optional()),
  HALO_TENANT: optionalText,
  HALO_CLIENT_ID: z
    .string({ error: 'HALO_CLIENT_ID is missing: copy the Client ID of your API application (Configuration > Integrations > Halo API)' })
    .trim()
    .min(1, 'HALO_CLIENT_ID is empty'),
  HALO_CLIENT_SECRET: z
    .string({ error: 'HALO_CLIENT_SECRET is missing: copy the Client Secret of your API application' })
    .min(1, 'HALO_CLIENT_SECRET is empty'),
  HALO_SCOPE: optionalText,
  HALO_TIMEOUT_MS: positiveInteger('HALO_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 1, TIMER_MAX_MS),
  HALO_RETRY_MAX_ATTEMPTS: positiveInteger('HALO_RETRY_MAX_ATTEMPTS', DEFAULT_RETRY.maxAttempts),
  HALO_RETRY_BUDGET_MS: positiveInteger('HALO_RETRY_BUDGET_MS', DEFAULT_RETRY.budgetMs, 1, TIMER_MAX_MS),
  HALO_RATE_LIMIT: optionalText.transform(rateLimitSetting),
  HALO_MAX_RESPONSE_MB: positiveInteger('HALO_MAX_RESPONSE_MB', DEFAULT_MAX_RESPONSE_MB),
});

/**
 * Reads the Halo connection settings from the environment. `scope` is what to ask Halo for when
 * HALO_SCOPE does not say: the scopes the enabled tools need (requestedScope), `all` without tools.
 */
export function haloConfigFromEnv(env: Env, scope = 'all'): HaloClientConfig {
  const values = parseEnv(haloSchema, present(env));
  return {
    url: values.HALO_URL,
    authUrl: values.HALO_AUTH_URL ?? `${values.HALO_URL}/auth`,
    ...(values.HALO_TENANT ? { tenant: values.HALO_TENANT } : {}),
    clientId: values.HALO_CLIENT_ID,
    clientSecret: values.HALO_CLIENT_SECRET,
    scope: values.HALO_SCOPE ?? scope,
    // Scopes worked out from the tools fall back to all if Halo will not issue them; scopes a person wrote stand as written.
    ...(values.HALO_SCOPE === undefined && scope !== 'all' ? { scopeFallback: 'all' } : {}),
    timeoutMs: values.HALO_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, maxAttempts: values.HALO_RETRY_MAX_ATTEMPTS, budgetMs: values.HALO_RETRY_BUDGET_MS },
    ...(values.HALO_RATE_LIMIT ? { rateLimit: values.HALO_RATE_LIMIT } : {}),
    maxResponseBytes: values.HALO_MAX_RESPONSE_MB * 1024 * 1024,
  };
}
