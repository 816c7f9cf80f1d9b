/** `halopsa-mcp tools`: the tools this configuration exposes, and what they cost every conversation in tokens. */
import { catalog } from '../../tools/index.js';
import { selectTools } from '../mcp/select.js';
import { describeTool } from '../mcp/server.js';
import type { ServerSettings } from '../mcp/settings.js';
import type { AnyTool } from '../mcp/tool.js';

/** What tools/list costs under some settings: the tools, and the bytes and o200k tokens of the answer. */
export async function toolListCost(settings: ServerSettings): Promise<{ tools: AnyTool[]; bytes: number; tokens: number }> {
  const tools = selectTools(catalog, settings);
  const listed = JSON.stringify({ tools: tools.map(describeTool) });
  // The tokenizer (o200k) is bundled and loaded only here.
  const { countTokens } = await import('gpt-tokenizer');
  return { tools, bytes: Buffer.byteLength(listed), tokens: countTokens(listed) };
}

export async function listTools(settings: ServerSettings, json: boolean): Promise<void> {
  const { tools, tokens } = await toolListCost(settings);
  if (json) {
    process.stdout.write(`${JSON.stringify({ tools: tools.map(({ name, toolset, access, title }) => ({ name, toolset, access, title })), count: tools.length, tokens })}\n`);
    return;
  }
  const width = Math.max(...tools.map((tool) => tool.name.length));
  const lines = tools.map((tool) => `${tool.name.padEnd(width)}  ${tool.toolset.padEnd(9)}  ${tool.access.padEnd(11)}  ${tool.title}`);
  process.stdout.write(
    [`${'TOOL'.padEnd(width)}  TOOLSET    ACCESS       TITLE`, ...lines, '', `${tools.length} tools; tools/list costs ${tokens} tokens (o200k) in every conversation.`, ''].join('\n'),
  );
}
