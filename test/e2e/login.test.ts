/**
 * `halopsa-mcp login` and `logout` end to end: the built CLI signs in through the sandbox's own
 * sign-in page (driven here as a browser would), keeps the sign-in in its credentials file, and
 * `call` and `doctor` then act as the technician who signed in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call as callSandbox } from '../helpers/sandbox.js';
import { cleanEnv } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI, running; `finished` once it exits. */
interface Running {
  child: ChildProcess;
  stderr(): string;
  finished: Promise<Finished>;
}

function start(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [cli, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
  return { child, stderr: () => stderr, finished };
}

const run = (args: string[], env: Record<string, string>): Promise<Finished> => start(args, env).finished;

/** The address `login` prints for the person to open. */
async function signInAddress(login: Running): Promise<URL> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const found = /Open this address to sign in to Halo: (\S+)/.exec(login.stderr())?.[1];
    if (found) return new URL(found);
    if (login.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`login printed no address:\n${login.stderr()}`);
}

const decode = (text: string): string =>
  text.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (entity, name: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return named[name.toLowerCase()] ?? entity;
  });

const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return match ? decode(match[2] ?? match[3] ?? '') : undefined;
};

/**
 * What a browser does on Halo's sign-in page: loads it, fills in the form (its hidden fields kept)
 * and posts it, not following the redirect. The answer's status and where it sends the browser.
 */
async function submitSignIn(address: URL, username: string, password: string): Promise<{ status: number; location: string | null; page: string }> {
  const page = await (await fetch(address)).text();
  const form = /<form\b[^>]*>/i.exec(page)?.[0];
  if (!form) throw new Error(`no form on the sign-in page:\n${page}`);
  const fields = new URLSearchParams();
  for (const input of page.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name && attribute(input, 'type')?.toLowerCase() === 'hidden') fields.set(name, attribute(input, 'value') ?? '');
  }
  fields.set('username', username);
  fields.set('password', password);
  const action = new URL(attribute(form, 'action') ?? address.pathname, address);
  const response = await fetch(action, { method: 'POST', body: fields, redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), page: await response.text() };
}

describe('halopsa-mcp login', () => {
  const sandbox = useSandbox();
  let directory: string;
  let credentials: string;
  let env: Record<string, string>;
  /** A technician of the seed with tickets of their own, who is not the API application's agent. */
  let technician: { id: number; name: string; email: string };

  beforeAll(async () => {
    const token = await sandbox.token();
    const agents = (await callSandbox(sandbox, token, 'GET', '/Agent')).body as { id: number; name: string; email?: string }[];
    const api = (await callSandbox(sandbox, token, 'GET', '/Agent/me')).body as { id: number };
    for (const agent of agents.filter((candidate) => candidate.id !== api.id && candidate.id !== 1 && candidate.email)) {
      const { record_count: count } = (await callSandbox(sandbox, token, 'GET', `/Tickets?agent_id=${agent.id}&count=1`)).body as { record_count: number };
      if (count > 0) {
        technician = { id: agent.id, name: agent.name, email: agent.email ?? '' };
        break;
      }
    }
    expect(technician).toBeDefined();
  });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'halopsa-login-'));
    credentials = join(directory, 'config', 'credentials.json');
    env = { HALO_URL: sandbox.url, HALO_CLIENT_ID: sandbox.loginClientId, HALO_CREDENTIALS_FILE: credentials, HALO_RATE_LIMIT: 'off' };
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('signs in through Halo’s page, and call, doctor and logout then act as the technician', async () => {
    const login = start(['login', '--no-browser', '--redirect-port', '0'], env);
    const address = await signInAddress(login);
    const { status, location } = await submitSignIn(address, technician.email, sandbox.demoPassword);
    expect(status).toBe(302);
    // Halo sends the browser back to the CLI, which answers it with a page of its own.
    const callback = await fetch(location ?? '');
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain(`Signed in to Halo as ${technician.name}. You can close this tab.`);
    const done = await login.finished;
    expect(done.status).toBe(0);
    expect(done.stdout).toBe('');
    expect(done.stderr).toContain(`Signed in to ${sandbox.url} as ${technician.name} <${technician.email}> (agent ${technician.id}). Credentials saved in ${credentials}.`);

    if (process.platform !== 'win32') {
      expect((await stat(credentials)).mode & 0o777).toBe(0o600);
      expect((await stat(join(directory, 'config'))).mode & 0o777).toBe(0o700);
    }
    const stored = JSON.parse(await readFile(credentials, 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ version: 1, halo_url: sandbox.url, client_id: sandbox.loginClientId, agent: { id: technician.id, name: technician.name } });
    expect(JSON.stringify(stored)).not.toContain(sandbox.clientSecret);

    // Signed in, the CLI needs no client credentials: HALO_URL alone (or nothing) names the Halo.
    const signedIn = { HALO_CREDENTIALS_FILE: credentials, HALO_RATE_LIMIT: 'off' };
    const search = await run(['call', 'halo_search_tickets', '{"agent":"me","limit":5}', '--json'], signedIn);
    expect(search.status, search.stderr).toBe(0);
    const found = (JSON.parse(search.stdout) as { structuredContent: { items: { id: number; agent?: { id: number } }[] } }).structuredContent.items;
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((ticket) => ticket.agent?.id === technician.id)).toBe(true);

    const whoami = await run(['call', 'halo_whoami', '--json'], signedIn);
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      structuredContent: { signs_in: expect.stringMatching(/^as the technician who signed in/) as unknown, me: { id: technician.id, name: technician.name, from: 'sign_in' } },
    });

    await sandbox.clearRequests();
    const note = await run(['call', 'halo_add_note', JSON.stringify({ ticket_id: found[0]?.id, note: 'Signed in as myself.' })], { ...signedIn, HALO_URL: sandbox.url });
    expect(note.status, note.stderr).toBe(0);
    const posts = await sandbox.apiRequests('POST', /^\/api\/actions/i);
    expect(posts.map((entry) => entry.agent_id)).toEqual([technician.id]);

    const doctor = await run(['doctor', '--toolsets', 'core', '--agent', 'Jane Doe'], signedIn);
    expect(doctor.status, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(new RegExp(`^sign-in\\s+ok\\s+signed in as ${technician.name} \\(agent ${technician.id}\\) through halopsa-mcp login \\(${credentials.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`, 'm'));
    expect(doctor.stdout).toMatch(new RegExp(`^me\\s+warn\\s+${technician.name} \\(id ${technician.id}\\), the technician signed in; HALO_AGENT \\(Jane Doe\\) is ignored`, 'm'));

    // Other tests of the file sign in to the same sandbox: this sign-in is the one logout ends.
    const signIns = async () => ((await (await fetch(`${sandbox.url}/_sandbox/signins`)).json()) as { signins: { agent_id: number; created: string }[] }).signins;
    const before = await signIns();
    const logout = await run(['logout'], signedIn);
    expect(logout.status).toBe(0);
    expect(logout.stderr).toContain(`Halo revoked the sign-in of ${technician.name}`);
    await expect(stat(credentials)).rejects.toThrow(/ENOENT/);
    const after = await signIns();
    expect(after).toHaveLength(before.length - 1);
    expect(before.filter((signIn) => !after.some((other) => other.created === signIn.created))).toEqual([expect.objectContaining({ agent_id: technician.id })]);
    // Signed out, with no file, logout says so and succeeds.
    const again = await run(['logout'], signedIn);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('There is no Halo sign-in to sign out of');
  });

  it('keeps waiting after a wrong password and signs in once it is right; a sign-in revoked in Halo then fails doctor, which says to sign in again', async () => {
    const login = start(['login', '--no-browser', '--redirect-port', '0'], env);
    const address = await signInAddress(login);
    const wrong = await submitSignIn(address, technician.email, 'not-the-password');
    expect(wrong.status).not.toBe(302);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(login.child.exitCode).toBeNull();
    const right = await submitSignIn(address, technician.email, sandbox.demoPassword);
    expect(right.status).toBe(302);
    await fetch(right.location ?? '');
    expect((await login.finished).status).toBe(0);
    const stored = JSON.parse(await readFile(credentials, 'utf8')) as { agent: { id: number }; refresh_token: string };
    expect(stored).toMatchObject({ agent: { id: technician.id } });

    // Revoked elsewhere (the sessions removed in Halo): doctor fails, says to sign in again, and the dead file goes.
    const revoked = await fetch(`${sandbox.url}/auth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: stored.refresh_token, token_type_hint: 'refresh_token', client_id: sandbox.loginClientId }),
    });
    expect(revoked.status).toBe(200);
    const doctor = await run(['doctor', '--toolsets', 'core'], { HALO_CREDENTIALS_FILE: credentials });
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toMatch(/^token\s+FAIL\s+The Halo sign-in has ended: .*Run "halopsa-mcp login" to sign in again\.$/m);
    expect(doctor.stdout).not.toContain(stored.refresh_token);
    await expect(stat(credentials)).rejects.toThrow(/ENOENT/);
  });

  it('answers another sign-in’s state with 400 and keeps waiting, then fails with Halo’s error when the sign-in is denied', async () => {
    // A redirect URI given whole, as one already registered in Halo may be: its host and path are the ones listened on.
    const login = start(['login', '--no-browser', '--redirect-uri', 'http://localhost:0/'], env);
    const address = await signInAddress(login);
    const callback = new URL(address.searchParams.get('redirect_uri') ?? '');
    expect(callback.hostname).toBe('localhost');
    expect(callback.pathname).toBe('/');
    expect((await fetch(new URL('/callback', callback))).status).toBe(404);
    const stray = await fetch(`${callback.href}?code=stolen&state=another`);
    expect(stray.status).toBe(400);
    expect(login.child.exitCode).toBeNull();
    const denied = await fetch(`${callback.href}?${new URLSearchParams({ error: 'access_denied', error_description: 'The user said <no>', state: address.searchParams.get('state') ?? '' }).toString()}`);
    expect(denied.status).toBe(400);
    // Halo's words reach the page as text, never as markup.
    expect(await denied.text()).toContain('The user said &#60;no&#62;');
    const done = await login.finished;
    expect(done.status).toBe(1);
    expect(done.stderr).toContain('Halo did not sign you in: access_denied (The user said <no>).');
    await expect(stat(credentials)).rejects.toThrow(/ENOENT/);
  });
});
