/** The built CLI serving HTTP, and MCP clients that reach it, for end-to-end tests. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Revision } from './mcp.js';
import type { TestSandbox } from './sandbox.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface HttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp. */
  url: string;
  base: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM, and the exit status. */
  stop(): Promise<number | null>;
}

/** An environment without the Halo settings a developer's shell may carry. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('HALO_')) env[key] = value;
  return { ...env, ...extra };
}

/** The headers that name the Halo of a gateway-mode request: the sandbox, with its client and a secret (its own unless given). */
export function gatewayHeaders(sandbox: TestSandbox, secret: string = sandbox.clientSecret, url: string = sandbox.url): Record<string, string> {
  return { 'x-halo-url': url, 'x-halo-client-id': sandbox.clientId, 'x-halo-client-secret': secret };
}

export function sandboxEnv(sandbox: TestSandbox): Record<string, string> {
  return { HALO_URL: sandbox.url, HALO_CLIENT_ID: sandbox.clientId, HALO_CLIENT_SECRET: sandbox.clientSecret, HALO_RATE_LIMIT: 'off' };
}

/** Starts `halopsa-mcp --http` on a free port and waits until it listens. */
export function startHttp(args: string[], env: Record<string, string>): Promise<HttpServer> {
  const child = spawn(process.execPath, [cli, '--http', '--port', '0', ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /"url":"(http:\/\/[^"]+\/mcp)"/.exec(stderr)?.[1];
      if (url) {
        resolve({
          url,
          base: url.replace(/\/mcp$/, ''),
          child,
          stderr: () => stderr,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`the server exited (${String(code)}) before listening:\n${stderr}`)));
  });
}

export interface HttpClientOptions {
  /** The revision to speak: 2025-11-25 (initialize first) by default. */
  revision?: Revision;
  /** Headers beside the token, on every request. */
  headers?: Record<string, string>;
  /** Makes the client support elicitation and answer each request with this. */
  elicit?: (message: string) => { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean | string[]> };
}

/** An MCP client connected over Streamable HTTP with a bearer token. */
export async function httpClient(url: string, token?: string, options: HttpClientOptions = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers };
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client(
    { name: 'http-e2e', version: '1.0.0' },
    {
      ...(options.revision === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
      ...(options.elicit ? { capabilities: { elicitation: {} } } : {}),
    },
  );
  const { elicit } = options;
  if (elicit) client.setRequestHandler('elicitation/create', (request) => elicit(request.params.message));
  await client.connect(transport);
  return { client, transport };
}

/** The `_meta` a 2026-07-28 request carries in place of the initialize handshake. */
export const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'contract', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** A raw 2026-07-28 POST: the envelope in the body, and the headers that name the revision and the method. */
export function postModern(url: string, message: { id?: number; method: string; params?: Record<string, unknown> }, headers: Record<string, string> = {}): Promise<Response> {
  const name = typeof message.params?.name === 'string' ? message.params.name : typeof message.params?.uri === 'string' ? message.params.uri : undefined;
  return post(
    url,
    { jsonrpc: '2.0', ...message, params: { ...message.params, _meta: ENVELOPE } },
    { 'mcp-protocol-version': '2026-07-28', 'mcp-method': message.method, ...(name !== undefined ? { 'mcp-name': name } : {}), ...headers },
  );
}

/** A raw JSON-RPC POST, for the transport contract. */
export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'contract', version: '1' } },
};
