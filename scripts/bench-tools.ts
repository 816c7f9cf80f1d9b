/**
 * What each toolset costs in every conversation: tools, bytes and o200k tokens of its tools/list,
 * for the default configuration, each toolset on its own (beside core), and everything.
 *
 *   npm run bench:tools
 */
import { fileURLToPath } from 'node:url';
import { countTokens } from 'gpt-tokenizer';
import { catalog } from '../tools/index.js';
import { describeTool, selectTools } from '../src/mcp/server.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../src/mcp/settings.js';
import { TOOLSETS } from '../src/mcp/tool.js';

export function measure(settings: ServerSettings): { tools: number; bytes: number; tokens: number } {
  const listed = JSON.stringify({ tools: selectTools(catalog, settings).map(describeTool) });
  const tools = selectTools(catalog, settings).length;
  return { tools, bytes: Buffer.byteLength(listed), tokens: countTokens(listed) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows: [string, ReturnType<typeof measure>][] = [
    ['default (core, api)', measure(DEFAULT_SETTINGS)],
    ...TOOLSETS.filter((toolset) => toolset !== 'core').map((toolset): [string, ReturnType<typeof measure>] => [
      `core + ${toolset}*`,
      measure({ ...DEFAULT_SETTINGS, toolsets: ['core', toolset], allowDestructive: true, allowSql: true }),
    ]),
    ['all (with destructive and SQL)', measure({ ...DEFAULT_SETTINGS, toolsets: ['all'], allowDestructive: true, allowSql: true })],
  ];

  const lines = [
    '| Configuration | Tools | Bytes | Tokens (o200k) | Tokens per tool |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(([name, { tools, bytes, tokens }]) => `| ${name} | ${tools} | ${bytes} | ${tokens} | ${Math.round(tokens / tools)} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n\n* with destructive tools and the SQL tool allowed, so that every tool of the toolset is counted.\n`);
}
