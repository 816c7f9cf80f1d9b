/**
 * Who is calling. A caller presents a token as `Authorization: Bearer <token>`, or in the path as
 * `/mcp/<token>` for connectors that cannot send headers; it must match a configured token, compared
 * in constant time so that the time of an answer tells nothing of a token. Without configured tokens
 * (the configuration allows that on loopback only) every caller is anonymous.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TokenGrant } from './options.js';
import { HttpError } from './errors.js';

const CHALLENGE = 'Bearer realm="halopsa-mcp"';

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

  constructor(tokens: readonly TokenGrant[]) {
    this.grants = tokens.map((grant) => ({ grant, digest: digest(grant.token) }));
  }

  /**
   * The grant of the token a request presents (`encodedPathToken` is the `<token>` of `/mcp/<token>`,
   * which wins over the header), or undefined when no tokens are configured. Refuses with 401 a
   * request that presents no token or a wrong one.
   */
  authenticate(request: IncomingMessage, encodedPathToken: string | undefined): TokenGrant | undefined {
    const pathToken = decodePathToken(encodedPathToken);
    if (this.grants.length === 0) return undefined;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const presented = pathToken ?? bearer;
    if (!presented) throw new HttpError(401, 'A bearer token is required.', { 'www-authenticate': CHALLENGE });
    const grant = this.match(presented);
    if (!grant) throw new HttpError(401, 'The bearer token is not valid.', { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` });
    return grant;
  }

  /** Whether a request carries a valid token in its header, without refusing it: /readyz answers everyone, and says why only to a caller with a token. */
  isAuthenticated(request: IncomingMessage): boolean {
    try {
      this.authenticate(request, undefined);
      return true;
    } catch {
      return false;
    }
  }

  /** Every configured digest is compared, whichever matches, so that the time taken does not tell which token came close. */
  private match(presented: string): TokenGrant | undefined {
    const given = digest(presented);
    let found: TokenGrant | undefined;
    for (const { grant, digest: expected } of this.grants) if (timingSafeEqual(given, expected)) found = grant;
    return found;
  }
}
