/**
 * Halo's access tokens: each with a lifetime, the scopes it was granted and the agent it acts as,
 * and the rule that decides which scopes an application can be granted.
 */
import { randomBytes } from 'node:crypto';
import { DATA_AREAS } from './scopes.js';

export interface IssuedToken {
  accessToken: string;
  scopes: Set<string>;
  /** The agent the token acts as: the API application's own, or the technician who signed in. */
  agentId: number;
  clientId: string;
  /** The sign-in the token was issued under (a code and its refreshes); none for client credentials. */
  grantId?: string;
  expiresAt: number;
}

/** Whom a token is issued to and acts as. */
export interface TokenHolder {
  agentId: number;
  clientId: string;
  grantId?: string;
}

// Halo behaviour: docs/halo-behaviour.md#token-invalid-scope
/** Scopes an API application can be granted (Halo's list; `all` grants everything). */
export function isKnownScope(scope: string): boolean {
  if (scope === 'all' || scope === 'all:standard' || scope === 'admin' || scope.startsWith('admin:')) return true;
  if (scope === 'editMine:timesheets' || scope === 'access:chat' || scope === 'access:adpasswordreset') return true;
  const [verb, area] = scope.split(':');
  return (verb === 'read' || verb === 'edit') && (DATA_AREAS as readonly (string | undefined)[]).includes(area);
}

/** Access tokens remembered for the admin API, so a test can prove none leaked; the oldest go first. */
const ISSUED_MEMORY = 10_000;

export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();
  /** Every access token issued, expired ones included, most recent last. */
  readonly issued: string[] = [];

  constructor(private readonly ttlSeconds: number) {}

  issue(scopes: Set<string>, holder: TokenHolder, now: number): IssuedToken {
    this.prune(now);
    const token: IssuedToken = {
      accessToken: randomBytes(32).toString('base64url'),
      scopes,
      ...holder,
      expiresAt: now + this.ttlSeconds * 1000,
    };
    this.tokens.set(token.accessToken, token);
    this.issued.push(token.accessToken);
    if (this.issued.length > ISSUED_MEMORY) this.issued.shift();
    return token;
  }

  // Halo behaviour: docs/halo-behaviour.md#token-response-fields
  get expiresIn(): number {
    return this.ttlSeconds;
  }

  // Halo behaviour: docs/halo-behaviour.md#bad-token-401
  /** The token behind an Authorization header, if it is a live bearer token. */
  verify(header: string | undefined, now: number): IssuedToken | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return match?.[1] ? this.find(match[1], now) : undefined;
  }

  /** The live token with this value, if any. */
  find(accessToken: string, now: number): IssuedToken | undefined {
    const token = this.tokens.get(accessToken);
    return token && token.expiresAt > now ? token : undefined;
  }

  revoke(accessToken: string): void {
    this.tokens.delete(accessToken);
  }

  /** Ends every access token issued under one sign-in. */
  revokeGrant(grantId: string): void {
    for (const [key, token] of this.tokens) if (token.grantId === grantId) this.tokens.delete(key);
  }

  private prune(now: number): void {
    for (const [key, token] of this.tokens) if (token.expiresAt <= now) this.tokens.delete(key);
  }
}
