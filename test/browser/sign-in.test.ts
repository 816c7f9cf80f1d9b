/**
 * Signing in through the pages themselves, in a real browser: headless Chromium (Debian's
 * `chromium`, driven by playwright-core, which downloads no browser of its own) follows the whole
 * redirect chain of --oauth, from the MCP client's authorization URL through our consent page and
 * Halo's sign-in page back to the client's redirect URI, and the client then acts as the
 * technician who signed in.
 */
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp, type HttpServer } from '../helpers/http.js';
import { MemoryOAuthProvider } from '../helpers/oauth.js';
import { freePort } from '../helpers/ports.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/** Where Debian's package puts the browser; CHROMIUM_PATH names another. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SAM = 'sam.patel@northbeam-it.example';

/** The flags a root process in a closed network needs: no sandbox, and none of the browser's own calls home. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let sandbox: TestSandbox;
let server: HttpServer;
let browser: Browser;
/** The client's redirect URI: a page of the test's own, which keeps what the sign-in sent back. */
let clientRedirect: Server;
let redirectUrl: string;
let sentBack: URLSearchParams | undefined;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`This test signs in in Chromium, which is not at ${CHROMIUM}: install Debian's package (apt-get install chromium), or set CHROMIUM_PATH to a Chromium or Chrome.`);
  }
  clientRedirect = createHttpServer((request, response) => {
    const url = new URL(request.url ?? '/', redirectUrl);
    // The browser asks for a favicon too.
    if (url.pathname !== '/callback') {
      response.writeHead(404).end();
      return;
    }
    sentBack = url.searchParams;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Signed in</title><p id="done">The assistant is signed in.</p>');
  });
  redirectUrl = `http://127.0.0.1:${await listen(clientRedirect)}/callback`;
  // The server's port must be known before it starts: its public URL, and the callback Halo sends people back to, name it.
  const port = await freePort();
  sandbox = await startTestSandbox({ redirectUris: [`http://127.0.0.1:${port}/oauth/callback`] });
  server = await startHttp(['--oauth', '--port', String(port), '--toolsets', 'core'], {
    HALO_URL: sandbox.url,
    HALO_CLIENT_ID: sandbox.clientId,
    HALO_CLIENT_SECRET: sandbox.clientSecret,
    HALO_LOGIN_CLIENT_ID: sandbox.loginClientId,
    HALO_PUBLIC_URL: `http://127.0.0.1:${port}`,
    HALO_TOKEN_KEY: 'b'.repeat(64),
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser.close();
  await server.stop();
  await sandbox.close();
  await new Promise<void>((resolve) => clientRedirect.close(() => resolve()));
});

describe('signing in in Chromium', () => {
  it('goes from the client through consent and Halo’s sign-in page back to the client, which then acts as the technician', async () => {
    const provider = new MemoryOAuthProvider(redirectUrl, 'Browser sign-in test');
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider });
    await expect(new Client({ name: 'browser-e2e', version: '1' }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrl?.origin).toBe(server.base);

    const page = await browser.newPage();
    await page.goto(String(provider.authorizationUrl));
    // Our consent page names the client before anyone signs in to Halo.
    await expect(page.textContent('body')).resolves.toContain('Browser sign-in test');
    await page.click('#allow');
    // Halo's own page: a wrong password first, which it refuses on the page.
    await page.waitForURL(`${sandbox.url}/auth/authorize**`);
    await page.fill('#username', SAM);
    await page.fill('#password', 'not-the-password');
    await page.click('#signin');
    await expect(page.textContent('body')).resolves.toContain('The username or password is incorrect.');
    expect(sentBack).toBeUndefined();
    await page.fill('#password', sandbox.demoPassword);
    await page.click('#signin');
    // Through our callback, to the client's redirect URI.
    await page.waitForURL(`${redirectUrl}**`);
    await expect(page.textContent('#done')).resolves.toBe('The assistant is signed in.');
    await page.close();

    expect(sentBack?.get('code')).toEqual(expect.any(String));
    expect(sentBack?.get('iss')).toBe(server.base);
    await transport.finishAuth(sentBack ?? new URLSearchParams());
    const client = new Client({ name: 'browser-e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }));
    try {
      const whoami = await client.callTool({ name: 'halo_whoami', arguments: {} });
      expect(whoami.isError).toBeFalsy();
      expect(whoami.structuredContent).toMatchObject({ me: { name: 'Sam Patel' } });
    } finally {
      await client.close();
    }
  });
});
