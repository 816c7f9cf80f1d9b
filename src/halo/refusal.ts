/**
 * What Halo's refusal of a call (401 or 403) means. Live tenants answer a token that lacks the
 * scope of a call with 401, the status of a token they do not accept at all; some integrations
 * see 403. The answer itself says nothing more, so the scopes Halo listed when it issued the token
 * tell the two apart: when they do not allow the call, a scope is missing and a fresh token would
 * be refused the same way.
 */
import { HaloAuthError, HaloPermissionError, type HaloError } from './errors.js';
import { haloMessageOf, sentence, type HaloResponse } from './http.js';
import type { Redactor } from '../util/redact.js';
import { scopeAllows, scopeNeeded, scopeSet } from './scopes.js';

export interface ScopeContext {
  /** The scopes Halo granted the token, as it listed them; undefined when its answer had none. */
  granted: string | undefined;
  /** The scopes the client asked for (HALO_SCOPE). */
  requested: string;
}

export interface Refusal {
  /** Halo's answer, 401 or 403. */
  response: HaloResponse;
  label: { method: string; path: string };
  redactor: Redactor;
  scopes: ScopeContext;
  /** Whether the call was sent again with a fresh token before this refusal. */
  freshTokenTried: boolean;
}

export const WHERE_TO_GRANT = 'in Halo under Configuration > Integrations > Halo API > the application > Permissions';

/** Whether the scopes Halo granted are known and do not allow the call. */
export function scopeMissing(method: string, path: string, granted: string | undefined): boolean {
  if (granted === undefined) return false;
  const need = scopeNeeded(method, path);
  return !scopeAllows(scopeSet(granted), need.area, need.write);
}

/** Where a missing scope is to be added, in words that go on a sentence: HALO_SCOPE too, when the client does not ask for it. */
function grantAdvice(method: string, path: string, requested: string): string {
  const asked = !scopeMissing(method, path, requested);
  return `${asked ? '' : `add it to HALO_SCOPE (now "${requested}") and `}grant it to the API application ${WHERE_TO_GRANT}`;
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

export function refusalError({ response, label, redactor, scopes, freshTokenTried }: Refusal): HaloError {
  const { method, path } = label;
  const { status } = response;
  const haloMessage = haloMessageOf(response, redactor);
  const said = haloMessage ? `: ${haloMessage}` : '';
  const details = { status, method, path, ...(haloMessage ? { haloMessage } : {}) };
  const { scope } = scopeNeeded(method, path);
  const withScope = { ...details, likelyScope: scope };
  const refused = status === 401 ? `Halo refused ${method} ${path} (401)` : `Halo refused ${method} ${path} (403 Forbidden)`;
  if (scopes.granted !== undefined && scopeMissing(method, path, scopes.granted)) {
    const granted = scopes.granted.trim() === '' ? 'no scope at all' : `"${scopes.granted}"`;
    return new HaloPermissionError(
      `${sentence(`${refused}${said}`)} The token lacks the "${scope}" scope: Halo granted ${granted}. ${capitalised(grantAdvice(method, path, scopes.requested))}.`,
      withScope,
    );
  }
  const fresh = freshTokenTried ? ' even with a fresh token' : '';
  if (scopes.granted !== undefined) {
    if (status === 403) {
      return new HaloPermissionError(
        `${sentence(`${refused}${said}`)} The scopes Halo listed with the token ("${scopes.granted}") cover this call, so most likely the agent the API application logs in as lacks the permission (check its role, teams and departments in Halo); if not, check that the application's Permissions grant "${scope}".`,
        withScope,
      );
    }
    // Whether Halo lists the scopes it granted or echoes those asked for is not known, so the scope stays a suspect.
    return new HaloAuthError(
      `${sentence(`Halo refused the access token for ${method} ${path} (401)${fresh}${said}`)} The scopes it listed with the token ("${scopes.granted}") cover this call, so most likely the API application is no longer active in Halo or its secret changed; if both are in order, check that its Permissions grant "${scope}".`,
      details,
    );
  }
  if (status === 403) {
    return new HaloPermissionError(
      `${sentence(`${refused}${said}`)} The API application most likely lacks the "${scope}" scope, or the agent it logs in as lacks the permission; grant it ${WHERE_TO_GRANT}.`,
      withScope,
    );
  }
  return new HaloAuthError(
    `${sentence(`Halo refused the access token for ${method} ${path} (401)${fresh}${said}`)} Halo did not say which scopes it granted, and it answers a missing scope as it answers a token it does not accept: either the API application lacks the "${scope}" scope (${grantAdvice(method, path, scopes.requested)}), or it is no longer active in Halo or its secret changed.`,
    details,
  );
}
