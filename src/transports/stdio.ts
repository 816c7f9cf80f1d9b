/** MCP over stdio: the protocol on stdin and stdout, nothing else on stdout. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/** Serves until the client closes stdin or the process is told to stop, then runs `onClose` once. */
export async function serveStdio(server: McpServer, onClose: () => Promise<void>): Promise<void> {
  let closing = false;
  const close = (): void => {
    if (closing) return;
    closing = true;
    void server
      .close()
      .then(onClose)
      .finally(() => process.exit(0));
  };
  process.stdin.once('end', close);
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await server.connect(new StdioServerTransport());
}
