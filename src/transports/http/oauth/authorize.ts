/**
 * The authorization endpoint and the way back from Halo. A client's request is checked (the
 * client known, the redirect URI one it registered, PKCE with S256, our resource), then the person
 * is asked on a page of ours whether that client may act in Halo as them: every client reaches
 * Halo through this server's one Halo application, so Halo's own consent cannot tell clients apart
 * (the MCP authorization spec asks a proxy of this kind for consent of its own). Then Halo signs
 * them in, and the client gets an authorization code of ours for that sign-in.
 *
 * Until the redirect URI is known to be the client's, a refusal is a page, never a redirect: an
 * open redirector would send codes, or people, anywhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { Grants } from '../../../sign-in/grants.js';
import { randomToken } from '../../../sign-in/grants.js';
import { finishHaloSignIn, startHaloSignIn, type HaloSignInTarget } from '../../../sign-in/halo-authorization.js';
import { StoreUnavailableError, tokenKey, type SignInStore } from '../../../sign-in/store.js';
import { html } from '../../../util/html.js';
import { readForm, redirect, sendPage, single } from './answers.js';
import { redirectUriRegistered, type Clients, type KnownClient } from './clients.js';

/** How long the consent page and the Halo sign-in after it may take. */
const FLOW_TTL_MS = 10 * 60_000;

/** An authorization request that passed its checks, waiting for the person's consent and then for Halo. */
interface AuthorizationRequest {
  [key: string]: string | null;
  clientId: string;
  redirectUri: string;
  state: string | null;
  codeChallenge: string;
  resource: string;
}

interface PendingSignIn extends AuthorizationRequest {
  codeVerifier: string;
}

export interface AuthorizeOptions {
  issuer: string;
  /** The MCP endpoint's URL: the one resource tokens are issued for. */
  resource: URL;
  clients: Clients;
  grants: Grants;
  store: SignInStore;
  /** Where and through which application technicians sign in to Halo. */
  halo: HaloSignInTarget;
  logger: Logger;
}

/** Resource indicators compared as the SDK's bearer check compares them: without a fragment or one trailing slash. */
export function sameResource(given: string, resource: URL): boolean {
  const comparable = (text: string): string => text.replace(/#.*$/, '').replace(/\/$/, '');
  return comparable(given) === comparable(resource.href);
}

function refusalPage(response: ServerResponse, message: string): void {
  sendPage(response, 400, 'Sign-in refused', html`<h1>This sign-in cannot go on</h1><p>${message}</p><p>Start again from your assistant.</p>`);
}

/** Where a step of the flow ends: a page that refuses, or a redirect onwards. */
type Answer = { page: string } | { to: URL };

function send(response: ServerResponse, answer: Answer): void {
  if ('page' in answer) refusalPage(response, answer.page);
  else redirect(response, answer.to);
}

export class AuthorizationEndpoint {
  private readonly callbackUrl: string;

  constructor(private readonly options: AuthorizeOptions) {
    this.callbackUrl = `${options.issuer}/oauth/callback`;
  }

  /** GET /authorize: checks the request and asks for consent. */
  async authorize(url: URL, response: ServerResponse): Promise<void> {
    const outcome = await this.check(url.searchParams);
    if (!('pending' in outcome)) {
      send(response, outcome);
      return;
    }
    const { pending, client } = outcome;
    const consent = randomToken();
    await this.options.store.set(tokenKey('consent', consent), pending, FLOW_TTL_MS);
    const name = client.name ?? 'An application';
    const destination = new URL(pending.redirectUri).host;
    sendPage(
      response,
      200,
      'Allow access to Halo',
      html`<h1>Allow ${name} to act in Halo as you?</h1>
<p><strong>${name}</strong> asks to use halopsa-mcp. Its answer goes back to <strong>${destination}</strong>.</p>
<p>If you continue, you sign in to Halo, and from then on everything this application does through halopsa-mcp <strong>acts in Halo as you</strong>: it sees what you may see, and what it changes is recorded as yours.</p>
<p>Continue only if you asked your assistant to connect to Halo just now.</p>
<form method="post" action="/authorize"><input type="hidden" name="consent" value="${consent}"><button type="submit" name="decision" value="allow" id="allow">Continue to Halo sign-in</button><button type="submit" name="decision" value="deny" id="deny">Cancel</button></form>`,
    );
  }

  /**
   * The authorization request checked: a page when the client or its redirect URI is not known
   * (RFC 6749 §4.1.2.1: never a redirect then), a redirect with the error once they are, or the
   * request to ask consent for.
   */
  private async check(params: URLSearchParams): Promise<Answer | { pending: AuthorizationRequest; client: KnownClient }> {
    let clientId: string | undefined;
    let givenRedirect: string | undefined;
    try {
      clientId = single(params, 'client_id');
      givenRedirect = single(params, 'redirect_uri');
    } catch (error) {
      return { page: error instanceof Error ? error.message : String(error) };
    }
    if (!clientId) return { page: 'The request names no client_id.' };
    const client = await this.options.clients.find(clientId);
    if (!client) return { page: 'The application asking is not registered with this server, or its registration has expired.' };
    const redirectUri = givenRedirect ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
    if (redirectUri === undefined || !redirectUriRegistered(redirectUri, client.redirectUris)) {
      return { page: 'The redirect_uri is not one the application registered, so nothing is sent to it.' };
    }
    const state = params.getAll('state').length === 1 ? params.get('state') : null;
    const refused = (error: string, description: string): Answer => ({ to: this.answerUrl(redirectUri, { error, error_description: description, state }) });
    let responseType, challenge, method, resource;
    try {
      single(params, 'state');
      [responseType, challenge, method, resource] = ['response_type', 'code_challenge', 'code_challenge_method', 'resource'].map((name) => single(params, name));
    } catch (error) {
      return refused('invalid_request', error instanceof Error ? error.message : String(error));
    }
    if (responseType !== 'code') return refused('unsupported_response_type', 'response_type must be code.');
    if (challenge === undefined || method !== 'S256') return refused('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.');
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return refused('invalid_request', 'code_challenge is not an S256 challenge (43 base64url characters).');
    if (resource !== undefined && !sameResource(resource, this.options.resource)) {
      return refused('invalid_target', `resource must be ${this.options.resource.href}, the MCP server this authorization server issues tokens for.`);
    }
    return { pending: { clientId, redirectUri, state, codeChallenge: challenge, resource: this.options.resource.href }, client };
  }

  /** POST /authorize: the person's answer on the consent page; Continue goes on to Halo's sign-in page, Cancel back to the client. */
  async decide(request: IncomingMessage, response: ServerResponse): Promise<void> {
    send(response, await this.decision(request));
  }

  /** GET /oauth/callback: Halo's answer, which ends at the client's redirect URI with our code or an error. */
  async callback(url: URL, response: ServerResponse): Promise<void> {
    send(response, await this.signedIn(url.searchParams));
  }

  private async decision(request: IncomingMessage): Promise<Answer> {
    const origin = request.headers.origin;
    // The consent form is ours: a browser posting it says so, or says nothing.
    if (origin !== undefined && origin !== new URL(this.options.issuer).origin) return { page: "The answer did not come from this server's own page." };
    let form: URLSearchParams;
    try {
      form = await readForm(request);
    } catch (error) {
      return { page: error instanceof Error ? error.message : String(error) };
    }
    const consent = form.get('consent');
    const pending = consent ? await this.options.store.take<AuthorizationRequest>(tokenKey('consent', consent)) : undefined;
    if (!pending) return { page: 'This page has expired or was already answered.' };
    if (form.get('decision') !== 'allow') return { to: this.answerUrl(pending.redirectUri, { error: 'access_denied', error_description: 'The person declined.', state: pending.state }) };
    const state = randomToken();
    const { url, codeVerifier } = await startHaloSignIn(this.options.halo, this.callbackUrl, state);
    await this.options.store.set(tokenKey('flow', state), { ...pending, codeVerifier } satisfies PendingSignIn, FLOW_TTL_MS);
    return { to: url };
  }

  /** The flow Halo's answer belongs to is taken once, by our own state; its sign-in is kept, and the client gets a code for it. */
  private async signedIn(params: URLSearchParams): Promise<Answer> {
    const state = params.get('state');
    const flow = state ? await this.options.store.take<PendingSignIn>(tokenKey('flow', state)) : undefined;
    if (!flow) return { page: 'This sign-in has expired, was already completed, or did not start here.' };
    const back = (answer: Record<string, string>): Answer => ({ to: this.answerUrl(flow.redirectUri, { ...answer, state: flow.state }) });
    const haloError = params.get('error');
    const code = params.get('code');
    if (haloError !== null || !code) {
      return back({ error: haloError !== null && /^[a-z_]{1,64}$/.test(haloError) ? haloError : 'access_denied', error_description: 'Halo did not sign you in.' });
    }
    try {
      const signIn = await finishHaloSignIn(this.options.halo, this.callbackUrl, code, flow.codeVerifier);
      const signInId = await this.options.grants.startSignIn(flow.clientId, signIn.refreshToken, signIn.agent);
      return back({ code: await this.options.grants.issueCode({ clientId: flow.clientId, redirectUri: flow.redirectUri, codeChallenge: flow.codeChallenge, resource: flow.resource, signInId }) });
    } catch (error) {
      if (error instanceof StoreUnavailableError) return back({ error: OAuthErrorCode.TemporarilyUnavailable, error_description: error.message });
      this.options.logger.warn({ err: error instanceof OAuthError ? { code: error.code, message: error.message } : error }, 'a Halo sign-in could not be completed');
      return back({ error: OAuthErrorCode.ServerError, error_description: 'Halo signed you in, but the sign-in could not be completed.' });
    }
  }

  /** The client's redirect URI with the answer's parameters, and `iss` (RFC 9207) so that a client talking to several servers knows which answered. */
  private answerUrl(redirectUri: string, params: Record<string, string | null | undefined>): URL {
    const url = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined) url.searchParams.set(name, value);
    url.searchParams.set('iss', this.options.issuer);
    return url;
  }
}
