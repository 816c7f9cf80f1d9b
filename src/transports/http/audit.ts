/**
 * The audit log: one JSON line per write or destructive call, appended to a file that only its
 * owner can read (tool arguments are customers' data). What was called, by which token (and with
 * --oauth, which MCP client), as which Halo agent, and how it ended are written as they are; only the arguments, which the caller wrote, are redacted (string by
 * string, so that a redacted value cannot break the line's JSON or hide the call itself) and capped,
 * so that one call cannot write megabytes into the log.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, statSync } from 'node:fs';
import type { Logger } from 'pino';
import type { AuditEntry } from '../../mcp/server.js';

/** Arguments whose JSON is longer than this are replaced by their size, digest and a preview. */
export const MAX_AUDIT_ARGUMENT_CHARS = 8_192;
const PREVIEW_CHARS = 1_024;

function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactStrings(item, redact)]));
  }
  return value;
}

/** Who made a call: the token's id, the MCP client a person signed in through, and the Halo agent the call acted as. */
export interface AuditCaller {
  token: string | null;
  /** With --oauth: the client_id of the MCP client the person authorized. */
  mcpClient?: string;
  /** The signed-in technician, or the agent the API application logs in as; null when Halo could not say. */
  haloAgent: { id: number; name: string | null } | null;
}

/** One line of the log: at most the envelope, 8 KB of arguments, and no secret the caller's redactor knows. */
export function auditLine(caller: AuditCaller, entry: AuditEntry, redact: (text: string) => string, now = new Date()): string {
  const { arguments: args, ...call } = entry;
  const redacted = redactStrings(args, redact);
  const argumentsJson = JSON.stringify(redacted);
  const recorded =
    argumentsJson.length <= MAX_AUDIT_ARGUMENT_CHARS
      ? { arguments: redacted }
      : {
          // The digest lets an operator match the arguments against a payload they hold, without the log keeping it.
          arguments_omitted: { chars: argumentsJson.length, sha256: createHash('sha256').update(argumentsJson).digest('hex') },
          arguments_preview: `${argumentsJson.slice(0, PREVIEW_CHARS)}…`,
        };
  const who = { token: caller.token, ...(caller.mcpClient !== undefined ? { mcp_client: caller.mcpClient } : {}), halo_agent: caller.haloAgent };
  return `${JSON.stringify({ time: now.toISOString(), ...who, ...call, ...recorded })}\n`;
}

export interface AuditLog {
  record(caller: AuditCaller, entry: AuditEntry, redact: (text: string) => string): void;
  close(): Promise<void>;
}

/** Opens the log for appending, creating it readable by its owner only, and warns when an existing one is readable by others. */
export function openAuditLog(path: string, logger: Logger): AuditLog {
  try {
    const { mode } = statSync(path);
    if ((mode & 0o077) !== 0) logger.warn({ path, mode: `0${(mode & 0o777).toString(8)}` }, 'the audit log is readable by other users; chmod 600 it');
  } catch {
    // It does not exist yet: it is created below with mode 0600.
  }
  const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  return {
    record: (caller, entry, redact) => {
      stream.write(auditLine(caller, entry, redact));
    },
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}
