/**
 * /readyz answers load balancers without authentication. It minted a Halo token on every call (so
 * anyone could drive token requests at Halo), told anyone the auth URL and Halo's refusal, and said
 * ready while Halo was down as long as a token was held.
 */
import { describe, expect, it } from 'vitest';
import { httpClient, sandboxEnv, startHttp } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

const TOKEN = 'readiness-token-0123456789abcdef';

const sandbox = useSandbox();

describe('/readyz', () => {
  it('says only whether it is ready to a caller without a token, and why to one with a token', async () => {
    const server = await startHttp([], { ...sandboxEnv(sandbox), HALO_CLIENT_SECRET: 'a-wrong-secret-value', HALO_MCP_TOKENS: TOKEN });
    try {
      const anonymous = await fetch(`${server.base}/readyz`);
      expect(anonymous.status).toBe(503);
      expect(await anonymous.json()).toEqual({ ready: false });
      const authenticated = await fetch(`${server.base}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(authenticated.status).toBe(503);
      const body = (await authenticated.json()) as { ready: boolean; error: string };
      expect(body.error).toMatch(/invalid_client/);
      expect(JSON.stringify(body)).not.toContain('a-wrong-secret-value');
    } finally {
      await server.stop();
    }
  });

  it('answers repeated calls from a short cache instead of asking Halo each time', async () => {
    const server = await startHttp([], { ...sandboxEnv(sandbox), HALO_CLIENT_SECRET: 'a-wrong-secret-value', HALO_MCP_TOKENS: TOKEN });
    try {
      await sandbox.clearRequests();
      const statuses = await Promise.all(Array.from({ length: 10 }, async () => (await fetch(`${server.base}/readyz`)).status));
      for (let index = 0; index < 10; index++) statuses.push((await fetch(`${server.base}/readyz`)).status);
      expect(new Set(statuses)).toEqual(new Set([503]));
      expect((await sandbox.tokenRequests()).length).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('is not ready when Halo cannot be reached, even while a token is held', async () => {
    const server = await startHttp([], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN });
    try {
      const { client } = await httpClient(server.url, TOKEN);
      expect((await client.callTool({ name: 'halo_get_ticket', arguments: { id: 4, actions: 0 } })).isError).toBeFalsy();
      await client.close();
      await sandbox.faults([{ path: '^/(api|auth)/', status: 503 }]);
      const started = performance.now();
      const ready = await fetch(`${server.base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false });
      // A probe is one attempt: a load balancer's probe has a timeout of its own.
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      await sandbox.clearFaults();
      await server.stop();
    }
  });
});
