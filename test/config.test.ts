import { describe, expect, it } from 'vitest';
import { ConfigError, haloConfigFromEnv, loadConfig, logLevelFromEnv, namedHaloConfig, readCommandLine, sandboxHaloConfig, serverSettingsFromEnv } from '../src/config/index.js';
import { catalog } from '../tools/index.js';
import type { ServerSettings } from '../src/mcp/settings.js';
import { requestedScope } from '../tools/toolset-probes.js';

const minimal = { HALO_URL: 'https://acme.halopsa.com', HALO_CLIENT_ID: 'id-123', HALO_CLIENT_SECRET: 'secret-456' };

function problems(env: Record<string, string | undefined>): string[] {
  try {
    haloConfigFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Halo configuration from the environment', () => {
  it('fills in the defaults around the three required settings', () => {
    expect(haloConfigFromEnv(minimal)).toEqual({
      url: 'https://acme.halopsa.com',
      authUrl: 'https://acme.halopsa.com/auth',
      clientId: 'id-123',
      clientSecret: 'secret-456',
      scope: 'all',
      timeoutMs: 30_000,
      retry: { maxAttempts: 4, budgetMs: 60_000, baseDelayMs: 500, maxDelayMs: 10_000 },
      rateLimit: { limit: 300, windowSeconds: 300 },
      maxResponseBytes: 8 * 1024 * 1024,
    });
  });

  it('names every missing setting in one error, with where to find it', () => {
    const found = problems({});
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^HALO_URL is missing/);
    expect(found[1]).toMatch(/^HALO_CLIENT_ID is missing.*Configuration > Integrations > Halo API/);
    expect(found[2]).toMatch(/^HALO_CLIENT_SECRET is missing/);
  });

  it('accepts the API address or a trailing slash as the Halo URL', () => {
    expect(haloConfigFromEnv({ ...minimal, HALO_URL: 'https://acme.halopsa.com/api/' }).url).toBe('https://acme.halopsa.com');
    expect(haloConfigFromEnv({ ...minimal, HALO_URL: ' https://halo.example.com/support/ ' }).url).toBe('https://halo.example.com/support');
  });

  it('refuses a URL that is not one', () => {
    expect(problems({ ...minimal, HALO_URL: 'acme' })).toEqual(['HALO_URL must be a URL such as https://acme.halopsa.com (got "acme")']);
    expect(problems({ ...minimal, HALO_URL: 'ftp://acme' })).toEqual(['HALO_URL must start with https:// (got "ftp://acme")']);
  });

  it('treats empty optional settings as absent, so no placeholder leaks through', () => {
    const config = haloConfigFromEnv({ ...minimal, HALO_TENANT: '', HALO_AUTH_URL: '', HALO_SCOPE: ' ', HALO_RATE_LIMIT: '' });
    expect(config.tenant).toBeUndefined();
    expect(config.authUrl).toBe('https://acme.halopsa.com/auth');
    expect(config.scope).toBe('all');
    expect(config.rateLimit).toEqual({ limit: 300, windowSeconds: 300 });
  });

  it('reads the tenant, auth URL, scope, timeouts, retries and rate limit', () => {
    const config = haloConfigFromEnv({
      ...minimal,
      HALO_TENANT: 'acme',
      HALO_AUTH_URL: 'https://auth.haloservicedesk.com',
      HALO_SCOPE: 'read:tickets edit:tickets',
      HALO_TIMEOUT_MS: '5000',
      HALO_RETRY_MAX_ATTEMPTS: '2',
      HALO_RETRY_BUDGET_MS: '9000',
      HALO_RATE_LIMIT: '450/300',
      HALO_MAX_RESPONSE_MB: '2',
    });
    expect(config).toMatchObject({
      tenant: 'acme',
      authUrl: 'https://auth.haloservicedesk.com',
      scope: 'read:tickets edit:tickets',
      timeoutMs: 5000,
      retry: { maxAttempts: 2, budgetMs: 9000 },
      rateLimit: { limit: 450, windowSeconds: 300 },
      maxResponseBytes: 2 * 1024 * 1024,
    });
    expect(haloConfigFromEnv({ ...minimal, HALO_RATE_LIMIT: 'off' }).rateLimit).toBeUndefined();
  });

  it('explains malformed numbers and rate limits', () => {
    expect(problems({ ...minimal, HALO_TIMEOUT_MS: 'soon', HALO_RATE_LIMIT: 'fast', HALO_MAX_RESPONSE_MB: '0' })).toEqual([
      'HALO_TIMEOUT_MS must be a whole number from 1 to 2147483647 (got "soon")',
      'HALO_RATE_LIMIT must be N/SECONDS such as 300/300, or off (got "fast")',
      'HALO_MAX_RESPONSE_MB must be a whole number of at least 1 (got "0")',
    ]);
  });

  it("refuses a wait longer than Node's timers hold, which would fire at once instead", () => {
    expect(problems({ ...minimal, HALO_RETRY_BUDGET_MS: '2147483648', HALO_TIMEOUT_MS: '9999999999' })).toEqual([
      'HALO_TIMEOUT_MS must be a whole number from 1 to 2147483647 (got "9999999999")',
      'HALO_RETRY_BUDGET_MS must be a whole number from 1 to 2147483647 (got "2147483648")',
    ]);
    expect(haloConfigFromEnv({ ...minimal, HALO_RETRY_BUDGET_MS: '2147483647' }).retry.budgetMs).toBe(2_147_483_647);
  });

  it('never repeats the client secret in its messages', () => {
    const error = (() => {
      try {
        return haloConfigFromEnv({ HALO_CLIENT_SECRET: 'very-secret-value', HALO_URL: 'not a url' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('very-secret-value');
  });

  it('reads the log level', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ HALO_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(() => logLevelFromEnv({ HALO_LOG_LEVEL: 'loud' })).toThrow(/HALO_LOG_LEVEL must be one of/);
  });
});

describe('server settings from the environment', () => {
  const known = ['halo_search_tickets', 'halo_add_note'];

  it('defaults to the core and api toolsets, writes allowed, destructive hidden', () => {
    const settings = serverSettingsFromEnv({}, known);
    expect(settings).toMatchObject({ toolsets: ['core', 'api'], enabledTools: [], disabledTools: [], readOnly: false, allowDestructive: false, maxResultChars: 20_000 });
  });

  it('reads lists, switches and the time zone', () => {
    const settings = serverSettingsFromEnv(
      {
        HALO_TOOLSETS: 'core, billing',
        HALO_ENABLED_TOOLS: 'halo_add_note',
        HALO_DISABLED_TOOLS: 'halo_search_tickets',
        HALO_READ_ONLY: 'yes',
        HALO_ALLOW_DESTRUCTIVE: 'TRUE',
        HALO_TIMEZONE: 'America/Chicago',
        HALO_MAX_RESULT_CHARS: '5000',
        HALO_CACHE_TTL_SECONDS: '60',
      },
      known,
    );
    expect(settings).toMatchObject({
      toolsets: ['core', 'billing'],
      enabledTools: ['halo_add_note'],
      disabledTools: ['halo_search_tickets'],
      readOnly: true,
      allowDestructive: true,
      timezone: 'America/Chicago',
      maxResultChars: 5000,
      cacheTtlMs: 60_000,
    });
  });

  it('names each bad setting', () => {
    expect(() =>
      serverSettingsFromEnv({ HALO_DISABLED_TOOLS: 'halo_serch_tickets', HALO_READ_ONLY: 'maybe', HALO_TIMEZONE: 'Mars/Olympus', HALO_MAX_RESULT_CHARS: '10' }, known),
    ).toThrow(
      new ConfigError([
        'HALO_DISABLED_TOOLS names unknown tools "halo_serch_tickets"; known: halo_search_tickets, halo_add_note',
        'HALO_READ_ONLY must be true or false (got "maybe")',
        'HALO_TIMEZONE must be an IANA time zone such as Europe/London (got "Mars/Olympus")',
        'HALO_MAX_RESULT_CHARS must be a whole number of at least 1000 (got "10")',
      ]),
    );
  });
});

describe('toolsets typed into a form', () => {
  it('leaves out a toolset it does not know and says so, rather than refusing to start', () => {
    const settings = serverSettingsFromEnv({ HALO_TOOLSETS: 'core, Tickets,tickts' }, []);
    expect(settings.toolsets).toEqual(['core', 'tickets']);
    expect(settings.problems).toEqual([
      'HALO_TOOLSETS names unknown toolset "tickts", left out; serving core,tickets. Known: core, tickets, crm, assets, kb, projects, time, billing, sales, suppliers, reports, admin, api, all.',
    ]);
  });

  it('serves the default toolsets when no name is known, so the person keeps the tools to find out why', () => {
    const settings = serverSettingsFromEnv({ HALO_TOOLSETS: 'tickts' }, []);
    expect(settings.toolsets).toEqual(['core', 'api']);
    expect(settings.problems[0]).toMatch(/unknown toolset "tickts", left out; serving core,api/);
  });

  it('has nothing to report for known toolsets', () => {
    expect(serverSettingsFromEnv({ HALO_TOOLSETS: 'core,api' }, []).problems).toEqual([]);
  });
});

describe('values a bundle host leaves unsubstituted', () => {
  it('treats ${user_config.*} placeholders as absent, never as values', () => {
    const config = haloConfigFromEnv({ ...minimal, HALO_TENANT: '${user_config.tenant}', HALO_AUTH_URL: '${user_config.auth_url}' });
    expect(config.tenant).toBeUndefined();
    expect(config.authUrl).toBe('https://acme.halopsa.com/auth');
    expect(problems({ ...minimal, HALO_URL: '${user_config.halo_url}' })[0]).toMatch(/^HALO_URL is missing/);
    expect(serverSettingsFromEnv({ HALO_TOOLSETS: '${user_config.toolsets}', HALO_TIMEZONE: '${user_config.timezone}' }, []).toolsets).toEqual(['core', 'api']);
  });
});

describe('one configuration for a command, from its flags and the environment', () => {
  const command = { catalog, scopeFor: (settings: ServerSettings) => requestedScope(settings, catalog), demo: false, http: false, defaultLogLevel: 'info' } as const;

  it('reads the technician "me" means from --agent or HALO_AGENT, and none when it is absent or unsubstituted', () => {
    const { env } = readCommandLine('call', ['--agent', 'Jane Doe'], { HALO_AGENT: 'Sam Patel' });
    expect(serverSettingsFromEnv(env, []).agent).toBe('Jane Doe');
    expect(serverSettingsFromEnv({ HALO_AGENT: ' jane.doe@northbeam-it.example ' }, []).agent).toBe('jane.doe@northbeam-it.example');
    for (const absent of [{}, { HALO_AGENT: '' }, { HALO_AGENT: '${user_config.agent}' }]) expect(serverSettingsFromEnv(absent, []).agent).toBeUndefined();
  });

  it('writes each flag over its environment twin, and keeps the flags that only say what to run', () => {
    const { env, flags } = readCommandLine('serve', ['--http', '--read-only', '--port', '8080'], { HALO_READ_ONLY: 'false', HALO_MCP_HTTP_PORT: '3000' });
    expect(env).toEqual({ HALO_READ_ONLY: 'true', HALO_MCP_HTTP_PORT: '8080' });
    expect(flags.http).toBe(true);
  });

  it('reads no Halo for the demo but the scope and limits it is asked for, which the sandbox then gets', () => {
    const env = { HALO_URL: 'not a url', HALO_SCOPE: 'read:tickets', HALO_TIMEOUT_MS: '5000' };
    const config = loadConfig({ ...command, env, demo: true });
    expect(config.halo).toBeUndefined();
    const sandbox = { url: 'http://127.0.0.1:8787', clientId: 'demo-id', clientSecret: 'demo-secret' };
    if (!config.demoHalo) throw new Error('no demo Halo');
    expect(sandboxHaloConfig(sandbox, config.demoHalo)).toEqual(
      haloConfigFromEnv({ ...env, HALO_URL: sandbox.url, HALO_CLIENT_ID: sandbox.clientId, HALO_CLIENT_SECRET: sandbox.clientSecret }),
    );
  });

  it('checks the limits of gateway mode before serving, even without a Halo of its own', () => {
    const env = { HALO_MCP_GATEWAY: 'true', HALO_MCP_TOKENS: 'gateway-token-0123456789', HALO_TIMEOUT_MS: 'soon' };
    expect(() => loadConfig({ ...command, env, http: true })).toThrow(/HALO_TIMEOUT_MS must be a whole number/);
  });

  it("asks a gateway request's Halo for the scope its headers name, or else what the tools need, never the server's HALO_SCOPE", () => {
    const config = loadConfig({ ...command, env: { ...minimal, HALO_TOOLSETS: 'core', HALO_SCOPE: 'read:kb', HALO_MCP_GATEWAY: 'true', HALO_TIMEOUT_MS: '7000' }, http: true });
    const gateway = config.http?.gateway;
    if (!gateway) throw new Error('no gateway');
    expect(gateway.scope).not.toMatch(/^(all|read:kb)$/);
    const headers = { HALO_URL: 'https://beta.halopsa.com', HALO_CLIENT_ID: 'beta-id', HALO_CLIENT_SECRET: 'beta-secret', HALO_TENANT: '', HALO_AUTH_URL: '', HALO_SCOPE: '' };
    expect(namedHaloConfig(headers, gateway.tuning, gateway.scope)).toMatchObject({ url: 'https://beta.halopsa.com', scope: gateway.scope, scopeFallback: 'all', timeoutMs: 7000 });
    expect(namedHaloConfig({ ...headers, HALO_SCOPE: 'all' }, gateway.tuning, gateway.scope)).toMatchObject({ scope: 'all' });
    expect(() => namedHaloConfig({ ...headers, HALO_CLIENT_ID: '' }, gateway.tuning, gateway.scope)).toThrow(/HALO_CLIENT_ID is missing/);
  });
});
