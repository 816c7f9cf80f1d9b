/**
 * The Halo leg of a technician's sign-in: the address of Halo's sign-in page for the
 * authorization code grant with PKCE, and the exchange of the code it sends back for tokens. The
 * `login` command and the hosted server's authorization server both sign people in this way.
 *
 * The OAuth steps are the MCP SDK's client functions (startAuthorization makes the PKCE pair and
 * the URL, exchangeAuthorization redeems the code and checks the answer's shape), given Halo's
 * endpoints by hand: Halo publishes no authorization server metadata that anyone has reported.
 * Refreshing the tokens later is the Halo client's own (src/halo/token.ts), which shares its
 * timeouts, retries and redaction with every other request to Halo.
 */
import { exchangeAuthorization, startAuthorization, type AuthorizationServerMetadata } from '@modelcontextprotocol/client';
import type { HaloClientConfig } from '../halo/config.js';
import { failureWords, loadUndici } from '../halo/http.js';
import { agentFromIdToken, type HaloAgentIdentity } from '../halo/sign-in.js';

// Halo behaviour: docs/halo-behaviour.md#authorization-code-flow
/** What technicians are asked to grant: everything their agent may do, and a refresh token to keep the sign-in. */
export const SIGN_IN_SCOPE = 'all offline_access';

/** Where a Halo signs people in, and the application they sign in through. */
export type HaloSignInTarget = Pick<HaloClientConfig, 'authUrl' | 'tenant' | 'clientId' | 'clientSecret'>;

/** A sign-in Halo completed. */
export interface HaloSignIn {
  refreshToken: string;
  agent: HaloAgentIdentity | undefined;
  /** The scopes Halo granted, as it said. */
  scope: string | undefined;
}

/** `<auth url>/<endpoint>`, with the tenant of a hosted Halo as every Halo token URL carries it. */
function endpoint(target: HaloSignInTarget, name: string): string {
  const url = new URL(`${target.authUrl}/${name}`);
  if (target.tenant) url.searchParams.set('tenant', target.tenant);
  return url.href;
}

/** Halo's authorization server, described as RFC 8414 would, from what integrations that sign people in to Halo use. */
function haloMetadata(target: HaloSignInTarget): AuthorizationServerMetadata {
  return {
    issuer: target.authUrl,
    authorization_endpoint: endpoint(target, 'authorize'),
    token_endpoint: endpoint(target, 'token'),
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    // A secret, when the application has one, goes in the form, as Halo's client credentials grant takes it.
    token_endpoint_auth_methods_supported: target.clientSecret ? ['client_secret_post'] : ['none'],
  };
}

function clientOf(target: HaloSignInTarget): { client_id: string; client_secret?: string } {
  return { client_id: target.clientId, ...(target.clientSecret ? { client_secret: target.clientSecret } : {}) };
}

/** The address of Halo's sign-in page, and the PKCE verifier to keep until the code comes back. */
export async function startHaloSignIn(target: HaloSignInTarget, redirectUri: string, state: string): Promise<{ url: URL; codeVerifier: string }> {
  const { authorizationUrl, codeVerifier } = await startAuthorization(target.authUrl, {
    metadata: haloMetadata(target),
    clientInformation: clientOf(target),
    redirectUrl: redirectUri,
    scope: SIGN_IN_SCOPE,
    state,
  });
  return { url: authorizationUrl, codeVerifier };
}

/** Redeems the code Halo sent back to `redirectUri`; the sign-in is kept by its refresh token. */
export async function finishHaloSignIn(target: HaloSignInTarget, redirectUri: string, code: string, codeVerifier: string): Promise<HaloSignIn> {
  const tokens = await exchangeAuthorization(target.authUrl, {
    metadata: haloMetadata(target),
    clientInformation: clientOf(target),
    authorizationCode: code,
    codeVerifier,
    redirectUri,
  });
  if (!tokens.refresh_token) {
    throw new Error(`Halo signed you in but sent no refresh token, so the sign-in could not be kept. Allow refresh tokens (offline_access) for the application ${target.clientId} in Halo.`);
  }
  return { refreshToken: tokens.refresh_token, agent: agentFromIdToken(tokens.id_token), scope: tokens.scope };
}

/** What Halo answered a revocation: `revoked`, or why it is not known to be (an HTTP status, or the failure to reach Halo). */
export type Revocation = { revoked: true } | { revoked: false; reason: string };

// Halo behaviour: docs/halo-behaviour.md#token-revocation
/**
 * Asks Halo to revoke a sign-in's refresh token (RFC 7009): it cannot then be used again, even by
 * whoever copied it. Halo answering anything but 200 leaves that unconfirmed, which the caller says.
 */
export async function revokeHaloSignIn(target: HaloSignInTarget, refreshToken: string, timeoutMs: number): Promise<Revocation> {
  const form = new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', client_id: target.clientId });
  if (target.clientSecret) form.set('client_secret', target.clientSecret);
  const { request } = await loadUndici();
  try {
    const response = await request(endpoint(target, 'revoke'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await response.body.dump();
    return response.statusCode === 200 ? { revoked: true } : { revoked: false, reason: `HTTP ${response.statusCode}` };
  } catch (error) {
    return { revoked: false, reason: failureWords(error) };
  }
}
