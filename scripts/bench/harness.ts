/** The server in memory against a sandbox, as the in-process benchmarks drive it. */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { haloConfigFromEnv } from '../../src/config/index.js';
import { HaloClient } from '../../src/halo/client.js';
import type { HaloClientConfig } from '../../src/halo/config.js';
import { Resolver } from '../../src/toolkit/resolve.js';
import { createServer } from '../../src/mcp/server.js';
import { DEFAULT_SETTINGS } from '../../src/mcp/settings.js';
import { catalog, prompts, resources } from '../../tools/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';

export interface Harness {
  halo: HaloClient;
  resolver: Resolver;
  /** The text a model reads, failing on a tool error so that a benchmark never measures one unnoticed. */
  call(name: string, args?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

function sandboxConfig(sandbox: Sandbox): HaloClientConfig {
  return haloConfigFromEnv({ HALO_URL: sandbox.url, HALO_CLIENT_ID: sandbox.clientId, HALO_CLIENT_SECRET: sandbox.clientSecret, HALO_RATE_LIMIT: 'off' });
}

export async function connect(sandbox: Sandbox): Promise<Harness> {
  const halo = new HaloClient(sandboxConfig(sandbox));
  const resolver = new Resolver(halo, DEFAULT_SETTINGS);
  const server = createServer({ halo, resolver, settings: DEFAULT_SETTINGS, catalog, resources, prompts });
  const client = new Client({ name: 'bench', version: '1' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    halo,
    resolver,
    call: async (name, args = {}) => {
      const result = (await client.callTool({ name, arguments: args }));
      const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
      if (result.isError) throw new Error(`${name} failed: ${text}`);
      return text;
    },
    close: async () => {
      await client.close();
      await server.close();
      await halo.close();
    },
  };
}
