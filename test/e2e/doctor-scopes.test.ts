/**
 * Doctor on tokens Halo grants no scopes, run in process: this file imports the doctor, and with it
 * the undici package, which Node 20's own fetch then shares a global dispatcher with; kept apart from
 * commands.test.ts, whose fake Halo proxies with fetch.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/commands/doctor.js';
import { setup } from '../../src/commands/setup.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/setup.js';

const sandbox = useSandbox({ tenant: 'northbeam' });
let halo: Record<string, string>;
beforeAll(() => {
  halo = { HALO_URL: sandbox.url, HALO_CLIENT_ID: sandbox.clientId, HALO_CLIENT_SECRET: sandbox.clientSecret, HALO_TENANT: 'northbeam' };
});

describe('halopsa-mcp doctor on a token without scopes', () => {
  it('fails on a token Halo granted no scopes, saying what to set', async () => {
    // The client always asks for a scope (HALO_SCOPE is never empty); this asks for none, as a client that forgets it would.
    const base = await setup({ env: halo, demo: false, defaultLogLevel: 'error' });
    if (!base.haloConfig) throw new Error('no Halo configuration');
    const { checks } = await runChecks({ ...base, haloConfig: { ...base.haloConfig, scope: '' } });
    // Halo's answer lists no scopes, and refuses the token even the API agent.
    expect(checks.find((check) => check.check === 'token')).toMatchObject({ status: 'ok', detail: 'granted (Halo did not say which scopes)' });
    expect(checks.find((check) => check.check === 'API agent')).toMatchObject({ status: 'FAIL', detail: expect.stringMatching(/\(401\).*add it to HALO_SCOPE \(now ""\)/) as unknown });
  });

  it('fails at once on a token whose answer lists an empty scope, and reads nothing with it', async () => {
    const emptyScope = await startTestSandbox({ tenant: 'northbeam' });
    try {
      await emptyScope.faults([{ method: 'POST', path: '^/auth/token', status: 200, body: JSON.stringify({ access_token: 'a-token-granted-nothing-0123456789', token_type: 'Bearer', expires_in: 3600, scope: '' }), times: 1 }]);
      const base = await setup({ env: { ...halo, HALO_URL: emptyScope.url }, demo: false, defaultLogLevel: 'error' });
      const { checks } = await runChecks(base);
      expect(checks.find((check) => check.check === 'token')).toMatchObject({ status: 'FAIL', detail: expect.stringMatching(/^Halo granted the token no scopes, .* Set HALO_SCOPE to all/) as unknown });
      expect(checks.at(-1)).toMatchObject({ check: 'Halo data', status: 'skipped' });
      // Only the unauthenticated authinfo: no call is made with the scopeless token.
      expect((await emptyScope.apiRequests()).map((request) => request.path)).toEqual(['/api/authinfo']);
    } finally {
      await emptyScope.close();
    }
  });
});
