/**
 * What every command that talks to Halo starts with: the settings (flags over environment), the
 * Halo to use (the configured one, or with --demo the built-in sandbox), and a logger.
 */
import type { Logger } from 'pino';
import { haloConfigFromEnv, logLevelFromEnv, serverSettingsFromEnv, type Env } from '../config/index.js';
import type { HaloClientConfig } from '../halo/config.js';
import { Redactor } from '../util/redact.js';
import { createLogger, type LogLevel } from '../logger.js';
import type { ServerSettings } from '../mcp/settings.js';

export interface Setup {
  env: Env;
  settings: ServerSettings;
  haloConfig: HaloClientConfig | undefined;
  logger: Logger;
  redactor: Redactor;
  demo: boolean;
  /** Stops what the setup started (the demo sandbox). */
  stop(): Promise<void>;
}

export interface SetupOptions {
  env: Env;
  demo: boolean;
  /** The Halo connection may be absent (HTTP with every token bound to a profile). */
  haloOptional?: boolean;
  /** The log level when none is configured: commands a person runs keep stderr for what matters. */
  defaultLogLevel?: LogLevel;
}

export async function setup({ env, demo, haloOptional = false, defaultLogLevel = 'info' }: SetupOptions): Promise<Setup> {
  const { catalog } = await import('../../tools/index.js');
  // Everything is checked before any protocol traffic, so a bad setting is one clear message.
  const settings = serverSettingsFromEnv(
    env,
    catalog.map((tool) => tool.name),
  );
  const level = env.HALO_LOG_LEVEL?.trim() ? logLevelFromEnv(env) : defaultLogLevel;
  const { requestedScope } = await import('../mcp/toolset-probes.js');
  const scope = requestedScope(settings, catalog);
  let haloConfig: HaloClientConfig | undefined;
  let stop = (): Promise<void> => Promise.resolve();
  if (demo) {
    const { startSandbox } = await import('../sandbox/index.js');
    const sandbox = await startSandbox();
    stop = () => sandbox.close();
    haloConfig = haloConfigFromEnv({ ...env, HALO_URL: sandbox.url, HALO_CLIENT_ID: sandbox.clientId, HALO_CLIENT_SECRET: sandbox.clientSecret, HALO_TENANT: '', HALO_AUTH_URL: '' }, scope);
  } else if (!haloOptional || env.HALO_URL?.trim()) {
    haloConfig = haloConfigFromEnv(env, scope);
  }
  const redactor = new Redactor();
  return { env, settings, haloConfig, logger: createLogger({ level, redactor }), redactor, demo, stop };
}
