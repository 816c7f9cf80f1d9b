/**
 * What each toolset costs in every conversation: tools, bytes and o200k tokens of its tools/list,
 * for the default configuration, each toolset on its own (beside core), and everything.
 *
 *   npm run bench:tools
 */
import { fileURLToPath } from 'node:url';
import { toolListCost } from '../src/commands/tools.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../src/mcp/settings.js';
import { TOOLSETS } from '../src/mcp/tool.js';

/** Every tool: all toolsets, with destructive tools and the SQL tools allowed. */
export const ALL_TOOLS: ServerSettings = { ...DEFAULT_SETTINGS, toolsets: ['all'], allowDestructive: true, allowSql: true };

export interface ToolListSize {
  tools: number;
  bytes: number;
  tokens: number;
}

export async function measure(settings: ServerSettings): Promise<ToolListSize> {
  const { tools, bytes, tokens } = await toolListCost(settings);
  return { tools: tools.length, bytes, tokens };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows: [string, ToolListSize][] = [
    ['default (core, api)', await measure(DEFAULT_SETTINGS)],
    ...(await Promise.all(
      TOOLSETS.filter((toolset) => toolset !== 'core').map(async (toolset): Promise<[string, ToolListSize]> => [
        `core + ${toolset}*`,
        await measure({ ...ALL_TOOLS, toolsets: ['core', toolset] }),
      ]),
    )),
    ['all (with destructive and SQL)', await measure(ALL_TOOLS)],
  ];

  const lines = [
    '| Configuration | Tools | Bytes | Tokens (o200k) | Tokens per tool |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(([name, { tools, bytes, tokens }]) => `| ${name} | ${tools} | ${bytes} | ${tokens} | ${Math.round(tokens / tools)} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n\n* with destructive tools and the SQL tools allowed, so that every tool of the toolset is counted.\n`);
}
