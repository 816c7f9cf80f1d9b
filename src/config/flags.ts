/**
 * The command line of the commands that serve or use Halo (not `sandbox`, whose options are the
 * emulator's own). Each setting flag has an environment twin, and is written over the environment
 * as that twin, so that one parser reads both and a flag wins.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Env } from './values.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes: the tool settings and the Halo to use. */
const SETTING_FLAGS = {
  demo: { type: 'boolean' },
  toolsets: { type: 'string' },
  'enabled-tools': { type: 'string' },
  'disabled-tools': { type: 'string' },
  'read-only': { type: 'boolean' },
  'allow-destructive': { type: 'boolean' },
  'allow-sql': { type: 'boolean' },
  timezone: { type: 'string' },
  'max-result-chars': { type: 'string' },
  agent: { type: 'string' },
  'log-level': { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

/** Flags of serving only. */
const SERVE_FLAGS = {
  ...SETTING_FLAGS,
  http: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  sessions: { type: 'boolean' },
  'tokens-file': { type: 'string' },
  'profiles-file': { type: 'string' },
  gateway: { type: 'boolean' },
  oauth: { type: 'boolean' },
  'gateway-allowed-hosts': { type: 'string' },
  redis: { type: 'string' },
  'audit-log': { type: 'string' },
  'allowed-hosts': { type: 'string' },
  'allowed-origins': { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

/** Flags of the commands a person runs: `tools`, `call`, `doctor`. */
const COMMAND_FLAGS = { ...SETTING_FLAGS, json: { type: 'boolean' } } as const satisfies ParseArgsOptionsConfig;

/** Flags of `login`: where Halo sends the browser back, and whether to open one. */
const LOGIN_FLAGS = {
  'redirect-port': { type: 'string' },
  'redirect-uri': { type: 'string' },
  'no-browser': { type: 'boolean' },
} as const satisfies ParseArgsOptionsConfig;

/** Each command's flags, and whether it takes positional arguments (`call <tool> '<json>'`). */
const COMMANDS = {
  serve: { options: SERVE_FLAGS, allowPositionals: false },
  tools: { options: COMMAND_FLAGS, allowPositionals: false },
  call: { options: COMMAND_FLAGS, allowPositionals: true },
  doctor: { options: COMMAND_FLAGS, allowPositionals: false },
  login: { options: LOGIN_FLAGS, allowPositionals: false },
  logout: { options: {}, allowPositionals: false },
} satisfies Record<string, Pick<ParseArgsConfig, 'options' | 'allowPositionals'>>;

export type Command = keyof typeof COMMANDS;

/** Each flag's environment twin. */
const TWINS: Record<string, string> = {
  host: 'HALO_MCP_HTTP_HOST',
  port: 'HALO_MCP_HTTP_PORT',
  'tokens-file': 'HALO_MCP_TOKENS_FILE',
  'profiles-file': 'HALO_MCP_PROFILES_FILE',
  'audit-log': 'HALO_MCP_AUDIT_LOG',
  'allowed-hosts': 'HALO_MCP_ALLOWED_HOSTS',
  'allowed-origins': 'HALO_MCP_ALLOWED_ORIGINS',
  'gateway-allowed-hosts': 'HALO_GATEWAY_ALLOWED_HOSTS',
  redis: 'HALO_REDIS_URL',
  toolsets: 'HALO_TOOLSETS',
  'enabled-tools': 'HALO_ENABLED_TOOLS',
  'disabled-tools': 'HALO_DISABLED_TOOLS',
  timezone: 'HALO_TIMEZONE',
  'max-result-chars': 'HALO_MAX_RESULT_CHARS',
  agent: 'HALO_AGENT',
  'log-level': 'HALO_LOG_LEVEL',
  'redirect-port': 'HALO_LOGIN_PORT',
  'redirect-uri': 'HALO_LOGIN_REDIRECT_URI',
  sessions: 'HALO_MCP_SESSIONS',
  gateway: 'HALO_MCP_GATEWAY',
  oauth: 'HALO_MCP_OAUTH',
  'read-only': 'HALO_READ_ONLY',
  'allow-destructive': 'HALO_ALLOW_DESTRUCTIVE',
  'allow-sql': 'HALO_ALLOW_SQL',
};

export interface CommandLine {
  /** The environment with the flags written over it as their twins: what loadConfig reads. */
  env: Env;
  /** The flags as given; those without a twin (--demo, --http, --json) say what to run. */
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Reads a command's arguments; an unknown flag throws Node's ERR_PARSE_ARGS errors, which the CLI reports as usage errors. */
export function readCommandLine(command: Command, args: string[], environment: Env = process.env): CommandLine {
  const { values, positionals } = parseArgs({ args, strict: true, ...COMMANDS[command] });
  const flags = values as Record<string, string | boolean | undefined>;
  const env: Env = { ...environment };
  for (const [flag, name] of Object.entries(TWINS)) {
    const value = flags[flag];
    if (value !== undefined && value !== false) env[name] = value === true ? 'true' : value;
  }
  return { env, flags, positionals };
}
