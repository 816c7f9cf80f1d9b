/**
 * What a technician's sign-in leaves behind on the authorisation server: the authorization code
 * the browser carries back to the application, and the grant it is exchanged for, with its chain
 * of refresh tokens. Access tokens live in the TokenIssuer, each naming the grant it came from, so
 * that ending a grant ends them too.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  /** The S256 challenge the code's verifier must answer. */
  codeChallenge: string;
  scopes: string[];
  agentId: number;
  expiresAt: number;
  /** The grant the code was exchanged for; set once it has been, after which it is spent. */
  grantId?: string;
}

/** One sign-in of one agent to one application: what its code granted, and until when. */
export interface Grant {
  id: string;
  agentId: number;
  clientId: string;
  scopes: string[];
  createdAt: number;
  /** Absolute: refreshing never extends it. */
  expiresAt: number;
  /** The one refresh token that may be used next; none without `offline_access`. */
  refreshToken?: string;
}

export type CodeLookup = { code: AuthorizationCode } | { replayedGrantId: string } | { missing: true };

/** Where a presented refresh token stands: current, rotated out (so stolen), or unknown (never issued, revoked or expired). */
export type RefreshLookup = { grant: Grant } | { reused: Grant } | { missing: true };

const randomValue = (): string => randomBytes(32).toString('base64url');

export class SignIns {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly grants = new Map<string, Grant>();
  /** Every refresh token of a live grant, rotated-out ones included, so a stolen old one is recognised. */
  private readonly refreshTokens = new Map<string, string>();

  constructor(private readonly ttl: { codeSeconds: number; refreshSeconds: number; accessSeconds: number }) {}

  createCode(fields: Omit<AuthorizationCode, 'expiresAt' | 'grantId'>, now: number): string {
    this.prune(now);
    const value = randomValue();
    this.codes.set(value, { ...fields, expiresAt: now + this.ttl.codeSeconds * 1000 });
    return value;
  }

  /** A spent code stays known while its grant lives, so that its replay can end the grant. */
  findCode(value: string, now: number): CodeLookup {
    const code = this.codes.get(value);
    if (code?.grantId !== undefined) return { replayedGrantId: code.grantId };
    return code && code.expiresAt > now ? { code } : { missing: true };
  }

  /** Spends a code on the grant it buys: with a refresh token when `offline_access` was granted. */
  redeem(code: AuthorizationCode, now: number): Grant {
    const offline = code.scopes.includes('offline_access');
    const grant: Grant = {
      id: randomValue(),
      agentId: code.agentId,
      clientId: code.clientId,
      scopes: code.scopes,
      createdAt: now,
      expiresAt: now + (offline ? this.ttl.refreshSeconds : this.ttl.accessSeconds) * 1000,
    };
    code.grantId = grant.id;
    this.grants.set(grant.id, grant);
    if (offline) this.rotate(grant);
    return grant;
  }

  findRefreshToken(value: string, now: number): RefreshLookup {
    this.prune(now);
    const grantId = this.refreshTokens.get(value);
    const grant = grantId === undefined ? undefined : this.grants.get(grantId);
    if (!grant) return { missing: true };
    return grant.refreshToken === value ? { grant } : { reused: grant };
  }

  /** Replaces the grant's refresh token with a new one; the old one stays known as used. */
  rotate(grant: Grant): string {
    const value = randomValue();
    grant.refreshToken = value;
    this.refreshTokens.set(value, grant.id);
    return value;
  }

  /** Ends a grant: its refresh tokens stop working (the caller ends its access tokens). */
  end(grantId: string): void {
    this.grants.delete(grantId);
    for (const [value, id] of this.refreshTokens) if (id === grantId) this.refreshTokens.delete(value);
    for (const [value, code] of this.codes) if (code.grantId === grantId) this.codes.delete(value);
  }

  /** The grants that can still be refreshed, for the admin API. */
  live(now: number): Grant[] {
    this.prune(now);
    return [...this.grants.values()].filter((grant) => grant.refreshToken !== undefined);
  }

  private prune(now: number): void {
    for (const [id, grant] of this.grants) if (grant.expiresAt <= now) this.end(id);
    for (const [value, code] of this.codes) if (code.grantId === undefined && code.expiresAt <= now) this.codes.delete(value);
  }
}

/** RFC 7636's S256: the challenge is the verifier's SHA-256, base64url-encoded without padding. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export interface IdTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp: number;
  id: number;
  name: string;
  email: string;
}

// Halo behaviour: docs/halo-behaviour.md#id-token-claims
/** An HS256 JWT of the claims. Clients read it without checking the signature, which only the sandbox could. */
export function signIdToken(key: Buffer, claims: IdTokenClaims): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}
