/**
 * What the assistant evaluation runs on: a sandbox tenant, the MCP server a technician's assistant
 * talks to (default toolsets), and two views of the tenant. The model's view is the tools: every call
 * is counted with the o200k tokens of the text a model reads back. The truth's view is Halo's API read
 * directly, so that each answer is checked against the tenant's data rather than against the tools.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { countTokens } from 'gpt-tokenizer';
import { HaloClient } from '../../src/halo/client.js';
import { createServer } from '../../src/mcp/server.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../src/mcp/settings.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { catalog, prompts, resources } from '../../tools/index.js';

export interface ToolAnswer {
  isError: boolean;
  /** The text a model reads. */
  text: string;
  /** structuredContent, or `{}` for an error. */
  data: Record<string, unknown>;
}

export interface CallRecord {
  tool: string;
  args: Record<string, unknown>;
  tokens: number;
  isError: boolean;
}

/** The tools as a model uses them: each call is recorded. */
export interface Model {
  call(tool: string, args?: Record<string, unknown>): Promise<ToolAnswer>;
}

/** Halo's API read directly, bypassing the tools: what the right answer is. */
export interface Truth {
  /** Every record of a list, all pages. */
  all(path: string, query?: Record<string, string | number | boolean>): Promise<Record<string, unknown>[]>;
  one(path: string): Promise<Record<string, unknown>>;
  /** The emails the tenant has sent. */
  emails(): Promise<{ ticket_id: number; to: string }[]>;
  /** When the tenant's data was seeded: the "now" of the run. */
  now: Date;
}

export interface Tenant {
  model: Model;
  truth: Truth;
  /** The calls made since the last `takeCalls`. */
  takeCalls(): CallRecord[];
  close(): Promise<void>;
}

/** Halo's list envelopes: the one array of records in the answer. */
function recordsOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  const arrays = Object.values(body as Record<string, unknown>).filter(Array.isArray);
  if (arrays.length !== 1) throw new Error(`Not one list in the answer: ${JSON.stringify(body).slice(0, 200)}`);
  return arrays[0] as Record<string, unknown>[];
}

async function readTruth(sandbox: Sandbox, now: Date): Promise<Truth> {
  const tokenResponse = await fetch(`${sandbox.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, scope: 'all' }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(`${sandbox.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const PAGE = 100;
  return {
    now,
    all: async (path, query = {}) => {
      const records: Record<string, unknown>[] = [];
      for (let page = 1; ; page++) {
        const search = new URLSearchParams({ ...Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)])), pageinate: 'true', page_size: String(PAGE), page_no: String(page) });
        const batch = recordsOf(await get(`/api${path}?${search.toString()}`));
        records.push(...batch);
        if (batch.length < PAGE) return records;
      }
    },
    one: async (path) => (await get(`/api${path}`)) as Record<string, unknown>,
    emails: async () => ((await get('/_sandbox/emails')) as { emails: { ticket_id: number; to: string }[] }).emails,
  };
}

/** A fresh demo tenant and a server with the given settings over the defaults (core and api toolsets, UTC). */
export async function openTenant(settings: Partial<ServerSettings> = {}): Promise<Tenant> {
  const now = new Date();
  const sandbox = await startSandbox({ admin: true, rateLimit: 'off', now });
  const halo = new HaloClient({
    url: sandbox.url,
    authUrl: `${sandbox.url}/auth`,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    scope: 'all',
    timeoutMs: 10_000,
    retry: { maxAttempts: 3, budgetMs: 10_000, baseDelayMs: 50, maxDelayMs: 500 },
    maxResponseBytes: 8 * 1024 * 1024,
  });
  const server = createServer({ halo, settings: { ...DEFAULT_SETTINGS, timezone: 'UTC', ...settings }, catalog, resources, prompts });
  const client = new Client({ name: 'assistant-eval', version: '1' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  let calls: CallRecord[] = [];
  const model: Model = {
    call: async (tool, args = {}) => {
      const result = await client.callTool({ name: tool, arguments: args });
      const text = result.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join('\n');
      const isError = result.isError === true;
      calls.push({ tool, args, tokens: countTokens(text), isError });
      const data = !isError && typeof result.structuredContent === 'object' && result.structuredContent !== null ? (result.structuredContent as Record<string, unknown>) : {};
      return { isError, text, data };
    },
  };
  return {
    model,
    truth: await readTruth(sandbox, now),
    takeCalls: () => {
      const taken = calls;
      calls = [];
      return taken;
    },
    close: async () => {
      await client.close();
      await server.close();
      await halo.close();
      await sandbox.close();
    },
  };
}
