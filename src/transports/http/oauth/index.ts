/**
 * The OAuth authorization server of `--oauth`, on the MCP server's own listener: discovery
 * (RFC 9728 protected resource metadata and RFC 8414 authorization server metadata, served by
 * the MCP SDK's oauthMetadataResponse), dynamic client registration (RFC 7591), the authorization
 * endpoint with its consent page and Halo's way back, the token endpoint and revocation (RFC 7009).
 *
 * The SDK has the resource server's side (metadata documents, the bearer check, the schemas of
 * OAuth's messages) and no authorization server since v2: the endpoints are ours, and small. What
 * they issue are tokens of ours, bound to the MCP endpoint as their audience; Halo's tokens never
 * leave the server (the MCP authorization spec forbids passing them through).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAuthError, OAuthErrorCode, getOAuthProtectedResourceMetadataUrl, oauthMetadataResponse, type OAuthMetadata, type OAuthTokens } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { Grants } from '../../../sign-in/grants.js';
import type { HaloSignInTarget } from '../../../sign-in/halo-authorization.js';
import type { Sealer } from '../../../sign-in/sealed.js';
import { StoreUnavailableError, type SignInStore } from '../../../sign-in/store.js';
import { HttpError } from '../errors.js';
import { html } from '../../../util/html.js';
import { OPEN_CORS, readForm, readJson, sendJson, sendOAuthError, sendPage, sendWebResponse, single } from './answers.js';
import { AuthorizationEndpoint, sameResource } from './authorize.js';
import { CLIENT_AUTH_METHODS, Clients } from './clients.js';
import { isLoopback } from '../../../util/loopback.js';

export interface AuthorizationServerOptions {
  /** The server's public origin (HALO_PUBLIC_URL): the issuer, and the base of the MCP resource `<public>/mcp`. */
  publicUrl: URL;
  store: SignInStore;
  sealer: Sealer;
  /** Where technicians sign in to Halo, and the application they sign in through. */
  halo: HaloSignInTarget;
  accessTokenTtlMs: number;
  logger: Logger;
}

const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';
const AUTHORIZATION_SERVER_PATH = '/.well-known/oauth-authorization-server';

export class AuthorizationServer {
  readonly grants: Grants;
  /** The MCP endpoint: the audience of every token issued here. */
  readonly resource: URL;
  /** Where a 401 points a client to discover this server (RFC 9728 §5.1). */
  readonly resourceMetadataUrl: string;
  private readonly issuer: string;
  private readonly metadata: OAuthMetadata;
  private readonly clients: Clients;
  private readonly authorization: AuthorizationEndpoint;
  private readonly routes: ReadonlyMap<string, (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>>;

  constructor(private readonly options: AuthorizationServerOptions) {
    const { publicUrl, store } = options;
    this.issuer = publicUrl.origin;
    this.resource = new URL('/mcp', publicUrl);
    this.resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(this.resource);
    this.metadata = {
      issuer: this.issuer,
      authorization_endpoint: `${this.issuer}/authorize`,
      token_endpoint: `${this.issuer}/token`,
      registration_endpoint: `${this.issuer}/register`,
      revocation_endpoint: `${this.issuer}/revoke`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
      revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    };
    this.grants = new Grants(store, options.sealer, { accessTokenTtlMs: options.accessTokenTtlMs });
    this.clients = new Clients({ store, allowLocalMetadataDocuments: isLoopback(publicUrl.hostname) });
    this.authorization = new AuthorizationEndpoint({ issuer: this.issuer, resource: this.resource, clients: this.clients, grants: this.grants, store, halo: options.halo, logger: options.logger });
    const discovery = (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => this.discovery(request, response, url);
    this.routes = new Map([
      [PROTECTED_RESOURCE_PATH, discovery],
      [`${PROTECTED_RESOURCE_PATH}/mcp`, discovery],
      [AUTHORIZATION_SERVER_PATH, discovery],
      ['/register', this.post((request, response) => this.register(request, response))],
      ['/authorize', (request, response, url) => (request.method === 'POST' ? this.authorization.decide(request, response) : this.getOnly(request, () => this.authorization.authorize(url, response)))],
      ['/oauth/callback', (request, response, url) => this.getOnly(request, () => this.authorization.callback(url, response))],
      ['/token', this.post((request, response) => this.token(request, response))],
      ['/revoke', this.post((request, response) => this.revoke(request, response))],
    ]);
  }

  /** Whether a path is one of the authorization server's. */
  handles(path: string): boolean {
    return this.routes.has(path);
  }

  async serve(path: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = this.routes.get(path);
    if (!route) throw new HttpError(404, 'Nothing is served at this path.');
    try {
      await route(request, response, new URL(request.url ?? '/', this.issuer));
    } catch (error) {
      // The JSON endpoints answer it as OAuth errors themselves; a page of the flow says it to the person.
      if (!(error instanceof StoreUnavailableError) || response.headersSent) throw error;
      sendPage(response, 503, 'Sign-in unavailable', html`<h1>Signing in is unavailable just now</h1><p>${error.message}</p><p>Start again from your assistant in a moment.</p>`);
    }
  }

  async close(): Promise<void> {
    await this.clients.close();
  }

  /** Both metadata documents, by the SDK; the resource's document answers without the `/mcp` suffix too, for clients that look there first. */
  private async discovery(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname === PROTECTED_RESOURCE_PATH ? `${PROTECTED_RESOURCE_PATH}/mcp` : url.pathname;
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
    const answer = oauthMetadataResponse(new Request(new URL(path, this.issuer), { method: request.method ?? 'GET', headers }), {
      oauthMetadata: this.metadata,
      resourceServerUrl: this.resource,
      resourceName: 'halopsa-mcp',
      // HALO_PUBLIC_URL is https unless it is a loopback address, which the configuration checked; the SDK's own check knows fewer loopback names.
      dangerouslyAllowInsecureIssuerUrl: isLoopback(this.options.publicUrl.hostname),
    });
    if (!answer) throw new HttpError(404, 'Nothing is served at this path.');
    await sendWebResponse(response, answer);
  }

  private getOnly(request: IncomingMessage, work: () => Promise<void>): Promise<void> {
    if (request.method !== 'GET') throw new HttpError(405, 'This endpoint answers GET only.', { allow: 'GET' });
    return work();
  }

  /** A POST endpoint of the OAuth JSON kind: its refusals are OAuth error answers, readable from any origin; OPTIONS answers a browser's preflight. */
  private post(work: (request: IncomingMessage, response: ServerResponse) => Promise<void>) {
    return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      if (request.method === 'OPTIONS') {
        response.writeHead(204, { ...OPEN_CORS, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'authorization, content-type' }).end();
        return;
      }
      if (request.method !== 'POST') throw new HttpError(405, 'This endpoint answers POST only.', { allow: 'POST' });
      try {
        await work(request, response);
      } catch (error) {
        if (error instanceof StoreUnavailableError) sendOAuthError(response, new OAuthError(OAuthErrorCode.TemporarilyUnavailable, error.message), OPEN_CORS);
        else if (error instanceof OAuthError) sendOAuthError(response, error, OPEN_CORS);
        else throw error;
      }
    };
  }

  private async register(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const client = await this.clients.register(await readJson(request));
    sendJson(response, 201, client, OPEN_CORS);
  }

  private async token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = await readForm(request);
    const client = await this.clients.authenticate(form, request.headers.authorization);
    const resource = this.resourceParameter(form);
    sendJson(response, 200, await this.grant(form, client.clientId, resource), OPEN_CORS);
  }

  private grant(form: URLSearchParams, clientId: string, resource: string | undefined): Promise<OAuthTokens> {
    const grantType = single(form, 'grant_type');
    if (grantType === 'authorization_code') {
      const code = single(form, 'code');
      if (!code) throw new OAuthError(OAuthErrorCode.InvalidRequest, 'code is missing.');
      return this.grants.redeemCode(code, { clientId, redirectUri: single(form, 'redirect_uri'), codeVerifier: single(form, 'code_verifier'), resource });
    }
    if (grantType === 'refresh_token') {
      const refreshToken = single(form, 'refresh_token');
      if (!refreshToken) throw new OAuthError(OAuthErrorCode.InvalidRequest, 'refresh_token is missing.');
      return this.grants.refresh(refreshToken, { clientId, resource });
    }
    throw new OAuthError(OAuthErrorCode.UnsupportedGrantType, 'grant_type must be authorization_code or refresh_token.');
  }

  /** RFC 7009: 200 whether or not the token was known, so that the answer tells nothing of it. */
  private async revoke(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = await readForm(request);
    const client = await this.clients.authenticate(form, request.headers.authorization);
    const token = single(form, 'token');
    if (!token) throw new OAuthError(OAuthErrorCode.InvalidRequest, 'token is missing.');
    await this.grants.revoke(token, client.clientId);
    response.writeHead(200, { ...OPEN_CORS, 'cache-control': 'no-store' }).end();
  }

  /** The resource a token request names (RFC 8707), as the resource's own URL when it is ours; another is kept as given, to be refused with invalid_target. */
  private resourceParameter(form: URLSearchParams): string | undefined {
    const given = single(form, 'resource');
    return given === undefined || !sameResource(given, this.resource) ? given : this.resource.href;
  }
}
