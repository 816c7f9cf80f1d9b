/**
 * The server's own settings beyond the Halo connection: which tools it shows, how it shapes answers,
 * and how much it logs.
 */
import { z } from 'zod';
import type { LogLevel } from '../logger.js';
import { assertTimeZone } from '../toolkit/dates.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../mcp/settings.js';
import { TOOLSETS } from '../mcp/tool.js';
import { booleanSetting, ConfigError, list, optionalText, parseEnv, positiveInteger, TIMER_MAX_SECONDS, type Env } from './values.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function logLevelFromEnv(env: Env): LogLevel {
  const value = env.HALO_LOG_LEVEL?.trim().toLowerCase();
  if (!value) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError([`HALO_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${value}")`]);
  }
  return value as LogLevel;
}

function listSetting(name: string, known: readonly string[], fallback: string[], what: string) {
  return optionalText.transform((value, context) => {
    if (value === undefined) return fallback;
    const items = list(value);
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
    HALO_AGENT: optionalText,
    HALO_CACHE_TTL_SECONDS: positiveInteger('HALO_CACHE_TTL_SECONDS', DEFAULT_SETTINGS.cacheTtlMs / 1000, 1, TIMER_MAX_SECONDS),
  });
  const values = parseEnv(schema, env);
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
    agent: values.HALO_AGENT,
  };
}
