/**
 * A technician's own sign-in to Halo (the authorization code grant), as the client meets it: a
 * refresh token that someone keeps (the `login` command's credentials file, or the hosted
 * server's encrypted store), and the agent Halo's `id_token` names.
 */

/** The Halo agent a token acts as, as its `id_token` names it. */
export interface HaloAgentIdentity {
  id: number;
  name?: string;
  email?: string;
}

/** What a token request answered that the keeper of a sign-in holds on to. */
export interface SignInUpdate {
  /** The refresh token to use next: Halo's new one when it rotates them, else the one used. */
  refreshToken: string;
  agent: HaloAgentIdentity | undefined;
}

/**
 * Where a sign-in's refresh token lives. The client asks it for the token before each refresh
 * (another process sharing the sign-in may have rotated it since) and hands it every new one.
 */
export interface SignInKeeper {
  /** The refresh token held now, or undefined when there is no sign-in (any more). */
  current(): Promise<string | undefined>;
  save(update: SignInUpdate): Promise<void>;
  /** Halo refused the refresh token for good (it expired or was revoked): the sign-in is over. */
  ended(): Promise<void>;
  /** What the person does to sign in again, for the error that says the sign-in ended. */
  readonly signInAgain: string;
}

// Halo behaviour: docs/halo-behaviour.md#id-token-claims
/**
 * The agent an `id_token` names. Its signature is not checked: the token came straight from
 * Halo's token endpoint over TLS, which OpenID Connect Core §3.1.3.7 accepts in place of the
 * signature. Halo is reported to put the agent's `id`, `name` and `email` in it; `agent_id` (which
 * one client reads from Halo's access tokens) and then `sub` are read when `id` is missing. Undefined when the token is not a JWT or names no agent.
 */
export function agentFromIdToken(idToken: unknown): HaloAgentIdentity | undefined {
  if (typeof idToken !== 'string') return undefined;
  const payload = idToken.split('.')[1];
  if (payload === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { id, agent_id: agentIdClaim, sub, name, email } = claims as Record<string, unknown>;
  const agentId = [id, agentIdClaim, sub].map(Number).find((value) => Number.isInteger(value) && value > 0);
  if (agentId === undefined) return undefined;
  return { id: agentId, ...(typeof name === 'string' && name ? { name } : {}), ...(typeof email === 'string' && email ? { email } : {}) };
}
