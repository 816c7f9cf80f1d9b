/**
 * What every command that talks to Halo starts with: its configuration (flags over environment, read
 * by loadConfig), the Halo to use (the configured one, or with --demo the built-in sandbox), how to
 * sign in to it (the technician's sign-in of `halopsa-mcp login`, or the API application's
 * credentials), and a logger.
 */
import type { Logger } from 'pino';
import { ConfigError, loadConfig, redisUrlFromEnv, sandboxHaloConfig, type Env, type HttpServing } from '../config/index.js';
import type { HaloClientOptions } from '../halo/client.js';
import type { HaloClientConfig } from '../halo/config.js';
import { CredentialsFile, CredentialsFileError, credentialsPath, type StoredSignIn } from '../sign-in/credentials-file.js';
import { Redactor } from '../util/redact.js';
import { createLogger, type LogLevel } from '../logger.js';
import type { ServerSettings } from '../mcp/settings.js';

export interface Setup {
  settings: ServerSettings;
  haloConfig: HaloClientConfig | undefined;
  /** When serving HTTP. */
  http: HttpServing | undefined;
  logger: Logger;
  redactor: Redactor;
  demo: boolean;
  /** The technician's sign-in the client acts by, when the credentials file holds one for this Halo; else the client credentials grant. */
  signIn: CredentialsFile | undefined;
  /** What a person should hear about the configuration that does not stop it. */
  warnings: string[];
  /** The Redis replicas share (HALO_REDIS_URL), which doctor checks. */
  redisUrl: string | undefined;
  /** Stops what the setup started (the demo sandbox). */
  stop(): Promise<void>;
}

export interface SetupOptions {
  /** The environment with the flags written over it (readCommandLine). */
  env: Env;
  demo: boolean;
  /** Serve HTTP, where the Halo connection may be absent (every token bound to a profile, or gateway mode). */
  http?: boolean;
  /** The log level when none is configured: commands a person runs keep stderr for what matters. */
  defaultLogLevel?: LogLevel;
}

export async function setup({ env, demo, http = false, defaultLogLevel = 'info' }: SetupOptions): Promise<Setup> {
  const [{ catalog }, { requestedScope }] = await Promise.all([import('../../tools/index.js'), import('../../tools/toolset-probes.js')]);
  // The demo and HTTP serving never use the file, so they never read it either.
  const credentials = demo || http ? undefined : new CredentialsFile(credentialsPath(env));
  const signIn = credentials ? await readSignIn(credentials) : undefined;
  const config = loadConfig({ env, catalog, scopeFor: (settings) => requestedScope(settings, catalog), demo, http, defaultLogLevel, signIn });
  let haloConfig = config.halo;
  let serving = config.http;
  let stop = (): Promise<void> => Promise.resolve();
  if (config.demoHalo) {
    const { startSandbox } = await import('../sandbox/index.js');
    const oauth = serving?.oauth;
    // With --oauth the demo's technicians sign in to the sandbox through its login application, which sends them back to this server.
    const sandbox = await startSandbox(oauth ? { redirectUris: [new URL('/oauth/callback', oauth.publicUrl).href] } : {});
    stop = () => sandbox.close();
    haloConfig = sandboxHaloConfig(sandbox, config.demoHalo);
    if (serving && oauth) serving = { ...serving, oauth: { ...oauth, login: oauth.login ?? { clientId: sandbox.loginClientId } } };
  }
  const redactor = new Redactor();
  return {
    settings: config.settings,
    haloConfig,
    http: serving,
    logger: createLogger({ level: config.logLevel, redactor }),
    redactor,
    demo,
    signIn: config.signedIn ? credentials : undefined,
    warnings: config.warnings,
    redisUrl: redisUrlFromEnv(env),
    stop,
  };
}

/** The file's sign-in; a file that cannot be used is a configuration problem, said before anything starts. */
async function readSignIn(credentials: CredentialsFile): Promise<StoredSignIn | undefined> {
  try {
    return await credentials.read();
  } catch (error) {
    if (error instanceof CredentialsFileError) throw new ConfigError([error.message]);
    throw error;
  }
}

/** How a command's Halo client logs, hides secrets and signs in. */
export function haloClientOptions(setup: Setup): HaloClientOptions {
  return { logger: setup.logger, redactor: setup.redactor, ...(setup.signIn ? { signIn: setup.signIn } : {}) };
}
