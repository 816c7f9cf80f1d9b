/**
 * The access token: one request in flight however many calls need a token at once, reused until
 * shortly before it expires, and replaced when Halo refuses it. It comes by the client credentials
 * grant (the API application's agent), or by the refresh token of a technician's sign-in.
 */
import type { HaloClientConfig } from './config.js';
import { deadlineIn } from './deadline.js';
import { HaloAuthError, HaloResponseError, HaloValidationError } from './errors.js';
import { apiError, exchange, haloMessageOf, parseJson, type DispatcherSource, type HaloResponse } from './http.js';
import type { Redactor } from '../util/redact.js';
import { withRetry } from './retry.js';
import { awaitShared, type WaitLimit } from './shared-wait.js';
import { agentFromIdToken, type HaloAgentIdentity, type SignInKeeper } from './sign-in.js';

/** The fields of Halo's token answer that the client reads. */
interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
  scope?: unknown;
  refresh_token?: unknown;
  id_token?: unknown;
}

interface HeldToken {
  value: string;
  /** When to fetch a new one: a little before Halo's expiry. */
  refreshAt: number;
}

/** Refresh a tenth of the lifetime early, at most a minute: short test tokens still get reused. */
const MAX_EARLY_REFRESH_S = 60;

export interface TokenEvents {
  onTokenRequest?: () => void;
  onRetry?: (error: Error, attempt: number) => void;
  /** Halo refused the scopes asked for, and the fallback is asked for from now on. */
  onScopeRefused?: (refused: string, fallback: string) => void;
}

export class TokenProvider {
  private held: HeldToken | undefined;
  private pending: Promise<string> | undefined;
  /** The latest failure of the token request under way, which it is retrying: what a caller out of time is told. */
  retryingAfter: Error | undefined;
  /** The scopes Halo granted with the current token, as it reported them. */
  grantedScopes: string | undefined;
  /** The scopes asked for: the configured ones, or the fallback once Halo refused those. */
  requestedScope: string;
  /** The agent the current token acts as, when Halo's `id_token` named one. */
  agent: HaloAgentIdentity | undefined;

  constructor(
    private readonly config: HaloClientConfig,
    private readonly dispatcher: DispatcherSource,
    private readonly redactor: Redactor,
    private readonly events: TokenEvents = {},
    /** A technician's sign-in, whose refresh token gets the tokens; the client credentials grant without one. */
    private readonly signIn?: SignInKeeper,
  ) {
    this.requestedScope = config.scope;
  }

  get tokenUrl(): URL {
    const url = new URL(`${this.config.authUrl}/token`);
    if (this.config.tenant) url.searchParams.set('tenant', this.config.tenant);
    return url;
  }

  /**
   * A valid token; concurrent callers share one token request. A caller that gives up (cancelled,
   * or out of time) stops waiting, and the request goes on for the others.
   */
  async get(signal?: AbortSignal, limit?: WaitLimit): Promise<string> {
    if (this.held && Date.now() < this.held.refreshAt) return this.held.value;
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    const pending = this.pending;
    return awaitShared(() => pending, signal, 'a token', limit);
  }

  /** Forgets a token Halo refused, unless a newer one has already replaced it. */
  invalidate(value: string): void {
    if (this.held?.value === value) this.held = undefined;
  }

  /**
   * Asks Halo for a new token once, without retries, and keeps it: proof, for a readiness check,
   * that Halo answers now and takes the credentials (a token held from earlier proves neither).
   */
  probe(timeoutMs: number): Promise<string> {
    return this.request(Math.min(timeoutMs, this.config.timeoutMs));
  }

  private fetch(): Promise<string> {
    this.retryingAfter = undefined;
    return withRetry(() => this.request(this.config.timeoutMs), {
      policy: this.config.retry,
      deadline: deadlineIn(this.config.retry.budgetMs),
      idempotent: true,
      onRetry: (error, attempt) => {
        this.retryingAfter = error;
        this.events.onRetry?.(error, attempt);
      },
    });
  }

  /** One token request; the token Halo grants replaces the one held. A refused scope falls back once, when there is a fallback. */
  private async request(timeoutMs: number): Promise<string> {
    if (this.signIn) return this.refresh(this.signIn, timeoutMs);
    try {
      return await this.requestScope(timeoutMs);
    } catch (error) {
      const fallback = this.config.scopeFallback;
      if (!(error instanceof HaloValidationError && error.haloMessage === 'invalid_scope') || fallback === undefined || this.requestedScope === fallback) throw error;
      this.events.onScopeRefused?.(this.requestedScope, fallback);
      this.requestedScope = fallback;
      return this.requestScope(timeoutMs);
    }
  }

  private requestScope(timeoutMs: number): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret ?? '',
      scope: this.requestedScope,
    });
    return this.tokenRequest(form, timeoutMs, (response) => this.credentialError(response));
  }

  // Halo behaviour: docs/halo-behaviour.md#refresh-token-rotation
  /**
   * A token by the sign-in's refresh token, keeping the refresh token Halo answers with, as Halo
   * may rotate them. Halo refusing the refresh token may mean another process that shares the
   * sign-in (a second assistant, `login` run again) rotated it first: with a newer one held, that
   * one is tried once before the sign-in counts as ended.
   */
  private async refresh(keeper: SignInKeeper, timeoutMs: number, refused?: string): Promise<string> {
    const refreshToken = await keeper.current();
    if (refreshToken === undefined || refreshToken === refused) {
      if (refused !== undefined) await keeper.ended();
      throw new HaloAuthError(
        refused === undefined
          ? `There is no Halo sign-in to use. ${keeper.signInAgain}`
          : `The Halo sign-in has ended: Halo refused its refresh token (invalid_grant), as it does once one expires or is revoked. ${keeper.signInAgain}`,
        { method: 'POST', path: '/auth/token' },
      );
    }
    this.redactor.addToken(refreshToken);
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: this.config.clientId });
    if (this.config.clientSecret) form.set('client_secret', this.config.clientSecret);
    try {
      return await this.tokenRequest(
        form,
        timeoutMs,
        (response) => this.signInError(response),
        async (body) => {
          const next = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : refreshToken;
          this.redactor.addToken(next);
          await keeper.save({ refreshToken: next, agent: this.agent });
        },
      );
    } catch (error) {
      if (!(error instanceof HaloAuthError && error.haloMessage === 'invalid_grant')) throw error;
      return this.refresh(keeper, timeoutMs, refreshToken);
    }
  }

  /** One request to the token endpoint; the token Halo grants replaces the one held. */
  private async tokenRequest(
    form: URLSearchParams,
    timeoutMs: number,
    refusal: (response: HaloResponse) => Error,
    granted?: (body: TokenAnswer) => Promise<void>,
  ): Promise<string> {
    const label = { method: 'POST', path: '/auth/token' };
    this.events.onTokenRequest?.();
    const response = await exchange({
      dispatcher: this.dispatcher,
      method: 'POST',
      url: this.tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      timeoutMs,
      maxResponseBytes: this.config.maxResponseBytes,
      label,
      effect: 'read',
      redactor: this.redactor,
    });
    if (response.status === 400 || response.status === 401 || response.status === 403) throw refusal(response);
    if (response.status >= 300) throw apiError(response, { label, effect: 'read', redactor: this.redactor });
    const body = parseJson(response, { label, effect: 'read' }) as TokenAnswer | null;
    if (typeof body?.access_token !== 'string' || body.access_token === '') {
      throw new HaloResponseError('Halo answered the token request without an access_token.', { status: response.status, ...label });
    }
    this.redactor.addToken(body.access_token);
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    const early = Math.min(MAX_EARLY_REFRESH_S, lifetime / 10);
    this.agent = agentFromIdToken(body.id_token);
    await granted?.(body);
    this.held = { value: body.access_token, refreshAt: Date.now() + (lifetime - early) * 1000 };
    this.grantedScopes = typeof body.scope === 'string' ? body.scope : undefined;
    return body.access_token;
  }

  /** Halo refused a sign-in's refresh: the sign-in ended (invalid_grant), or the login application is not what Halo knows. */
  private signInError(response: HaloResponse): Error {
    const message = haloMessageOf(response, this.redactor);
    const details = { status: response.status, method: 'POST', path: '/auth/token', ...(message ? { haloMessage: message } : {}) };
    if (message === 'invalid_grant') return new HaloAuthError('Halo refused the refresh token (invalid_grant).', details);
    return new HaloAuthError(
      `Halo refused the sign-in's application (${message ?? response.status}). Check HALO_CLIENT_ID (and HALO_CLIENT_SECRET, if the application has one) against the authorization code application in Halo (Configuration > Integrations > Halo API).`,
      details,
    );
  }

  private credentialError(response: HaloResponse): Error {
    const message = haloMessageOf(response, this.redactor);
    const details = { status: response.status, method: 'POST', path: '/auth/token', ...(message ? { haloMessage: message } : {}) };
    if (message === 'invalid_scope') {
      return new HaloValidationError(
        `Halo refused the requested scope "${this.requestedScope}" (invalid_scope). Grant it to the API application in Halo, or change HALO_SCOPE.`,
        details,
      );
    }
    const tenant = this.config.tenant ? '' : ' On Halo-hosted instances also set HALO_TENANT.';
    return new HaloAuthError(
      `Halo rejected the client credentials (${message ?? response.status}). Check HALO_CLIENT_ID and HALO_CLIENT_SECRET against the API application in Halo (Configuration > Integrations > Halo API), and HALO_AUTH_URL if your auth server is not ${this.config.authUrl}.${tenant}`,
      details,
    );
  }
}
