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
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { renderManifest } from '../scripts/manifest.js';
import { DEFAULT_SETTINGS } from '../src/mcp/settings.js';
import { catalog } from '../tools/index.js';
import { useSandbox } from './helpers/setup.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as McpbManifestAny;

describe('manifest.json', () => {
  it('is what the catalog and package.json render (run npm run manifest after changing a tool)', () => {
    expect(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')).toBe(renderManifest());
    expect(manifest.version).toBe(pkg.version);
    const defaultTools = new Set(catalog.filter((tool) => DEFAULT_SETTINGS.toolsets.includes(tool.toolset)).map((tool) => tool.name));
    expect(new Set(manifest.tools?.map((tool) => tool.name))).toEqual(defaultTools);
  });

  it('asks for the secret as sensitive but optional (a sign-in needs none), installs read-only, and will not start without the required fields', () => {
    const fields = manifest.user_config ?? {};
    expect(fields.client_secret).toMatchObject({ sensitive: true, required: false });
    expect(fields.client_secret?.description).toContain('npx halopsa-mcp login');
    expect(fields.read_only).toMatchObject({ type: 'boolean', default: true });
    expect(fields.tenant?.required).toBe(false);
    // The two Halo settings a person may need beyond the required ones, both optional.
    expect(fields.scope).toMatchObject({ type: 'string', required: false });
    expect(fields.auth_url).toMatchObject({ type: 'string', required: false });
    expect(manifest.server.mcp_config.env).toMatchObject({ HALO_SCOPE: '${user_config.scope}', HALO_AUTH_URL: '${user_config.auth_url}' });
    // The technician "me" means, for the one person a desktop install serves.
    expect(fields.agent).toMatchObject({ type: 'string', required: false });
    expect(manifest.server.mcp_config.env).toMatchObject({ HALO_AGENT: '${user_config.agent}' });
  });

  it('carries an icon inside the bundle, as a PNG', () => {
    expect(manifest.icon).toBe('icon.png');
    expect(readFileSync(new URL('../icon.png', import.meta.url)).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(hasRequiredConfigMissing({ manifest, userConfig: { halo_url: 'https://acme.halopsa.com' } })).toBe(true);
    expect(hasRequiredConfigMissing({ manifest, userConfig: { halo_url: 'https://acme.halopsa.com', client_id: 'id' } })).toBe(false);
  });
});

describe('the server started from the manifest', () => {
  const sandbox = useSandbox();

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
      expect(whoami).toMatchObject({ connected: true, tenant: null, auth_url: `${sandbox.url}/auth`, read_only: true, toolsets: ['core', 'api'], timezone: Intl.DateTimeFormat().resolvedOptions().timeZone });
      expect(whoami.me).toMatchObject({ name: 'API Integration', from: 'api_application' });
      // Read-only asks Halo for read scopes only, never for all: a leaked token can change nothing.
      const requested = String(whoami.scopes_requested).split(' ');
      expect(requested.every((scope) => scope.startsWith('read:'))).toBe(true);
      expect(String(whoami.scopes_granted).split(' ')).toEqual(requested);
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
      agent: 'Jane Doe',
    });
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('halo_create_ticket');
      expect(names).toContain('halo_log_time');
      expect(names).not.toContain('halo_find_operations');
      const whoami = (await client.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Record<string, unknown>;
      expect(whoami.me).toEqual({ id: 1, name: 'Jane Doe', from: 'HALO_AGENT' });
      expect(whoami).toMatchObject({ read_only: false, timezone: 'Europe/London', scopes_requested: 'edit:calendar edit:tickets edit:timesheets read:assets read:customers read:kb' });
    } finally {
      await client.close();
    }
  });

  it('asks for the scopes and the authorisation server a person writes in the form', async () => {
    const { client } = await startFromManifest({
      halo_url: sandbox.url,
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      scope: 'all',
      // The same sandbox under another name, so that only the form's value can have chosen it.
      auth_url: `${sandbox.url.replace('127.0.0.1', 'localhost')}/auth`,
    });
    try {
      const whoami = (await client.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Record<string, unknown>;
      expect(whoami).toMatchObject({ connected: true, scopes_requested: 'all', auth_url: `${sandbox.url.replace('127.0.0.1', 'localhost')}/auth` });
    } finally {
      await client.close();
    }
  });
});
