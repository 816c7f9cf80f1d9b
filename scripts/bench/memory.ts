/**
 * Memory of the server process over stdio (the way a desktop client runs it): idle after start,
 * after the scripted 50-call session, and while a paged export reads every ticket of a large
 * sandbox one page per call, twice. Memory must stay flat: each page is read, shaped and let go,
 * so the second pass, once the heap has sized itself, grows by nothing like what it returned.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Sandbox } from '../../src/sandbox/index.js';
import { sessionCalls } from './session.js';
import { rssMb, round } from './stats.js';

export interface ExportPass {
  tickets: number;
  pages: number;
  seconds: number;
  /** Characters of tool text the pass returned: what a server that buffered the export would hold. */
  megabytesReturned: number;
  startMb: number;
  maxMb: number;
  endMb: number;
}

export interface MemoryResult {
  idleMb: number;
  afterSessionMb: number;
  /** The export twice: the first pass includes the heap sizing itself to the work, the second is the steady state. */
  exportPasses: ExportPass[];
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

export async function memory(root: string, sandbox: Sandbox): Promise<MemoryResult> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [`${root}/dist/cli.js`],
    env: {
      ...(process.env as Record<string, string>),
      HALO_URL: sandbox.url,
      HALO_CLIENT_ID: sandbox.clientId,
      HALO_CLIENT_SECRET: sandbox.clientSecret,
      HALO_RATE_LIMIT: 'off',
      HALO_LOG_LEVEL: 'warn',
      // An export wants full pages of 100, not pages cut to a conversation's budget.
      HALO_MAX_RESULT_CHARS: '400000',
    },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const pid = transport.pid;
  if (pid === null) throw new Error('the server did not start');
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args }));
    const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    if (result.isError) throw new Error(`${name} failed: ${text}`);
    return { ...(result.structuredContent as { items?: unknown[]; next_cursor?: string | null }), text };
  };
  try {
    await client.listTools();
    await settle();
    const idleMb = rssMb(pid);
    for (const [name, args] of sessionCalls()) await call(name, args);
    await settle();
    const afterSessionMb = rssMb(pid);

    const exportPass = async (): Promise<ExportPass> => {
      const samples = [rssMb(pid)];
      const started = performance.now();
      let cursor: string | undefined;
      let tickets = 0;
      let pages = 0;
      let characters = 0;
      do {
        const page = await call('halo_search_tickets', { limit: 100, sort: 'oldest', ...(cursor ? { cursor } : {}) });
        tickets += page.items?.length ?? 0;
        characters += page.text.length;
        pages++;
        cursor = page.next_cursor ?? undefined;
        if (pages % 10 === 0) samples.push(rssMb(pid));
      } while (cursor);
      samples.push(rssMb(pid));
      return {
        tickets,
        pages,
        seconds: round((performance.now() - started) / 1000),
        megabytesReturned: round(characters / 1_000_000),
        startMb: samples[0] ?? 0,
        maxMb: Math.max(...samples),
        endMb: samples.at(-1) ?? 0,
      };
    };
    const exportPasses = [await exportPass(), await exportPass()];
    return { idleMb, afterSessionMb, exportPasses };
  } finally {
    await client.close();
  }
}
