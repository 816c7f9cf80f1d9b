/**
 * The HTTP server's settings: where it listens, its limits, who may call it, and whether callers
 * name their own Halo (gateway mode), or sign in to the server's Halo as themselves (--oauth). A
 * server bound beyond loopback refuses to start without tokens or --oauth: anyone who can reach the
 * port could otherwise act in Halo.
 */
import { isLoopback } from '../util/loopback.js';
import { z } from 'zod';
import { AllowedHosts, HOSTED_HALO_DOMAINS, parseAllowedHosts } from '../gateway/hosts.js';
import type { HttpOptions } from '../transports/http/options.js';
import { oauthConfigFromEnv, type OAuthConfig } from './oauth.js';
import { callersFromEnv, type Profile } from './profiles.js';
import { booleanSetting, ConfigError, list, optionalText, parseEnv, positiveInteger, TIMER_MAX_SECONDS, type Env } from './values.js';

/** The transport's options, and what decides which Halo serves a caller. */
export interface HttpConfig extends HttpOptions {
  profiles: Map<string, Profile>;
  /** Takes Halo credentials from request headers (X-Halo-Url, X-Halo-Client-Id, ...). */
  gateway: boolean;
  /** The hosts gateway mode may fetch a Halo from. */
  gatewayAllowedHosts: AllowedHosts;
  /** With --oauth: the server signs people in, and they act in Halo as themselves. */
  oauth: OAuthConfig | undefined;
  /** The Redis replicas share Halo's budget, caches and sign-ins through (HALO_REDIS_URL); each keeps its own without. */
  redisUrl: string | undefined;
}


const portSetting = optionalText.transform((value, context) => {
  if (value === undefined) return 3000;
  if (!/^\d+$/.test(value) || Number(value) > 65_535) {
    context.addIssue({ code: 'custom', message: `HALO_MCP_HTTP_PORT must be a port number (got "${value}")` });
    return z.NEVER;
  }
  return Number(value);
});

const gatewayHostsSetting = optionalText.transform((value, context) => {
  const { entries, problems } = parseAllowedHosts(value ?? HOSTED_HALO_DOMAINS.join(','));
  for (const problem of problems) context.addIssue({ code: 'custom', message: problem });
  return new AllowedHosts(entries);
});

const redisUrlSetting = optionalText.transform((value, context) => {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !['redis:', 'rediss:'].includes(new URL(value).protocol)) {
    // The value may hold a password: the message names the setting, not what it holds.
    context.addIssue({ code: 'custom', message: 'HALO_REDIS_URL must be a redis:// or rediss:// URL, such as redis://redis:6379' });
    return z.NEVER;
  }
  return value;
});

const httpSchema = z.object({
  HALO_MCP_HTTP_HOST: optionalText.transform((value) => value ?? '127.0.0.1'),
  HALO_MCP_HTTP_PORT: portSetting,
  HALO_MCP_SESSIONS: booleanSetting('HALO_MCP_SESSIONS'),
  HALO_MCP_MAX_SESSIONS: positiveInteger('HALO_MCP_MAX_SESSIONS', 100),
  HALO_MCP_MAX_SESSIONS_PER_TOKEN: positiveInteger('HALO_MCP_MAX_SESSIONS_PER_TOKEN', 25),
  HALO_MCP_SESSION_IDLE_SECONDS: positiveInteger('HALO_MCP_SESSION_IDLE_SECONDS', 1800, 1, TIMER_MAX_SECONDS),
  HALO_MCP_MAX_BODY_BYTES: positiveInteger('HALO_MCP_MAX_BODY_BYTES', 1_048_576, 1024),
  HALO_MCP_MAX_BATCH: positiveInteger('HALO_MCP_MAX_BATCH', 20),
  HALO_MCP_MAX_ARGUMENT_ELEMENTS: positiveInteger('HALO_MCP_MAX_ARGUMENT_ELEMENTS', 1000),
  HALO_MCP_MAX_CONCURRENT: positiveInteger('HALO_MCP_MAX_CONCURRENT', 16),
  HALO_MCP_GATEWAY: booleanSetting('HALO_MCP_GATEWAY'),
  HALO_GATEWAY_ALLOWED_HOSTS: gatewayHostsSetting,
  HALO_MCP_SHUTDOWN_SECONDS: positiveInteger('HALO_MCP_SHUTDOWN_SECONDS', 10, 1, TIMER_MAX_SECONDS),
  HALO_REDIS_URL: redisUrlSetting,
});

/** The Redis replicas share (HALO_REDIS_URL), for `doctor`, which checks it without serving. */
export function redisUrlFromEnv(env: Env): string | undefined {
  return parseEnv(z.object({ HALO_REDIS_URL: redisUrlSetting }), env).HALO_REDIS_URL;
}

/**
 * The Host header values to accept. On loopback they are checked against loopback names
 * (DNS-rebinding protection); beyond loopback, behind a load balancer, only when names are configured.
 */
function allowedHostsFor(host: string, configured: string[]): string[] | undefined {
  if (configured.length > 0) return configured;
  return isLoopback(host) ? ['localhost', '127.0.0.1', '[::1]'] : undefined;
}

export function httpOptionsFromEnv(env: Env, readFile: (path: string) => string, demo = false): HttpConfig {
  const values = parseEnv(httpSchema, env);
  const { tokens, profiles } = callersFromEnv(env, readFile);
  const host = values.HALO_MCP_HTTP_HOST;
  const oauth = oauthConfigFromEnv(env, { demo, gateway: values.HALO_MCP_GATEWAY, listen: { host, port: values.HALO_MCP_HTTP_PORT, loopback: isLoopback(host) } });
  // With --oauth every caller signs in, so the server may be reached from beyond loopback without configured tokens.
  if (!isLoopback(host) && tokens.length === 0 && !oauth) {
    throw new ConfigError([
      `Refusing to serve on ${host} without bearer tokens: anyone who can reach the port could act in your Halo. Set HALO_MCP_TOKENS (or --tokens-file / --profiles-file), turn on --oauth, or bind to 127.0.0.1.`,
    ]);
  }
  return {
    host,
    port: values.HALO_MCP_HTTP_PORT,
    tokens,
    profiles,
    sessions: values.HALO_MCP_SESSIONS,
    maxSessions: values.HALO_MCP_MAX_SESSIONS,
    maxSessionsPerToken: values.HALO_MCP_MAX_SESSIONS_PER_TOKEN,
    sessionIdleMs: values.HALO_MCP_SESSION_IDLE_SECONDS * 1000,
    allowedHosts: allowedHostsFor(host, list(env.HALO_MCP_ALLOWED_HOSTS)),
    allowedOrigins: list(env.HALO_MCP_ALLOWED_ORIGINS),
    maxBodyBytes: values.HALO_MCP_MAX_BODY_BYTES,
    maxBatch: values.HALO_MCP_MAX_BATCH,
    maxArgumentElements: values.HALO_MCP_MAX_ARGUMENT_ELEMENTS,
    maxConcurrentPerToken: values.HALO_MCP_MAX_CONCURRENT,
    gateway: values.HALO_MCP_GATEWAY,
    gatewayAllowedHosts: values.HALO_GATEWAY_ALLOWED_HOSTS,
    oauth,
    auditLog: env.HALO_MCP_AUDIT_LOG?.trim() || undefined,
    shutdownGraceMs: values.HALO_MCP_SHUTDOWN_SECONDS * 1000,
    redisUrl: values.HALO_REDIS_URL,
  };
}
