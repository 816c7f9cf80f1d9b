/**
 * Gateway mode fetches the Halo a caller names in X-Halo-Url and X-Halo-Auth-Url. Without an
 * allow-list that is a server-side request forgery: any caller with a token could make the server
 * connect to any host and port (port scans, cloud metadata, internal services) and read back what
 * those answered. These tests replay that against the built server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIALIZE, gatewayHeaders, httpClient, post, startHttp, type HttpServer } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

const TOKEN = 'gateway-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };
const BANNER = 'INTERNAL-ONLY: redis 7.2 on build-03';

const sandbox = useSandbox();
/** A service inside the network that no caller should reach through the gateway. */
let internal: Server;
let internalHits = 0;
let internalUrl: string;

function haloHeaders(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...gatewayHeaders(sandbox, sandbox.clientSecret, url), ...extra };
}

beforeAll(async () => {
  internal = createServer((request, response) => {
    internalHits++;
    request.resume();
    response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: BANNER, error_description: BANNER }));
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => internal.close(resolve));
});

describe('with the default allow-list (Halo-hosted domains only)', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttp(['--gateway'], { HALO_MCP_TOKENS: TOKEN, HALO_RATE_LIMIT: 'off' });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('refuses an internal service before connecting to it, names the setting that allows a host, and relays none of its text', async () => {
    internalHits = 0;
    const response = await post(server.url, INITIALIZE, { ...auth, ...haloHeaders(internalUrl) });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).toMatch(/not allowed/);
    expect(text).toMatch(/HALO_GATEWAY_ALLOWED_HOSTS/);
    expect(text).not.toContain(BANNER);
    expect(internalHits).toBe(0);
  });

  it('refuses every port of a loopback address, so nothing can be scanned', async () => {
    await sandbox.clearRequests();
    for (const port of [22, 6379, new URL(sandbox.url).port]) {
      const response = await post(server.url, INITIALIZE, { ...auth, ...haloHeaders(`https://127.0.0.1:${port}`) });
      expect(response.status, `port ${port}`).toBe(400);
    }
    expect(await sandbox.requests()).toEqual([]);
  });

  it('refuses link-local and private addresses, however they are written', async () => {
    for (const url of ['https://169.254.169.254', 'https://10.0.0.8', 'https://[::1]', 'https://0x7f.1', 'https://[::ffff:127.0.0.1]']) {
      const response = await post(server.url, INITIALIZE, { ...auth, ...haloHeaders(url) });
      expect(response.status, url).toBe(400);
    }
  });
});

describe('with an allow-list', () => {
  let server: HttpServer;
  beforeAll(async () => {
    // The sandbox listed by name with its port: http is allowed only for a host listed so.
    server = await startHttp(['--gateway'], { HALO_MCP_TOKENS: TOKEN, HALO_RATE_LIMIT: 'off', HALO_GATEWAY_ALLOWED_HOSTS: `*.halopsa.com, ${new URL(sandbox.url).host}` });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('refuses an auth URL on another host than the Halo', async () => {
    const response = await post(server.url, INITIALIZE, { ...auth, ...haloHeaders(sandbox.url, { 'x-halo-auth-url': 'http://169.254.169.254/latest/meta-data' }) });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/X-Halo-Auth-Url/);
  });

  it('refuses another port of a listed host', async () => {
    const response = await post(server.url, INITIALIZE, { ...auth, ...haloHeaders(internalUrl) });
    expect(response.status).toBe(400);
  });

  it('takes only https from a host a wildcard admits', async () => {
    const response = await post(server.url, INITIALIZE, { ...auth, ...haloHeaders('http://acme.halopsa.com') });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/https/);
  });

  it('serves a listed host', async () => {
    const { client } = await httpClient(server.url, TOKEN, { headers: haloHeaders(sandbox.url) });
    try {
      const who = (await client.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Record<string, unknown>;
      expect(who.connected).toBe(true);
    } finally {
      await client.close();
    }
  });
});

describe('a name a wildcard admits that resolves to a private address', () => {
  it('is refused at the address actually connected to, so DNS cannot point it inside', async () => {
    // "*" admits any name; "localhost" is a name that resolves to a loopback address.
    const server = await startHttp(['--gateway'], { HALO_MCP_TOKENS: TOKEN, HALO_RATE_LIMIT: 'off', HALO_GATEWAY_ALLOWED_HOSTS: '*' });
    try {
      const { client } = await httpClient(server.url, TOKEN, { headers: haloHeaders('https://localhost') });
      const started = performance.now();
      const who = (await client.callTool({ name: 'halo_whoami', arguments: {} })).structuredContent as Record<string, unknown>;
      await client.close();
      expect(who.connected).toBe(false);
      expect(String(who.error)).toMatch(/private address/);
      expect(String(who.error)).toMatch(/HALO_GATEWAY_ALLOWED_HOSTS/);
      // Refused once, not retried like a network hiccup.
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await server.stop();
    }
  });
});
