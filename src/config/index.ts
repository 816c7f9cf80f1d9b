/**
 * The one place where the command line and the environment become a validated configuration, with
 * a message for each thing that is missing or malformed. Commands read their flags with
 * readCommandLine and hand what it gives to loadConfig (or, for `tools`, loadSettings); the rest of
 * the program receives the result and reads no setting itself.
 */
import { readFileSync } from 'node:fs';
import type { AllowedHosts } from '../gateway/hosts.js';
import type { HaloClientConfig } from '../halo/config.js';
import type { LogLevel } from '../logger.js';
import type { ServerSettings } from '../mcp/settings.js';
import type { AnyTool } from '../mcp/tool.js';
import type { HttpOptions } from '../transports/http/options.js';
import type { StoredSignIn } from '../sign-in/credentials-file.js';
import { haloConfigFromEnv, haloTuningFromEnv, haloUseFromEnv, signedInHaloConfig, type HaloTuning, type HaloUse } from './halo.js';
import { httpOptionsFromEnv } from './http.js';
import type { OAuthConfig } from './oauth.js';
import { profileConfigs, type ProfileConfig } from './profiles.js';
import { logLevelFromEnv, serverSettingsFromEnv } from './settings.js';
import type { Env } from './values.js';

export { readCommandLine } from './flags.js';
export { haloConfigFromEnv, loginRedirectFromEnv, namedHaloConfig, sandboxHaloConfig, signInTargetFromEnv } from './halo.js';
export { httpOptionsFromEnv, redisUrlFromEnv } from './http.js';
export { isLoopback } from '../util/loopback.js';
export type { OAuthConfig } from './oauth.js';
export { logLevelFromEnv, serverSettingsFromEnv } from './settings.js';
export { ConfigError, type Env } from './values.js';

/** Gateway mode: each request names its Halo in headers, on an allowed host; the rest is the server's. */
export interface GatewayConfig {
  allowedHosts: AllowedHosts;
  /** How to talk to every caller's Halo: the server's timeouts, retries, rate limit and answer size. */
  tuning: HaloTuning;
  /** What to ask each Halo for unless the request says (X-Halo-Scope): what the server's tools need. */
  scope: string;
}

export interface HttpServing {
  /** What the transport is started with. */
  options: HttpOptions;
  /** With --oauth: the server signs people in, and they act in Halo as themselves. */
  oauth: OAuthConfig | undefined;
  /** The profiles tokens are bound to, by name. */
  profiles: Map<string, ProfileConfig>;
  gateway: GatewayConfig | undefined;
  /** The Redis replicas share Halo's budget, caches and sign-ins through (HALO_REDIS_URL). */
  redisUrl: string | undefined;
}

export interface Config {
  settings: ServerSettings;
  logLevel: LogLevel;
  /** The Halo the settings name; none in demo mode, nor when serving HTTP without one (tokens then bring theirs). */
  halo: HaloClientConfig | undefined;
  /** In demo mode, what the sandbox's Halo is asked for and how; its address is known once it runs (sandboxHaloConfig). */
  demoHalo: HaloUse | undefined;
  /** When serving HTTP. */
  http: HttpServing | undefined;
  /** Whether `halo` is the Halo of the technician's sign-in, whose refresh token the client is to use. */
  signedIn: boolean;
  /** What a person should hear about the configuration that does not stop it (a sign-in that does not apply). */
  warnings: string[];
}

export interface ConfigRequest {
  /** The environment with the flags written over it (readCommandLine). */
  env: Env;
  /** The tools the server has: names in the settings are checked against them, and they decide the scopes to ask Halo for. */
  catalog: readonly AnyTool[];
  /**
   * The scopes to ask Halo for, for the tools these settings show. The catalog knows what its
   * toolsets reach (tools/toolset-probes.ts), so the caller hands it in.
   */
  scopeFor: (settings: ServerSettings) => string;
  /** Serve the built-in sandbox rather than the Halo the settings name. */
  demo: boolean;
  /** Serve HTTP: its settings are read too, and the settings' own Halo is then optional. */
  http: boolean;
  /** The log level when HALO_LOG_LEVEL does not say. */
  defaultLogLevel: LogLevel;
  /**
   * The sign-in of the credentials file (`halopsa-mcp login`), for a command that acts for one
   * person. Neither the demo nor HTTP serving use one: the demo is its own Halo, and a hosted
   * server's callers are not the person whose file this is.
   */
  signIn?: StoredSignIn | undefined;
}

/** The tool settings alone, for a command that neither talks to Halo nor logs (`tools`). */
export function loadSettings(env: Env, catalog: readonly AnyTool[]): ServerSettings {
  return serverSettingsFromEnv(env, catalog.map((tool) => tool.name));
}

/** The HTTP server's settings; `scope` is what the server's tools need, which a gateway request's Halo is asked for unless it says. */
function loadHttp(env: Env, settings: ServerSettings, request: ConfigRequest, scope: string): HttpServing {
  const { profiles, gateway, gatewayAllowedHosts, oauth, redisUrl, ...options } = httpOptionsFromEnv(env, (path) => readFileSync(path, 'utf8'), request.demo);
  return {
    options,
    oauth,
    redisUrl,
    profiles: profileConfigs(profiles, env, settings, request.catalog, request.scopeFor),
    gateway: gateway ? { allowedHosts: gatewayAllowedHosts, tuning: haloTuningFromEnv(env), scope } : undefined,
  };
}

/** Everything a command that talks to Halo reads, checked before anything starts, so that a bad setting is one clear message. */
export function loadConfig(request: ConfigRequest): Config {
  const { env, catalog, demo, http, defaultLogLevel } = request;
  const settings = loadSettings(env, catalog);
  const logLevel = env.HALO_LOG_LEVEL?.trim() ? logLevelFromEnv(env) : defaultLogLevel;
  const scope = request.scopeFor(settings);
  const namesHalo = !demo && (!http || Boolean(env.HALO_URL?.trim()));
  const signedIn = namesHalo && !http && request.signIn ? signedInHaloConfig(env, request.signIn, scope) : undefined;
  const warnings =
    signedIn && 'otherHalo' in signedIn
      ? [`The sign-in of halopsa-mcp login is for ${request.signIn?.halo_url ?? ''}, not HALO_URL ${signedIn.otherHalo}: it is not used, and calls act as the API application. Run "halopsa-mcp login" to sign in to ${signedIn.otherHalo}.`]
      : [];
  const signedInConfig = signedIn && 'config' in signedIn ? signedIn.config : undefined;
  return {
    settings,
    logLevel,
    halo: signedInConfig ?? (namesHalo ? haloConfigFromEnv(env, scope) : undefined),
    demoHalo: demo ? haloUseFromEnv(env, scope) : undefined,
    http: http ? loadHttp(env, settings, request, scope) : undefined,
    signedIn: signedInConfig !== undefined,
    warnings,
  };
}
