/**
 * An MCP client connected in process to a server built on a sandbox, as the tests use it, at one
 * protocol revision: 2025-11-25 over the SDK's in-memory link (initialize, then one connection),
 * or 2026-07-28 through the SDK's HTTP handler called directly, without a socket (no initialize;
 * every request carries its revision and capabilities, and builds a server of its own).
 *
 * The revision comes from the option, else from MCP_TEST_REVISION: the vitest configuration runs
 * the tool, resource and prompt tests once per revision with it, so both pass the same tests.
 */
import { Client, InMemoryTransport, StreamableHTTPClientTransport, type ElicitResult } from '@modelcontextprotocol/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { HaloClient } from '../../src/halo/client.js';
import type { HaloClientConfig } from '../../src/halo/config.js';
import type { Logger } from 'pino';
import type { Redactor } from '../../src/util/redact.js';
import { Resolver } from '../../src/toolkit/resolve.js';
import { createServer } from '../../src/mcp/server.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../src/mcp/settings.js';
import { catalog, prompts, resources } from '../../tools/index.js';
import type { TestSandbox } from './sandbox.js';

export const REVISIONS = ['2025-11-25', '2026-07-28'] as const;
export type Revision = (typeof REVISIONS)[number];

/** The revision the tests of this run speak, unless a test names one. */
export const TEST_REVISION: Revision = process.env.MCP_TEST_REVISION === '2026-07-28' ? '2026-07-28' : '2025-11-25';

/** The request metadata key a 2026-07-28 request sets to receive log messages at or above a level. */
export const LOG_LEVEL_KEY = 'io.modelcontextprotocol/logLevel';

export interface ToolAnswer {
  isError: boolean;
  text: string;
  /** structuredContent, when the call succeeded. */
  data: Record<string, unknown>;
}

export interface McpHarness {
  client: Client;
  halo: HaloClient;
  revision: Revision;
  call(name: string, args?: Record<string, unknown>): Promise<ToolAnswer>;
  close(): Promise<void>;
}

export const TEST_SETTINGS: ServerSettings = { ...DEFAULT_SETTINGS, timezone: 'Europe/London' };

export interface ClientOptions {
  /** Makes the client support elicitation and answer each request with this. */
  elicit?: (message: string) => ElicitResult;
  /** The revision to speak; the run's own by default. */
  revision?: Revision;
  /** Over the sandbox's client configuration (fast retries, a 5 s timeout). */
  haloConfig?: Partial<HaloClientConfig>;
  /** Where the Halo client and the server log, with the redactor they share. */
  logger?: Logger;
  redactor?: Redactor;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function connectMcp(sandbox: TestSandbox, settings: Partial<ServerSettings> = {}, options: ClientOptions = {}): Promise<McpHarness> {
  const revision = options.revision ?? TEST_REVISION;
  const { logger, redactor } = options;
  const halo = new HaloClient(sandbox.config(options.haloConfig), { logger, redactor });
  const serverSettings = { ...TEST_SETTINGS, ...settings };
  const modern = revision === '2026-07-28';
  const client = new Client(
    { name: 'test', version: '1.0.0' },
    { ...(options.elicit ? { capabilities: { elicitation: {} } } : {}), ...(modern ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) },
  );
  const { elicit } = options;
  if (elicit) client.setRequestHandler('elicitation/create', (request) => elicit(request.params.message));
  let closeServer: () => Promise<void>;
  if (modern) {
    // One resolver for every request's server, as the HTTP transport keeps one per Halo, so that its cache (and the sandbox's request counts) behave as in production.
    const resolver = new Resolver(halo, serverSettings);
    const handler = createMcpHandler(() => createServer({ halo, resolver, settings: serverSettings, catalog, resources, prompts, logger }));
    const transport = new StreamableHTTPClientTransport(new URL('http://in-process.invalid/mcp'), {
      fetch: (url, init) => handler.fetch(new Request(url, init)),
    });
    await client.connect(transport);
    closeServer = () => handler.close();
  } else {
    const server = createServer({ halo, settings: serverSettings, catalog, resources, prompts, logger });
    // Both halves from one package: the link is one class, and a pair must not mix two copies of it.
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
    closeServer = () => server.close();
  }
  await client.listTools();
  return {
    client,
    halo,
    revision,
    call: async (name, args = {}) => {
      const result = (await client.callTool({ name, arguments: args }));
      const first = result.content[0];
      if (!result.isError) {
        // tools/list does not advertise output schemas (they cost tokens), so the SDK client no longer
        // checks results against them: every successful call of every test is checked here instead.
        const declared = catalog.find((tool) => tool.name === name);
        if (!declared) throw new Error(`${name} is not in the catalog`);
        const checked = declared.output.safeParse(result.structuredContent);
        if (!checked.success) throw new Error(`${name} answered outside its output schema: ${checked.error.message}`);
      }
      return {
        isError: result.isError === true,
        text: first?.type === 'text' ? first.text : '',
        data: isRecord(result.structuredContent) ? result.structuredContent : {},
      };
    },
    close: async () => {
      await client.close();
      await closeServer();
      await halo.close();
    },
  };
}
