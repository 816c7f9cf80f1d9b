/**
 * `halopsa-mcp call <tool> '<json>'`: one tool, once, through the same MCP server an assistant
 * talks to (in memory), so a person can try any tool from a shell. Progress goes to stderr.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { HaloClient } from '../halo/client.js';
import { whyHidden } from '../mcp/select.js';
import { createServer } from '../mcp/server.js';
import { catalog, prompts, resources } from '../../tools/index.js';
import { renderResult } from './render.js';
import { haloClientOptions, type Setup } from './setup.js';

export class CallFailed extends Error {}

export async function callTool(context: Setup, name: string, argumentsJson: string | undefined, json: boolean): Promise<void> {
  let args: unknown = {};
  if (argumentsJson !== undefined) {
    try {
      args = JSON.parse(argumentsJson) as unknown;
    } catch {
      throw new CallFailed(`The arguments are not JSON: ${argumentsJson}\nWrite them as one JSON object, e.g. '{"query": "printer", "limit": 5}'.`);
    }
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new CallFailed('The arguments must be one JSON object.');
  if (!context.haloConfig) throw new CallFailed('No Halo is configured: set HALO_URL, HALO_CLIENT_ID and HALO_CLIENT_SECRET, or run "halopsa-mcp login", or add --demo.');
  for (const warning of context.warnings) process.stderr.write(`halopsa-mcp: ${warning}\n`);
  const halo = new HaloClient(context.haloConfig, haloClientOptions(context));
  const server = createServer({ halo, settings: context.settings, logger: context.logger, catalog, resources, prompts });
  const client = new Client({ name: 'halopsa-mcp call', version: '1' });
  // Both halves from the client package: the SDK's in-memory link is one class, and a pair must not mix two copies of it.
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  try {
    const { tools } = await client.listTools();
    if (!tools.some((tool) => tool.name === name)) {
      const hidden = whyHidden(catalog, name, context.settings);
      if (hidden) throw new CallFailed(`This configuration hides "${name}": ${hidden}.`);
      const close = tools.filter((tool) => tool.name.includes(name.replace(/^halo_/, '').split('_')[0] ?? '')).map((tool) => tool.name);
      throw new CallFailed(
        `There is no tool "${name}".${close.length > 0 ? ` Similar: ${close.slice(0, 5).join(', ')}.` : ''} See "halopsa-mcp tools" (toolsets: --toolsets).`,
      );
    }
    const interactive = process.stderr.isTTY;
    const result = (await client.callTool({ name, arguments: args as Record<string, unknown> }, {
      onprogress: ({ progress, total, message }) => {
        const line = message ?? `${progress}${total ? ` of ${total}` : ''} done`;
        process.stderr.write(interactive ? `\r${line}` : `${line}\n`);
      },
    }));
    if (interactive) process.stderr.write('\r\x1b[K');
    const text = result.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join('\n');
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (result.isError) process.stderr.write(`${text}\n`);
    else process.stdout.write(`${result.structuredContent !== undefined ? renderResult(result.structuredContent) : text}\n`);
    if (result.isError) throw new CallFailed('');
  } finally {
    await client.close();
    await server.close();
    await halo.close();
  }
}
