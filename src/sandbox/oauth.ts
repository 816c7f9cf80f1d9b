/**
 * Halo's authorisation server (`/auth/...`): the client-credentials grant of the API application,
 * the sign-in of a technician (authorization code with PKCE, then refresh tokens), and revocation.
 * What Halo is known to do is cited; the rest follows OAuth 2.1 and is the sandbox's choice.
 */
import { timingSafeEqual } from 'node:crypto';
import { isKnownScope, type IssuedToken } from './auth.js';
import { json, type Reply } from './reply.js';
import type { SandboxState } from './server.js';
import { s256, signIdToken, type Grant } from './sign-ins.js';
import { problemPage, signInPage } from './sign-in-page.js';
import type { HaloRecord } from './store.js';

/** Scopes that shape the sign-in rather than grant access to Halo's data. */
const SIGN_IN_SCOPES = new Set(['offline_access', 'openid']);

const NO_STORE = { 'cache-control': 'no-store' };

const oauthError = (status: 400 | 401, error: string): Reply => json(status, { error }, NO_STORE);

const WRONG_CREDENTIALS = 'The username or password is incorrect.';

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function splitScopes(text: string | null | undefined): string[] {
  return (text ?? '').split(/\s+/).filter(Boolean);
}

/** The scopes an application may ask for: Halo's, as the API application may be granted them, and the sign-in's own when `signIn`. */
function scopesAllowed(state: SandboxState, requested: readonly string[], signIn: boolean): boolean {
  const { allowedScopes } = state.settings;
  const allowAll = allowedScopes.includes('all');
  return requested.every((scope) => (signIn && SIGN_IN_SCOPES.has(scope)) || (isKnownScope(scope) && (allowAll || allowedScopes.includes(scope))));
}

// Halo behaviour: docs/halo-behaviour.md#token-tenant
function tenantMatches(state: SandboxState, requested: string | null | undefined): boolean {
  const { tenant } = state.settings;
  return !tenant || requested?.toLowerCase() === tenant.toLowerCase();
}

// --- /auth/authorize ----------------------------------------------------------------------------

/** RFC 8252 §7.3: a registered loopback address matches the same address on any port. */
export function redirectUriRegistered(registered: readonly string[], candidate: string): boolean {
  let wanted: URL;
  try {
    wanted = new URL(candidate);
  } catch {
    return false;
  }
  return registered.some((uri) => {
    if (uri === candidate) return true;
    const known = new URL(uri);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(known.hostname) || known.protocol !== 'http:') return false;
    return wanted.protocol === known.protocol && wanted.hostname === known.hostname && wanted.pathname === known.pathname && wanted.search === known.search && wanted.hash === '';
  });
}

/** Sends the browser back to the application with these parameters (and the request's `state`). */
function redirectBack(redirectUri: string, params: URLSearchParams, answer: Record<string, string>): Reply {
  const location = new URL(redirectUri);
  for (const [name, value] of Object.entries(answer)) location.searchParams.set(name, value);
  const state = params.get('state');
  if (state !== null) location.searchParams.set('state', state);
  return { status: 302, headers: { location: location.toString(), ...NO_STORE } };
}

type AuthorizationCheck = { refused: Reply } | { redirectUri: string; scopes: string[]; codeChallenge: string };

/**
 * The checks of an authorisation request, in RFC 6749's order: what makes the application or its
 * address unknown is said on a page (redirecting there would help whoever forged the request),
 * anything else goes back to the application as `error=`.
 */
function checkAuthorization(state: SandboxState, params: URLSearchParams): AuthorizationCheck {
  const { loginClientId, redirectUris } = state.settings;
  const clientId = params.get('client_id');
  if (clientId !== loginClientId) return { refused: problemPage(`No application with the client id "${clientId ?? ''}" can sign in here.`) };
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!redirectUriRegistered(redirectUris, redirectUri)) return { refused: problemPage(`The redirect URI "${redirectUri}" is not registered for this application.`) };
  if (!tenantMatches(state, params.get('tenant'))) return { refused: problemPage(`This is not the tenant "${params.get('tenant') ?? ''}".`) };
  const error = (code: string, description: string): AuthorizationCheck => ({
    refused: redirectBack(redirectUri, params, { error: code, error_description: description }),
  });
  if (params.get('response_type') !== 'code') return error('unsupported_response_type', 'Only response_type=code is supported.');
  const codeChallenge = params.get('code_challenge') ?? '';
  if (params.get('code_challenge_method') !== 'S256') return error('invalid_request', 'code_challenge_method must be S256.');
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return error('invalid_request', 'code_challenge must be an S256 challenge.');
  const scopes = splitScopes(params.get('scope'));
  if (!scopesAllowed(state, scopes, true)) return error('invalid_scope', 'A requested scope is not known or not allowed.');
  return { redirectUri, scopes, codeChallenge };
}

/** The enabled technician a username (email or name, any case) names; API-only agents cannot sign in. */
function agentSigningIn(state: SandboxState, username: string, password: string): HaloRecord | undefined {
  const wanted = username.trim().toLowerCase();
  const agent = state.store
    .collection('agents')
    .all()
    .find((candidate) => candidate.isapiagent !== true && [candidate.email, candidate.name].some((value) => typeof value === 'string' && value.toLowerCase() === wanted));
  return agent && agent.isdisabled !== true && sameSecret(password, state.settings.demoPassword) ? agent : undefined;
}

// Halo behaviour: docs/halo-behaviour.md#authorization-code-flow
/** `GET` shows the sign-in form; `POST` is the form sent back, checked from scratch. */
export function authorize(state: SandboxState, method: string, search: URLSearchParams, raw: string): Reply {
  if (method !== 'GET' && method !== 'POST') return { status: 405, headers: { allow: 'GET, POST' } };
  const params = method === 'GET' ? search : new URLSearchParams(raw);
  const check = checkAuthorization(state, params);
  if ('refused' in check) return check.refused;
  if (method === 'GET') return signInPage(params);
  if (params.has('cancel')) return redirectBack(check.redirectUri, params, { error: 'access_denied', error_description: 'The sign-in was cancelled.' });
  const username = params.get('username') ?? '';
  const agent = agentSigningIn(state, username, params.get('password') ?? '');
  if (!agent) return signInPage(params, { username, message: WRONG_CREDENTIALS });
  const code = state.signIns.createCode(
    { clientId: state.settings.loginClientId, redirectUri: check.redirectUri, codeChallenge: check.codeChallenge, scopes: check.scopes, agentId: agent.id },
    Date.now(),
  );
  return redirectBack(check.redirectUri, params, { code });
}

// --- /auth/token --------------------------------------------------------------------------------

/** Which of the sandbox's applications the request authenticates as, from the form or HTTP Basic. */
function authenticatedClient(state: SandboxState, form: URLSearchParams, authorization: string | undefined): 'api' | 'login' | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  let clientId = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  if (basic) {
    // RFC 6749 §2.3.1: both halves are form-encoded, and only the first colon separates them.
    const pair = Buffer.from(basic, 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    clientId = decodeURIComponent(pair.slice(0, colon < 0 ? undefined : colon).replace(/\+/g, ' '));
    secret = colon < 0 ? undefined : decodeURIComponent(pair.slice(colon + 1).replace(/\+/g, ' '));
  }
  const { clientId: apiClientId, clientSecret, loginClientId, loginClientSecret } = state.settings;
  if (clientId === apiClientId && sameSecret(secret, clientSecret)) return 'api';
  // A public login application proves nothing but its id; PKCE binds its codes instead.
  if (clientId === loginClientId && (loginClientSecret === undefined || sameSecret(secret, loginClientSecret))) return 'login';
  return undefined;
}

// Halo behaviour: docs/halo-behaviour.md#token-response-fields
// Halo behaviour: docs/halo-behaviour.md#id-token-claims
function tokenAnswer(state: SandboxState, issued: IssuedToken, grantedScopes: readonly string[], refreshToken: string | undefined, now: number): Reply {
  const agent = state.store.collection('agents').get(issued.agentId);
  const seconds = Math.floor(now / 1000);
  const idToken = signIdToken(state.idTokenKey, {
    iss: `${state.baseUrl}/auth`,
    aud: issued.clientId,
    sub: String(issued.agentId),
    iat: seconds,
    exp: seconds + state.tokens.expiresIn,
    id: issued.agentId,
    name: typeof agent?.name === 'string' ? agent.name : '',
    email: typeof agent?.email === 'string' ? agent.email : '',
  });
  return json(
    200,
    {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: state.tokens.expiresIn,
      ...(grantedScopes.length > 0 ? { scope: grantedScopes.join(' ') } : {}),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      id_token: idToken,
    },
    NO_STORE,
  );
}

/** Access tokens carry Halo's scopes only: the sign-in's own decide nothing about an API call. */
const dataScopes = (scopes: readonly string[]): Set<string> => new Set(scopes.filter((scope) => !SIGN_IN_SCOPES.has(scope)));

function endGrant(state: SandboxState, grantId: string): void {
  state.signIns.end(grantId);
  state.tokens.revokeGrant(grantId);
}

// Halo behaviour: docs/halo-behaviour.md#token-url
export function issueToken(state: SandboxState, search: URLSearchParams, raw: string, authorization: string | undefined): Reply {
  const form = new URLSearchParams(raw);
  const grantType = form.get('grant_type');
  if (grantType !== 'client_credentials' && grantType !== 'authorization_code' && grantType !== 'refresh_token') return oauthError(400, 'unsupported_grant_type');
  // Halo behaviour: docs/halo-behaviour.md#token-invalid-client
  const client = authenticatedClient(state, form, authorization);
  if (client !== (grantType === 'client_credentials' ? 'api' : 'login')) return oauthError(401, 'invalid_client');
  if (!tenantMatches(state, search.get('tenant') ?? form.get('tenant'))) return oauthError(401, 'invalid_client');
  const now = Date.now();
  if (grantType === 'authorization_code') return exchangeCode(state, form, now);
  if (grantType === 'refresh_token') return refresh(state, form, now);

  // Halo behaviour: docs/halo-behaviour.md#token-no-scope
  // A request that names no scope still gets a token, one with no scopes (and none in the answer), which every API call refuses.
  const requested = splitScopes(form.get('scope'));
  // Halo behaviour: docs/halo-behaviour.md#token-invalid-scope
  if (!scopesAllowed(state, requested, false)) return oauthError(400, 'invalid_scope');
  const issued = state.tokens.issue(new Set(requested), { agentId: state.apiAgentId, clientId: state.settings.clientId }, now);
  return tokenAnswer(state, issued, requested, undefined, now);
}

// Halo behaviour: docs/halo-behaviour.md#authorization-code-flow
function exchangeCode(state: SandboxState, form: URLSearchParams, now: number): Reply {
  const value = form.get('code');
  if (!value) return oauthError(400, 'invalid_request');
  const lookup = state.signIns.findCode(value, now);
  if ('replayedGrantId' in lookup) {
    // RFC 6749 §4.1.2: a code used twice was stolen, so what it bought is revoked.
    endGrant(state, lookup.replayedGrantId);
    return oauthError(400, 'invalid_grant');
  }
  if ('missing' in lookup) return oauthError(400, 'invalid_grant');
  const { code } = lookup;
  const verifier = form.get('code_verifier') ?? '';
  if (form.get('redirect_uri') !== code.redirectUri || !sameSecret(s256(verifier), code.codeChallenge)) return oauthError(400, 'invalid_grant');
  const grant = state.signIns.redeem(code, now);
  return grantAnswer(state, grant, grant.scopes, now);
}

function grantAnswer(state: SandboxState, grant: Grant, scopes: readonly string[], now: number): Reply {
  const issued = state.tokens.issue(dataScopes(scopes), { agentId: grant.agentId, clientId: grant.clientId, grantId: grant.id }, now);
  return tokenAnswer(state, issued, scopes, grant.refreshToken, now);
}

// Halo behaviour: docs/halo-behaviour.md#refresh-token-rotation
function refresh(state: SandboxState, form: URLSearchParams, now: number): Reply {
  const value = form.get('refresh_token');
  if (!value) return oauthError(400, 'invalid_request');
  const lookup = state.signIns.findRefreshToken(value, now);
  if ('reused' in lookup) {
    // A rotated-out token came back: one of its two holders is a thief, so neither keeps the grant.
    endGrant(state, lookup.reused.id);
    return oauthError(400, 'invalid_grant');
  }
  if ('missing' in lookup) return oauthError(400, 'invalid_grant');
  const { grant } = lookup;
  const asked = form.has('scope') ? splitScopes(form.get('scope')) : grant.scopes;
  if (!asked.every((scope) => grant.scopes.includes(scope))) return oauthError(400, 'invalid_scope');
  state.signIns.rotate(grant);
  return grantAnswer(state, grant, asked, now);
}

// --- /auth/revoke -------------------------------------------------------------------------------

// Halo behaviour: docs/halo-behaviour.md#token-revocation
/**
 * RFC 7009: a refresh token ends its whole sign-in, an access token only itself. An unknown token,
 * or one of another application, is answered like a revoked one, so the answer reveals nothing.
 */
export function revokeToken(state: SandboxState, raw: string, authorization: string | undefined): Reply {
  const form = new URLSearchParams(raw);
  const client = authenticatedClient(state, form, authorization);
  if (!client) return oauthError(401, 'invalid_client');
  const clientId = client === 'api' ? state.settings.clientId : state.settings.loginClientId;
  const value = form.get('token') ?? '';
  const now = Date.now();
  const refreshLookup = state.signIns.findRefreshToken(value, now);
  const grant = 'grant' in refreshLookup ? refreshLookup.grant : 'reused' in refreshLookup ? refreshLookup.reused : undefined;
  if (grant?.clientId === clientId) endGrant(state, grant.id);
  const access = state.tokens.find(value, now);
  if (access?.clientId === clientId) state.tokens.revoke(value);
  return { status: 200, headers: NO_STORE };
}
