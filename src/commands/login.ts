/**
 * `halopsa-mcp login` and `logout`: a technician signs in to Halo as themselves in the browser (the
 * authorization code grant, answered on a loopback address as RFC 8252 has native apps do), and
 * the refresh token is kept in the credentials file, which the stdio server, `call` and `doctor`
 * then use. Everything goes to stderr: stdout stays clean for scripts.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loginRedirectFromEnv, signInTargetFromEnv, type Env } from '../config/index.js';
import { HaloClient } from '../halo/client.js';
import { DEFAULT_MAX_RESPONSE_MB, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from '../halo/config.js';
import type { HaloAgentIdentity } from '../halo/sign-in.js';
import { CredentialsFile, CredentialsFileError, credentialsPath, type StoredSignIn } from '../sign-in/credentials-file.js';
import { finishHaloSignIn, revokeHaloSignIn, startHaloSignIn, type HaloSignInTarget } from '../sign-in/halo-authorization.js';
import { html } from '../util/html.js';
import { Redactor } from '../util/redact.js';

/** How long the person has to sign in before the command gives up. */
const SIGN_IN_WAIT_MS = 5 * 60_000;
const REVOKE_TIMEOUT_MS = 10_000;

export interface LoginOptions {
  /** Open the system browser at Halo's sign-in page; the address is printed either way. */
  openBrowser: boolean;
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The small page the browser shows once Halo sent it back here. */
function answerPage(response: ServerResponse, status: number, message: string): void {
  const body = html`<!doctype html><html><head><meta charset="utf-8"><title>halopsa-mcp</title></head><body><p>${message}</p></body></html>`.text;
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  response.end(body);
}

/** Best effort: where no browser can be opened, the printed address still works. */
function openSystemBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? // `start` takes the window title first; the address is quoted, as cmd would otherwise split it at each `&`.
          ['cmd', ['/c', 'start', '""', `"${url}"`]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsVerbatimArguments: process.platform === 'win32' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this system: the person opens the printed address.
  }
}

/** The technician a person signed in as, named by the agent so that a person recognises it. */
function agentWords(agent: HaloAgentIdentity): string {
  return [agent.name, agent.email ? `<${agent.email}>` : undefined].filter(Boolean).join(' ') || `agent ${agent.id}`;
}

/**
 * The agent of a new sign-in whose id_token named none: Halo's own answer to GET /Agent/me, made
 * with the new refresh token. Its rotation, if Halo rotates, is what the file then keeps.
 */
async function agentByApi(target: HaloSignInTarget & { url: string }, refreshToken: string): Promise<{ agent: HaloAgentIdentity; refreshToken: string }> {
  let held = refreshToken;
  const halo = new HaloClient(
    { ...target, scope: 'all', timeoutMs: DEFAULT_TIMEOUT_MS, retry: DEFAULT_RETRY, maxResponseBytes: DEFAULT_MAX_RESPONSE_MB * 1024 * 1024 },
    {
      signIn: {
        current: () => Promise.resolve(held),
        save: (update) => {
          held = update.refreshToken;
          return Promise.resolve();
        },
        ended: () => Promise.resolve(),
        signInAgain: 'Run "halopsa-mcp login" again.',
      },
    },
  );
  try {
    const me = await halo.get('/Agent', 'me');
    const id = Number(me.id);
    if (!Number.isInteger(id) || id <= 0) throw new Error('Halo signed you in, but names no agent for the sign-in (GET /api/Agent/me). Sign in as a Halo agent.');
    return {
      agent: { id, ...(typeof me.name === 'string' && me.name ? { name: me.name } : {}), ...(typeof me.email === 'string' && me.email ? { email: me.email } : {}) },
      refreshToken: held,
    };
  } finally {
    await halo.close();
  }
}

export async function login(env: Env, { openBrowser }: LoginOptions): Promise<void> {
  const target = signInTargetFromEnv(env);
  const redirect = loginRedirectFromEnv(env);
  const file = new CredentialsFile(credentialsPath(env));
  const redactor = new Redactor();
  redactor.add(target.clientSecret);
  const state = randomBytes(24).toString('base64url');

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${redirect.port} of ${redirect.hostname} is in use, so Halo cannot send the sign-in back to it. Free it, or choose another port with --redirect-port (and register http://127.0.0.1:<port>/callback with the application in Halo).`)
          : error,
      ),
    );
    // `[::1]` is how a URL writes the address listen takes as `::1`.
    server.listen(Number(redirect.port || 80), redirect.hostname.replace(/^\[(.*)\]$/, '$1'), resolve);
  });
  // Port 0 asked for any free port: the address names the one given.
  if (redirect.port === '0') redirect.port = String((server.address() as AddressInfo).port);
  const redirectUri = redirect.href;
  let waiting: NodeJS.Timeout | undefined;
  try {
    const { url, codeVerifier } = await startHaloSignIn(target, redirectUri, state);
    redactor.add(codeVerifier);

    /** Redeems the code Halo sent back and writes the file; the browser is answered once that is done, so that its page tells the truth. */
    const keep = async (code: string): Promise<StoredSignIn> => {
      redactor.add(code);
      const signedIn = await finishHaloSignIn(target, redirectUri, code, codeVerifier);
      redactor.addToken(signedIn.refreshToken);
      const { agent, refreshToken } = signedIn.agent ? { agent: signedIn.agent, refreshToken: signedIn.refreshToken } : await agentByApi(target, signedIn.refreshToken);
      const stored: StoredSignIn = {
        version: 1,
        halo_url: target.url,
        auth_url: target.authUrl,
        ...(target.tenant ? { tenant: target.tenant } : {}),
        client_id: target.clientId,
        refresh_token: refreshToken,
        agent,
        signed_in_at: new Date().toISOString(),
      };
      await file.write(stored);
      return stored;
    };

    const signedIn = new Promise<StoredSignIn>((resolve, reject) => {
      waiting = setTimeout(() => reject(new Error(`Nobody signed in within ${SIGN_IN_WAIT_MS / 60_000} minutes. Run "halopsa-mcp login" again when you are ready.`)), SIGN_IN_WAIT_MS);
      let answered = false;
      server.on('request', (request, response) => {
        const query = new URL(request.url ?? '/', redirectUri);
        if (request.method !== 'GET' || query.pathname !== redirect.pathname) {
          answerPage(response, 404, 'This address only takes Halo’s answer to a sign-in.');
          return;
        }
        // Another attempt's answer, or a page reloaded: not this sign-in's, and not a reason to stop waiting for it.
        if (query.searchParams.get('state') !== state) {
          answerPage(response, 400, 'This answer belongs to another sign-in. Open the address halopsa-mcp login printed last.');
          return;
        }
        if (answered) {
          answerPage(response, 409, 'This sign-in has already been answered. You can close this tab.');
          return;
        }
        answered = true;
        const error = query.searchParams.get('error');
        const code = query.searchParams.get('code');
        if (error || !code) {
          const description = query.searchParams.get('error_description');
          const message = `Halo did not sign you in: ${error ?? 'it sent no code'}${description ? ` (${description})` : ''}.`;
          answerPage(response, 400, message);
          reject(new Error(message));
          return;
        }
        keep(code).then(
          (stored) => {
            answerPage(response, 200, `Signed in to Halo as ${stored.agent.name ?? stored.agent.email ?? `agent ${stored.agent.id}`}. You can close this tab.`);
            resolve(stored);
          },
          (failure: unknown) => {
            const message = `The sign-in failed: ${redactor.redact(failure instanceof Error ? failure.message : String(failure))}`;
            answerPage(response, 502, message);
            reject(new Error(message));
          },
        );
      });
    });

    say(`Open this address to sign in to Halo: ${url.href}`);
    say(`Waiting for Halo to send you back to ${redirectUri}...`);
    if (openBrowser) openSystemBrowser(url.href);
    const stored = await signedIn;
    say(`Signed in to ${stored.halo_url} as ${agentWords(stored.agent)} (agent ${stored.agent.id}). Credentials saved in ${file.path}.`);
  } finally {
    clearTimeout(waiting);
    // Connections the browser keeps open idle would hold the process: each answer said connection: close, and the idle ones are closed.
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Revokes the sign-in at Halo and removes the file, whatever Halo answers: the person asked not to be signed in here. */
export async function logout(env: Env): Promise<void> {
  const file = new CredentialsFile(credentialsPath(env));
  let stored: StoredSignIn | undefined;
  try {
    // A file others could read is still revoked and removed: that is the advice its refusal gives.
    stored = await file.read({ anyMode: true });
  } catch (error) {
    if (!(error instanceof CredentialsFileError)) throw error;
    await file.ended();
    say(`${file.path} held no sign-in that could be revoked; it is removed.`);
    return;
  }
  if (!stored) {
    say(`There is no Halo sign-in to sign out of (no ${file.path}).`);
    return;
  }
  // The secret of a confidential login application is HALO_CLIENT_SECRET when HALO_CLIENT_ID names that application, or none.
  const clientId = env.HALO_CLIENT_ID?.trim();
  const secret = env.HALO_CLIENT_SECRET && (!clientId || clientId === stored.client_id) ? env.HALO_CLIENT_SECRET : undefined;
  const target: HaloSignInTarget = {
    authUrl: stored.auth_url,
    ...(stored.tenant ? { tenant: stored.tenant } : {}),
    clientId: stored.client_id,
    ...(secret ? { clientSecret: secret } : {}),
  };
  const revocation = await revokeHaloSignIn(target, stored.refresh_token, REVOKE_TIMEOUT_MS);
  await file.ended();
  if (revocation.revoked) {
    say(`Signed out of ${stored.halo_url}: Halo revoked the sign-in of ${agentWords(stored.agent)} (agent ${stored.agent.id}), and ${file.path} is removed.`);
  } else {
    say(`Halo did not confirm the revocation (${revocation.reason}): remove the application's sessions in Halo if the computer is not yours. ${file.path} is removed.`);
  }
}
