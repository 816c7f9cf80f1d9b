/**
 * A technician's sign-in, as the sandbox emulates Halo's: the authorization code flow with PKCE
 * through the sign-in form, refresh tokens that rotate, revocation, the ID token that names the
 * agent, and API calls that act as the agent who signed in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/setup.js';

type Json = Record<string, unknown>;

const sandbox = useSandbox();

const REDIRECT_URI = 'http://127.0.0.1:8400/callback';
const JANE = 'jane.doe@northbeam-it.example';
/** Restricted to the Infrastructure team's tickets. */
const TOM = 'tom.becker@northbeam-it.example';

interface Pkce {
  verifier: string;
  challenge: string;
}

function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeParams(target: TestSandbox, challenge: string, overrides: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    response_type: 'code',
    client_id: target.loginClientId,
    redirect_uri: REDIRECT_URI,
    scope: 'all offline_access',
    state: 'state-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  });
}

const openPage = (target: TestSandbox, params: URLSearchParams): Promise<Response> =>
  fetch(`${target.url}/auth/authorize?${params.toString()}`, { redirect: 'manual' });

/** The hidden fields of the sign-in form, as a browser would send them back. */
function hiddenFields(html: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const [, name = '', value = ''] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(name, value.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code))));
  }
  return fields;
}

const submitForm = (target: TestSandbox, form: URLSearchParams): Promise<Response> =>
  fetch(`${target.url}/auth/authorize`, { method: 'POST', body: form, redirect: 'manual' });

/** Opens the sign-in page, fills it in and sends it: the answer is the form's. */
async function signIn(target: TestSandbox, { username = JANE, password = target.demoPassword, challenge = pkce().challenge, overrides = {} } = {}): Promise<Response> {
  const page = await openPage(target, authorizeParams(target, challenge, overrides));
  expect(page.status).toBe(200);
  const form = hiddenFields(await page.text());
  form.set('username', username);
  form.set('password', password);
  return submitForm(target, form);
}

/** The code a successful sign-in sends the browser back with. */
async function codeFor(target: TestSandbox, challenge: string, username = JANE, overrides: Record<string, string> = {}): Promise<string> {
  const answer = await signIn(target, { username, challenge, overrides });
  expect(answer.status).toBe(302);
  const location = new URL(answer.headers.get('location') ?? '');
  expect(location.searchParams.get('state')).toBe('state-123');
  return location.searchParams.get('code') ?? '';
}

function tokenRequest(target: TestSandbox, form: Record<string, string>): Promise<Response> {
  return fetch(`${target.url}/auth/token`, { method: 'POST', body: new URLSearchParams(form) });
}

const exchange = (target: TestSandbox, code: string, verifier: string, extra: Record<string, string> = {}): Promise<Response> =>
  tokenRequest(target, { grant_type: 'authorization_code', client_id: target.loginClientId, code, redirect_uri: REDIRECT_URI, code_verifier: verifier, ...extra });

const refresh = (target: TestSandbox, refreshToken: string, extra: Record<string, string> = {}): Promise<Response> =>
  tokenRequest(target, { grant_type: 'refresh_token', client_id: target.loginClientId, refresh_token: refreshToken, ...extra });

interface Tokens {
  access_token: string;
  refresh_token?: string;
  id_token: string;
  scope?: string;
  token_type: string;
  expires_in: number;
}

/** Signs an agent in all the way to its tokens. */
async function tokensFor(target: TestSandbox, username = JANE, overrides: Record<string, string> = {}): Promise<Tokens> {
  const { verifier, challenge } = pkce();
  const response = await exchange(target, await codeFor(target, challenge, username, overrides), verifier);
  expect(response.status).toBe(200);
  return (await response.json()) as Tokens;
}

function decodeJwt(token: string): { header: Json; claims: Json } {
  const [header = '', claims = ''] = token.split('.');
  const decode = (part: string): Json => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Json;
  return { header: decode(header), claims: decode(claims) };
}

async function errorOf(response: Response): Promise<[number, unknown]> {
  return [response.status, await response.json()];
}

const signIns = async (target: TestSandbox): Promise<Json[]> =>
  ((await (await fetch(`${target.url}/_sandbox/signins`)).json()) as { signins: Json[] }).signins;

describe('the sign-in page', () => {
  it('shows a form that carries the request, labels its fields and escapes what the request said', async () => {
    const response = await openPage(sandbox, authorizeParams(sandbox, pkce().challenge, { state: '"><script>alert(1)</script>' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<form method="post" action="/auth/authorize">');
    expect(html).toMatch(/<label for="username">[^<]+<\/label>\s*<input id="username" name="username"/);
    expect(html).toMatch(/<label for="password">[^<]+<\/label>\s*<input id="password" name="password" type="password"/);
    expect(html).toContain('<button id="signin" type="submit">');
    expect(html).toMatch(/<button name="cancel"/);
    expect(html).not.toContain('<script>');
    expect(hiddenFields(html).get('state')).toBe('"><script>alert(1)</script>');
  });

  it('refuses an unknown application or an unregistered redirect URI on a page, never redirecting there', async () => {
    const { challenge } = pkce();
    const refused: Record<string, string>[] = [{ client_id: 'someone-else' }, { redirect_uri: 'https://evil.example/callback' }, { redirect_uri: 'http://127.0.0.1:8400/elsewhere' }];
    for (const overrides of refused) {
      const response = await openPage(sandbox, authorizeParams(sandbox, challenge, overrides));
      expect(response.status, JSON.stringify(overrides)).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toMatch(/not registered|No application/);
    }
  });

  it('sends other problems back to the application with error and state: plain PKCE, no challenge, another response type, an unknown scope', async () => {
    const { challenge } = pkce();
    const cases: [Record<string, string>, string][] = [
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'all read:actions' }, 'invalid_scope'],
    ];
    for (const [overrides, error] of cases) {
      const response = await openPage(sandbox, authorizeParams(sandbox, challenge, overrides));
      expect(response.status, error).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('state-123');
      expect(location.searchParams.has('code')).toBe(false);
    }
  });

  it('accepts a registered loopback redirect URI on any port, and other URIs only exactly', async () => {
    const { challenge } = pkce();
    const anyPort = await signIn(sandbox, { challenge, overrides: { redirect_uri: 'http://127.0.0.1:53117/callback' } });
    expect(anyPort.status).toBe(302);
    expect(anyPort.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:53117\/callback\?code=/);
    const hosted = await startTestSandbox({ redirectUris: ['https://app.example/callback'] });
    try {
      const exact = await openPage(hosted, authorizeParams(hosted, challenge, { redirect_uri: 'https://app.example/callback' }));
      expect(exact.status).toBe(200);
      const otherPort = await openPage(hosted, authorizeParams(hosted, challenge, { redirect_uri: 'https://app.example:8443/callback' }));
      expect(otherPort.status).toBe(400);
    } finally {
      await hosted.close();
    }
  });

  it('says a wrong password or a disabled agent is wrong on the page again, keeping the username', async () => {
    for (const [username, password] of [
      [JANE, 'not-the-password'],
      ['chloe.martin@northbeam-it.example', sandbox.demoPassword],
      ['nobody@northbeam-it.example', sandbox.demoPassword],
    ] as const) {
      const response = await signIn(sandbox, { username, password });
      expect(response.status, username).toBe(200);
      expect(response.headers.get('location')).toBeNull();
      const html = await response.text();
      expect(html).toContain('The username or password is incorrect.');
      expect(html).toContain(`value="${username}"`);
    }
  });

  it('signs in by name as well as by email in any case, and Cancel answers access_denied', async () => {
    expect((await signIn(sandbox, { username: 'JANE.DOE@NORTHBEAM-IT.EXAMPLE' })).status).toBe(302);
    expect((await signIn(sandbox, { username: 'Jane Doe' })).status).toBe(302);
    const page = await openPage(sandbox, authorizeParams(sandbox, pkce().challenge));
    const form = hiddenFields(await page.text());
    form.set('cancel', 'true');
    const cancelled = await submitForm(sandbox, form);
    expect(cancelled.status).toBe(302);
    const location = new URL(cancelled.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('checks the sent-back form afresh rather than trusting its hidden fields', async () => {
    const page = await openPage(sandbox, authorizeParams(sandbox, pkce().challenge));
    const form = hiddenFields(await page.text());
    form.set('redirect_uri', 'https://evil.example/callback');
    form.set('username', JANE);
    form.set('password', sandbox.demoPassword);
    const response = await submitForm(sandbox, form);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('the authorization code', () => {
  it('buys the signed-in agent its tokens, with an ID token naming it, and the API then acts as that agent', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(sandbox, challenge);
    const response = await exchange(sandbox, code, verifier);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const tokens = (await response.json()) as Tokens;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'all offline_access' });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const { header, claims } = decodeJwt(tokens.id_token);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(claims).toMatchObject({ iss: `${sandbox.url}/auth`, aud: sandbox.loginClientId, name: 'Jane Doe', email: JANE });
    expect(claims.sub).toBe(String(claims.id));
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    const me = await call(sandbox, tokens.access_token, 'GET', '/Agent/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: claims.id, name: 'Jane Doe' });
    const only = await call(sandbox, tokens.access_token, 'GET', '/Agent?thisagentonly=true');
    expect((only.body as Json[]).map((agent) => agent.id)).toEqual([claims.id]);
  });

  it('gives no refresh token without offline_access', async () => {
    const tokens = await tokensFor(sandbox, JANE, { scope: 'all' });
    expect(tokens.scope).toBe('all');
    expect(tokens).not.toHaveProperty('refresh_token');
    expect(decodeJwt(tokens.id_token).claims.email).toBe(JANE);
  });

  it('refuses a verifier that does not answer the challenge, and a redirect URI other than the code’s', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(sandbox, challenge);
    expect(await errorOf(await exchange(sandbox, code, pkce().verifier))).toEqual([400, { error: 'invalid_grant' }]);
    expect(await errorOf(await exchange(sandbox, code, verifier, { redirect_uri: 'http://localhost:8400/callback' }))).toEqual([400, { error: 'invalid_grant' }]);
    expect(await errorOf(await exchange(sandbox, code, verifier, { client_id: 'someone-else' }))).toEqual([401, { error: 'invalid_client' }]);
  });

  it('works once: a replayed code is refused and revokes every token it bought', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(sandbox, challenge);
    const tokens = (await (await exchange(sandbox, code, verifier)).json()) as Tokens;
    expect((await call(sandbox, tokens.access_token, 'GET', '/Agent/me')).status).toBe(200);
    expect(await errorOf(await exchange(sandbox, code, verifier))).toEqual([400, { error: 'invalid_grant' }]);
    expect((await call(sandbox, tokens.access_token, 'GET', '/Agent/me')).status).toBe(401);
    expect(await errorOf(await refresh(sandbox, tokens.refresh_token ?? ''))).toEqual([400, { error: 'invalid_grant' }]);
  });

  it('expires after authCodeTtlSeconds', async () => {
    const short = await startTestSandbox({ authCodeTtlSeconds: 1 });
    try {
      const { verifier, challenge } = pkce();
      const code = await codeFor(short, challenge);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await errorOf(await exchange(short, code, verifier))).toEqual([400, { error: 'invalid_grant' }]);
    } finally {
      await short.close();
    }
  });

  it('asks a confidential login application for its secret, in the form or by HTTP Basic', async () => {
    const confidential = await startTestSandbox({ loginClientSecret: 'login-secret' });
    try {
      const { verifier, challenge } = pkce();
      const code = await codeFor(confidential, challenge);
      expect(await errorOf(await exchange(confidential, code, verifier))).toEqual([401, { error: 'invalid_client' }]);
      const basic = `Basic ${Buffer.from(`${confidential.loginClientId}:login-secret`).toString('base64')}`;
      const response = await fetch(`${confidential.url}/auth/token`, {
        method: 'POST',
        headers: { authorization: basic },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
      });
      expect(response.status).toBe(200);
      const second = pkce();
      const inForm = await exchange(confidential, await codeFor(confidential, second.challenge), second.verifier, { client_secret: 'login-secret' });
      expect(inForm.status).toBe(200);
    } finally {
      await confidential.close();
    }
  });
});

describe('refresh tokens', () => {
  it('rotate: each refresh answers a new pair for the same agent, and the old refresh token is dead', async () => {
    const first = await tokensFor(sandbox);
    const response = await refresh(sandbox, first.refresh_token ?? '');
    expect(response.status).toBe(200);
    const second = (await response.json()) as Tokens;
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe('all offline_access');
    expect(decodeJwt(second.id_token).claims).toMatchObject({ email: JANE, aud: sandbox.loginClientId });
    expect((await call(sandbox, second.access_token, 'GET', '/Agent/me')).body).toMatchObject({ name: 'Jane Doe' });
    const third = (await (await refresh(sandbox, second.refresh_token ?? '')).json()) as Tokens;
    expect(third.refresh_token).toEqual(expect.any(String));
  });

  it('take their whole sign-in with them when an old one comes back', async () => {
    const first = await tokensFor(sandbox);
    const second = (await (await refresh(sandbox, first.refresh_token ?? '')).json()) as Tokens;
    expect(await errorOf(await refresh(sandbox, first.refresh_token ?? ''))).toEqual([400, { error: 'invalid_grant' }]);
    expect(await errorOf(await refresh(sandbox, second.refresh_token ?? ''))).toEqual([400, { error: 'invalid_grant' }]);
    expect((await call(sandbox, second.access_token, 'GET', '/Agent/me')).status).toBe(401);
  });

  it('may narrow the scopes but not widen them, and only for the login application', async () => {
    const tokens = await tokensFor(sandbox, JANE, { scope: 'read:tickets offline_access' });
    expect(await errorOf(await refresh(sandbox, tokens.refresh_token ?? '', { scope: 'read:tickets edit:tickets' }))).toEqual([400, { error: 'invalid_scope' }]);
    expect(await errorOf(await refresh(sandbox, tokens.refresh_token ?? '', { client_id: sandbox.clientId, client_secret: sandbox.clientSecret }))).toEqual([
      401,
      { error: 'invalid_client' },
    ]);
    const narrowed = (await (await refresh(sandbox, tokens.refresh_token ?? '', { scope: 'read:tickets' })).json()) as Tokens;
    expect(narrowed.scope).toBe('read:tickets');
    expect((await call(sandbox, narrowed.access_token, 'GET', '/Tickets?count=1')).status).toBe(200);
    expect((await call(sandbox, narrowed.access_token, 'POST', '/Actions', [{ ticket_id: 1, note: 'x', outcome: 'Private Note' }])).status).toBe(401);
  });

  it('expire refreshTokenTtlSeconds after the sign-in', async () => {
    const short = await startTestSandbox({ refreshTokenTtlSeconds: 1 });
    try {
      const tokens = await tokensFor(short);
      expect(await signIns(short)).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await errorOf(await refresh(short, tokens.refresh_token ?? ''))).toEqual([400, { error: 'invalid_grant' }]);
      expect(await signIns(short)).toEqual([]);
    } finally {
      await short.close();
    }
  });
});

describe('revocation', () => {
  const revoke = (form: Record<string, string>): Promise<Response> => fetch(`${sandbox.url}/auth/revoke`, { method: 'POST', body: new URLSearchParams(form) });

  it('ends a sign-in by its refresh token, access tokens included, and the admin API lists it no more', async () => {
    const tokens = await tokensFor(sandbox, 'marcus.lee@northbeam-it.example');
    const marcusId = Number(decodeJwt(tokens.id_token).claims.id);
    const live = await signIns(sandbox);
    expect(live).toContainEqual(expect.objectContaining({ agent_id: marcusId, client_id: sandbox.loginClientId, scopes: ['all', 'offline_access'] }));
    expect(JSON.stringify(live)).not.toContain(tokens.refresh_token);
    const response = await revoke({ token: tokens.refresh_token ?? '', token_type_hint: 'refresh_token', client_id: sandbox.loginClientId });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect((await signIns(sandbox)).filter((signIn) => signIn.agent_id === marcusId)).toEqual([]);
    expect((await call(sandbox, tokens.access_token, 'GET', '/Agent/me')).status).toBe(401);
    expect(await errorOf(await refresh(sandbox, tokens.refresh_token ?? ''))).toEqual([400, { error: 'invalid_grant' }]);
  });

  it('ends an access token alone, answers 200 for a token it does not know, and refuses an unknown client', async () => {
    const tokens = await tokensFor(sandbox);
    expect((await revoke({ token: tokens.access_token, client_id: sandbox.loginClientId })).status).toBe(200);
    expect((await call(sandbox, tokens.access_token, 'GET', '/Agent/me')).status).toBe(401);
    expect((await refresh(sandbox, tokens.refresh_token ?? '')).status).toBe(200);
    expect((await revoke({ token: 'never-issued', client_id: sandbox.loginClientId })).status).toBe(200);
    expect(await errorOf(await revoke({ token: tokens.access_token, client_id: 'someone-else' }))).toEqual([401, { error: 'invalid_client' }]);
  });
});

describe('calls made as the signed-in agent', () => {
  it('post actions as that agent, whoever the body names, and the request log says who called', async () => {
    const tokens = await tokensFor(sandbox, 'priya.shah@northbeam-it.example');
    const priyaId = Number(decodeJwt(tokens.id_token).claims.id);
    const posted = await call(sandbox, tokens.access_token, 'POST', '/Actions', [{ ticket_id: 2, note: 'Signed-in note', outcome: 'Private Note', who_agentid: 1 }]);
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ who_agentid: priyaId, who: 'Priya Shah' });
    const api = (await (await tokenRequest(sandbox, { grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, scope: 'all' })).json()) as Tokens;
    const apiAgentId = Number(decodeJwt(api.id_token).claims.id);
    await call(sandbox, api.access_token, 'GET', '/Agent/me');
    const writes = await sandbox.apiRequests('POST', /\/Actions$/);
    expect(writes.at(-1)).toMatchObject({ agent_id: priyaId, status: 201 });
    const reads = await sandbox.apiRequests('GET', /\/Agent\/me$/);
    expect(reads.at(-1)).toMatchObject({ agent_id: apiAgentId });
    expect(apiAgentId).not.toBe(priyaId);
  });

  it('never logs the password, the code, the verifier or the refresh token', async () => {
    const tokens = await tokensFor(sandbox);
    await refresh(sandbox, tokens.refresh_token ?? '');
    const logged = JSON.stringify((await sandbox.requests()).filter((entry) => entry.path.startsWith('/auth/')));
    expect(logged).toContain('[redacted]');
    expect(logged).not.toContain(sandbox.demoPassword);
    expect(logged).not.toContain(tokens.refresh_token);
    const exchangeEntry = (await sandbox.tokenRequests()).find((entry) => (entry.body as Json | undefined)?.grant_type === 'authorization_code');
    expect(exchangeEntry?.body).toMatchObject({ code: '[redacted]', code_verifier: '[redacted]' });
  });

  it('shows a team-restricted agent its team’s tickets only, and another team’s ticket as missing', async () => {
    const tom = await tokensFor(sandbox, TOM);
    const apiToken = await sandbox.token();
    const all = (await call(sandbox, apiToken, 'GET', '/Tickets')).body as { record_count: number; tickets: Json[] };
    const infrastructure = all.tickets.filter((ticket) => ticket.team === 'Infrastructure');
    expect(infrastructure.length).toBeGreaterThan(0);
    expect(infrastructure.length).toBeLessThan(all.tickets.length);
    const seen = (await call(sandbox, tom.access_token, 'GET', '/Tickets')).body as { record_count: number; tickets: Json[] };
    expect(seen.record_count).toBe(infrastructure.length);
    expect(seen.tickets.map((ticket) => ticket.id)).toEqual(infrastructure.map((ticket) => ticket.id));
    const elsewhere = all.tickets.find((ticket) => ticket.team !== 'Infrastructure');
    expect((await call(sandbox, tom.access_token, 'GET', `/Tickets/${String(elsewhere?.id)}`)).status).toBe(404);
    expect((await call(sandbox, tom.access_token, 'GET', `/Tickets/${String(infrastructure[0]?.id)}`)).status).toBe(200);
    expect((await call(sandbox, apiToken, 'GET', `/Tickets/${String(elsewhere?.id)}`)).status).toBe(200);
  });
});

describe('client credentials', () => {
  it('still answers the API agent’s token, now with an ID token naming that agent, and no refresh token', async () => {
    const response = await tokenRequest(sandbox, { grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, scope: 'read:tickets' });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as Tokens;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read:tickets' });
    expect(tokens).not.toHaveProperty('refresh_token');
    const { claims } = decodeJwt(tokens.id_token);
    expect(claims).toMatchObject({ aud: sandbox.clientId, name: 'API Integration', email: 'api@northbeam-it.example' });
    const me = await call(sandbox, tokens.access_token, 'GET', '/Agent/me');
    expect(me.body).toMatchObject({ id: claims.id, isapiagent: true });
    expect(await errorOf(await tokenRequest(sandbox, { grant_type: 'client_credentials', client_id: sandbox.loginClientId, scope: 'all' }))).toEqual([401, { error: 'invalid_client' }]);
  });
});
