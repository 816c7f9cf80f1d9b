/**
 * A token's profile narrows the server's tool settings. halo_whoami reported the profile's own
 * settings rather than what the token actually gets: a profile asking for every toolset with
 * writes, on a read-only server, was told it could write.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../src/mcp/settings.js';
import { narrowSettings, selectTools, toolAllowed } from '../../src/mcp/select.js';
import { catalog } from '../../tools/index.js';
import { httpClient, startHttp } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

type Json = Record<string, unknown>;

const sandbox = useSandbox();

describe('halo_whoami under a profile', () => {
  it('reports the toolsets and access the token gets, not what its profile asked for', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'halo-profiles-'));
    const profiles = join(directory, 'profiles.json');
    const token = 'profile-token-0123456789abcdef';
    writeFileSync(
      profiles,
      JSON.stringify({
        tokens: [{ id: 'wide', token, profile: 'wide' }],
        profiles: { wide: { halo: { url: sandbox.url, client_id: sandbox.clientId, client_secret: sandbox.clientSecret }, settings: { toolsets: 'all', read_only: false, allow_destructive: true } } },
      }),
    );
    const server = await startHttp(['--profiles-file', profiles, '--toolsets', 'core,tickets', '--read-only'], { HALO_RATE_LIMIT: 'off' });
    try {
      const { client } = await httpClient(server.url, token);
      const who = (await client.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Json;
      const tools = (await client.listTools()).tools;
      await client.close();
      expect(who).toMatchObject({ toolsets: ['core', 'tickets'], read_only: true, writes_allowed: false, destructive_allowed: false });
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

describe('narrowing settings', () => {
  const settings = (overrides: Partial<ServerSettings>): ServerSettings => ({ ...DEFAULT_SETTINGS, ...overrides });
  const cases: [string, ServerSettings, ServerSettings][] = [
    ['a wide profile on a narrow server', settings({ toolsets: ['core', 'tickets'], readOnly: true }), settings({ toolsets: ['all'], allowDestructive: true })],
    ['a narrow profile on a wide server', settings({ toolsets: ['all'], allowDestructive: true, allowSql: true }), settings({ toolsets: ['core', 'reports'], allowSql: true })],
    ['tools enabled by name on both sides', settings({ toolsets: ['core'], enabledTools: ['halo_create_ticket', 'halo_get_asset'] }), settings({ toolsets: ['tickets'], enabledTools: ['halo_whoami'], disabledTools: ['halo_search_tickets'] })],
    ['disjoint toolsets', settings({ toolsets: ['crm'] }), settings({ toolsets: ['kb'] })],
  ];

  it.each(cases)('exposes exactly the tools both allow: %s', (_name, server, profile) => {
    const both = catalog.filter((tool) => toolAllowed(tool, server) && toolAllowed(tool, profile));
    const narrowed = narrowSettings(server, profile, catalog);
    expect(selectTools(catalog, narrowed).map((tool) => `${tool.name}/${tool.access}`)).toEqual(selectTools(both, narrowed).map((tool) => `${tool.name}/${tool.access}`));
    expect(catalog.filter((tool) => toolAllowed(tool, narrowed))).toEqual(both);
  });

  it('tells each settings problem once, when the profile reads the same environment as the server', () => {
    const problem = 'HALO_TOOLSETS names unknown toolset "tikets", left out; serving core.';
    const narrowed = narrowSettings(settings({ problems: [problem] }), settings({ readOnly: true, problems: [problem, 'another'] }), catalog);
    expect(narrowed.problems).toEqual([problem, 'another']);
  });
});
