/**
 * What the hosted server's sign-ins grant, kept in a SignInStore: each person's Halo sign-in (its
 * refresh token sealed), the authorization codes and the tokens this server issues to MCP clients
 * for it. Our tokens are opaque random values that name nothing of Halo; the store keeps only their
 * digests. A token is valid while its own record, its family (the tokens one authorization code
 * started, which a refresh token's reuse or the code's replay revokes whole) and its sign-in all
 * exist, so that ending a sign-in or revoking a family needs no list of the tokens it holds.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokens, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import type { HaloAgentIdentity, SignInKeeper, SignInUpdate } from '../halo/sign-in.js';
import type { Sealer } from './sealed.js';
import { tokenKey, type SignInStore } from './store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a sign-in and a family of tokens last unused: a refresh renews them. */
const SIGN_IN_TTL_MS = 30 * DAY_MS;
/** RFC 6749 §4.1.2 recommends at most ten minutes; a client redeems a code within seconds. */
const CODE_TTL_MS = 60_000;
/** How long a used code is remembered, so that its replay is recognised and revokes what it issued. */
const SPENT_CODE_TTL_MS = 10 * 60_000;
/** How long the mark of a refresh under way lasts: it only proves the store takes writes. */
const REFRESH_MARK_TTL_MS = 60_000;

export const SIGN_IN_AGAIN = 'Reconnect halopsa-mcp in your assistant to sign in to Halo again.';

/** A person's Halo sign-in, as the store keeps it. */
interface SignInRecord {
  [key: string]: string | { id: number; name?: string; email?: string } | null;
  /** The Halo refresh token, sealed and bound to the sign-in's id. */
  sealedRefreshToken: string;
  agent: { id: number; name?: string; email?: string } | null;
  clientId: string;
}

/** What an authorization code was issued for. */
export interface CodeGrant {
  [key: string]: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
  signInId: string;
}

interface FamilyRecord {
  [key: string]: string;
  signInId: string;
  clientId: string;
  resource: string;
}

interface AccessRecord {
  [key: string]: string | number;
  familyId: string;
  signInId: string;
  clientId: string;
  resource: string;
  /** Seconds since the epoch, as AuthInfo.expiresAt. */
  expiresAt: number;
}

interface RefreshRecord {
  [key: string]: string;
  familyId: string;
}

/** Who an access token of ours acts for: what the MCP endpoint serves it with. */
export interface SignInGrant {
  signInId: string;
  /** The MCP client the person authorized. */
  clientId: string;
  agent: HaloAgentIdentity | undefined;
}

export interface GrantSettings {
  accessTokenTtlMs: number;
}

/** A value that names nothing and cannot be guessed: 256 random bits. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function invalidGrant(message: string): OAuthError {
  return new OAuthError(OAuthErrorCode.InvalidGrant, message);
}

/** RFC 7636 §4.6: the S256 challenge of a verifier, compared in constant time. */
function verifierMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

export class Grants implements OAuthTokenVerifier {
  constructor(
    private readonly store: SignInStore,
    private readonly sealer: Sealer,
    private readonly settings: GrantSettings,
  ) {}

  /** Keeps a sign-in Halo completed; its id is what codes and tokens name. */
  async startSignIn(clientId: string, refreshToken: string, agent: HaloAgentIdentity | undefined): Promise<string> {
    const signInId = randomBytes(16).toString('base64url');
    await this.saveSignIn(signInId, { sealedRefreshToken: this.sealer.seal(refreshToken, signInId), agent: agent ?? null, clientId });
    return signInId;
  }

  /** The keeper of a sign-in's Halo refresh token, for the Halo client that acts as its person; `onEnded` hears when Halo refuses it for good. */
  keeper(signInId: string, onEnded: () => void): SignInKeeper {
    return {
      current: async () => {
        const record = await this.store.get<SignInRecord>(`sign-in:${signInId}`);
        if (!record) return undefined;
        // Asked for just before a refresh: a store that cannot take a write now (a shared one that is down) would lose the token Halo rotates to, and with it the sign-in, so the refresh waits for it.
        await this.store.set(`refreshing:${signInId}`, true, REFRESH_MARK_TTL_MS);
        return this.sealer.open(record.sealedRefreshToken, signInId);
      },
      save: async (update: SignInUpdate) => {
        const record = await this.store.get<SignInRecord>(`sign-in:${signInId}`);
        if (!record) return;
        const agent = update.agent ?? record.agent ?? undefined;
        await this.saveSignIn(signInId, { ...record, sealedRefreshToken: this.sealer.seal(update.refreshToken, signInId), agent: agent ? { ...agent } : null });
      },
      ended: async () => {
        await this.store.delete(`sign-in:${signInId}`);
        onEnded();
      },
      signInAgain: SIGN_IN_AGAIN,
    };
  }

  /** An authorization code for a sign-in, redeemable once within a minute by the client it names. */
  async issueCode(grant: CodeGrant): Promise<string> {
    const code = randomToken();
    await this.store.set(tokenKey('code', code), grant, CODE_TTL_MS);
    return code;
  }

  /**
   * Redeems a code for tokens: once, by its client, with its redirect URI and the PKCE verifier of
   * its challenge. A code presented again revokes the tokens its first use got (RFC 6749 §4.1.2).
   */
  async redeemCode(code: string, request: { clientId: string; redirectUri: string | undefined; codeVerifier: string | undefined; resource: string | undefined }): Promise<OAuthTokens> {
    const grant = await this.store.take<CodeGrant>(tokenKey('code', code));
    if (!grant) {
      const spent = await this.store.take<{ familyId: string }>(tokenKey('spent-code', code));
      if (spent) await this.store.delete(`family:${spent.familyId}`);
      throw invalidGrant('The authorization code is not valid: unknown, expired or already used.');
    }
    if (grant.clientId !== request.clientId) throw invalidGrant('The authorization code was issued to another client.');
    if (request.redirectUri !== grant.redirectUri) throw invalidGrant('redirect_uri is not the one the authorization request named.');
    if (request.codeVerifier === undefined || !verifierMatches(request.codeVerifier, grant.codeChallenge)) throw invalidGrant('code_verifier does not match the code_challenge.');
    if (request.resource !== undefined && request.resource !== grant.resource) throw new OAuthError(OAuthErrorCode.InvalidTarget, 'resource is not the one the authorization request named.');
    if (!(await this.store.get(`sign-in:${grant.signInId}`))) throw invalidGrant('The sign-in this code was issued for has ended.');
    const familyId = randomBytes(16).toString('base64url');
    await this.store.set(`family:${familyId}`, { signInId: grant.signInId, clientId: grant.clientId, resource: grant.resource } satisfies FamilyRecord, SIGN_IN_TTL_MS);
    await this.store.set(tokenKey('spent-code', code), { familyId }, SPENT_CODE_TTL_MS);
    return this.issueTokens(familyId);
  }

  /**
   * New tokens for a refresh token, which is spent: refresh tokens rotate, and one presented again
   * after its rotation (a copy in other hands, or the client's own retry) revokes its family.
   */
  async refresh(refreshToken: string, request: { clientId: string; resource: string | undefined }): Promise<OAuthTokens> {
    const record = await this.store.take<RefreshRecord>(tokenKey('refresh', refreshToken));
    if (!record) {
      const rotated = await this.store.get<RefreshRecord>(tokenKey('rotated', refreshToken));
      if (rotated) await this.store.delete(`family:${rotated.familyId}`);
      throw invalidGrant('The refresh token is not valid: unknown, expired, revoked or already used.');
    }
    const family = await this.liveFamily(record.familyId);
    if (!family) throw invalidGrant('The refresh token was revoked, or its sign-in has ended.');
    if (family.clientId !== request.clientId) throw invalidGrant('The refresh token was issued to another client.');
    if (request.resource !== undefined && request.resource !== family.resource) throw new OAuthError(OAuthErrorCode.InvalidTarget, 'resource is not the one the tokens were issued for.');
    await this.store.set(tokenKey('rotated', refreshToken), record, SIGN_IN_TTL_MS);
    await this.store.set(`family:${record.familyId}`, family, SIGN_IN_TTL_MS);
    return this.issueTokens(record.familyId);
  }

  /** RFC 7009: revokes an access token, or a refresh token with its whole family; a token that is not the client's, or not known, is left as it is. */
  async revoke(token: string, clientId: string): Promise<void> {
    const access = await this.store.get<AccessRecord>(tokenKey('access', token));
    if (access?.clientId === clientId) {
      await this.store.delete(tokenKey('access', token));
      return;
    }
    const refresh = await this.store.get<RefreshRecord>(tokenKey('refresh', token));
    const family = refresh ? await this.store.get<FamilyRecord>(`family:${refresh.familyId}`) : undefined;
    if (refresh && family?.clientId === clientId) {
      await this.store.delete(tokenKey('refresh', token));
      await this.store.delete(`family:${refresh.familyId}`);
    }
  }

  /** The OAuthTokenVerifier of the SDK's bearer check: an access token of ours, still valid, with what it acts for in `extra.signIn`. */
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const record = await this.store.get<AccessRecord>(tokenKey('access', token));
    const signIn = record && (await this.liveFamily(record.familyId)) ? await this.store.get<SignInRecord>(`sign-in:${record.signInId}`) : undefined;
    if (!record || !signIn) throw new OAuthError(OAuthErrorCode.InvalidToken, 'The access token is not valid: unknown, expired or revoked.');
    const grant: SignInGrant = { signInId: record.signInId, clientId: record.clientId, agent: signIn.agent ?? undefined };
    return { token, clientId: record.clientId, scopes: [], expiresAt: record.expiresAt, resource: new URL(record.resource), extra: { signIn: grant } };
  }

  /** A family whose sign-in has not ended. */
  private async liveFamily(familyId: string): Promise<FamilyRecord | undefined> {
    const family = await this.store.get<FamilyRecord>(`family:${familyId}`);
    return family && (await this.store.get(`sign-in:${family.signInId}`)) ? family : undefined;
  }

  private async issueTokens(familyId: string): Promise<OAuthTokens> {
    const family = await this.store.get<FamilyRecord>(`family:${familyId}`);
    if (!family) throw invalidGrant('The grant was revoked.');
    const accessToken = randomToken();
    const refreshToken = randomToken();
    const ttlMs = this.settings.accessTokenTtlMs;
    const expiresAt = Math.floor((Date.now() + ttlMs) / 1000);
    await this.store.set(tokenKey('access', accessToken), { familyId, signInId: family.signInId, clientId: family.clientId, resource: family.resource, expiresAt } satisfies AccessRecord, ttlMs);
    await this.store.set(tokenKey('refresh', refreshToken), { familyId } satisfies RefreshRecord, SIGN_IN_TTL_MS);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: Math.round(ttlMs / 1000), refresh_token: refreshToken };
  }

  private async saveSignIn(signInId: string, record: SignInRecord): Promise<void> {
    await this.store.set(`sign-in:${signInId}`, record, SIGN_IN_TTL_MS);
  }
}
