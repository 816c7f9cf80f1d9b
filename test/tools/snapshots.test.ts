/**
 * What a model reads of each tool (name, title, description, input schema, annotations), as
 * tools/list sends it, kept in test/tools/__toolsnaps__ so that a change to it shows in review.
 * After a deliberate change, `npx vitest run test/tools/snapshots.test.ts -u` rewrites the files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tool } from '@modelcontextprotocol/client';
import { connectMcp } from '../helpers/mcp.js';
import { useSandbox } from '../helpers/setup.js';

/** The widest listing: every toolset, writes, deletes and SQL. */
const EVERYTHING = { toolsets: ['all' as const], allowDestructive: true, allowSql: true };

const sandbox = useSandbox();
let everything: Tool[];
let readOnly: Tool[];

async function listing(settings: Record<string, unknown>): Promise<Tool[]> {
  // One revision: the entries are what the server writes, and 2026-07-28 wraps them the same way.
  const mcp = await connectMcp(sandbox, settings, { revision: '2025-11-25' });
  try {
    return (await mcp.client.listTools()).tools;
  } finally {
    await mcp.close();
  }
}

function entry(tool: Tool): string {
  const { name, title, description, inputSchema, annotations } = tool;
  return `${JSON.stringify({ name, title, description, inputSchema, annotations }, null, 2)}\n`;
}

beforeAll(async () => {
  everything = await listing(EVERYTHING);
  readOnly = await listing({ ...EVERYTHING, readOnly: true });
});

describe('tools/list snapshots', () => {
  it('lists every tool once in the widest listing', () => {
    const names = everything.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(100);
  });

  it('matches the committed entry of every tool', async () => {
    for (const tool of everything) await expect(entry(tool)).toMatchFileSnapshot(`__toolsnaps__/${tool.name}.json`);
  });

  it('matches the committed read-only entry of every tool that read-only mode shows differently', async () => {
    const full = new Map(everything.map((tool) => [tool.name, entry(tool)]));
    const differing = readOnly.filter((tool) => full.get(tool.name) !== entry(tool));
    expect(differing.map((tool) => tool.name)).toEqual(['halo_call_operation']);
    for (const tool of differing) await expect(entry(tool)).toMatchFileSnapshot(`__toolsnaps__/read-only/${tool.name}.json`);
  });
});
