/** MCP over stdio: the protocol on stdin and stdout, nothing else on stdout. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * Why a stdin that ends before its first byte is worth a word: that is a container started
 * without `-i` (its stdin is empty), and a silent exit there leaves a person guessing.
 */
const NO_INPUT = `halopsa-mcp: stdin ended before any MCP message arrived, so there is nothing to serve.
An MCP client must start halopsa-mcp and keep its stdin open. In Docker, run it with -i
(docker run -i --rm --env-file halo.env halopsa-mcp --read-only), or serve HTTP with --http.
`;

/** Serves until the client closes stdin or the process is told to stop, then runs `onClose` once. */
export async function serveStdio(server: McpServer, onClose: () => Promise<void>): Promise<void> {
  let closing = false;
  let received = false;
  const close = (exitCode: number): void => {
    if (closing) return;
    closing = true;
    void server
      .close()
      .then(onClose)
      .finally(() => process.exit(exitCode));
  };
  process.stdin.once('data', () => {
    received = true;
  });
  process.stdin.once('end', () => {
    if (!received) process.stderr.write(NO_INPUT);
    close(received ? 0 : 1);
  });
  process.once('SIGINT', () => close(0));
  process.once('SIGTERM', () => close(0));
  await server.connect(new StdioServerTransport());
}
