/**
 * MCP over stdio: the protocol on stdin and stdout, nothing else on stdout. The SDK's stdio entry
 * serves every revision: the first message picks one for the connection (an `initialize` or a
 * message without the 2026-07-28 `_meta` envelope: the revision negotiated by initialize; an
 * enveloped request: 2026-07-28), and one server from the factory serves it to the end.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/server';
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio as serveMcp } from '@modelcontextprotocol/server/stdio';

/**
 * Why a stdin that ends before its first byte is worth a word: that is a container started
 * without `-i` (its stdin is empty), and a silent exit there leaves a person guessing.
 */
const NO_INPUT = `halopsa-mcp: stdin ended before any MCP message arrived, so there is nothing to serve.
An MCP client must start halopsa-mcp and keep its stdin open. In Docker, run it with -i
(docker run -i --rm --env-file halo.env halopsa-mcp --read-only), or serve HTTP with --http.
`;

const NEWLINE = 0x0a;

/** The JSON-RPC error answered for a line that could not be read as a request; its id is unknown, so null. */
function unreadable(code: number, message: string): string {
  return `${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } })}\n`;
}

/**
 * Lets through the lines of stdin that are JSON-RPC messages and answers the others itself, as
 * JSON-RPC asks: -32700 for a line that is not JSON, -32600 for JSON that is not a JSON-RPC
 * message (or a batch, which no revision served here takes over stdio). The SDK's reader drops both without a word, which leaves a client waiting for an answer
 * that never comes. A line longer than the SDK accepts is passed on as it is, so that the SDK's own
 * limit closes the connection.
 */
export class StdinLines extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while the rest of an over-long line streams through to the SDK. */
  private passing = false;

  constructor(
    private readonly answer: (line: string) => void,
    private readonly maxLineBytes = STDIO_DEFAULT_MAX_BUFFER_SIZE,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end + 1);
      start = end + 1;
      if (this.passing) {
        this.passing = false;
        this.push(piece);
        continue;
      }
      const line = this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      this.checkLine(line);
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (this.passing) {
        this.push(rest);
      } else {
        this.pending.push(rest);
        this.pendingBytes += rest.length;
        if (this.pendingBytes > this.maxLineBytes) {
          this.passing = true;
          this.push(Buffer.concat(this.pending));
          this.pending = [];
          this.pendingBytes = 0;
        }
      }
    }
    done();
  }

  private checkLine(line: Buffer): void {
    const text = line.toString('utf8').trim();
    if (text === '') return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.answer(unreadable(-32700, 'Parse error: the line is not JSON. Send one JSON-RPC message per line.'));
      return;
    }
    if (Array.isArray(message)) {
      this.answer(unreadable(-32600, 'Invalid request: batches are not served over stdio; send one JSON-RPC message per line.'));
      return;
    }
    if (typeof message !== 'object' || message === null || (message as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      this.answer(unreadable(-32600, 'Invalid request: the line is JSON but not a JSON-RPC 2.0 message.'));
      return;
    }
    this.push(line);
  }
}

export interface StdioHooks {
  /** Runs once, after the connection has closed. */
  onClose: () => Promise<void>;
  /** Errors the SDK reports beside the protocol (a request it refused, a handler that threw): for the log, never for stdout. */
  onError: (error: Error) => void;
}

/**
 * Serves until the client closes stdin or the process is told to stop, then runs `onClose` once.
 * The transport also closes on its own when a message is longer than it buffers (a line of over
 * 10 MB): it stops reading stdin, and the process would end with nothing said and exit code 0, which
 * a client takes for a clean stop. That is said on stderr, with exit code 1.
 */
export function serveStdio(createServer: () => McpServer, { onClose, onError }: StdioHooks): void {
  let closing = false;
  let received = false;
  const lines = new StdinLines((answer) => process.stdout.write(answer));
  const close = (exitCode: number): void => {
    if (closing) return;
    closing = true;
    void connection
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
  process.stdin.pipe(lines);
  const connection = serveMcp(createServer, {
    transport: new StdioServerTransport(lines, process.stdout),
    onerror: (error) => {
      // The SDK's words for its buffer limit; it has closed the transport and reads no more.
      if (/exceeded maximum size/i.test(error.message)) {
        if (closing) return;
        process.stderr.write(`halopsa-mcp: a message on stdin was longer than the stdio transport accepts (${error.message}), so the server stops. Send smaller messages, or serve HTTP (--http).\n`);
        close(1);
        return;
      }
      onError(error);
    },
  });
}
