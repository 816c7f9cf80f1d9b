/**
 * The MCP server factory. Tools are filtered before anything is registered, so a hidden tool costs
 * no tokens; tools/list and tools/call are served here rather than by the SDK's registry, so that
 * the schemas a model reads are trimmed (see schema.ts) and a bad argument gets an error a model
 * can act on. Resources and prompts use the SDK's registry.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  SetLevelRequestSchema,
  type CallToolResult,
  type LoggingLevel,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { catalog as fullCatalog } from '../../tools/index.js';
import type { HaloClient } from '../halo/client.js';
import { VERSION } from '../version.js';
import { ToolInputError, toolErrorText } from './errors.js';
import { serverInstructions } from './instructions.js';
import { registerPrompts } from './prompts.js';
import { Resolver } from './resolve.js';
import { registerResources } from './resources.js';
import { resultText } from './result-text.js';
import { toolJsonSchema } from './schema.js';
import type { ServerSettings } from './settings.js';
import { loadTextShaper } from './shape.js';
import { annotationsFor, type AnyTool, type ToolContext } from './tool.js';
import { singleLine, visibleResult } from './untrusted.js';

/** MCP's log levels, least severe first. */
const LOG_LEVELS: LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

export interface ServerContext {
  halo: HaloClient;
  settings: ServerSettings;
  logger?: Logger;
  /** Shared between servers built for one Halo (HTTP builds one per request), so the cache outlives them. */
  resolver?: Resolver;
  /** The tools to choose from: the whole catalog, unless a test or a token's profile narrows it. */
  catalog?: readonly AnyTool[];
  /** Told about every write and destructive call, for an audit log. */
  audit?: (entry: AuditEntry) => void;
  /**
   * Who calls (a bearer token of the HTTP transport), when several callers share one Halo client:
   * their tool calls take turns under Halo's rate limit, so that one caller's burst does not
   * starve the others.
   */
  caller?: string;
}

export interface AuditEntry {
  tool: string;
  access: AnyTool['access'];
  arguments: Record<string, unknown>;
  outcome: 'ok' | 'error';
  ms: number;
}

/**
 * The tools a configuration exposes. Read-only mode wins over everything; destructive tools need
 * their switch; a disabled tool stays hidden; otherwise a tool shows when its toolset is on or it
 * is enabled by name. Tools that share a name are variants by access kind (the gateway's call
 * tool reads in read-only mode, writes normally, deletes when allowed): the last one the settings
 * allow, in catalog order, is the one shown.
 */
export function selectTools(catalog: readonly AnyTool[], settings: ServerSettings): AnyTool[] {
  const allowed = catalog.filter((tool) => toolAllowed(tool, settings));
  return allowed.filter((tool, index) => !allowed.slice(index + 1).some((later) => later.name === tool.name));
}

/** Whether settings allow one tool (one variant, where a tool has several). */
export function toolAllowed(tool: AnyTool, settings: ServerSettings): boolean {
  if (settings.readOnly && tool.access !== 'read') return false;
  if (tool.access === 'destructive' && !settings.allowDestructive) return false;
  if (settings.disabledTools.includes(tool.name)) return false;
  if (tool.available && !tool.available(settings)) return false;
  return settings.toolsets.includes('all') || settings.toolsets.includes(tool.toolset) || settings.enabledTools.includes(tool.name);
}

/**
 * The settings a token gets when its profile narrows the server's: the tools both allow, and the
 * switches both turn on, written as settings so that what the token is told (halo_whoami, the server
 * instructions) is what it gets. Toolsets are those both name; a tool that both allow but the shared
 * toolsets do not cover (enabled by name on one side) is enabled by name. The profile's own answer
 * settings (time zone, result size) apply as they are.
 */
export function narrowSettings(server: ServerSettings, profile: ServerSettings, catalog: readonly AnyTool[]): ServerSettings {
  const toolsets = server.toolsets.includes('all') ? profile.toolsets : profile.toolsets.includes('all') ? server.toolsets : profile.toolsets.filter((toolset) => server.toolsets.includes(toolset));
  const narrowed: ServerSettings = {
    ...profile,
    toolsets,
    readOnly: server.readOnly || profile.readOnly,
    allowDestructive: server.allowDestructive && profile.allowDestructive,
    allowSql: server.allowSql && profile.allowSql,
    disabledTools: [...new Set([...server.disabledTools, ...profile.disabledTools])],
    enabledTools: [],
  };
  const covered = (tool: AnyTool) => toolsets.includes('all') || toolsets.includes(tool.toolset);
  narrowed.enabledTools = [...new Set(catalog.filter((tool) => !covered(tool) && toolAllowed(tool, server) && toolAllowed(tool, profile)).map((tool) => tool.name))];
  return narrowed;
}

/**
 * Each tool's description, made once per process: stateless HTTP builds a server for every
 * request, and turning the input schemas into JSON Schema costs 3 ms for the default tools and
 * 10 ms for all of them, on every tools/list.
 */
const descriptions = new WeakMap<AnyTool, Tool>();

/**
 * A tool as tools/list describes it. No output schema is sent: a record or a write answer is an
 * open object, and a list's shape ({items, total, next_cursor}) is said once in the server
 * instructions rather than in 54 schemas at 32 tokens each. Results still carry structuredContent.
 */
export function describeTool(tool: AnyTool): Tool {
  let description = descriptions.get(tool);
  if (!description) {
    description = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: toolJsonSchema(tool.input, 'input') as Tool['inputSchema'],
      annotations: annotationsFor(tool),
    };
    descriptions.set(tool, description);
  }
  return description;
}

/**
 * Asks before a call that needs confirmation: through MCP elicitation when the client supports it,
 * otherwise by requiring `confirm: true`. Answers the reason to stop, or nothing to go ahead.
 * A dry run sends nothing, so it needs no confirmation.
 */
async function confirmation(server: McpServer, tool: AnyTool, args: Record<string, unknown>, context: ToolContext): Promise<string | undefined> {
  if (!tool.confirm || args.confirm === true || args.dry_run === true) return undefined;
  const asked = await tool.confirm(args, context);
  if (!asked) return undefined;
  // The question names the record from Halo's own text: a bidi control or a line break there could make the person read another.
  const question = singleLine(asked);
  if (!server.server.getClientCapabilities()?.elicitation) {
    return `${question} This needs confirmation: ask the person, then call again with confirm: true.`;
  }
  const answer = await server.server.elicitInput(
    {
      message: question,
      requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean', title: 'Go ahead', description: question } }, required: ['confirm'] },
    },
    { signal: context.signal },
  );
  return answer.action === 'accept' && answer.content?.confirm === true ? undefined : `Not confirmed, so nothing was done. (${question})`;
}

export function createServer(context: ServerContext): McpServer {
  const { halo, settings, logger } = context;
  const tools = selectTools(context.catalog ?? fullCatalog, settings);
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const resolver = context.resolver ?? new Resolver(halo, settings.cacheTtlMs);
  const server = new McpServer(
    { name: 'halopsa-mcp', title: 'Halo PSA', version: VERSION },
    { instructions: serverInstructions(tools, settings) },
  );

  server.server.registerCapabilities({ tools: {}, logging: {} });
  // The level a client asked for with logging/setLevel; every message is sent until it asks.
  let logLevel: LoggingLevel | undefined;
  server.server.setRequestHandler(SetLevelRequestSchema, (request) => {
    logLevel = request.params.level;
    return {};
  });
  server.server.setRequestHandler(ListToolsRequestSchema, () => {
    return { tools: tools.map(describeTool) };
  });
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${request.params.name}". Call tools/list for the tools this server offers.`);
    }
    const started = performance.now();
    const record = (outcome: 'ok' | 'error'): void => {
      const ms = Math.round(performance.now() - started);
      logger?.info({ tool: tool.name, ms, outcome }, 'tool call');
      if (tool.access !== 'read') context.audit?.({ tool: tool.name, access: tool.access, arguments: request.params.arguments ?? {}, outcome, ms });
    };
    const failed = (error: unknown): CallToolResult => {
      record('error');
      return { isError: true, content: [{ type: 'text', text: toolErrorText(error, (text) => halo.redact(text)) }] };
    };
    const parsed = tool.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) return failed(parsed.error);
    const progressToken = extra._meta?.progressToken;
    const toolContext: ToolContext = {
      halo,
      resolver,
      settings,
      logger,
      text: await loadTextShaper(),
      signal: extra.signal,
      progress: async (done, total, message) => {
        if (progressToken === undefined) return;
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress: done, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) },
        });
      },
      // Sent on the call's own stream (related to its request), so stateless HTTP delivers it too.
      log: async (level, message) => {
        if (logLevel && LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(logLevel)) return;
        await extra.sendNotification({ method: 'notifications/message', params: { level, logger: tool.name, data: message } });
      },
    };
    try {
      const refusal = await confirmation(server, tool, parsed.data, toolContext);
      if (refusal) return failed(new ToolInputError(refusal));
      const run = () => tool.handler(parsed.data, toolContext);
      const result = visibleResult(await (context.caller === undefined ? run() : halo.runAs(context.caller, run))) as Record<string, unknown>;
      record('ok');
      return { content: [{ type: 'text', text: resultText(result) }], structuredContent: result };
    } catch (error) {
      return failed(error);
    }
  });

  registerResources(server, { halo, resolver });
  registerPrompts(server, tools);
  return server;
}
