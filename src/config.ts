/**
 * The one place where environment variables (and, through the CLI, flags) become a validated
 * configuration, with a message for each thing that is missing or malformed.
 */
import { z } from 'zod';
import { isIP } from 'node:net';
import { AllowedHosts, HOSTED_HALO_DOMAINS, parseAllowedHosts } from './gateway/hosts.js';
import { DEFAULT_MAX_RESPONSE_MB, DEFAULT_RATE_LIMIT, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, parseRateLimit, type HaloClientConfig, type HaloRateLimit } from './halo/config.js';
import type { LogLevel } from './logger.js';
import { assertTimeZone } from './toolkit/dates.js';
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

/**
 * Empty means absent. So does a placeholder a client left unsubstituted (`${user_config.tenant}`,
 * which an MCP bundle host may pass through for an optional field the person left empty).
 */
const UNSUBSTITUTED = /^\$\{[\w.]+\}$/;

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value && !UNSUBSTITUTED.test(value) ? value : undefined));

/** The environment without empty values and unsubstituted placeholders, so that required settings report as missing. */
function present(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== '' && !UNSUBSTITUTED.test(value.trim())));
}

/** The longest delay Node's timers hold (2^31 - 1 ms, about 24.8 days): a longer one fires at once. */
const TIMER_MAX_MS = 2_147_483_647;
const TIMER_MAX_SECONDS = Math.floor(TIMER_MAX_MS / 1000);

const positiveInteger = (name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  optionalText.transform((value, context) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
      context.addIssue({ code: 'custom', message: `${name} must be a whole number ${range} (got "${value}")` });
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

function rateLimitSetting(value: string | undefined, context: z.RefinementCtx): HaloRateLimit | undefined {
  if (value === undefined) return DEFAULT_RATE_LIMIT;
  const parsed = parseRateLimit(value);
  if (parsed === null) {
    context.addIssue({ code: 'custom', message: `HALO_RATE_LIMIT must be N/SECONDS such as 300/300, or off (got "${value}")` });
    return z.NEVER;
  }
  return parsed;
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
  const result = envSchema.safeParse(present(env));
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => issue.message));
  const values = result.data;
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

/**
 * The toolsets to expose. A name the server does not know is left out and reported once connected
 * (see ServerSettings.problems) rather than refused: people type this list into a client's form,
 * where a refusal shows only as "connection closed". With no known name left, the default toolsets
 * serve, so the person still has the tools to find out what happened.
 */
function toolsetSetting(value: string | undefined): { toolsets: ServerSettings['toolsets']; problems: string[] } {
  if (value === undefined) return { toolsets: DEFAULT_SETTINGS.toolsets, problems: [] };
  const known: readonly string[] = [...TOOLSETS, 'all'];
  const items = list(value).map((item) => item.toLowerCase());
  const valid = items.filter((item): item is ServerSettings['toolsets'][number] => known.includes(item));
  const unknown = items.filter((item) => !known.includes(item));
  if (unknown.length === 0) return { toolsets: valid, problems: [] };
  const toolsets = valid.length > 0 ? valid : DEFAULT_SETTINGS.toolsets;
  return {
    toolsets,
    problems: [
      `HALO_TOOLSETS names unknown toolset${unknown.length > 1 ? 's' : ''} ${unknown.map((item) => `"${item}"`).join(', ')}, left out; serving ${toolsets.join(',')}. Known: ${known.join(', ')}.`,
    ],
  };
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
    HALO_TOOLSETS: optionalText.transform(toolsetSetting),
    HALO_ENABLED_TOOLS: listSetting('HALO_ENABLED_TOOLS', knownTools, [], 'tools'),
    HALO_DISABLED_TOOLS: listSetting('HALO_DISABLED_TOOLS', knownTools, [], 'tools'),
    HALO_READ_ONLY: booleanSetting('HALO_READ_ONLY'),
    HALO_ALLOW_DESTRUCTIVE: booleanSetting('HALO_ALLOW_DESTRUCTIVE'),
    HALO_ALLOW_SQL: booleanSetting('HALO_ALLOW_SQL'),
    HALO_TIMEZONE: timeZoneSetting,
    HALO_MAX_RESULT_CHARS: positiveInteger('HALO_MAX_RESULT_CHARS', DEFAULT_SETTINGS.maxResultChars, 1_000),
    HALO_CACHE_TTL_SECONDS: positiveInteger('HALO_CACHE_TTL_SECONDS', DEFAULT_SETTINGS.cacheTtlMs / 1000, 1, TIMER_MAX_SECONDS),
  });
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => issue.message));
  const values = result.data;
  return {
    ...DEFAULT_SETTINGS,
    toolsets: values.HALO_TOOLSETS.toolsets,
    problems: values.HALO_TOOLSETS.problems,
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

/** A bearer token that may call the HTTP server, optionally bound to its own Halo and tool settings. */
export interface TokenGrant {
  /** A name for logs and the audit trail; the token itself is never logged. */
  id: string;
  token: string;
  /** The profile whose Halo and settings this token uses; the server's own when absent. */
  profile?: string;
}

/** A Halo and tool settings a token is bound to, written as the environment variables they replace. */
export interface Profile {
  haloEnv: Env;
  settingsEnv: Env;
}

export interface HttpOptions {
  host: string;
  port: number;
  tokens: TokenGrant[];
  profiles: Map<string, Profile>;
  sessions: boolean;
  maxSessions: number;
  /** Sessions one token may hold, so that one token cannot take them all. */
  maxSessionsPerToken: number;
  sessionIdleMs: number;
  /** Host header values accepted; undefined accepts any (only when bound beyond loopback, where tokens are required). */
  allowedHosts: string[] | undefined;
  allowedOrigins: string[];
  maxBodyBytes: number;
  maxBatch: number;
  maxArgumentElements: number;
  maxConcurrentPerToken: number;
  /** Takes Halo credentials from request headers (X-Halo-Url, X-Halo-Client-Id, ...). */
  gateway: boolean;
  /** The hosts gateway mode may fetch a Halo from. */
  gatewayAllowedHosts: AllowedHosts;
  auditLog: string | undefined;
  shutdownGraceMs: number;
}

/** Whether a host to bind is loopback: `localhost`, or a literal loopback address (never a name that merely starts with "127."). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  if (family === 4) return bare.startsWith('127.');
  return family === 6 && (bare === '::1' || /^::ffff:127\./.test(bare));
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const PROFILE_HALO_KEYS: Record<string, string> = {
  url: 'HALO_URL',
  auth_url: 'HALO_AUTH_URL',
  tenant: 'HALO_TENANT',
  client_id: 'HALO_CLIENT_ID',
  client_secret: 'HALO_CLIENT_SECRET',
  scope: 'HALO_SCOPE',
};

const PROFILE_SETTING_KEYS: Record<string, string> = {
  toolsets: 'HALO_TOOLSETS',
  enabled_tools: 'HALO_ENABLED_TOOLS',
  disabled_tools: 'HALO_DISABLED_TOOLS',
  read_only: 'HALO_READ_ONLY',
  allow_destructive: 'HALO_ALLOW_DESTRUCTIVE',
  allow_sql: 'HALO_ALLOW_SQL',
  timezone: 'HALO_TIMEZONE',
  max_result_chars: 'HALO_MAX_RESULT_CHARS',
};

const profilesFileSchema = z
  .object({
    tokens: z.array(z.object({ id: z.string().min(1), token: z.string().min(16, 'a token must be at least 16 characters'), profile: z.string().optional() }).strict()),
    profiles: z
      .record(
        z.string(),
        z
          .object({
            halo: z.partialRecord(z.enum(Object.keys(PROFILE_HALO_KEYS) as [string, ...string[]]), z.string()).optional(),
            settings: z.partialRecord(z.enum(Object.keys(PROFILE_SETTING_KEYS) as [string, ...string[]]), z.union([z.string(), z.boolean(), z.number()])).optional(),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();

function readProfilesFile(path: string, readFile: (path: string) => string): { tokens: TokenGrant[]; profiles: Map<string, Profile> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (error) {
    throw new ConfigError([`The profiles file ${path} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const result = profilesFileSchema.safeParse(parsed);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => `profiles file ${path}: ${issue.path.join('.')}: ${issue.message}`));
  const profiles = new Map<string, Profile>();
  for (const [name, profile] of Object.entries(result.data.profiles)) {
    const haloEnv: Env = {};
    for (const [key, value] of Object.entries(profile.halo ?? {})) haloEnv[PROFILE_HALO_KEYS[key] ?? key] = value;
    const settingsEnv: Env = {};
    for (const [key, value] of Object.entries(profile.settings ?? {})) settingsEnv[PROFILE_SETTING_KEYS[key] ?? key] = String(value);
    profiles.set(name, { haloEnv, settingsEnv });
  }
  const missing = result.data.tokens.filter((grant) => grant.profile !== undefined && !profiles.has(grant.profile));
  if (missing.length > 0) throw new ConfigError(missing.map((grant) => `profiles file ${path}: token "${grant.id}" names profile "${String(grant.profile)}", which the file does not define`));
  return { tokens: result.data.tokens.map((grant) => ({ id: grant.id, token: grant.token, ...(grant.profile ? { profile: grant.profile } : {}) })), profiles };
}

/** Tokens from HALO_MCP_TOKENS or a tokens file: one per line or comma, each `token` or `id=token`. */
function readTokens(text: string, source: string): TokenGrant[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line, index) => {
      const [id, token] = line.includes('=') ? [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()] : [`token-${index + 1}`, line];
      if (token.length < 16) throw new ConfigError([`${source}: the token "${id}" is shorter than 16 characters; use a long random value`]);
      return { id, token };
    });
}

/**
 * Reads the HTTP server's settings. A server bound beyond loopback refuses to start without
 * tokens: anyone who can reach the port could otherwise act in Halo.
 */
export function httpOptionsFromEnv(env: Env, readFile: (path: string) => string): HttpOptions {
  const schema = z.object({
    HALO_MCP_HTTP_HOST: optionalText.transform((value) => value ?? '127.0.0.1'),
    HALO_MCP_HTTP_PORT: optionalText.transform((value, context) => {
      if (value === undefined) return 3000;
      if (!/^\d+$/.test(value) || Number(value) > 65_535) {
        context.addIssue({ code: 'custom', message: `HALO_MCP_HTTP_PORT must be a port number (got "${value}")` });
        return z.NEVER;
      }
      return Number(value);
    }),
    HALO_MCP_SESSIONS: booleanSetting('HALO_MCP_SESSIONS'),
    HALO_MCP_MAX_SESSIONS: positiveInteger('HALO_MCP_MAX_SESSIONS', 100),
    HALO_MCP_MAX_SESSIONS_PER_TOKEN: positiveInteger('HALO_MCP_MAX_SESSIONS_PER_TOKEN', 25),
    HALO_MCP_SESSION_IDLE_SECONDS: positiveInteger('HALO_MCP_SESSION_IDLE_SECONDS', 1800, 1, TIMER_MAX_SECONDS),
    HALO_MCP_MAX_BODY_BYTES: positiveInteger('HALO_MCP_MAX_BODY_BYTES', 1_048_576, 1024),
    HALO_MCP_MAX_BATCH: positiveInteger('HALO_MCP_MAX_BATCH', 20),
    HALO_MCP_MAX_ARGUMENT_ELEMENTS: positiveInteger('HALO_MCP_MAX_ARGUMENT_ELEMENTS', 1000),
    HALO_MCP_MAX_CONCURRENT: positiveInteger('HALO_MCP_MAX_CONCURRENT', 16),
    HALO_MCP_GATEWAY: booleanSetting('HALO_MCP_GATEWAY'),
    HALO_GATEWAY_ALLOWED_HOSTS: optionalText.transform((value, context) => {
      const { entries, problems } = parseAllowedHosts(value ?? HOSTED_HALO_DOMAINS.join(','));
      for (const problem of problems) context.addIssue({ code: 'custom', message: problem });
      return new AllowedHosts(entries);
    }),
    HALO_MCP_SHUTDOWN_SECONDS: positiveInteger('HALO_MCP_SHUTDOWN_SECONDS', 10, 1, TIMER_MAX_SECONDS),
  });
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => issue.message));
  const values = result.data;
  const tokens: TokenGrant[] = [];
  let profiles = new Map<string, Profile>();
  if (env.HALO_MCP_TOKENS?.trim()) tokens.push(...readTokens(env.HALO_MCP_TOKENS, 'HALO_MCP_TOKENS'));
  if (env.HALO_MCP_TOKENS_FILE?.trim()) {
    const path = env.HALO_MCP_TOKENS_FILE.trim();
    let text: string;
    try {
      text = readFile(path);
    } catch (error) {
      throw new ConfigError([`The tokens file ${path} could not be read: ${error instanceof Error ? error.message : String(error)}`]);
    }
    tokens.push(...readTokens(text, path));
  }
  if (env.HALO_MCP_PROFILES_FILE?.trim()) {
    const file = readProfilesFile(env.HALO_MCP_PROFILES_FILE.trim(), readFile);
    tokens.push(...file.tokens);
    profiles = file.profiles;
  }
  const duplicate = tokens.find((grant, index) => tokens.findIndex((other) => other.id === grant.id || other.token === grant.token) !== index);
  if (duplicate) throw new ConfigError([`The token "${duplicate.id}" is configured twice; each token and id must be unique`]);
  const host = values.HALO_MCP_HTTP_HOST;
  if (!isLoopback(host) && tokens.length === 0) {
    throw new ConfigError([
      `Refusing to serve on ${host} without bearer tokens: anyone who can reach the port could act in your Halo. Set HALO_MCP_TOKENS (or --tokens-file / --profiles-file), or bind to 127.0.0.1.`,
    ]);
  }
  const allowedHosts = list(env.HALO_MCP_ALLOWED_HOSTS);
  return {
    host,
    port: values.HALO_MCP_HTTP_PORT,
    tokens,
    profiles,
    sessions: values.HALO_MCP_SESSIONS,
    maxSessions: values.HALO_MCP_MAX_SESSIONS,
    maxSessionsPerToken: values.HALO_MCP_MAX_SESSIONS_PER_TOKEN,
    sessionIdleMs: values.HALO_MCP_SESSION_IDLE_SECONDS * 1000,
    // On loopback the Host header is checked against loopback names (DNS-rebinding protection); beyond
    // loopback, behind a load balancer, only when names are configured.
    allowedHosts: allowedHosts.length > 0 ? allowedHosts : isLoopback(host) ? ['localhost', '127.0.0.1', '[::1]'] : undefined,
    allowedOrigins: list(env.HALO_MCP_ALLOWED_ORIGINS),
    maxBodyBytes: values.HALO_MCP_MAX_BODY_BYTES,
    maxBatch: values.HALO_MCP_MAX_BATCH,
    maxArgumentElements: values.HALO_MCP_MAX_ARGUMENT_ELEMENTS,
    maxConcurrentPerToken: values.HALO_MCP_MAX_CONCURRENT,
    gateway: values.HALO_MCP_GATEWAY,
    gatewayAllowedHosts: values.HALO_GATEWAY_ALLOWED_HOSTS,
    auditLog: env.HALO_MCP_AUDIT_LOG?.trim() || undefined,
    shutdownGraceMs: values.HALO_MCP_SHUTDOWN_SECONDS * 1000,
  };
}
