/**
 * What --oauth keeps between requests: entries that expire and a store that cannot be filled,
 * Halo refresh tokens sealed to their record, tokens bound to the one MCP endpoint they were
 * issued for, and redirect URIs that send codes only where a client registered them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { verifyBearerToken } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { Grants } from '../../src/sign-in/grants.js';
import { parseTokenKey, Sealer } from '../../src/sign-in/sealed.js';
import { MemorySignInStore, StoreFullError } from '../../src/sign-in/store.js';
import { Clients, redirectUriProblem, redirectUriRegistered } from '../../src/transports/http/oauth/clients.js';

describe('the memory store', () => {
  it('forgets an entry once its lifetime is over', async () => {
    let now = 1_000;
    const store = new MemorySignInStore({ maxEntriesPerNamespace: 10 }, () => now);
    await store.set('code:a', { x: 1 }, 60_000);
    expect(await store.get('code:a')).toEqual({ x: 1 });
    now += 60_000;
    expect(await store.get('code:a')).toBeUndefined();
  });

  it('gives a taken entry to one caller only', async () => {
    const store = new MemorySignInStore();
    await store.set('code:a', 'once', 60_000);
    expect(await Promise.all([store.take('code:a'), store.take('code:a')])).toEqual(['once', undefined]);
  });

  it('refuses a namespace past its cap, after pruning what expired, and leaves the others be', async () => {
    let now = 0;
    const store = new MemorySignInStore({ maxEntriesPerNamespace: 2 }, () => now);
    await store.set('client:a', 1, 10);
    await store.set('client:b', 1, 1_000);
    await expect(store.set('client:c', 1, 1_000)).rejects.toBeInstanceOf(StoreFullError);
    await store.set('sign-in:a', 1, 1_000);
    now = 20;
    await store.set('client:c', 1, 1_000);
    expect(await store.get('client:c')).toBe(1);
  });
});

describe('sealed refresh tokens', () => {
  const key = randomBytes(32);

  it('open only under their key and for their record', () => {
    const sealer = new Sealer(key);
    const sealed = sealer.seal('halo-refresh-token', 'sign-in-1');
    expect(sealed).not.toContain('halo-refresh-token');
    expect(sealer.open(sealed, 'sign-in-1')).toBe('halo-refresh-token');
    expect(sealer.open(sealed, 'sign-in-2')).toBeUndefined();
    expect(new Sealer(randomBytes(32)).open(sealed, 'sign-in-1')).toBeUndefined();
    expect(sealer.seal('halo-refresh-token', 'sign-in-1')).not.toBe(sealed);
  });

  it('take a key as 64 hex digits or base64 of 32 bytes, and nothing shorter', () => {
    expect(parseTokenKey(key.toString('hex'))).toEqual(key);
    expect(parseTokenKey(key.toString('base64'))).toEqual(key);
    expect(parseTokenKey('ab'.repeat(16))).toBeUndefined();
  });
});

describe('tokens bound to their resource', () => {
  it('are refused by a server with another public URL that shares the store', async () => {
    const store = new MemorySignInStore();
    const grants = new Grants(store, new Sealer(randomBytes(32)), { accessTokenTtlMs: 60_000 });
    const signInId = await grants.startSignIn('client-1', 'halo-refresh', { id: 7, name: 'Sam Patel' });
    const verifier = randomBytes(32).toString('base64url');
    const codeChallenge = createHash('sha256').update(verifier).digest('base64url');
    const code = await grants.issueCode({ clientId: 'client-1', redirectUri: 'https://client.example/cb', codeChallenge, resource: 'https://a.example/mcp', signInId });
    const tokens = await grants.redeemCode(code, { clientId: 'client-1', redirectUri: 'https://client.example/cb', codeVerifier: verifier, resource: undefined });
    const header = `Bearer ${tokens.access_token}`;
    const ours = await verifyBearerToken(header, { verifier: grants, expectedResource: new URL('https://a.example/mcp') });
    expect(ours.extra?.signIn).toMatchObject({ signInId, clientId: 'client-1', agent: { id: 7 } });
    await expect(verifyBearerToken(header, { verifier: grants, expectedResource: new URL('https://b.example/mcp') })).rejects.toThrow(/not issued for this resource/);
    expect(JSON.stringify([...(store as unknown as { entries: Map<string, unknown> }).entries])).not.toContain(tokens.access_token);
  });

  it('stop working once Halo ends the sign-in', async () => {
    const grants = new Grants(new MemorySignInStore(), new Sealer(randomBytes(32)), { accessTokenTtlMs: 60_000 });
    const signInId = await grants.startSignIn('client-1', 'halo-refresh', undefined);
    const verifier = randomBytes(32).toString('base64url');
    const code = await grants.issueCode({ clientId: 'client-1', redirectUri: 'https://c/cb', codeChallenge: createHash('sha256').update(verifier).digest('base64url'), resource: 'https://a.example/mcp', signInId });
    const tokens = await grants.redeemCode(code, { clientId: 'client-1', redirectUri: 'https://c/cb', codeVerifier: verifier, resource: 'https://a.example/mcp' });
    let ended = false;
    const keeper = grants.keeper(signInId, () => (ended = true));
    expect(await keeper.current()).toBe('halo-refresh');
    await keeper.save({ refreshToken: 'halo-refresh-2', agent: { id: 9 } });
    expect(await keeper.current()).toBe('halo-refresh-2');
    await keeper.ended();
    expect(ended).toBe(true);
    await expect(grants.verifyAccessToken(tokens.access_token)).rejects.toThrow(/not valid/);
  });
});

describe('redirect URIs', () => {
  it('must be https, or http on loopback, without a fragment', () => {
    expect(redirectUriProblem('https://claude.ai/api/mcp/auth_callback')).toBeUndefined();
    expect(redirectUriProblem('http://127.0.0.1:33418/callback')).toBeUndefined();
    expect(redirectUriProblem('http://client.example/callback')).toMatch(/neither https/);
    expect(redirectUriProblem('https://client.example/cb#x')).toMatch(/fragment/);
  });

  it('match as registered, or on loopback on any port (RFC 8252 §7.3)', () => {
    expect(redirectUriRegistered('http://127.0.0.1:5000/cb', ['http://127.0.0.1:9/cb'])).toBe(true);
    expect(redirectUriRegistered('http://127.0.0.1:5000/other', ['http://127.0.0.1:9/cb'])).toBe(false);
    expect(redirectUriRegistered('https://client.example:8443/cb', ['https://client.example/cb'])).toBe(false);
    expect(redirectUriRegistered('https://client.example/cb?x=1', ['https://client.example/cb'])).toBe(false);
  });
});

describe('client metadata documents', () => {
  /** A metadata document any fetch would accept, served on loopback over plain http. */
  async function documentServer(): Promise<{ url: string; close: () => Promise<void>; fetched: () => number }> {
    let fetched = 0;
    const server = createServer((request, response) => {
      fetched++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ client_id: `http://127.0.0.1:${(server.address() as AddressInfo).port}${request.url ?? ''}`, redirect_uris: ['https://client.example/cb'], token_endpoint_auth_method: 'none' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client.json`,
      close: () => new Promise((resolve) => server.close(() => resolve())),
      fetched: () => fetched,
    };
  }

  it('are never fetched from an internal address by a public server, even one written as an IP literal, which no DNS lookup checks', async () => {
    // Any connection at all counts: a refusal must come before one is made, not from TLS failing after.
    let connections = 0;
    const listener = createNetServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    const clients = new Clients({ store: new MemorySignInStore(), allowLocalMetadataDocuments: false });
    try {
      for (const clientId of [`https://127.0.0.1:${port}/client.json`, `https://localhost:${port}/client.json`, `https://[::ffff:127.0.0.1]:${port}/client.json`, 'https://169.254.169.254/latest/meta-data/client.json']) {
        expect(await clients.find(clientId), clientId).toBeUndefined();
      }
      expect(connections).toBe(0);
    } finally {
      await clients.close();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });

  it('are fetched from loopback by a server that is itself on loopback, for trying it out', async () => {
    const documents = await documentServer();
    const clients = new Clients({ store: new MemorySignInStore(), allowLocalMetadataDocuments: true });
    try {
      expect(await clients.find(documents.url)).toMatchObject({ clientId: documents.url, redirectUris: ['https://client.example/cb'] });
      expect(documents.fetched()).toBe(1);
    } finally {
      await clients.close();
      await documents.close();
    }
  });
});
