/**
 * Who is calling. A caller presents a token as `Authorization: Bearer <token>`, or in the path as
 * `/mcp/<token>` for connectors that cannot send headers; it must match a configured token, compared
 * in constant time so that the time of an answer tells nothing of a token. With `--oauth` a bearer
 * token may also be an access token this server issued, checked by the MCP SDK's verifyBearerToken
 * (known, not expired, issued for this server's MCP endpoint); its refusals point the client at the
 * protected resource metadata, where it learns how to sign in (RFC 9728 §5.1). A token in the path
 * is a configured one only: issued tokens travel in the header, away from access logs. Without
 * configured tokens or --oauth (the configuration allows that on loopback only) every caller is anonymous.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { OAuthError, OAuthErrorCode, bearerAuthChallengeResponse, verifyBearerToken, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import type { SignInGrant } from '../../sign-in/grants.js';
import { StoreUnavailableError } from '../../sign-in/store.js';
import type { CallerGrant, TokenGrant } from './options.js';
import { HttpError } from './errors.js';

const CHALLENGE = 'Bearer realm="halopsa-mcp"';

/** The tokens this server issues with --oauth, and where a client learns to get one. */
export interface IssuedTokens {
  verifier: OAuthTokenVerifier;
  /** The MCP endpoint: tokens for another audience are refused. */
  resource: URL;
  resourceMetadataUrl: string;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Decodes the token of `/mcp/<token>`; a path that is not valid percent-encoding is the caller's mistake. */
function decodePathToken(encoded: string | undefined): string | undefined {
  if (encoded === undefined) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new HttpError(400, 'The path is not valid percent-encoding.');
  }
}

export class Authenticator {
  /** The configured tokens, hashed once rather than on every request. */
  private readonly grants: readonly { grant: TokenGrant; digest: Buffer }[];

  constructor(
    tokens: readonly TokenGrant[],
    private readonly issued?: IssuedTokens,
  ) {
    this.grants = tokens.map((grant) => ({ grant, digest: digest(grant.token) }));
  }

  /**
   * The grant of the token a request presents (`encodedPathToken` is the `<token>` of `/mcp/<token>`,
   * which wins over the header), or undefined when no caller needs a token. Refuses with 401 a
   * request that presents no token or a wrong one.
   */
  async authenticate(request: IncomingMessage, encodedPathToken: string | undefined): Promise<CallerGrant | undefined> {
    const pathToken = decodePathToken(encodedPathToken);
    if (this.grants.length === 0 && !this.issued) return undefined;
    const header = request.headers.authorization;
    const bearer = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    const presented = pathToken ?? bearer;
    if (!presented) throw this.refusal(new OAuthError(OAuthErrorCode.InvalidToken, 'A bearer token is required.'), 'A bearer token is required.');
    const grant = this.match(presented);
    if (grant) return grant;
    if (!this.issued || pathToken !== undefined) throw this.refusal(new OAuthError(OAuthErrorCode.InvalidToken, 'The bearer token is not valid.'), 'The bearer token is not valid.', 'invalid_token');
    return this.verifyIssued(header ?? '');
  }

  /** Whether a request carries a valid token in its header, without refusing it: /readyz answers everyone, and says why only to a caller with a token. */
  async isAuthenticated(request: IncomingMessage): Promise<boolean> {
    try {
      return (await this.authenticate(request, undefined)) !== undefined;
    } catch {
      return false;
    }
  }

  private async verifyIssued(header: string): Promise<CallerGrant> {
    const issued = this.issued as IssuedTokens;
    try {
      const info = await verifyBearerToken(header, { verifier: issued.verifier, expectedResource: issued.resource, resourceMetadataUrl: issued.resourceMetadataUrl });
      const signIn = info.extra?.signIn as SignInGrant;
      return { id: `sign-in:${signIn.signInId}`, signIn };
    } catch (error) {
      // Not a refusal: the token may well be valid, and a 401 would send the client to sign in again for nothing.
      if (error instanceof StoreUnavailableError) throw new HttpError(503, error.message, { 'retry-after': '5' });
      throw this.refusal(error, error instanceof Error ? error.message : 'The bearer token is not valid.');
    }
  }

  /**
   * A 401 with its challenge: the SDK's (which names the resource metadata) when this server issues
   * tokens, else the plain one of configured tokens.
   */
  private refusal(error: unknown, message: string, plainError?: string): HttpError {
    if (!this.issued) return new HttpError(401, message, { 'www-authenticate': plainError ? `${CHALLENGE}, error="${plainError}"` : CHALLENGE });
    const answer = bearerAuthChallengeResponse(error, { resourceMetadataUrl: this.issued.resourceMetadataUrl });
    const challenge = answer.headers.get('www-authenticate');
    if (answer.status !== 401 || challenge === null) return new HttpError(answer.status, message);
    return new HttpError(401, message, { 'www-authenticate': challenge });
  }

  /** Every configured digest is compared, whichever matches, so that the time taken does not tell which token came close. */
  private match(presented: string): TokenGrant | undefined {
    const given = digest(presented);
    let found: TokenGrant | undefined;
    for (const { grant, digest: expected } of this.grants) if (timingSafeEqual(given, expected)) found = grant;
    return found;
  }
}
