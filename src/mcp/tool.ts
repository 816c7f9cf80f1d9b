/**
 * The tool contract: every Halo operation exposed to a model is declared once with `defineTool`,
 * with its toolset, its access kind (from which its MCP annotations and its visibility in
 * read-only mode follow), zod schemas for its input and output, and a handler that returns the
 * structured result. Mechanics shared by the tools live in the Halo tool kit (`src/toolkit/`);
 * `tools/` holds declarations.
 */
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { HaloClient } from '../halo/client.js';
import type { Resolver } from '../toolkit/resolve.js';
import type { ServerSettings } from './settings.js';
import type { TextShaper } from '../toolkit/html-text.js';

export type AccessKind = 'read' | 'write' | 'destructive';

export const TOOLSETS = ['core', 'tickets', 'crm', 'assets', 'kb', 'projects', 'time', 'billing', 'sales', 'suppliers', 'reports', 'admin', 'api'] as const;
export type Toolset = (typeof TOOLSETS)[number];

export interface ToolContext {
  halo: HaloClient;
  resolver: Resolver;
  settings: ServerSettings;
  text: TextShaper;
  logger: Logger | undefined;
  /** Fires when the client cancels the call. */
  signal: AbortSignal;
  /** Reports progress when the client asked for it (a progress token); otherwise does nothing. */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /** Sends a log message to the client (MCP logging), at or above the level it asked for. */
  log(level: 'debug' | 'info' | 'notice' | 'warning', message: string): Promise<void>;
}

export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodType = z.ZodType> {
  /** `halo_<verb>_<noun>`, snake_case, under 64 characters. */
  name: string;
  title: string;
  /** When to use the tool, in one or two sentences; details belong in the parameter descriptions. */
  description: string;
  toolset: Toolset;
  access: AccessKind;
  /**
   * Whether a second identical call leaves Halo as the first did. A destructive tool is taken to be
   * (deleting twice deletes once); one that also creates, as the gateway's delete variant POSTs, is not.
   */
  idempotent?: false;
  /** Shown only when the settings allow it, beyond toolset and access (the SQL tool needs its switch). */
  available?: (settings: ServerSettings) => boolean;
  input: Input;
  /** The result's shape, which types the handler; tools/list does not send it (see describeTool). */
  output: Output;
  /**
   * The question to put to the person before the call runs, when it needs confirmation (every
   * destructive call does). Asked through MCP elicitation when the client supports it; otherwise
   * the call must carry `confirm: true`.
   */
  confirm?(args: z.output<Input>, context: ToolContext): Promise<string | undefined>;
  handler(args: z.output<Input>, context: ToolContext): Promise<z.output<Output>>;
  /**
   * Whether an answer reports that the tool could not do its job although it has something to show
   * (halo_whoami, when Halo cannot be reached, still shows the settings it used): the result then
   * carries `isError`, so that a client, and `halopsa-mcp call`'s exit status, see the failure.
   */
  failed?(output: z.output<Output>): boolean;
}

/** A typed identity: it exists so that each declaration is checked against the contract. */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodType>(definition: ToolDefinition<Input, Output>): ToolDefinition<Input, Output> {
  return definition;
}

/** Any tool, whatever its schemas, as the catalog and the server hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<z.ZodObject, z.ZodType<any>>;

export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
}

/**
 * MCP annotations follow from the access kind: they are never written by hand, so they cannot
 * disagree with it. Only hints that differ from MCP's defaults (read-only false, destructive true,
 * idempotent false, open world true) are written, as a client reads the defaults for the rest, and
 * each hint costs tokens in every conversation: a read says it is read-only (the other hints mean
 * nothing beside that); a write says it destroys nothing. A delete spells out that it is
 * destructive although that is the default, because a client's confirmation prompt hangs on it.
 */
export function annotationsFor(tool: Pick<AnyTool, 'access' | 'idempotent'>): ToolAnnotations {
  if (tool.access === 'read') return { readOnlyHint: true };
  if (tool.access === 'write') return { destructiveHint: false };
  // Deleting twice leaves the same state as deleting once.
  return tool.idempotent === false ? { destructiveHint: true } : { destructiveHint: true, idempotentHint: true };
}
