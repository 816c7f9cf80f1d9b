import { describe, expect, it } from 'vitest';
import { HaloAuthError, HaloPermissionError } from '../../src/halo/errors.js';
import { Redactor } from '../../src/util/redact.js';
import { refusalError, type ScopeContext } from '../../src/halo/refusal.js';

function refused(status: 401 | 403, scopes: ScopeContext, path = '/Client') {
  return refusalError({ response: { status, headers: {}, text: '' }, label: { method: 'GET', path }, redactor: new Redactor(), scopes, freshTokenTried: true });
}

describe('what a refusal means, from the scopes Halo granted', () => {
  it('asks to grant the scope in Halo when the client asked for it but Halo did not grant it', () => {
    const error = refused(401, { granted: 'read:tickets', requested: 'all' });
    expect(error).toBeInstanceOf(HaloPermissionError);
    expect(error.message).toBe(
      'Halo refused GET /Client (401). The token lacks the "read:customers" scope: Halo granted "read:tickets". Grant it to the API application in Halo under Configuration > Integrations > Halo API > the application > Permissions.',
    );
  });

  it('says so when Halo granted no scope at all', () => {
    expect(refused(401, { granted: '', requested: 'all' }).message).toMatch(/lacks the "read:customers" scope: Halo granted no scope at all\./);
  });

  it("puts a 403 whose scopes cover the call on the agent's own permissions", () => {
    const error = refused(403, { granted: 'read:customers', requested: 'read:customers' });
    expect(error).toBeInstanceOf(HaloPermissionError);
    expect(error.message).toMatch(/cover this call, so most likely the agent the API application logs in as lacks the permission/);
  });

  it('names the likely scope of a 403 when Halo did not list the scopes it granted', () => {
    const error = refused(403, { granted: undefined, requested: 'all' });
    if (!(error instanceof HaloPermissionError)) throw new Error(`expected a permission error, got ${error.name}`);
    expect(error.likelyScope).toBe('read:customers');
    expect(error.message).toMatch(/most likely lacks the "read:customers" scope, or the agent it logs in as lacks the permission/);
  });

  it('gives both causes of a 401 when Halo did not list the scopes it granted', () => {
    const error = refused(401, { granted: undefined, requested: 'read:tickets' });
    expect(error).toBeInstanceOf(HaloAuthError);
    expect(error.message).toMatch(/either the API application lacks the "read:customers" scope \(add it to HALO_SCOPE \(now "read:tickets"\) and grant it .*\), or it is no longer active in Halo or its secret changed\./);
  });
});
