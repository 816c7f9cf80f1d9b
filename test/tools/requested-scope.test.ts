/** The scopes the server asks Halo for when HALO_SCOPE does not say: what the enabled tools need. */
import { describe, expect, it } from 'vitest';
import { haloConfigFromEnv } from '../../src/config/index.js';
import { SCOPE_AREAS } from '../../src/halo/scopes.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../src/mcp/settings.js';
import { requestedScope } from '../../tools/toolset-probes.js';
import { catalog } from '../../tools/index.js';

const scope = (settings: Partial<ServerSettings>) => requestedScope({ ...DEFAULT_SETTINGS, ...settings }, catalog).split(' ');

describe('requested scopes', () => {
  it('asks for everything with the default toolsets, which reach every operation and may write', () => {
    expect(scope({})).toEqual(['all']);
  });

  it('asks for reads only in read-only mode, every area the gateway may read', () => {
    const scopes = scope({ readOnly: true });
    expect(scopes).toEqual(SCOPE_AREAS.map((area) => `read:${area}`));
    expect(scopes.some((each) => each === 'all' || each === 'admin' || each.startsWith('edit:'))).toBe(false);
  });

  it("asks for a curated toolset's areas: edit where its tools write, read elsewhere", () => {
    expect(scope({ toolsets: ['core'] })).toEqual(['edit:tickets', 'read:assets', 'read:customers', 'read:kb', 'read:timesheets']);
    expect(scope({ toolsets: ['core'], readOnly: true })).toEqual(['read:assets', 'read:customers', 'read:kb', 'read:tickets', 'read:timesheets']);
    expect(scope({ toolsets: ['billing'] })).toEqual(['edit:contracts', 'edit:invoices', 'edit:quotes', 'read:items', 'read:pos', 'read:sos']);
    // Configuration is read with any scope: admin only when its tools may write.
    expect(scope({ toolsets: ['core', 'admin'] })).toContain('admin');
    expect(scope({ toolsets: ['core', 'admin'], readOnly: true })).not.toContain('admin');
  });

  it('covers a tool enabled by name outside its toolsets', () => {
    expect(scope({ toolsets: ['kb'], enabledTools: ['halo_list_project_tasks'], readOnly: true })).toEqual(['read:kb', 'read:projects']);
  });

  it('gives way to HALO_SCOPE', () => {
    const env = { HALO_URL: 'https://acme.halopsa.com', HALO_CLIENT_ID: 'id', HALO_CLIENT_SECRET: 'secret' };
    expect(haloConfigFromEnv(env, 'read:tickets')).toMatchObject({ scope: 'read:tickets', scopeFallback: 'all' });
    // What a person wrote stands as written: no fallback.
    const written = haloConfigFromEnv({ ...env, HALO_SCOPE: 'read:kb' }, 'read:tickets');
    expect([written.scope, written.scopeFallback]).toEqual(['read:kb', undefined]);
    const everything = haloConfigFromEnv(env);
    expect([everything.scope, everything.scopeFallback]).toEqual(['all', undefined]);
  });
});
