/**
 * The one place where environment variables (and, through the CLI, flags) become a validated
 * configuration, with a message for each thing that is missing or malformed.
 */
export { haloConfigFromEnv } from './halo.js';
export { httpOptionsFromEnv, isLoopback, type HttpConfig } from './http.js';
export { logLevelFromEnv, serverSettingsFromEnv } from './settings.js';
export { ConfigError, type Env } from './values.js';
