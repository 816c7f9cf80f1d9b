/**
 * The MCP server factory. Tools are filtered before anything is registered, so a hidden tool costs
 * no tokens; tools/list and tools/call are served here rather than by the SDK's registry, so that
 * the schemas a model reads are trimmed (see schema.ts) and a bad argument gets an error a model
 * can act on. Resources and prompts use the SDK's registry.
 *
 * One factory serves every revision: the SDK's entries (stdio, HTTP) pick the revision per
 * connection or per request, and wrap these handlers with what each revision needs (`resultType`,
 * cache hints and the server's identity on 2026-07-28; `initialize` and `logging/setLevel` on the
 * revisions before it).
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  acceptedContent,
  inputRequired,
  inputResponse,
  type CacheHint,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  type ServerContext as RequestContext,
  type Tool,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { HaloClient } from '../halo/client.js';
import { VERSION } from '../version.js';
import { toolErrorText } from './errors.js';
import { ToolInputError } from '../toolkit/errors.js';
import { serverInstructions } from './instructions.js';
import { availablePrompts, registerPrompts, type PromptSpec } from './prompts.js';
import { meField, Resolver } from '../toolkit/resolve.js';
import { registerResources, type ResourceSpec } from './resources.js';
import { resultText } from './result-text.js';
import { toolJsonSchema } from './schema.js';
import type { ServerSettings } from './settings.js';
import { loadTextShaper } from '../toolkit/html-text.js';
import { selectTools, whyHidden } from './select.js';
import { annotationsFor, type AnyTool, type ToolContext } from './tool.js';
import { singleLine, visibleResult } from '../toolkit/untrusted.js';

/**
 * How long a client may reuse the lists (2026-07-28 cache hints). They change only when the
 * server restarts with other settings; `private`, because a token's profile decides what it sees.
 */
const LIST_CACHE: CacheHint = { ttlMs: 5 * 60_000, cacheScope: 'private' };

/** The key of the confirmation question in an `input_required` result and in the client's answer. */
const CONFIRM_KEY = 'confirm';
const CONFIRM_ANSWER = z.object({ confirm: z.boolean() });

export interface ServerContext {
  halo: HaloClient;
  settings: ServerSettings;
  logger?: Logger;
  /** Shared between servers built for one Halo (HTTP builds one per request), so the cache outlives them. */
  resolver?: Resolver;
  /**
   * The tools to choose from (the whole catalog of tools/, or fewer for a test or a token's
   * profile), passed in so that the MCP layer does not depend on the catalog that depends on it.
   */
  catalog: readonly AnyTool[];
  /** The records a person can browse, from the catalog too. */
  resources: readonly ResourceSpec[];
  /** The prompts to offer where their tools are shown, from the catalog too. */
  prompts: readonly PromptSpec[];
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
 * Whether the client that sent this request answers elicitation questions in a form. A request of
 * 2026-07-28 declares its client's capabilities itself; on earlier revisions the client declared
 * them once, at initialize (a stateless HTTP request never saw one, so it reads as no).
 */
function clientCanElicit(server: McpServer, request: RequestContext): boolean {
  // The SDK types the envelope as an open record it has not filled in (RequestMetaEnvelope is `{}`).
  const envelope = request.mcpReq.envelope as Readonly<Record<string, unknown>> | undefined;
  const declared = envelope
    ? (envelope[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined)
    : // eslint-disable-next-line @typescript-eslint/no-deprecated -- before 2026-07-28 a connection declares its capabilities once, at initialize
      server.server.getClientCapabilities();
  const elicitation = declared?.elicitation;
  // A bare `elicitation: {}` means forms; a client that names only `url` takes no form.
  return elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined);
}

/** What to do with a call that may need confirmation: go ahead, stop with a reason, or ask the person first. */
type Confirmation = { go: true } | { refusal: string } | { ask: InputRequiredResult };

/**
 * Asks before a call that needs confirmation: through MCP elicitation when the client supports it
 * (an `input_required` result, which the SDK turns into an `elicitation/create` request on
 * revisions before 2026-07-28), otherwise by requiring `confirm: true`. A dry run sends nothing, so
 * it needs no confirmation. The handler runs again with the person's answer, and asks Halo again
 * for what it shows them: the record may have changed in between.
 */
async function confirmation(server: McpServer, tool: AnyTool, args: Record<string, unknown>, context: ToolContext, request: RequestContext): Promise<Confirmation> {
  if (!tool.confirm || args.confirm === true || args.dry_run === true) return { go: true };
  const asked = await tool.confirm(args, context);
  if (!asked) return { go: true };
  // The question names the record from Halo's own text: a bidi control or a line break there could make the person read another.
  const question = singleLine(asked);
  const responses = request.mcpReq.inputResponses;
  if (inputResponse(responses, CONFIRM_KEY).kind === 'missing') {
    if (!clientCanElicit(server, request)) return { refusal: `${question} This needs confirmation: ask the person, then call again with confirm: true.` };
    return {
      ask: inputRequired({
        inputRequests: {
          [CONFIRM_KEY]: inputRequired.elicit({
            message: question,
            requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean', title: 'Go ahead', description: question } }, required: ['confirm'] },
          }),
        },
      }),
    };
  }
  // The answer comes from the client: only an accepted form with confirm set to true lets the call go.
  return acceptedContent(responses, CONFIRM_KEY, CONFIRM_ANSWER)?.confirm === true ? { go: true } : { refusal: `Not confirmed, so nothing was done. (${question})` };
}

export function createServer(context: ServerContext): McpServer {
  const { halo, settings, logger } = context;
  const tools = selectTools(context.catalog, settings);
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const resolver = context.resolver ?? new Resolver(halo, settings);
  const offers = (name: string) => byName.has(name);
  const prompts = availablePrompts(context.prompts, offers);
  const server = new McpServer(
    { name: 'halopsa-mcp', title: 'Halo PSA', version: VERSION },
    {
      instructions: serverInstructions(tools, settings),
      // Declared here, so the SDK advertises them as written: lists that never change while the server runs (no list_changed streams to hold open).
      capabilities: {
        tools: { listChanged: false },
        resources: { listChanged: false },
        ...(prompts.length > 0 ? { prompts: { listChanged: false } } : {}),
        logging: {},
      },
      cacheHints: { 'tools/list': LIST_CACHE, 'prompts/list': LIST_CACHE, 'resources/templates/list': LIST_CACHE, 'server/discover': LIST_CACHE },
    },
  );

  server.server.setRequestHandler('tools/list', (request) => {
    // Every tool is on the one page there is, so a cursor can only be one this server never gave.
    if (request.params?.cursor !== undefined) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `This server lists every tool on one page; the cursor "${request.params.cursor}" is not one it gave. Call tools/list without a cursor.`);
    }
    return { tools: tools.map(describeTool) };
  });
  server.server.setRequestHandler('tools/call', async (request, call): Promise<CallToolResult | InputRequiredResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      // A tool the catalog has but the settings hide is named as such, with the setting that shows it: "unknown" would send a model looking for another.
      const hidden = whyHidden(context.catalog, request.params.name, settings);
      const message = hidden
        ? `The tool "${request.params.name}" is not offered by this server: ${hidden}. Call tools/list for the tools it offers.`
        : `Unknown tool "${request.params.name}". Call tools/list for the tools this server offers.`;
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, message);
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
    const progressToken = call.mcpReq._meta?.progressToken;
    const toolContext: ToolContext = {
      halo,
      resolver,
      settings,
      logger,
      text: await loadTextShaper(),
      signal: call.mcpReq.signal,
      progress: async (done, total, message) => {
        if (progressToken === undefined) return;
        await call.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken, progress: done, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) },
        });
      },
      // Sent on the call's own stream, so stateless HTTP delivers it too. The SDK applies the level the
      // client set (logging/setLevel before 2026-07-28, the request's own logLevel from then on).
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- MCP logging is deprecated from 2026-07-28, but clients still show it
      log: (level, message) => call.mcpReq.log(level, message, tool.name),
    };
    try {
      const confirmed = await confirmation(server, tool, parsed.data, toolContext, call);
      // The question goes to the person; the call is recorded (and audited) once, when it is answered.
      if ('ask' in confirmed) return confirmed.ask;
      if ('refusal' in confirmed) return failed(new ToolInputError(confirmed.refusal));
      const run = () => tool.handler(parsed.data, toolContext);
      const answer = await resolver.runCall(() => (context.caller === undefined ? run() : halo.runAs(context.caller, run)));
      // Whom "me" meant is said in the answer of every call that used it: the API application's agent is rarely the person asking.
      const result = visibleResult(answer.me && !('me' in answer.result) ? { me: meField(answer.me), ...answer.result } : answer.result) as Record<string, unknown>;
      const failedAnswer = tool.failed?.(result) === true;
      record(failedAnswer ? 'error' : 'ok');
      return { content: [{ type: 'text', text: resultText(result) }], structuredContent: result, ...(failedAnswer ? { isError: true } : {}) };
    } catch (error) {
      return failed(error);
    }
  });

  if (settings.problems.length > 0) {
    // A connection of a revision before 2026-07-28 is told once it is set up; every client also reads them in the instructions.
    server.server.oninitialized = () => {
      for (const problem of settings.problems) {
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- MCP logging is deprecated from 2026-07-28, but clients of earlier revisions still show it
        void server.sendLoggingMessage({ level: 'warning', logger: 'settings', data: problem }).catch(() => undefined);
      }
    };
  }
  registerResources(server, context.resources, { halo, resolver });
  registerPrompts(server, prompts, offers, halo);
  return server;
}
