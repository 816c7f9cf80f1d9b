/**
 * The refusals the HTTP server answers itself, before MCP or instead of it. Each check throws an
 * HttpError with the status, the words for the caller and the headers that go with them (a bearer
 * challenge, Allow, Retry-After); the answer is a JSON-RPC error, so that an MCP client shows the
 * words rather than a bare status. Anything else that fails is logged and answered as a plain 500,
 * which names nothing of the server's inside.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function sendError(response: ServerResponse, error: HttpError): void {
  if (response.headersSent) return;
  response.writeHead(error.status, { 'content-type': 'application/json', ...error.headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: error.status === 401 || error.status === 403 ? -32001 : -32600, message: error.message }, id: null }));
}

/** Answers a request whose handling threw: a refusal as it was worded, anything else as a 500 after logging it. */
export function answerFailure(response: ServerResponse, error: unknown, logger: Logger): void {
  if (error instanceof HttpError) {
    sendError(response, error);
    return;
  }
  logger.error({ err: error }, 'HTTP request failed');
  sendError(response, new HttpError(500, 'The server failed to answer.'));
}
