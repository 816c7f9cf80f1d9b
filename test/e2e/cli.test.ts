/** The built CLI, as a person runs it. `npm test` builds `dist/` before the suite runs. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

describe('halopsa-mcp CLI', () => {
  it('prints its version and usage', () => {
    const version = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    expect(help.stdout).toMatch(/halopsa-mcp sandbox/);
    expect(help.stdout).toMatch(/--agent AGENT\s+HALO_AGENT\s+The technician agent "me" means/);
    for (const command of ['sandbox', 'call', 'tools', 'doctor']) {
      const commandHelp = spawnSync(process.execPath, [cli, command, '--help'], { encoding: 'utf8' });
      expect(commandHelp.status, command).toBe(0);
      expect(commandHelp.stdout, command).toMatch(/Sandbox options:/);
    }
  });

  it('refuses a Node older than its engines range in one line, before loading anything else', () => {
    // The CLI reads process.versions.node; a preload stands in for an older Node (test:package runs a real Node 18).
    const as = (version: string) => {
      const preload = join(mkdtempSync(join(tmpdir(), 'halo-node-')), 'node-version.cjs');
      writeFileSync(preload, `Object.defineProperty(process.versions, 'node', { value: '${version}' });`);
      return spawnSync(process.execPath, ['--require', preload, cli, '--version'], { encoding: 'utf8' });
    };
    const floor = pkg.engines.node.replace(/^>=/, '');
    const old = as('18.20.8');
    expect(old.status).toBe(1);
    expect(old.stdout).toBe('');
    expect(old.stderr).toMatch(new RegExp(`^halopsa-mcp needs Node\\.js ${floor.replace('.', '\\.')} or later \\(this is 18\\.x\\)\\.\n`));
    expect(as('20.18.3').stderr).toContain('(this is 20.18.3)');
    expect(as(`${floor}.0`).status).toBe(0);
  });

  it('refuses unknown commands and bad options with exit status 2', () => {
    const unknown = spawnSync(process.execPath, [cli, 'fly'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "fly"/);
    const badPort = spawnSync(process.execPath, [cli, 'sandbox', '--port', 'ninety'], { encoding: 'utf8' });
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toMatch(/--port must be a whole number/);
    const badRefusal = spawnSync(process.execPath, [cli, 'sandbox', '--scope-refusal', '402'], { encoding: 'utf8' });
    expect(badRefusal.status).toBe(2);
    expect(badRefusal.stderr).toMatch(/--scope-refusal must be 401 or 403 \(got "402"\)/);
  });

  it('refuses to serve gateway mode with a malformed Halo setting, rather than failing each request', () => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('HALO_')) env[key] = value;
    const gateway = spawnSync(process.execPath, [cli, '--http', '--gateway', '--port', '0'], {
      encoding: 'utf8',
      env: { ...env, HALO_MCP_TOKENS: 'gateway-token-0123456789abcdef', HALO_TIMEOUT_MS: 'soon' },
      timeout: 15_000,
    });
    expect(gateway.status).toBe(1);
    expect(gateway.stderr).toMatch(/HALO_TIMEOUT_MS must be a whole number from 1 to 2147483647 \(got "soon"\)/);
  });

  it('runs the sandbox: base URL and credentials on stderr, nothing on stdout, a token that works', async () => {
    const child = spawn(process.execPath, [cli, 'sandbox', '--port', '0', '--client-id', 'cli-test', '--client-secret', 'cli-secret', '--rate-limit', 'off', '--scope-refusal', '403'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(stderr);
          if (match?.[1] && stderr.includes('Press Ctrl+C')) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`sandbox exited with ${String(code)}: ${stderr}`)));
      });
      expect(stderr).toContain('HALO_CLIENT_ID=cli-test');
      expect(stderr).toContain('HALO_CLIENT_SECRET=cli-secret');
      const tokenResponse = await fetch(`${url}/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cli-test', client_secret: 'cli-secret', scope: 'all' }),
      });
      const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
      const tickets = await fetch(`${url}/api/Tickets?count=1`, { headers: { authorization: `Bearer ${token}` } });
      expect(tickets.status).toBe(200);
      expect(((await tickets.json()) as { record_count: number }).record_count).toBeGreaterThan(200);
      const narrowResponse = await fetch(`${url}/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cli-test', client_secret: 'cli-secret', scope: 'read:tickets' }),
      });
      const { access_token: narrow } = (await narrowResponse.json()) as { access_token: string };
      expect((await fetch(`${url}/api/Client`, { headers: { authorization: `Bearer ${narrow}` } })).status).toBe(403);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(stdout).toBe('');
  });
});
