/** An MCP client connected in memory to a server built on a sandbox, as the tests use it. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, type CallToolResult, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { HaloClient } from '../../src/halo/client.js';
import { createServer } from '../../src/mcp/server.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../src/mcp/settings.js';
import { catalog } from '../../tools/index.js';
import type { TestSandbox } from './sandbox.js';

export interface ToolAnswer {
  isError: boolean;
  text: string;
  /** structuredContent, when the call succeeded. */
  data: Record<string, unknown>;
}

export interface McpHarness {
  client: Client;
  halo: HaloClient;
  call(name: string, args?: Record<string, unknown>): Promise<ToolAnswer>;
  close(): Promise<void>;
}

export const TEST_SETTINGS: ServerSettings = { ...DEFAULT_SETTINGS, timezone: 'Europe/London' };

export interface ClientOptions {
  /** Makes the client support elicitation and answer each request with this. */
  elicit?: (message: string) => ElicitResult;
}

export async function connectMcp(sandbox: TestSandbox, settings: Partial<ServerSettings> = {}, options: ClientOptions = {}): Promise<McpHarness> {
  const halo = new HaloClient(sandbox.config());
  const server = createServer({ halo, settings: { ...TEST_SETTINGS, ...settings } });
  const client = new Client({ name: 'test', version: '1.0.0' }, options.elicit ? { capabilities: { elicitation: {} } } : {});
  const { elicit } = options;
  if (elicit) client.setRequestHandler(ElicitRequestSchema, (request) => elicit(request.params.message));
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  await client.listTools();
  return {
    client,
    halo,
    call: async (name, args = {}) => {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
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
        data: result.structuredContent ?? {},
      };
    },
    close: async () => {
      await client.close();
      await server.close();
      await halo.close();
    },
  };
}
