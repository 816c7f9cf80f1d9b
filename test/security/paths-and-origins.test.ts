/**
 * Edges of the HTTP transport's front door: a malformed path answered 500 with a stack in the log;
 * the Origin check refused the origin a browser on the server's own loopback address sends (the
 * MCP conformance suite's DNS-rebinding scenario failed 1 of 2), and neither 403 said which setting
 * would allow an origin or a host.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIALIZE, post, sandboxEnv, startHttp, type HttpServer } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

const TOKEN = 'edges-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };

const sandbox = useSandbox();
let server: HttpServer;

/** A POST with a Host header of our choosing, which fetch does not allow. */
function postWithHost(url: string, host: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(INITIALIZE));
  });
}

beforeAll(async () => {
  server = await startHttp([], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN });
});
afterAll(async () => {
  await server.stop();
});

describe('a path that is not valid percent-encoding', () => {
  it('answers 400 and logs no stack', async () => {
    for (const path of ['/mcp/%zz', '/mcp/%E0%A4%A']) {
      const response = await fetch(`${server.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(INITIALIZE) });
      expect(response.status, path).toBe(400);
    }
    expect(server.stderr()).not.toMatch(/URIError|\n\s+at /);
    expect(server.stderr()).not.toContain('HTTP request failed');
  });
});

describe('Origin and Host', () => {
  it("accepts the origin a browser on the server's own loopback address sends", async () => {
    const own = new URL(server.url).origin;
    const response = await post(server.url, INITIALIZE, { ...auth, origin: own });
    expect(response.status).toBe(200);
  });

  it('refuses another origin and another Host, naming the setting that allows each', async () => {
    const port = new URL(server.url).port;
    const origin = await post(server.url, INITIALIZE, { ...auth, origin: `http://evil.example:${port}` });
    expect(origin.status).toBe(403);
    expect(await origin.text()).toMatch(/HALO_MCP_ALLOWED_ORIGINS/);
    // DNS rebinding: the page's own origin, but a Host the server does not answer to.
    const host = await postWithHost(server.url, `evil.example:${port}`, { ...auth, origin: `http://evil.example:${port}` });
    expect(host.status).toBe(403);
    expect(host.body).toMatch(/HALO_MCP_ALLOWED_HOSTS/);
  });
});

describe("the MCP conformance suite's DNS-rebinding scenario", () => {
  // modelcontextprotocol/conformance src/scenarios/server/dns-rebinding.ts: a local server without
  // tokens, Host and Origin both set, first to an attacker's name, then to the server's own host.
  it('passes both checks: refuses the attacker, accepts the server itself', async () => {
    const local = await startHttp([], sandboxEnv(sandbox));
    try {
      const own = new URL(local.url).host;
      const attacker = await postWithHost(local.url, 'evil.example.com', { origin: 'http://evil.example.com' });
      expect(attacker.status).toBeGreaterThanOrEqual(400);
      expect(attacker.status).toBeLessThan(500);
      const valid = await postWithHost(local.url, own, { origin: `http://${own}` });
      expect(valid.status).toBe(200);
    } finally {
      await local.stop();
    }
  });
});
