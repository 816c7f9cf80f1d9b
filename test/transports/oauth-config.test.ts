/** The settings of --oauth: what it needs, what it refuses, and what it lets a server do. */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../tools/index.js';
import { requestedScope } from '../../tools/toolset-probes.js';
import { loadConfig } from '../../src/config/index.js';
import type { ServerSettings } from '../../src/mcp/settings.js';

const command = { catalog, scopeFor: (settings: ServerSettings) => requestedScope(settings, catalog), demo: false, http: true, defaultLogLevel: 'info' } as const;
const halo = { HALO_URL: 'https://acme.halopsa.com', HALO_CLIENT_ID: 'api-app', HALO_CLIENT_SECRET: 'api-secret' };
const oauth = { HALO_MCP_OAUTH: 'true', HALO_PUBLIC_URL: 'https://mcp.example.com', HALO_TOKEN_KEY: 'ab'.repeat(32) };

describe('--oauth settings', () => {
  it('let a server bind beyond loopback without static tokens', () => {
    const config = loadConfig({ ...command, env: { ...halo, ...oauth, HALO_MCP_HTTP_HOST: '0.0.0.0', HALO_LOGIN_CLIENT_ID: 'login-app' } });
    expect(config.http?.oauth).toMatchObject({ publicUrl: new URL('https://mcp.example.com'), login: { clientId: 'login-app' }, accessTokenTtlMs: 3_600_000 });
    // A login application of its own is not sent the API application's secret.
    expect(config.http?.oauth?.login?.clientSecret).toBeUndefined();
  });

  it('need a public https URL of an origin, a token key and the server\'s own Halo', () => {
    expect(() => loadConfig({ ...command, env: { ...halo, HALO_MCP_OAUTH: 'true', HALO_MCP_HTTP_HOST: '0.0.0.0' } })).toThrow(/HALO_PUBLIC_URL is missing[\s\S]*HALO_TOKEN_KEY is missing/);
    expect(() => loadConfig({ ...command, env: { ...halo, ...oauth, HALO_PUBLIC_URL: 'http://mcp.example.com' } })).toThrow(/must start with https/);
    expect(() => loadConfig({ ...command, env: { ...halo, ...oauth, HALO_PUBLIC_URL: 'https://mcp.example.com/halo' } })).toThrow(/origin alone/);
    expect(() => loadConfig({ ...command, env: { ...halo, ...oauth, HALO_TOKEN_KEY: 'short' } })).toThrow(/openssl rand -hex 32/);
    expect(() => loadConfig({ ...command, env: oauth })).toThrow(/server's own Halo/);
  });

  it('refuse gateway mode, whose callers bring their own Halo', () => {
    expect(() => loadConfig({ ...command, env: { ...halo, ...oauth, HALO_MCP_GATEWAY: 'true', HALO_MCP_TOKENS: 'gateway-token-0123456789' } })).toThrow(/cannot be combined with --gateway/);
  });

  it('make a token key in demo mode, and allow http on loopback', () => {
    const config = loadConfig({ ...command, demo: true, env: { HALO_MCP_OAUTH: 'true', HALO_PUBLIC_URL: 'http://127.0.0.1:3000' } });
    expect(config.http?.oauth?.tokenKey).toHaveLength(32);
  });

  it('take the address a loopback server listens on as its public URL when none is set', () => {
    const on = (env: Record<string, string>): URL | undefined => loadConfig({ ...command, demo: true, env: { HALO_MCP_OAUTH: 'true', ...env } }).http?.oauth?.publicUrl;
    expect(on({})?.href).toBe('http://127.0.0.1:3000/');
    expect(on({ HALO_MCP_HTTP_HOST: '::1', HALO_MCP_HTTP_PORT: '8123' })?.href).toBe('http://[::1]:8123/');
    // Port 0 is chosen when the server starts, too late for the address sign-ins come back to.
    expect(() => on({ HALO_MCP_HTTP_PORT: '0' })).toThrow(/HALO_PUBLIC_URL is missing/);
  });
});
