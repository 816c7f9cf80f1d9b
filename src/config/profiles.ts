/**
 * Who may call the HTTP server, and with what: bearer tokens from HALO_MCP_TOKENS or a tokens file,
 * and from a profiles file tokens bound to profiles, each a Halo and tool settings of its own written
 * as the settings they replace.
 */
import { z } from 'zod';
import type { HaloClientConfig } from '../halo/config.js';
import { narrowSettings } from '../mcp/select.js';
import type { ServerSettings } from '../mcp/settings.js';
import type { AnyTool } from '../mcp/tool.js';
import type { TokenGrant } from '../transports/http/options.js';
import { haloConfigFromEnv } from './halo.js';
import { serverSettingsFromEnv } from './settings.js';
import { ConfigError, type Env } from './values.js';

/** A Halo and tool settings a token is bound to, written as the environment variables they replace. */
export interface Profile {
  haloEnv: Env;
  settingsEnv: Env;
}

/** A profile as a token bound to it is served: the tools it gets, and its own Halo, if it names one (otherwise the server's). */
export interface ProfileConfig {
  settings: ServerSettings;
  halo: HaloClientConfig | undefined;
}

export interface Callers {
  tokens: TokenGrant[];
  profiles: Map<string, Profile>;
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
  agent: 'HALO_AGENT',
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

function readProfilesFile(path: string, readFile: (path: string) => string): Callers {
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

function readTokensFile(path: string, readFile: (path: string) => string): TokenGrant[] {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new ConfigError([`The tokens file ${path} could not be read: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return readTokens(text, path);
}

/** Every token and profile configured (HALO_MCP_TOKENS, HALO_MCP_TOKENS_FILE, HALO_MCP_PROFILES_FILE), each token and id once. */
export function callersFromEnv(env: Env, readFile: (path: string) => string): Callers {
  const tokens: TokenGrant[] = [];
  let profiles = new Map<string, Profile>();
  if (env.HALO_MCP_TOKENS?.trim()) tokens.push(...readTokens(env.HALO_MCP_TOKENS, 'HALO_MCP_TOKENS'));
  if (env.HALO_MCP_TOKENS_FILE?.trim()) tokens.push(...readTokensFile(env.HALO_MCP_TOKENS_FILE.trim(), readFile));
  if (env.HALO_MCP_PROFILES_FILE?.trim()) {
    const file = readProfilesFile(env.HALO_MCP_PROFILES_FILE.trim(), readFile);
    tokens.push(...file.tokens);
    profiles = file.profiles;
  }
  const duplicate = tokens.find((grant, index) => tokens.findIndex((other) => other.id === grant.id || other.token === grant.token) !== index);
  if (duplicate) throw new ConfigError([`The token "${duplicate.id}" is configured twice; each token and id must be unique`]);
  return { tokens, profiles };
}

/**
 * Reads each profile's settings over the environment. A profile's settings narrow the server's,
 * never widen them; its own Halo is asked for what the profile's tools need.
 */
export function profileConfigs(
  profiles: Map<string, Profile>,
  env: Env,
  server: ServerSettings,
  catalog: readonly AnyTool[],
  scopeFor: (settings: ServerSettings) => string,
): Map<string, ProfileConfig> {
  const configs = new Map<string, ProfileConfig>();
  for (const [name, profile] of profiles) {
    const settings = narrowSettings(server, serverSettingsFromEnv({ ...env, ...profile.settingsEnv }, catalog.map((tool) => tool.name)), catalog);
    const ownHalo = Object.keys(profile.haloEnv).length > 0;
    // The server's tenant and authorisation server are not the profile's.
    const halo = ownHalo ? haloConfigFromEnv({ ...env, HALO_TENANT: '', HALO_AUTH_URL: '', ...profile.haloEnv }, scopeFor(settings)) : undefined;
    configs.set(name, { settings, halo });
  }
  return configs;
}
