/**
 * The client acting as a signed-in technician, by the refresh token of the credentials file, against
 * a token endpoint that rotates refresh tokens as Halo may: each new one is saved, one another
 * process rotated first is used once, and a refused one ends the sign-in with what to do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HaloClient } from '../../src/halo/client.js';
import { HaloAuthError } from '../../src/halo/errors.js';
import { CredentialsFile, type StoredSignIn } from '../../src/sign-in/credentials-file.js';

/** A Halo whose token endpoint takes each refresh token once, and whose API names the agent of the access token. */
interface FakeHalo {
  url: string;
  /** The refresh tokens sent to the token endpoint, in order. */
  sent: string[];
  /** Refresh tokens Halo will take. */
  valid: Set<string>;
  /** Runs when a refresh token arrives, before it is answered: another process at work. */
  onRefresh: ((token: string) => Promise<void>) | undefined;
}

const idToken = (claims: Record<string, unknown>): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

let server: Server;
let halo: FakeHalo;
let issued = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      void (async () => {
        const json = (status: number, value: unknown) => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(value));
        };
        if (request.url?.startsWith('/auth/token')) {
          const form = new URLSearchParams(body);
          const token = form.get('refresh_token') ?? '';
          halo.sent.push(token);
          await halo.onRefresh?.(token);
          if (form.get('grant_type') !== 'refresh_token' || form.get('client_id') !== 'login-app' || !halo.valid.delete(token)) {
            json(400, { error: 'invalid_grant' });
            return;
          }
          const next = `rotated-refresh-token-${++issued}-0123456789`;
          halo.valid.add(next);
          json(200, { access_token: `access-token-${issued}-0123456789abcdef`, expires_in: 3600, refresh_token: next, id_token: idToken({ id: '7', name: 'Jane Doe', email: 'jane@acme.example' }) });
          return;
        }
        if (request.url === '/api/Agent/me' && request.headers.authorization?.startsWith('Bearer access-token-')) {
          json(200, { id: 7, name: 'Jane Doe' });
          return;
        }
        json(401, { error: 'unauthorized' });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

let directory: string;
let file: CredentialsFile;
const clients: HaloClient[] = [];

beforeEach(async () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  halo = { url, sent: [], valid: new Set(['first-refresh-token-0123456789abc']), onRefresh: undefined };
  directory = await mkdtemp(join(tmpdir(), 'halopsa-sign-in-'));
  file = new CredentialsFile(join(directory, 'credentials.json'));
  const stored: StoredSignIn = {
    version: 1,
    halo_url: url,
    auth_url: `${url}/auth`,
    client_id: 'login-app',
    refresh_token: 'first-refresh-token-0123456789abc',
    agent: { id: 7, name: 'Jane' },
    signed_in_at: '2026-12-02T10:00:00.000Z',
  };
  await file.write(stored);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await rm(directory, { recursive: true, force: true });
});

function client(): HaloClient {
  const created = new HaloClient(
    { url: halo.url, authUrl: `${halo.url}/auth`, clientId: 'login-app', scope: 'all', timeoutMs: 5_000, retry: { maxAttempts: 3, budgetMs: 10_000, baseDelayMs: 10, maxDelayMs: 50 }, maxResponseBytes: 1_000_000 },
    { signIn: file },
  );
  clients.push(created);
  return created;
}

describe('a client signed in by the credentials file', () => {
  it('acts as the technician, and saves the refresh token Halo rotated to, with the agent its id_token names', async () => {
    const signedIn = client();
    expect(signedIn.actsAs).toBe('technician');
    expect(await signedIn.get('/Agent', 'me')).toMatchObject({ id: 7 });
    expect(halo.sent).toEqual(['first-refresh-token-0123456789abc']);
    const stored = await file.read();
    expect(stored?.refresh_token).toMatch(/^rotated-refresh-token-\d+-/);
    expect(halo.valid.has(stored?.refresh_token ?? '')).toBe(true);
    expect(stored?.agent).toEqual({ id: 7, name: 'Jane Doe', email: 'jane@acme.example' });
    expect(signedIn.agent).toEqual({ id: 7, name: 'Jane Doe', email: 'jane@acme.example' });
  });

  it('uses once a refresh token another process rotated to while its own was on the way', async () => {
    // Another server sharing the file refreshed first: Halo took the token and the file now holds the new one.
    halo.onRefresh = async (token) => {
      if (token !== 'first-refresh-token-0123456789abc') return;
      halo.valid.delete(token);
      halo.valid.add('other-process-refresh-token-01234');
      const stored = await file.read();
      if (stored) await file.write({ ...stored, refresh_token: 'other-process-refresh-token-01234' });
    };
    await client().get('/Agent', 'me');
    expect(halo.sent).toEqual(['first-refresh-token-0123456789abc', 'other-process-refresh-token-01234']);
    expect((await file.read())?.refresh_token).toMatch(/^rotated-refresh-token-/);
  });

  it('ends the sign-in when Halo refuses its refresh token: the file goes, and the error says to sign in again', async () => {
    halo.valid.clear();
    const error = await client()
      .get('/Agent', 'me')
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(error).toBeInstanceOf(HaloAuthError);
    expect((error as Error).message).toMatch(/The Halo sign-in has ended: .*invalid_grant.*Run "halopsa-mcp login" to sign in again\./);
    expect((error as Error).message).not.toContain('first-refresh-token');
    // The refused token is not tried twice: only a newer one would be.
    expect(halo.sent).toEqual(['first-refresh-token-0123456789abc']);
    await expect(stat(file.path)).rejects.toThrow(/ENOENT/);
  });
});
