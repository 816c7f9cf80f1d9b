/** Which Halo, and which way of signing in to it, a credentials file makes of the configuration. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loginRedirectFromEnv, readCommandLine, type Env } from '../../src/config/index.js';
import type { StoredSignIn } from '../../src/sign-in/credentials-file.js';
import { catalog } from '../../tools/index.js';

const signIn: StoredSignIn = {
  version: 1,
  halo_url: 'https://acme.halopsa.com',
  auth_url: 'https://auth.acme.example/auth',
  tenant: 'acme',
  client_id: 'login-app',
  refresh_token: 'refresh-token-one-0123456789abcdef',
  agent: { id: 7, name: 'Jane Doe' },
  signed_in_at: '2026-12-02T10:00:00.000Z',
};

function load(env: Env, { demo = false, http = false } = {}) {
  return loadConfig({ env, catalog, scopeFor: () => 'all', demo, http, defaultLogLevel: 'info', signIn });
}

describe('a configuration with a sign-in', () => {
  it('needs neither HALO_URL nor the client credentials: the file names the Halo and the application', () => {
    const config = load({});
    expect(config.signedIn).toBe(true);
    expect(config.warnings).toEqual([]);
    expect(config.halo).toMatchObject({ url: signIn.halo_url, authUrl: signIn.auth_url, tenant: 'acme', clientId: 'login-app' });
    expect(config.halo?.clientSecret).toBeUndefined();
  });

  it('applies when HALO_URL is the same Halo however it is written, and sends the secret of that application only', () => {
    const same = load({ HALO_URL: 'https://acme.halopsa.com/api/', HALO_CLIENT_ID: 'login-app', HALO_CLIENT_SECRET: 'confidential-secret' });
    expect(same.signedIn).toBe(true);
    expect(same.halo).toMatchObject({ url: signIn.halo_url, clientId: 'login-app', clientSecret: 'confidential-secret' });
    // The client credentials application's secret is no use to the login application: it is not sent.
    const other = load({ HALO_URL: 'https://acme.halopsa.com', HALO_CLIENT_ID: 'api-app', HALO_CLIENT_SECRET: 'api-app-secret' });
    expect(other.halo).toMatchObject({ clientId: 'login-app' });
    expect(other.halo?.clientSecret).toBeUndefined();
  });

  it('is ignored, with a warning naming both Halos, when HALO_URL names another Halo', () => {
    const config = load({ HALO_URL: 'https://beta.halopsa.com', HALO_CLIENT_ID: 'api-app', HALO_CLIENT_SECRET: 'api-app-secret' });
    expect(config.signedIn).toBe(false);
    expect(config.halo).toMatchObject({ url: 'https://beta.halopsa.com', clientId: 'api-app', clientSecret: 'api-app-secret' });
    expect(config.warnings).toEqual([expect.stringMatching(/for https:\/\/acme\.halopsa\.com, not HALO_URL https:\/\/beta\.halopsa\.com/)]);
    // Without the client credentials, the other Halo cannot be reached at all.
    expect(() => load({ HALO_URL: 'https://beta.halopsa.com' })).toThrow(ConfigError);
  });

  it('is ignored by the demo and by HTTP serving', () => {
    expect(load({}, { demo: true })).toMatchObject({ signedIn: false, halo: undefined });
    const http = load({ HALO_URL: 'https://acme.halopsa.com', HALO_CLIENT_ID: 'api-app', HALO_CLIENT_SECRET: 'api-app-secret' }, { http: true });
    expect(http.signedIn).toBe(false);
    expect(http.halo).toMatchObject({ clientId: 'api-app' });
  });

  it('still reports the settings the file does not replace', () => {
    expect(() => load({ HALO_TIMEOUT_MS: 'soon' })).toThrow(/HALO_TIMEOUT_MS must be a whole number/);
  });
});

describe('the sign-in commands', () => {
  it('listen at http://127.0.0.1:<port>/callback, or at a whole redirect URI on this computer, refusing one elsewhere', () => {
    expect(loginRedirectFromEnv({}).href).toBe('http://127.0.0.1:8400/callback');
    expect(loginRedirectFromEnv({ HALO_LOGIN_PORT: '9000' }).href).toBe('http://127.0.0.1:9000/callback');
    expect(loginRedirectFromEnv({ HALO_LOGIN_PORT: '9000', HALO_LOGIN_REDIRECT_URI: 'http://localhost:8400/' }).href).toBe('http://localhost:8400/');
    for (const elsewhere of ['https://localhost:8400/', 'http://example.com:8400/cb', 'http://localhost/cb', 'http://localhost:8400/cb?x=1', 'not a url']) {
      expect(() => loginRedirectFromEnv({ HALO_LOGIN_REDIRECT_URI: elsewhere }), elsewhere).toThrow(/HALO_LOGIN_REDIRECT_URI must be an http address on this computer with a port/);
    }
  });

  it('take the redirect port as a flag over HALO_LOGIN_PORT, and --no-browser', () => {
    const { env, flags } = readCommandLine('login', ['--redirect-port', '0', '--no-browser'], { HALO_LOGIN_PORT: '8400' });
    expect(env.HALO_LOGIN_PORT).toBe('0');
    expect(flags['no-browser']).toBe(true);
    expect(() => readCommandLine('logout', ['--no-browser'])).toThrow(/Unknown option/);
  });
});
