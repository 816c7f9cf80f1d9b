/**
 * --oauth through the built CLI: the MCP SDK's own OAuth client discovers the server, registers,
 * is sent through our consent page and the sandbox's Halo sign-in page, and then acts in Halo as
 * the technician who signed in. The refusals are driven by hand, step by step.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpClient, post, INITIALIZE, startHttp, type HttpServer } from '../helpers/http.js';
import { MemoryOAuthProvider } from '../helpers/oauth.js';
import { call, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { freePort } from '../helpers/ports.js';

type Json = Record<string, unknown>;

const STATIC_TOKEN = 'static-token-0123456789abcdef';
const TOKEN_KEY = 'a'.repeat(64);
const SAM = 'sam.patel@northbeam-it.example';
const CLIENT_REDIRECT = 'http://127.0.0.1:9/callback';

let sandbox: TestSandbox;
let server: HttpServer;
let auditLog: string;
let samId: number;

/** Starts `--http --oauth` at a public URL of its own port, signing technicians in to the sandbox. */
async function startOAuthServer(extra: Record<string, string> = {}, args: string[] = []): Promise<HttpServer> {
  const port = await freePort();
  return startHttp(['--oauth', '--port', String(port), '--toolsets', 'core,tickets', ...args], {
    HALO_URL: sandbox.url,
    HALO_CLIENT_ID: sandbox.clientId,
    HALO_CLIENT_SECRET: sandbox.clientSecret,
    HALO_RATE_LIMIT: 'off',
    HALO_LOGIN_CLIENT_ID: sandbox.loginClientId,
    HALO_PUBLIC_URL: `http://127.0.0.1:${port}`,
    HALO_TOKEN_KEY: TOKEN_KEY,
    ...extra,
  });
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const manual = { redirect: 'manual' } as const;

function hiddenFields(html: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const [, name = '', value = ''] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(name, value.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code))));
  }
  return fields;
}

/**
 * What a browser does from our /authorize to the client's redirect URI: the consent page (allowed),
 * Halo's sign-in page (filled in), our callback. Answers the last response that is not a redirect
 * to one of those steps, with where it pointed.
 */
async function browse(authorizeUrl: string, { password = 'halo-demo', username = SAM } = {}): Promise<{ response: Response; location: URL | undefined }> {
  const consentPage = await fetch(authorizeUrl, manual);
  expect(consentPage.status).toBe(200);
  const html = await consentPage.text();
  expect(html).toContain('acts in Halo as you');
  const consent = /name="consent" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const toHalo = await fetch(new URL('/authorize', authorizeUrl), { method: 'POST', body: new URLSearchParams({ consent, decision: 'allow' }), ...manual });
  expect(toHalo.status).toBe(302);
  const haloPage = await fetch(toHalo.headers.get('location') ?? '', manual);
  expect(haloPage.status).toBe(200);
  const form = hiddenFields(await haloPage.text());
  form.set('username', username);
  form.set('password', password);
  const signedIn = await fetch(`${sandbox.url}/auth/authorize`, { method: 'POST', body: form, ...manual });
  if (signedIn.status !== 302) return { response: signedIn, location: undefined };
  const callback = await fetch(signedIn.headers.get('location') ?? '', manual);
  const location = callback.headers.get('location');
  return { response: callback, location: location ? new URL(location) : undefined };
}

/** A client registered by hand, public (token_endpoint_auth_method none). */
async function register(base: string, redirectUri = CLIENT_REDIRECT): Promise<string> {
  const answer = await fetch(`${base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Hand-driven client', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }),
  });
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { client_id: string }).client_id;
}

function authorizeUrl(base: string, clientId: string, challenge: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CLIENT_REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'client-state', resource: `${base}/mcp`, ...extra });
  return `${base}/authorize?${params.toString()}`;
}

/** Signs Sam in through a hand-registered client: the code and what it takes to redeem it. */
async function codeFor(base: string): Promise<{ clientId: string; code: string; verifier: string }> {
  const clientId = await register(base);
  const { verifier, challenge } = pkce();
  const { location } = await browse(authorizeUrl(base, clientId, challenge));
  expect(location?.searchParams.get('state')).toBe('client-state');
  expect(location?.searchParams.get('iss')).toBe(base);
  return { clientId, code: location?.searchParams.get('code') ?? '', verifier };
}

function redeem(base: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${base}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CLIENT_REDIRECT, ...form }) });
}

/** An MCP request with a bearer token: its status and challenge. */
async function mcpWith(base: string, token: string): Promise<{ status: number; challenge: string | null }> {
  const answer = await post(`${base}/mcp`, INITIALIZE, { authorization: `Bearer ${token}` });
  await answer.body?.cancel();
  return { status: answer.status, challenge: answer.headers.get('www-authenticate') };
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ redirectUris: ['http://127.0.0.1:1/oauth/callback'] });
  const agents = await call(sandbox, await sandbox.token(), 'GET', '/Agent');
  samId = (agents.body as { id: number; name: string }[]).find((agent) => agent.name === 'Sam Patel')?.id ?? 0;
  auditLog = join(mkdtempSync(join(tmpdir(), 'halo-oauth-')), 'audit.jsonl');
  server = await startOAuthServer({ HALO_MCP_TOKENS: `desk=${STATIC_TOKEN}` }, ['--audit-log', auditLog]);
});

afterAll(async () => {
  expect(await server.stop()).toBe(0);
  // After every sign-in, refusal and refresh above: no token Halo issued reached the server's log or its audit log.
  const issued = await sandbox.issuedTokens();
  expect(issued.length).toBeGreaterThan(3);
  const written = `${server.stderr()}\n${readFileSync(auditLog, 'utf8')}`;
  expect(issued.filter((token) => written.includes(token))).toEqual([]);
  await sandbox.close();
});

describe('signing in with the MCP SDK client', () => {
  it('discovers, registers, signs in through consent and Halo, and acts in Halo as the technician', async () => {
    const provider = new MemoryOAuthProvider(CLIENT_REDIRECT, 'SDK e2e client');
    const first = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider });
    await expect(new Client({ name: 'oauth-e2e', version: '1' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    const { location } = await browse(String(provider.authorizationUrl));
    // The callback's parameters: the code, and `iss` (RFC 9207), which the SDK checks against the issuer it discovered.
    await first.finishAuth(location?.searchParams ?? new URLSearchParams());

    const client = new Client({ name: 'oauth-e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }));
    try {
      await sandbox.clearRequests();
      const mine = await client.callTool({ name: 'halo_search_tickets', arguments: { agent: 'me', limit: 5 } });
      expect(mine.isError).toBeFalsy();
      const searches = await sandbox.apiRequests('GET', /^\/api\/Tickets$/i);
      expect(searches.at(-1)).toMatchObject({ agent_id: samId });
      expect(JSON.stringify(searches.at(-1))).toContain(`"agent_id":"${samId}"`);
      const items = (mine.structuredContent as { items: { id: number }[] }).items;
      expect(items.length).toBeGreaterThan(0);

      const noted = await client.callTool({ name: 'halo_add_note', arguments: { ticket_id: items[0]?.id, note: 'Checked by Sam through --oauth.' } });
      expect(noted.isError).toBeFalsy();
      const writes = await sandbox.apiRequests('POST', /^\/api\/Actions$/i);
      expect(writes.at(-1)).toMatchObject({ agent_id: samId });
    } finally {
      await client.close();
    }
    const line = await vi.waitFor(() => {
      const last = readFileSync(auditLog, 'utf8').trim().split('\n').at(-1) ?? '';
      expect(last).toContain('halo_add_note');
      return JSON.parse(last) as Json;
    });
    expect(line).toMatchObject({ token: expect.stringMatching(/^sign-in:/) as string, mcp_client: expect.stringMatching(/^mcp-/) as string, halo_agent: { id: samId, name: 'Sam Patel' } });
  });

  it('keeps serving static tokens beside sign-ins, as the API application', async () => {
    const { client } = await httpClient(server.url, STATIC_TOKEN);
    try {
      const result = await client.callTool({ name: 'halo_get_ticket', arguments: { id: 4 } });
      expect((result.structuredContent as Json).id).toBe(4);
    } finally {
      await client.close();
    }
  });
});

describe('refusals', () => {
  it('takes the consent form only from this server\'s own page: a forged post from elsewhere, or from an opaque origin, changes nothing', async () => {
    const clientId = await register(server.base);
    const consentPage = await fetch(authorizeUrl(server.base, clientId, pkce().challenge), manual);
    const consent = /name="consent" value="([^"]+)"/.exec(await consentPage.text())?.[1] ?? '';
    for (const origin of ['https://attacker.example', 'null']) {
      const forged = await fetch(`${server.base}/authorize`, { method: 'POST', headers: { origin }, body: new URLSearchParams({ consent, decision: 'allow' }), ...manual });
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain('did not come from this server');
    }
    // The person's own answer still goes on to Halo: the forgeries spent nothing.
    const own = await fetch(`${server.base}/authorize`, { method: 'POST', headers: { origin: server.base }, body: new URLSearchParams({ consent, decision: 'allow' }), ...manual });
    expect(own.status).toBe(302);
    expect(own.headers.get('location')).toContain(`${sandbox.url}/auth/authorize?`);
  });

  it('answers a request without a token with 401 and the resource metadata to sign in by', async () => {
    const answer = await post(server.url, INITIALIZE);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain(`resource_metadata="${server.base}/.well-known/oauth-protected-resource/mcp"`);
    const metadata = (await (await fetch(`${server.base}/.well-known/oauth-protected-resource/mcp`)).json()) as Json;
    expect(metadata).toMatchObject({ resource: `${server.base}/mcp`, authorization_servers: [server.base] });
    const issuer = (await (await fetch(`${server.base}/.well-known/oauth-authorization-server`)).json()) as Json;
    expect(issuer).toMatchObject({ issuer: server.base, code_challenge_methods_supported: ['S256'], client_id_metadata_document_supported: true });
  });

  it('leaves a wrong password on Halo\'s page, with no code', async () => {
    const clientId = await register(server.base);
    const { response, location } = await browse(authorizeUrl(server.base, clientId, pkce().challenge), { password: 'not-the-password' });
    expect(response.status).toBe(200);
    expect(location).toBeUndefined();
  });

  it('refuses a redirect URI the client did not register with a page, never a redirect', async () => {
    const clientId = await register(server.base);
    const answer = await fetch(authorizeUrl(server.base, clientId, pkce().challenge, { redirect_uri: 'https://attacker.example/steal' }), manual);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('location')).toBeNull();
    expect(answer.headers.get('content-type')).toContain('text/html');
  });

  it('sends a request for another resource back with invalid_target', async () => {
    const clientId = await register(server.base);
    const answer = await fetch(authorizeUrl(server.base, clientId, pkce().challenge, { resource: 'https://other.example/mcp' }), manual);
    expect(answer.status).toBe(302);
    expect(new URL(answer.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_target');
  });

  it('refuses a code with the wrong PKCE verifier', async () => {
    const { clientId, code } = await codeFor(server.base);
    const answer = await redeem(server.base, { client_id: clientId, code, code_verifier: pkce().verifier });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a replayed code, and revokes the tokens its first use got', async () => {
    const { clientId, code, verifier } = await codeFor(server.base);
    const first = await redeem(server.base, { client_id: clientId, code, code_verifier: verifier });
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as { access_token: string };
    expect((await mcpWith(server.base, tokens.access_token)).status).toBe(200);
    const again = await redeem(server.base, { client_id: clientId, code, code_verifier: verifier });
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await mcpWith(server.base, tokens.access_token)).status).toBe(401);
  });

  it('refuses a revoked token with 401 and the resource metadata', async () => {
    const { clientId, code, verifier } = await codeFor(server.base);
    const tokens = (await (await redeem(server.base, { client_id: clientId, code, code_verifier: verifier })).json()) as { access_token: string };
    const revoked = await fetch(`${server.base}/revoke`, { method: 'POST', body: new URLSearchParams({ client_id: clientId, token: tokens.access_token }) });
    expect(revoked.status).toBe(200);
    const refused = await mcpWith(server.base, tokens.access_token);
    expect(refused.status).toBe(401);
    expect(refused.challenge).toContain('resource_metadata=');
  });

  it('rotates refresh tokens, and a rotated one presented again revokes its family', async () => {
    const { clientId, code, verifier } = await codeFor(server.base);
    const tokens = (await (await redeem(server.base, { client_id: clientId, code, code_verifier: verifier })).json()) as { refresh_token: string };
    const refresh = (token: string): Promise<Response> => fetch(`${server.base}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: token }) });
    const rotated = (await (await refresh(tokens.refresh_token)).json()) as { access_token: string; refresh_token: string };
    expect((await mcpWith(server.base, rotated.access_token)).status).toBe(200);
    expect(await (await refresh(tokens.refresh_token)).json()).toMatchObject({ error: 'invalid_grant' });
    expect((await mcpWith(server.base, rotated.access_token)).status).toBe(401);
  });
});

describe('Client ID Metadata Documents', () => {
  let documents: Server;
  let documentUrl: string;
  beforeAll(async () => {
    documents = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ client_id: documentUrl, client_name: 'Documented client', redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: 'none' }));
    });
    await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
    documentUrl = `http://127.0.0.1:${(documents.address() as AddressInfo).port}/client.json`;
  });
  afterAll(() => new Promise<void>((resolve) => documents.close(() => resolve())));

  it('signs in a client named by the URL of its metadata document', async () => {
    const { verifier, challenge } = pkce();
    const page = await fetch(authorizeUrl(server.base, documentUrl, challenge), manual);
    expect(await page.text()).toContain('Documented client');
    const { location } = await browse(authorizeUrl(server.base, documentUrl, challenge));
    const answer = await redeem(server.base, { client_id: documentUrl, code: location?.searchParams.get('code') ?? '', code_verifier: verifier });
    expect(answer.status).toBe(200);
    const tokens = (await answer.json()) as { access_token: string };
    expect((await mcpWith(server.base, tokens.access_token)).status).toBe(200);
  });
});

describe('access token lifetime', () => {
  it('refuses an expired access token with 401 and the resource metadata', async () => {
    const shortLived = await startOAuthServer({ HALO_MCP_ACCESS_TOKEN_SECONDS: '1' });
    try {
      const { clientId, code, verifier } = await codeFor(shortLived.base);
      const tokens = (await (await redeem(shortLived.base, { client_id: clientId, code, code_verifier: verifier })).json()) as { access_token: string; expires_in: number };
      expect(tokens.expires_in).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const refused = await mcpWith(shortLived.base, tokens.access_token);
      expect(refused.status).toBe(401);
      expect(refused.challenge).toContain(`resource_metadata="${shortLived.base}/.well-known/oauth-protected-resource/mcp"`);
    } finally {
      await shortLived.stop();
    }
  });
});
