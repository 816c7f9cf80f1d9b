/**
 * Replicas behind a load balancer with HALO_REDIS_URL, through the built CLI: a name one replica
 * looked up is served to another from Redis, and a sign-in started on one, finished on another
 * and redeemed on a third works on all of them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, INITIALIZE, post, startHttp, type HttpServer } from '../helpers/http.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { freePort } from '../helpers/ports.js';

const STATIC_TOKEN = 'static-token-0123456789abcdef';
const CLIENT_REDIRECT = 'http://127.0.0.1:9/callback';
const manual = { redirect: 'manual' } as const;

let sandbox: TestSandbox;
let redis: TestRedis;
let replicas: HttpServer[] = [];
/** The public URL every replica names as its own, as behind a load balancer: the first replica's. */
let publicUrl: string;

/** The same URL on another replica: what the load balancer does when it routes a request there. */
function on(replica: HttpServer, url: string): string {
  const moved = new URL(url);
  const base = new URL(replica.base);
  moved.host = base.host;
  return String(moved);
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 100) {
    if (waited > 10_000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function lookupStatuses(replica: HttpServer, token: string): Promise<void> {
  const { client } = await httpClient(replica.url, token);
  try {
    const answer = await client.callTool({ name: 'halo_lookup', arguments: { kind: 'statuses' } });
    expect(answer.isError).toBeFalsy();
    expect(JSON.stringify(answer.structuredContent)).toContain('Waiting on Customer');
  } finally {
    await client.close();
  }
}

/** Which replica the load balancer sends each step of a sign-in to. */
interface Route {
  register: HttpServer;
  authorize: HttpServer;
  consent: HttpServer;
  callback: HttpServer;
  token: HttpServer;
}

/** Sam signs in through a hand-registered client, each step on the replica the route names: the tokens, and a way to present the code again. */
async function signIn(route: Route): Promise<{ tokens: { access_token: string; refresh_token: string }; redeem: (replica: HttpServer) => Promise<Response> }> {
  const registered = await fetch(`${route.register.base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Replica-hopping client', redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: 'none' }),
  });
  expect(registered.status).toBe(201);
  const clientId = ((await registered.json()) as { client_id: string }).client_id;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const params = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CLIENT_REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'hop', resource: `${publicUrl}/mcp` });

  const consentPage = await fetch(`${route.authorize.base}/authorize?${params.toString()}`, manual);
  expect(consentPage.status).toBe(200);
  const consent = /name="consent" value="([^"]+)"/.exec(await consentPage.text())?.[1] ?? '';
  const toHalo = await fetch(`${route.consent.base}/authorize`, { method: 'POST', body: new URLSearchParams({ consent, decision: 'allow' }), ...manual });
  expect(toHalo.status).toBe(302);
  const haloPage = await fetch(toHalo.headers.get('location') ?? '', manual);
  const form = new URLSearchParams();
  for (const [, name = '', value = ''] of (await haloPage.text()).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(name, value.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code))));
  form.set('username', 'sam.patel@northbeam-it.example');
  form.set('password', 'halo-demo');
  const signedIn = await fetch(`${sandbox.url}/auth/authorize`, { method: 'POST', body: form, ...manual });
  expect(signedIn.status).toBe(302);
  // Halo sends the browser to the public URL's callback; the load balancer routes it where the route says.
  const callback = await fetch(on(route.callback, signedIn.headers.get('location') ?? ''), manual);
  expect(callback.status).toBe(302);
  const code = new URL(callback.headers.get('location') ?? '').searchParams.get('code') ?? '';
  expect(code).not.toBe('');
  const redeem = (replica: HttpServer): Promise<Response> =>
    fetch(`${replica.base}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CLIENT_REDIRECT, client_id: clientId, code, code_verifier: verifier }) });
  const redeemed = await redeem(route.token);
  expect(redeemed.status).toBe(200);
  return { tokens: (await redeemed.json()) as { access_token: string; refresh_token: string }, redeem };
}

beforeAll(async () => {
  [sandbox, redis] = await Promise.all([startTestSandbox({ redirectUris: ['http://127.0.0.1:1/oauth/callback'] }), startRedis()]);
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  publicUrl = `http://127.0.0.1:${ports[0]}`;
  replicas = await Promise.all(
    ports.map((port) =>
      startHttp(['--oauth', '--port', String(port), '--toolsets', 'core'], {
        HALO_URL: sandbox.url,
        HALO_CLIENT_ID: sandbox.clientId,
        HALO_CLIENT_SECRET: sandbox.clientSecret,
        HALO_RATE_LIMIT: 'off',
        HALO_LOGIN_CLIENT_ID: sandbox.loginClientId,
        HALO_PUBLIC_URL: publicUrl,
        HALO_TOKEN_KEY: 'a'.repeat(64),
        HALO_MCP_TOKENS: `desk=${STATIC_TOKEN}`,
        HALO_REDIS_URL: redis.url,
      }),
    ),
  );
}, 30_000);

afterAll(async () => {
  for (const replica of replicas) expect(await replica.stop()).toBe(0);
  await Promise.all([sandbox.close(), redis.close()]);
});

describe('replicas sharing Redis', () => {
  it('serve a reference list one replica looked up to the others from Redis, without asking Halo again', async () => {
    await sandbox.clearRequests();
    for (const replica of replicas) await lookupStatuses(replica, STATIC_TOKEN);
    expect(await sandbox.apiRequests('GET', /^\/api\/status$/i)).toHaveLength(1);
  });

  it('complete a sign-in that hops replicas (authorize on one, Halo\'s callback on another, the token on a third) and honour it on each', async () => {
    const [a, b, c] = replicas as [HttpServer, HttpServer, HttpServer];
    const { tokens, redeem } = await signIn({ register: a, authorize: b, consent: c, callback: b, token: c });
    // Sam's lookups are Sam's: the first asks Halo as Sam, the other replicas read it from Redis.
    await sandbox.clearRequests();
    for (const replica of replicas) await lookupStatuses(replica, tokens.access_token);
    expect(await sandbox.apiRequests('GET', /^\/api\/status$/i)).toHaveLength(1);

    // The code was spent on C: replayed on A, it is refused and revokes what it issued, on every replica.
    expect((await redeem(a)).status).toBe(400);
    const revoked = await post(b.url, INITIALIZE, { authorization: `Bearer ${tokens.access_token}` });
    await revoked.body?.cancel();
    expect(revoked.status).toBe(401);
  });

  it('while Redis is down, keep serving a sign-in to the replica that has seen it, and answer what needs Redis with 503', async () => {
    const [a, b] = replicas as [HttpServer, HttpServer, HttpServer];
    const { tokens } = await signIn({ register: a, authorize: a, consent: a, callback: a, token: a });
    await lookupStatuses(a, tokens.access_token);
    const connections = (replica: HttpServer): number => replica.stderr().split('Redis connected').length;
    const before = replicas.map(connections);
    await redis.stop();
    try {
      await until(() => replicas.every((replica) => replica.stderr().includes('Redis connection lost')));
      await lookupStatuses(a, tokens.access_token);
      const unseen = await post(b.url, INITIALIZE, { authorization: `Bearer ${tokens.access_token}` });
      await unseen.body?.cancel();
      expect(unseen.status).toBe(503);
      const registration = await fetch(`${a.base}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: 'none' }) });
      expect(registration.status).toBe(503);
      expect(await registration.json()).toMatchObject({ error: 'temporarily_unavailable' });
      // The static token needs no store, and the application's lookups carry on from each replica's own copies and Halo.
      await lookupStatuses(b, STATIC_TOKEN);
    } finally {
      await redis.start();
      await until(() => replicas.every((replica, index) => connections(replica) > (before[index] ?? 0)));
    }
  });
});
