/**
 * The floor of a cold start: a minimal MCP server with one tool, on the same SDK and zod as the
 * real server, doing nothing else. The cold-start benchmark runs it as is and bundled.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'floor', version: '1.0.0' });
server.registerTool('echo', { description: 'Echo the text', inputSchema: { text: z.string() } }, ({ text }) => Promise.resolve({ content: [{ type: 'text', text }] }));
await server.connect(new StdioServerTransport());
