/**
 * Logging with pino, to stderr only: in stdio mode stdout carries the MCP protocol and nothing else.
 * Secrets are removed twice: fields named like secrets (client secret, tokens, Authorization
 * headers) by pino's redaction, and any known secret value anywhere in a line (messages, nested
 * fields, error stacks) by the process's Redactor, which knows the configured secret and every
 * token the client has held.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Redactor } from './util/redact.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const SECRET_FIELDS = ['clientSecret', 'client_secret', 'accessToken', 'access_token', 'refresh_token', 'authorization', 'Authorization', 'token', 'password'];
const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]);

export interface LoggerOptions {
  level?: LogLevel;
  redactor: Redactor;
  /** Where lines go; stderr unless a test captures them. */
  destination?: DestinationStream;
}

export function createLogger({ level = 'info', redactor, destination }: LoggerOptions): Logger {
  const target = destination ?? pino.destination({ dest: 2, sync: true });
  return pino(
    { level, base: { pid: process.pid }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    { write: (line: string) => target.write(redactor.redact(line)) },
  );
}
