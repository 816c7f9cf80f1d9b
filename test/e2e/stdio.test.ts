/** The built server over stdio, as Claude Desktop runs it. `npm test` builds `dist/` first. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** An environment without any Halo settings the developer's shell may carry. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('HALO_')) env[key] = value;
  return { ...env, ...extra };
}

describe('stdio', () => {
  it('serves the demo: initialize, list tools, search tickets, with logs on stderr and only protocol on stdout', async () => {
    const child = spawn(process.execPath, [cli, '--demo'], { stdio: ['pipe', 'pipe', 'pipe'], env: cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const responses = new Map<number, Record<string, unknown>>();
    const waitFor = (id: number) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setInterval(() => {
          for (const line of stdout.split('\n').filter(Boolean)) {
            const message = JSON.parse(line) as { id?: number };
            if (typeof message.id === 'number') responses.set(message.id, message);
          }
          const found = responses.get(id);
          if (found) {
            clearInterval(timer);
            resolve(found);
          }
        }, 20);
        child.once('exit', () => {
          clearInterval(timer);
          reject(new Error(`server exited: ${stderr}`));
        });
      });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    try {
      send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } } });
      const initialized = await waitFor(1);
      expect((initialized.result as { serverInfo: { name: string } }).serverInfo.name).toBe('halopsa-mcp');
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      const listed = (await waitFor(2)).result as { tools: { name: string }[] };
      expect(listed.tools.map((tool) => tool.name)).toContain('halo_search_tickets');
      send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'halo_search_tickets', arguments: { query: 'printer', limit: 3 } } });
      const called = (await waitFor(3)).result as { isError?: boolean; structuredContent: { items: unknown[] } };
      expect(called.isError).toBeUndefined();
      expect(called.structuredContent.items.length).toBeGreaterThan(0);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.stdin.end();
      expect(await exited).toBe(0);
    }
    // Every line on stdout is a JSON-RPC message; the logs went to stderr.
    for (const line of stdout.split('\n').filter(Boolean)) expect((JSON.parse(line) as { jsonrpc: string }).jsonrpc).toBe('2.0');
    expect(stderr).toMatch(/serving MCP over stdio against the built-in Halo sandbox/);
    expect(stderr).toMatch(/"tool":"halo_search_tickets"/);
  });

  it("works with the SDK's stdio client", async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [cli, '--demo', '--read-only'], env: cleanEnv(), stderr: 'pipe' });
    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      const result = await client.callTool({ name: 'halo_get_ticket', arguments: { id: 3 } });
      expect((result.structuredContent as { id: number }).id).toBe(3);
    } finally {
      await client.close();
    }
  });

  it('reports a missing configuration in one message before any protocol, and exits non-zero', () => {
    const result = spawnSync(process.execPath, [cli], { env: cleanEnv(), input: '', encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/HALO_URL is missing/);
    expect(result.stderr).toMatch(/HALO_CLIENT_ID is missing/);
    expect(result.stderr).toMatch(/halopsa-mcp --demo/);
  });

  it('refuses a bad setting by name', () => {
    const result = spawnSync(process.execPath, [cli, '--demo', '--toolsets', 'core,tickts'], { env: cleanEnv(), input: '', encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/HALO_TOOLSETS names unknown toolsets "tickts"/);
  });
});
