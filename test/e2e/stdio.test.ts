/**
 * The built server over stdio, as Claude Desktop runs it, at each protocol revision it serves:
 * raw transcripts (what goes over the wire, line by line) and the SDK's own client pinned to each
 * revision. `npm test` builds `dist/` first.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REVISIONS } from '../helpers/mcp.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** An environment without any Halo settings the developer's shell may carry. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('HALO_')) env[key] = value;
  return { ...env, ...extra };
}

/**
 * The SDK's stdio client probes for 2026-07-28 in a second, short-lived copy of the server unless
 * the transport is a subclass, which probes in place: one process, whose stderr is this one's.
 */
class InPlaceStdio extends StdioClientTransport {}

type Message = Record<string, unknown> & { id?: number | null; result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } };

interface Transcript {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  send: (message: object | string) => void;
  waitFor: (id: number | null) => Promise<Message>;
  /** Closes stdin and answers the exit status. */
  end: () => Promise<number | null>;
}

/** The server as a process spoken to line by line. */
function transcript(args: string[]): Transcript {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: cleanEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  /** Answers already handed out, per id: answers without an id (null) are handed out in order. */
  const handedOut = new Map<number | null, number>();
  const messages = (): Message[] =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Message);
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    send: (message) => child.stdin.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`),
    waitFor: (id) =>
      new Promise<Message>((resolve, reject) => {
        const timer = setInterval(() => {
          const seen = handedOut.get(id) ?? 0;
          const found = messages().filter((message) => message.id === id)[seen];
          if (found) {
            handedOut.set(id, seen + 1);
            clearInterval(timer);
            resolve(found);
          }
        }, 20);
        void exited.then(() => {
          clearInterval(timer);
          reject(new Error(`server exited: ${stderr}`));
        });
      }),
    end: () => {
      child.stdin.end();
      return exited;
    },
  };
}

/** The `_meta` every 2026-07-28 request carries in place of the initialize handshake. */
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'e2e', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

describe('stdio', () => {
  it('serves the demo at 2025-11-25: initialize, list tools, search tickets, with logs on stderr and only protocol on stdout', async () => {
    const { send, waitFor, end, stdout, stderr } = transcript(['--demo']);
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
      expect(await end()).toBe(0);
    }
    // Every line on stdout is a JSON-RPC message; the logs went to stderr.
    for (const line of stdout().split('\n').filter(Boolean)) expect((JSON.parse(line) as { jsonrpc: string }).jsonrpc).toBe('2.0');
    expect(stderr()).toMatch(/serving MCP over stdio against the built-in Halo sandbox/);
    expect(stderr()).toMatch(/"tool":"halo_search_tickets"/);
  });

  it('serves the demo at 2026-07-28: discovery, then requests that each carry their revision, with cacheable lists', async () => {
    const { send, waitFor, end, stdout } = transcript(['--demo']);
    try {
      send({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: ENVELOPE } });
      const discovered = (await waitFor(1)).result ?? {};
      expect(discovered.supportedVersions).toContain('2026-07-28');
      expect(discovered.resultType).toBe('complete');
      expect((discovered._meta as Record<string, { name: string }>)['io.modelcontextprotocol/serverInfo']?.name).toBe('halopsa-mcp');
      expect(discovered.capabilities).toMatchObject({ tools: { listChanged: false }, resources: { listChanged: false }, prompts: { listChanged: false } });
      send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: ENVELOPE } });
      const listed = (await waitFor(2)).result ?? {};
      expect(listed).toMatchObject({ resultType: 'complete', ttlMs: 300_000, cacheScope: 'private' });
      expect((listed.tools as { name: string }[]).map((tool) => tool.name)).toContain('halo_search_tickets');
      send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'halo_get_ticket', arguments: { id: 3 }, _meta: ENVELOPE } });
      expect(((await waitFor(3)).result?.structuredContent as { id: number }).id).toBe(3);
      // The connection now speaks 2026-07-28: the handshake of the earlier revisions is refused, naming the revision served.
      send({ jsonrpc: '2.0', id: 4, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } } });
      const refused = await waitFor(4);
      expect(refused.error?.code).toBe(-32022);
      // A request of this revision without its envelope is the caller's mistake, and said so.
      send({ jsonrpc: '2.0', id: 5, method: 'tools/list', params: {} });
      expect((await waitFor(5)).error?.code).toBe(-32602);
    } finally {
      expect(await end()).toBe(0);
    }
    for (const line of stdout().split('\n').filter(Boolean)) expect((JSON.parse(line) as { jsonrpc: string }).jsonrpc).toBe('2.0');
  });

  it('answers a line that is not a JSON-RPC message with a JSON-RPC error, and goes on serving', async () => {
    const { send, waitFor, end } = transcript(['--demo']);
    try {
      send('{"jsonrpc": "2.0", "id": 1, "method": "tools/list"');
      expect((await waitFor(null)).error).toMatchObject({ code: -32700, message: expect.stringMatching(/not JSON/) as unknown });
      send({ broken: true });
      expect((await waitFor(null)).error).toMatchObject({ code: -32600 });
      send([{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
      expect((await waitFor(null)).error).toMatchObject({ code: -32600, message: expect.stringMatching(/batches/) as unknown });
      send({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } } });
      expect((await waitFor(2)).result?.protocolVersion).toBe('2025-11-25');
    } finally {
      expect(await end()).toBe(0);
    }
  });

  it.each(REVISIONS)("works with the SDK's stdio client at %s", async (revision) => {
    const transport = new InPlaceStdio({ command: process.execPath, args: [cli, '--demo', '--read-only'], env: cleanEnv(), stderr: 'pipe' });
    const client = new Client({ name: 'e2e', version: '1' }, revision === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});
    await client.connect(transport);
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(revision);
      const { tools } = await client.listTools();
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      const result = await client.callTool({ name: 'halo_get_ticket', arguments: { id: 3 } });
      expect((result.structuredContent as { id: number }).id).toBe(3);
      // The error text reaches the client once, as the server wrote it.
      await expect(client.callTool({ name: 'halo_nope', arguments: {} })).rejects.toThrow(/^Unknown tool "halo_nope"\. Call tools\/list/);
      await expect(client.readResource({ uri: 'halo://tickets/999999' })).rejects.toMatchObject({ code: -32602, data: { uri: 'halo://tickets/999999' } });
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
    const result = spawnSync(process.execPath, [cli, '--demo'], { env: cleanEnv({ HALO_READ_ONLY: 'maybe' }), input: '', encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/HALO_READ_ONLY must be true or false \(got "maybe"\)/);
  });

  it('starts with a mistyped toolset left out, and says so through the protocol', async () => {
    const transport = new InPlaceStdio({ command: process.execPath, args: [cli, '--demo', '--toolsets', 'core,tickts'], env: cleanEnv(), stderr: 'pipe' });
    const client = new Client({ name: 'e2e', version: '1' });
    const logged: string[] = [];
    client.setNotificationHandler('notifications/message', (notification) => {
      logged.push(String(notification.params.data));
    });
    await client.connect(transport);
    try {
      const problem = /HALO_TOOLSETS names unknown toolset "tickts", left out; serving core/;
      expect(client.getInstructions()).toMatch(problem);
      const whoami = await client.callTool({ name: 'halo_whoami', arguments: {} });
      expect((whoami.structuredContent as { settings_problems: string[]; toolsets: string[] }).settings_problems).toEqual([expect.stringMatching(problem)]);
      expect((whoami.structuredContent as { toolsets: string[] }).toolsets).toEqual(['core']);
      await expect.poll(() => logged).toEqual([expect.stringMatching(problem)]);
    } finally {
      await client.close();
    }
  });
});
