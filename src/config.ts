/**
 * The one place where environment variables (and, through the CLI, flags) become a validated
 * configuration, with a message for each thing that is missing or malformed.
 */
import { z } from 'zod';
import { DEFAULT_RATE_LIMIT, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, type HaloClientConfig, type HaloRateLimit } from './halo/config.js';
import type { LogLevel } from './logger.js';
import { assertTimeZone } from './mcp/dates.js';
import { DEFAULT_SETTINGS, type ServerSettings } from './mcp/settings.js';
import { TOOLSETS } from './mcp/tool.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration is not usable:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const positiveInteger = (name: string, fallback: number, min = 1) =>
  optionalText.transform((value, context) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min) {
      context.addIssue({ code: 'custom', message: `${name} must be a whole number of at least ${min} (got "${value}")` });
      return z.NEVER;
    }
    return Number(value);
  });

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

function parseRateLimit(value: string | undefined, context: z.RefinementCtx): HaloRateLimit | undefined {
  if (value === undefined) return DEFAULT_RATE_LIMIT;
  if (value.toLowerCase() === 'off') return undefined;
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    context.addIssue({ code: 'custom', message: `HALO_RATE_LIMIT must be N/SECONDS such as 300/300, or off (got "${value}")` });
    return z.NEVER;
  }
  return { limit: Number(match[1]), windowSeconds: Number(match[2]) };
}

const envSchema = z.object({
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
  HALO_SCOPE: optionalText.transform((value) => value ?? 'all'),
  HALO_TIMEOUT_MS: positiveInteger('HALO_TIMEOUT_MS', DEFAULT_TIMEOUT_MS),
  HALO_RETRY_MAX_ATTEMPTS: positiveInteger('HALO_RETRY_MAX_ATTEMPTS', DEFAULT_RETRY.maxAttempts),
  HALO_RETRY_BUDGET_MS: positiveInteger('HALO_RETRY_BUDGET_MS', DEFAULT_RETRY.budgetMs),
  HALO_RATE_LIMIT: optionalText.transform(parseRateLimit),
});

/** Reads the Halo connection settings from the environment. */
export function haloConfigFromEnv(env: Env): HaloClientConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => issue.message));
  const values = result.data;
  return {
    url: values.HALO_URL,
    authUrl: values.HALO_AUTH_URL ?? `${values.HALO_URL}/auth`,
    ...(values.HALO_TENANT ? { tenant: values.HALO_TENANT } : {}),
    clientId: values.HALO_CLIENT_ID,
    clientSecret: values.HALO_CLIENT_SECRET,
    scope: values.HALO_SCOPE,
    timeoutMs: values.HALO_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, maxAttempts: values.HALO_RETRY_MAX_ATTEMPTS, budgetMs: values.HALO_RETRY_BUDGET_MS },
    ...(values.HALO_RATE_LIMIT ? { rateLimit: values.HALO_RATE_LIMIT } : {}),
  };
}

export function logLevelFromEnv(env: Env): LogLevel {
  const value = env.HALO_LOG_LEVEL?.trim().toLowerCase();
  if (!value) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError([`HALO_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${value}")`]);
  }
  return value as LogLevel;
}

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, '1': true, yes: true, on: true, false: false, '0': false, no: false, off: false };

function booleanSetting(name: string) {
  return optionalText.transform((value, context) => {
    if (value === undefined) return false;
    const parsed = BOOLEAN_WORDS[value.toLowerCase()];
    if (parsed === undefined) {
      context.addIssue({ code: 'custom', message: `${name} must be true or false (got "${value}")` });
      return z.NEVER;
    }
    return parsed;
  });
}

function listSetting(name: string, known: readonly string[], fallback: string[], what: string) {
  return optionalText.transform((value, context) => {
    if (value === undefined) return fallback;
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const unknown = items.filter((item) => !known.includes(item));
    if (unknown.length > 0) {
      context.addIssue({ code: 'custom', message: `${name} names unknown ${what} ${unknown.map((item) => `"${item}"`).join(', ')}; known: ${known.join(', ')}` });
      return z.NEVER;
    }
    return items;
  });
}

const timeZoneSetting = optionalText.transform((value, context) => {
  const zone = value ?? DEFAULT_SETTINGS.timezone;
  try {
    assertTimeZone(zone);
  } catch {
    context.addIssue({ code: 'custom', message: `HALO_TIMEZONE must be an IANA time zone such as Europe/London (got "${zone}")` });
    return z.NEVER;
  }
  return zone;
});

/**
 * Reads the server settings (which tools, how answers are shaped). Tool names are checked against
 * the catalog, so that a misspelt name in an allow or deny list is an error rather than a no-op.
 */
export function serverSettingsFromEnv(env: Env, knownTools: readonly string[]): ServerSettings {
  const schema = z.object({
    HALO_TOOLSETS: listSetting('HALO_TOOLSETS', [...TOOLSETS, 'all'], DEFAULT_SETTINGS.toolsets, 'toolsets'),
    HALO_ENABLED_TOOLS: listSetting('HALO_ENABLED_TOOLS', knownTools, [], 'tools'),
    HALO_DISABLED_TOOLS: listSetting('HALO_DISABLED_TOOLS', knownTools, [], 'tools'),
    HALO_READ_ONLY: booleanSetting('HALO_READ_ONLY'),
    HALO_ALLOW_DESTRUCTIVE: booleanSetting('HALO_ALLOW_DESTRUCTIVE'),
    HALO_ALLOW_SQL: booleanSetting('HALO_ALLOW_SQL'),
    HALO_TIMEZONE: timeZoneSetting,
    HALO_MAX_RESULT_CHARS: positiveInteger('HALO_MAX_RESULT_CHARS', DEFAULT_SETTINGS.maxResultChars, 1_000),
    HALO_CACHE_TTL_SECONDS: positiveInteger('HALO_CACHE_TTL_SECONDS', DEFAULT_SETTINGS.cacheTtlMs / 1000),
  });
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => issue.message));
  const values = result.data;
  return {
    ...DEFAULT_SETTINGS,
    toolsets: values.HALO_TOOLSETS as ServerSettings['toolsets'],
    enabledTools: values.HALO_ENABLED_TOOLS,
    disabledTools: values.HALO_DISABLED_TOOLS,
    readOnly: values.HALO_READ_ONLY,
    allowDestructive: values.HALO_ALLOW_DESTRUCTIVE,
    allowSql: values.HALO_ALLOW_SQL,
    timezone: values.HALO_TIMEZONE,
    maxResultChars: values.HALO_MAX_RESULT_CHARS,
    cacheTtlMs: values.HALO_CACHE_TTL_SECONDS * 1000,
  };
}
