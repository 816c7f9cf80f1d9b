/** The commands a person runs from a shell: `doctor`, `tools`, `call`, and stdio's word when stdin is empty. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSandbox } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/setup.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI without inheriting this machine's Halo settings, so only `env` configures it. */
function run(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HALO_')));
  const child = spawn(process.execPath, [cli, ...args], { env: { ...inherited, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

describe('halopsa-mcp doctor', () => {
  const sandbox = useSandbox({ tenant: 'northbeam' });
  let halo: Record<string, string>;
  beforeAll(() => {
    halo = { HALO_URL: sandbox.url, HALO_CLIENT_ID: sandbox.clientId, HALO_CLIENT_SECRET: sandbox.clientSecret, HALO_TENANT: 'northbeam' };
  });

  it('passes with every scope, one row per step and per enabled toolset', async () => {
    const { status, stdout } = await run(['doctor', '--toolsets', 'core,crm,billing,admin'], halo);
    expect(status).toBe(0);
    for (const row of ['configuration', 'Halo reachable', 'token', 'API agent', 'toolset core', 'toolset crm', 'toolset billing', 'toolset admin', 'writes']) {
      expect(stdout).toMatch(new RegExp(`^${row}\\s+ok\\s`, 'm'));
    }
    expect(stdout).toMatch(/API agent\s+ok\s+API Integration/);
    expect(stdout).toMatch(/^me\s+ok\s+the API agent \(HALO_AGENT is not set\); for one technician's install, set HALO_AGENT/m);
    expect(stdout).toContain('All checks passed.');
  });

  it('says whom "me" means when HALO_AGENT names a technician, and fails when it names no agent', async () => {
    const named = await run(['doctor', '--toolsets', 'core', '--agent', 'jane.doe@northbeam-it.example'], halo);
    expect(named.status).toBe(0);
    expect(named.stdout).toMatch(/^me\s+ok\s+Jane Doe \(id 1\), from HALO_AGENT$/m);
    const unknown = await run(['doctor', '--toolsets', 'core'], { ...halo, HALO_AGENT: 'Jnae Doe' });
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toMatch(/^me\s+FAIL\s+HALO_AGENT is "Jnae Doe": No agent matches "Jnae Doe"\. .*Closest: Jane Doe \(id 1\)/m);
  });

  it('names the scope a read needs when the token lacks it, and fails', async () => {
    const { status, stdout } = await run(['doctor', '--toolsets', 'core'], { ...halo, HALO_SCOPE: 'read:tickets edit:tickets read:assets read:kb read:timesheets' });
    expect(status).toBe(1);
    expect(stdout).toMatch(/toolset core\s+FAIL\s+clients refused \(read:customers missing\)/);
    expect(stdout).toMatch(/To grant: read:customers, in Halo under Configuration > Integrations > Halo API/);
    expect(stdout).toMatch(/^token\s+ok\s+granted read:tickets edit:tickets read:assets read:kb read:timesheets$/m);
  });

  it('names the scope the same way when Halo refuses it with 403', async () => {
    const forbidding = await startTestSandbox({ tenant: 'northbeam', scopeRefusalStatus: 403 });
    try {
      const { status, stdout } = await run(['doctor', '--toolsets', 'core'], { ...halo, HALO_URL: forbidding.url, HALO_SCOPE: 'read:tickets edit:tickets read:assets read:kb read:timesheets' });
      expect(status).toBe(1);
      expect(stdout).toMatch(/toolset core\s+FAIL\s+clients refused \(read:customers missing\)/);
      expect(stdout).toMatch(/To grant: read:customers, in Halo/);
    } finally {
      await forbidding.close();
    }
  });

  it('names the scope behind a 401 even when Halo did not list the scopes it granted', async () => {
    // A Halo whose token answer has no `scope`: the proxy passes everything else through.
    const proxy = createHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        void (async () => {
          const upstream = await fetch(`${sandbox.url}${request.url ?? '/'}`, {
            method: request.method ?? 'GET',
            headers: Object.fromEntries(Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host')),
            ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
          });
          let text = await upstream.text();
          if (/^\/auth\/token/.test(request.url ?? '') && upstream.ok) {
            const { scope: _dropped, ...token } = JSON.parse(text) as Record<string, unknown>;
            text = JSON.stringify(token);
          }
          response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
        })();
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const address = proxy.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const { status, stdout } = await run(['doctor', '--toolsets', 'core'], { ...halo, HALO_URL: url, HALO_SCOPE: 'read:tickets edit:tickets read:assets read:kb read:timesheets' });
      expect(status).toBe(1);
      expect(stdout).toMatch(/^token\s+ok\s+granted \(Halo did not say which scopes\)$/m);
      expect(stdout).toMatch(/toolset core\s+FAIL\s+clients refused \(401: read:customers missing, as the same token reads the API agent\)/);
      expect(stdout).toMatch(/To grant: read:customers, in Halo/);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('warns, without failing, that writes will be refused when only read scopes were granted', async () => {
    const { status, stdout } = await run(['doctor', '--toolsets', 'core', '--json'], { ...halo, HALO_SCOPE: 'read:tickets read:customers read:assets read:kb read:timesheets' });
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { ok: boolean; checks: { check: string; status: string; detail: string }[]; advice: string[] };
    expect(report.ok).toBe(true);
    expect(report.checks.find((check) => check.check === 'writes')).toMatchObject({ status: 'warn', detail: expect.stringContaining('edit:tickets not granted') as unknown });
    expect(report.advice.join(' ')).toContain('edit:tickets');
  });

  it('in read-only mode, does not ask for write scopes', async () => {
    const { status, stdout } = await run(['doctor', '--read-only', '--toolsets', 'core'], { ...halo, HALO_SCOPE: 'read:tickets read:customers read:assets read:kb read:timesheets' });
    expect(status).toBe(0);
    expect(stdout).toMatch(/^writes\s+ok\s+read-only/m);
    expect(stdout).not.toContain('To grant');
  });

  it('fails on a wrong secret without printing it, and on a missing tenant says which tenant Halo names', async () => {
    const wrongSecret = 'not-the-secret-6d1f0c';
    const { status, stdout, stderr } = await run(['doctor'], { ...halo, HALO_CLIENT_SECRET: wrongSecret, HALO_TENANT: '' });
    expect(status).toBe(1);
    expect(stdout).toMatch(/^token\s+FAIL\s+Halo rejected the client credentials/m);
    expect(stdout).toMatch(/Halo reachable\s+warn\s+Halo names its tenant "northbeam": set HALO_TENANT=northbeam/);
    expect(stdout).toMatch(/Halo data\s+skipped/);
    expect(stdout + stderr).not.toContain(wrongSecret);
  });

  it('fails fast and clearly when Halo cannot be reached, or the configuration is incomplete', async () => {
    const unreachable = await run(['doctor'], { ...halo, HALO_URL: 'http://127.0.0.1:9' });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stdout).toMatch(/Halo reachable\s+FAIL\s+cannot reach http:\/\/127\.0\.0\.1:9/);
    const missing = await run(['doctor'], { HALO_URL: sandbox.url });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/configuration\s+FAIL\s+HALO_CLIENT_ID is missing/);
    expect(missing.stdout).toContain('HALO_CLIENT_SECRET is missing');
  });

  it('ends on a malformed setting in demo mode too, before it starts a sandbox that would keep it running', async () => {
    const { status, stdout } = await run(['doctor', '--demo'], { HALO_TIMEOUT_MS: 'soon' });
    expect(status).toBe(1);
    expect(stdout).toMatch(/^configuration\s+FAIL\s+HALO_TIMEOUT_MS must be a whole number/m);
  });

  it("names a certificate from the organisation's own authority, and passes once NODE_EXTRA_CA_CERTS trusts it", async () => {
    const authority = fileURLToPath(new URL('../fixtures/self-signed.pem', import.meta.url));
    const tls = { key: await readFile(new URL('../fixtures/self-signed.key', import.meta.url)), cert: await readFile(authority) };
    // An on-premises Halo behind TLS: the sandbox, reached through a proxy that holds the certificate.
    const proxy = createHttpsServer(tls, (incoming, outgoing) => {
      const upstream = httpRequest(`${sandbox.url}${incoming.url ?? '/'}`, { method: incoming.method, headers: incoming.headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      incoming.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const address = proxy.address();
      const url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const refused = await run(['doctor', '--toolsets', 'core'], { ...halo, HALO_URL: url });
      expect(refused.status).toBe(1);
      expect(refused.stdout).toMatch(/Halo reachable\s+FAIL\s+https:\/\/127\.0\.0\.1:\d+ sent a certificate this machine refuses \(a self-signed certificate, DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      expect(refused.stdout).toContain('set NODE_EXTRA_CA_CERTS to the file of its root certificate');
      const trusted = await run(['doctor', '--toolsets', 'core'], { ...halo, HALO_URL: url, NODE_EXTRA_CA_CERTS: authority });
      expect(trusted.stdout).toMatch(/^token\s+ok\s/m);
      expect(trusted.stdout).toMatch(/^toolset core\s+ok\s/m);
      expect(trusted.status).toBe(0);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe('halopsa-mcp tools and call', () => {
  it('lists the tools of the configuration with toolset, access and their cost in tokens', async () => {
    const all = JSON.parse((await run(['tools', '--toolsets', 'all', '--json'])).stdout) as { count: number; tokens: number; tools: { name: string; access: string }[] };
    const readOnly = JSON.parse((await run(['tools', '--toolsets', 'all', '--read-only', '--json'])).stdout) as typeof all;
    expect(all.count).toBe(all.tools.length);
    expect(readOnly.tools.every((tool) => tool.access === 'read')).toBe(true);
    expect(readOnly.count).toBeLessThan(all.count);
    expect(readOnly.tokens).toBeLessThan(all.tokens);
    const table = await run(['tools']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^halo_search_tickets\s+core\s+read\s+/m);
    expect(table.stdout).toMatch(/^22 tools; tools\/list costs \d+ tokens/m);
  });

  it('calls one tool on the demo Halo: a table for people, the MCP result with --json', async () => {
    const people = await run(['call', 'halo_search_tickets', '{"query":"printer","limit":3}', '--demo']);
    expect(people.status).toBe(0);
    expect(people.stdout).toMatch(/^ID\s+SUMMARY\s+STATUS/);
    expect(people.stdout).toMatch(/^3 of \d+ shown; the next page: add "cursor": "[\w-]+" to the arguments\.$/m);
    expect(people.stderr).toBe('');
    const scripts = await run(['call', 'halo_get_ticket', '{"id":1}', '--demo', '--json']);
    expect(scripts.status).toBe(0);
    const result = JSON.parse(scripts.stdout) as { isError?: boolean; structuredContent: { id: number; summary: string } };
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.id).toBe(1);
  });

  it('shows the progress of a long read on stderr, one line per page when stderr is not a terminal', async () => {
    const { status, stdout, stderr } = await run(['call', 'halo_my_queue', '{"agent":"Olivia Grant","limit":2}', '--demo']);
    expect(status).toBe(0);
    expect(stderr).toMatch(/^Read \d+ open tickets$/m);
    expect(stdout).toMatch(/^2 of \d+ shown/m);
  });

  it('reports bad calls on stderr with exit status 1, and nothing on stdout', async () => {
    const unknown = await run(['call', 'halo_search_ticket', '{}', '--demo']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Similar: halo_search_tickets');
    const notJson = await run(['call', 'halo_get_ticket', '{id:1}', '--demo']);
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toContain('The arguments are not JSON');
    const toolError = await run(['call', 'halo_get_ticket', '{"id":987654}', '--demo']);
    expect(toolError.status).toBe(1);
    expect(toolError.stderr).toMatch(/Halo found nothing for GET \/Tickets\/987654/);
    expect(unknown.stdout + notJson.stdout + toolError.stdout).toBe('');
    const noTool = await run(['call', '--demo']);
    expect(noTool.status).toBe(2);
  });

  it('exits 1 from halo_whoami when Halo cannot be reached, and still shows the settings it used', async () => {
    // Port 9 (discard) on loopback: nothing answers there.
    const unreachable = await run(['call', 'halo_whoami'], { HALO_URL: 'http://127.0.0.1:9', HALO_CLIENT_ID: 'id', HALO_CLIENT_SECRET: 'a-secret-never-shown', HALO_RETRY_MAX_ATTEMPTS: '1' });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stdout).toBe('');
    expect(unreachable.stderr).toMatch(/"connected":false/);
    expect(unreachable.stderr).toContain('"url":"http://127.0.0.1:9"');
    expect(unreachable.stderr).not.toContain('a-secret-never-shown');
  });
});

describe('halopsa-mcp over stdio without a client', () => {
  it('says how to run it when stdin ends before any message, as in a container without -i', async () => {
    const { status, stdout, stderr } = await run(['--demo'], {}, '');
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('docker run -i');
    expect(stderr).not.toContain('waiting for an MCP client');
  });

  it('prints how to try it by hand when started in a terminal, on stderr only', async () => {
    // util-linux's script gives the server a terminal for stdin; stderr goes to a file, so the terminal's output is stdout alone.
    const folder = await mkdtemp(join(tmpdir(), 'halopsa-mcp-tty-'));
    const stderrFile = join(folder, 'stderr');
    const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
    const child = spawn('script', ['-qfec', `${quote(process.execPath)} ${quote(cli)} --demo 2>${quote(stderrFile)}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let terminal = '';
    child.stdout.on('data', (chunk: Buffer) => (terminal += chunk.toString()));
    const closed = new Promise((resolve) => child.once('close', resolve));
    try {
      const stderr = await vi.waitFor(
        async () => {
          const written = await readFile(stderrFile, 'utf8').catch(() => '');
          expect(written).toContain('serving MCP over stdio');
          return written;
        },
        { timeout: 15_000, interval: 100 },
      );
      expect(stderr).toMatch(/^halopsa-mcp is waiting for an MCP client on stdin\..*\n {2}halopsa-mcp tools --demo/);
      expect(terminal).toBe('');
    } finally {
      child.stdin.end();
      await closed;
      await rm(folder, { recursive: true, force: true });
    }
  });
});
