/**
 * manifest.json, the Claude Desktop bundle's manifest: in sync with the catalog, and a server that
 * starts from it with user_config substituted exactly as the MCPB library (and so Claude Desktop)
 * substitutes it. `npm run test:package` does the same from the built and unpacked bundle.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getMcpConfigForManifest, hasRequiredConfigMissing, type McpbManifestAny } from '@anthropic-ai/mcpb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { renderManifest } from '../scripts/manifest.js';
import { DEFAULT_SETTINGS } from '../src/mcp/settings.js';
import { catalog } from '../tools/index.js';
import { startTestSandbox, type TestSandbox } from './helpers/sandbox.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as McpbManifestAny;

describe('manifest.json', () => {
  it('is what the catalog and package.json render (run npm run manifest after changing a tool)', () => {
    expect(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')).toBe(renderManifest());
    expect(manifest.version).toBe(pkg.version);
    const defaultTools = new Set(catalog.filter((tool) => DEFAULT_SETTINGS.toolsets.includes(tool.toolset)).map((tool) => tool.name));
    expect(new Set(manifest.tools?.map((tool) => tool.name))).toEqual(defaultTools);
  });

  it('asks for the secret as sensitive, installs read-only, and will not start without the required fields', () => {
    const fields = manifest.user_config ?? {};
    expect(fields.client_secret).toMatchObject({ sensitive: true, required: true });
    expect(fields.read_only).toMatchObject({ type: 'boolean', default: true });
    expect(fields.tenant?.required).toBe(false);
    expect(hasRequiredConfigMissing({ manifest, userConfig: { halo_url: 'https://acme.halopsa.com', client_id: 'id' } })).toBe(true);
    expect(hasRequiredConfigMissing({ manifest, userConfig: { halo_url: 'https://acme.halopsa.com', client_id: 'id', client_secret: 's' } })).toBe(false);
  });
});

describe('the server started from the manifest', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());

  async function startFromManifest(userConfig: Record<string, string | boolean>) {
    const config = await getMcpConfigForManifest({ manifest, extensionPath: root, systemDirs: {}, userConfig, pathSeparator: '/' });
    if (!config) throw new Error('the manifest gave no server command');
    const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('HALO_')));
    // Claude Desktop runs `node` with its own Node; here it is the Node running the tests.
    const transport = new StdioClientTransport({ command: process.execPath, args: config.args ?? [], env: { ...env, ...config.env }, stderr: 'pipe' });
    const client = new Client({ name: 'manifest-test', version: '1' });
    await client.connect(transport);
    return { client, env: config.env ?? {} };
  }

  it('with only the required fields: read-only, default toolsets, and no placeholder reaching a setting', async () => {
    const { client, env } = await startFromManifest({ halo_url: sandbox.url, client_id: sandbox.clientId, client_secret: sandbox.clientSecret });
    try {
      // The optional fields left empty do reach the environment as placeholders...
      expect(env.HALO_TENANT).toBe('${user_config.tenant}');
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(10);
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      const whoami = (await client.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Record<string, unknown>;
      // ...and the server reads them as absent.
      expect(whoami).toMatchObject({ connected: true, tenant: null, read_only: true, toolsets: ['core', 'api'], timezone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    } finally {
      await client.close();
    }
  });

  it('with writes allowed and other toolsets chosen, as a person sets them in the form', async () => {
    const { client } = await startFromManifest({
      halo_url: sandbox.url,
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      read_only: false,
      toolsets: 'core,time',
      timezone: 'Europe/London',
    });
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('halo_create_ticket');
      expect(names).toContain('halo_log_time');
      expect(names).not.toContain('halo_find_operations');
      const whoami = (await client.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Record<string, unknown>;
      expect(whoami).toMatchObject({ read_only: false, timezone: 'Europe/London' });
    } finally {
      await client.close();
    }
  });
});
