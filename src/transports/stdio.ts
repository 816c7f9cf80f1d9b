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

/**
 * Serves until the client closes stdin or the process is told to stop, then runs `onClose` once.
 * The transport also closes on its own when a message is longer than it buffers (a line of over
 * 10 MB): it stops reading stdin, and the process would end with nothing said and exit code 0, which
 * a client takes for a clean stop. That is said on stderr, with exit code 1.
 */
export async function serveStdio(server: McpServer, onClose: () => Promise<void>): Promise<void> {
  let closing = false;
  let received = false;
  let lastError: Error | undefined;
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
  const transport = new StdioServerTransport();
  // Set before connecting: the server keeps these and calls its own after them.
  transport.onerror = (error) => {
    lastError = error;
  };
  transport.onclose = () => {
    if (closing) return;
    // The SDK's words for its buffer limit; any other reason is reported as it is.
    const tooLong = lastError !== undefined && /exceeded maximum size/i.test(lastError.message);
    const what = tooLong ? 'a message on stdin was longer than the stdio transport accepts' : 'the stdio transport stopped reading stdin';
    process.stderr.write(`halopsa-mcp: ${what}${lastError ? ` (${lastError.message})` : ''}, so the server stops.${tooLong ? ' Send smaller messages, or serve HTTP (--http).' : ''}\n`);
    close(1);
  };
  await server.connect(transport);
}
