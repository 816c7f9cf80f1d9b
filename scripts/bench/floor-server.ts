/**
 * The floor of a cold start: a minimal MCP server with one tool, on the same SDK, entry and zod as
 * the real server, doing nothing else. The cold-start benchmark runs it as is and bundled.
 */

import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'floor', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echo the text', inputSchema: z.object({ text: z.string() }) }, ({ text }) => Promise.resolve({ content: [{ type: 'text', text }] }));
  return server;
});
