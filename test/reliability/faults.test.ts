/**
 * The fault matrix: every way Halo or the network can fail, against a read, an update and two
 * kinds of create, through MCP tool calls. For each case it records the tool result, the requests
 * Halo received and what Halo holds afterwards, and asserts that nothing is lost, no create is
 * duplicated, every failure is an error a person can act on, and the server keeps working.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HaloClient } from '../../src/halo/client.js';
import type { HaloClientConfig } from '../../src/halo/config.js';
import { Redactor } from '../../src/util/redact.js';
import { createLogger } from '../../src/logger.js';
import type { FaultRule } from '../../src/sandbox/faults.js';
import type { LoggedRequest } from '../../src/sandbox/server.js';
import { cleanEnv } from '../helpers/http.js';
import { connectMcp } from '../helpers/mcp.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/setup.js';
import { SecretScan } from './secrets.js';

type Json = Record<string, unknown>;

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

const READ_TICKET = 3;
const UPDATE_TICKET = 5;
const NOTE_TICKET = 7;
const CREATE_CLIENT = '2';

/** Short enough that a persistent fault fails in about a second; the slow fault waits well past it. */
const TIMEOUT_MS = 400;
const SLOW_MS = 1_000;
const FAST_RETRIES: Partial<HaloClientConfig> = {
  timeoutMs: TIMEOUT_MS,
  retry: { maxAttempts: 4, budgetMs: 5_000, baseDelayMs: 20, maxDelayMs: 100 },
};
const MAX_ATTEMPTS = 4;

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;
const UNKNOWN_OUTCOME = /may have been applied.*check whether the change exists before retrying/;
/** What a failed update says: it was sent, so it may have landed, and it names its record, so sending it again is safe. */
const REPEATABLE_OUTCOME = /may have been applied before the failure; sending it again is safe/;

type Operation = 'halo_get_ticket' | 'halo_search_tickets' | 'halo_update_ticket' | 'halo_create_ticket' | 'halo_add_note';

const ENDPOINT: Record<Operation, { method: string; path: string }> = {
  halo_get_ticket: { method: 'GET', path: `^/api/tickets/${READ_TICKET}$` },
  halo_search_tickets: { method: 'GET', path: '^/api/tickets$' },
  halo_update_ticket: { method: 'POST', path: '^/api/tickets$' },
  halo_create_ticket: { method: 'POST', path: '^/api/tickets$' },
  halo_add_note: { method: 'POST', path: '^/api/actions$' },
};
const TOKEN_ENDPOINT = '^/auth/token';

function argumentsFor(operation: Operation, marker: string): Json {
  switch (operation) {
    case 'halo_get_ticket':
      return { id: READ_TICKET };
    case 'halo_search_tickets':
      return { query: 'printer', limit: 3 };
    case 'halo_update_ticket':
      return { id: UPDATE_TICKET, summary: marker };
    case 'halo_create_ticket':
      return { summary: marker, client: CREATE_CLIENT };
    case 'halo_add_note':
      return { ticket_id: NOTE_TICKET, note: marker };
  }
}

interface FaultCase {
  name: string;
  operation: Operation;
  faults: FaultRule[];
  succeeds: boolean;
  /** What the error must name: the status, or the kind of failure. */
  mentions?: RegExp;
  /** Whether the update or the created record exists afterwards. */
  lands?: boolean;
  /** A create whose request may have reached Halo: the error must say the outcome is unknown. */
  outcomeUnknown?: boolean;
  /** Requests to the operation's endpoint (retries included). */
  attempts?: number;
  tokenAttempts?: number;
  /** A client that holds no token yet, so that the call has to go through the token endpoint. */
  freshClient?: boolean;
  /** The sandbox delays the request past the client's timeout: it is processed (and logged) after the client gave up on it. */
  slow?: boolean;
}

/** A rule on the endpoint of the case's operation. */
function on(operation: Operation, rule: Omit<FaultRule, 'path' | 'method'>): FaultRule {
  return { ...ENDPOINT[operation], ...rule };
}

const NOT_JSON = 'not json {';

function readCases(): FaultCase[] {
  const op: Operation = 'halo_get_ticket';
  return [
    { name: 'read 429 Retry-After 1s once', operation: op, faults: [on(op, { status: 429, retry_after: 1, times: 1 })], succeeds: true, attempts: 2 },
    { name: 'read 429 without Retry-After once', operation: op, faults: [on(op, { status: 429, times: 1 })], succeeds: true, attempts: 2 },
    {
      name: 'read 429 Retry-After 120s persistent',
      operation: op,
      faults: [on(op, { status: 429, retry_after: 120 })],
      succeeds: false,
      mentions: /rate limit was reached.*wait 120 s/,
      attempts: 1,
    },
    ...[500, 502, 503, 504].map((status): FaultCase => ({
      name: `read ${status} burst of 2`,
      operation: op,
      faults: [on(op, { status, times: 2 })],
      succeeds: true,
      attempts: 3,
    })),
    { name: 'read 503 burst of 3', operation: op, faults: [on(op, { status: 503, times: 3 })], succeeds: true, attempts: 4 },
    ...[500, 502, 503, 504].map((status): FaultCase => ({
      name: `read ${status} persistent`,
      operation: op,
      faults: [on(op, { status })],
      succeeds: false,
      mentions: new RegExp(`Halo failed on GET /Tickets/${READ_TICKET} \\(${status} `),
      attempts: MAX_ATTEMPTS,
    })),
    { name: 'read reset before read once', operation: op, faults: [on(op, { reset: 'before_read', times: 1 })], succeeds: true, attempts: 2 },
    {
      name: 'read reset before read persistent',
      operation: op,
      faults: [on(op, { reset: 'before_read' })],
      succeeds: false,
      mentions: /connection to Halo .* failed during GET/,
      attempts: MAX_ATTEMPTS,
    },
    { name: 'read reset after read once', operation: op, faults: [on(op, { reset: true, times: 1 })], succeeds: true, attempts: 2 },
    {
      name: 'read reset after read persistent',
      operation: op,
      faults: [on(op, { reset: true })],
      succeeds: false,
      mentions: /connection to Halo .* failed during GET/,
      attempts: MAX_ATTEMPTS,
    },
    { name: 'read slow past timeout once', operation: op, faults: [on(op, { delay_ms: SLOW_MS, times: 1 })], succeeds: true, attempts: 2, slow: true },
    {
      name: 'read slow past timeout persistent',
      operation: op,
      faults: [on(op, { delay_ms: SLOW_MS })],
      succeeds: false,
      mentions: new RegExp(`did not answer GET /Tickets/${READ_TICKET} within ${TIMEOUT_MS} ms`),
      attempts: MAX_ATTEMPTS,
      slow: true,
    },
    { name: 'read invalid JSON once', operation: op, faults: [on(op, { status: 200, body: NOT_JSON, times: 1 })], succeeds: true, attempts: 2 },
    {
      name: 'read invalid JSON persistent',
      operation: op,
      faults: [on(op, { status: 200, body: NOT_JSON })],
      succeeds: false,
      mentions: /not valid JSON/,
      attempts: MAX_ATTEMPTS,
    },
    { name: 'read truncated once', operation: op, faults: [on(op, { truncate: true, times: 1 })], succeeds: true, attempts: 2 },
    { name: 'read truncated persistent', operation: op, faults: [on(op, { truncate: true })], succeeds: false, mentions: /was cut off/, attempts: MAX_ATTEMPTS },
    { name: 'read token refused once (401)', operation: op, faults: [on(op, { status: 401, times: 1 })], succeeds: true, attempts: 2, tokenAttempts: 1 },
    {
      name: 'read token refused persistent (401)',
      operation: op,
      faults: [on(op, { status: 401 })],
      succeeds: false,
      mentions: /refused the access token .* \(401\) even with a fresh token/,
      attempts: 2,
    },
  ];
}

function searchCases(): FaultCase[] {
  const op: Operation = 'halo_search_tickets';
  return [
    { name: 'search 503 burst of 2', operation: op, faults: [on(op, { status: 503, times: 2 })], succeeds: true, attempts: 3 },
    { name: 'search truncated once', operation: op, faults: [on(op, { truncate: true, times: 1 })], succeeds: true, attempts: 2 },
    {
      name: 'search invalid JSON persistent',
      operation: op,
      faults: [on(op, { status: 200, body: NOT_JSON })],
      succeeds: false,
      mentions: /GET \/Tickets \(200\) with a body that is not valid JSON/,
      attempts: MAX_ATTEMPTS,
    },
  ];
}

function updateCases(): FaultCase[] {
  const op: Operation = 'halo_update_ticket';
  return [
    { name: 'update 429 Retry-After 0s once', operation: op, faults: [on(op, { status: 429, retry_after: 0, times: 1 })], succeeds: true, lands: true, attempts: 2 },
    { name: 'update 503 burst of 2', operation: op, faults: [on(op, { status: 503, times: 2 })], succeeds: true, lands: true, attempts: 3 },
    { name: 'update 504 once', operation: op, faults: [on(op, { status: 504, times: 1 })], succeeds: true, lands: true, attempts: 2 },
    {
      name: 'update 500 persistent',
      operation: op,
      faults: [on(op, { status: 500 })],
      succeeds: false,
      mentions: /Halo failed on POST \/Tickets \(500 Internal Server Error\)/,
      lands: false,
      attempts: MAX_ATTEMPTS,
    },
    { name: 'update reset before read once', operation: op, faults: [on(op, { reset: 'before_read', times: 1 })], succeeds: true, lands: true, attempts: 2 },
    // Halo applied the update but the answer was lost: an update carries its id, so repeating it is safe.
    { name: 'update lost response (applied, reset)', operation: op, faults: [on(op, { apply: true, reset: true, times: 1 })], succeeds: true, lands: true, attempts: 2 },
    { name: 'update lost response (applied, truncated)', operation: op, faults: [on(op, { truncate: true, times: 1 })], succeeds: true, lands: true, attempts: 2 },
    {
      name: 'update lost response persistent',
      operation: op,
      faults: [on(op, { apply: true, reset: true })],
      succeeds: false,
      mentions: /connection to Halo .* failed during POST \/Tickets/,
      lands: true,
      attempts: MAX_ATTEMPTS,
    },
    {
      name: 'update slow past timeout persistent',
      operation: op,
      faults: [on(op, { delay_ms: SLOW_MS })],
      succeeds: false,
      mentions: new RegExp(`did not answer POST /Tickets within ${TIMEOUT_MS} ms`),
      // The sandbox processes each delayed request after the client has stopped waiting for it.
      lands: true,
      attempts: MAX_ATTEMPTS,
      slow: true,
    },
    {
      name: 'update invalid JSON persistent',
      operation: op,
      faults: [on(op, { status: 200, body: NOT_JSON })],
      succeeds: false,
      mentions: /not valid JSON/,
      lands: false,
      attempts: MAX_ATTEMPTS,
    },
    { name: 'update token refused once (401)', operation: op, faults: [on(op, { status: 401, times: 1 })], succeeds: true, lands: true, attempts: 2, tokenAttempts: 1 },
  ];
}

/** The faults every create is put through; `label` prefixes the case names. */
function createCases(op: 'halo_create_ticket' | 'halo_add_note', label: string, path: string): FaultCase[] {
  return [
    // A 429 or a 401 is a refusal: Halo did not process the call, so sending it again cannot duplicate it.
    { name: `${label} 429 Retry-After 1s once`, operation: op, faults: [on(op, { status: 429, retry_after: 1, times: 1 })], succeeds: true, lands: true, attempts: 2 },
    { name: `${label} 429 without Retry-After once`, operation: op, faults: [on(op, { status: 429, times: 1 })], succeeds: true, lands: true, attempts: 2 },
    {
      name: `${label} 429 Retry-After 120s persistent`,
      operation: op,
      faults: [on(op, { status: 429, retry_after: 120 })],
      succeeds: false,
      mentions: /rate limit was reached.*wait 120 s/,
      lands: false,
      attempts: 1,
    },
    { name: `${label} token refused once (401)`, operation: op, faults: [on(op, { status: 401, times: 1 })], succeeds: true, lands: true, attempts: 2, tokenAttempts: 1 },
    ...[500, 502, 503, 504].map((status): FaultCase => ({
      name: `${label} ${status} once`,
      operation: op,
      faults: [on(op, { status, times: 1 })],
      succeeds: false,
      mentions: new RegExp(`Halo failed on POST ${path} \\(${status} `),
      lands: false,
      outcomeUnknown: true,
      attempts: 1,
    })),
    {
      name: `${label} 500 after Halo stored it`,
      operation: op,
      faults: [on(op, { status: 500, apply: true, times: 1 })],
      succeeds: false,
      mentions: new RegExp(`Halo failed on POST ${path} \\(500 `),
      lands: true,
      outcomeUnknown: true,
      attempts: 1,
    },
    {
      name: `${label} reset before read`,
      operation: op,
      faults: [on(op, { reset: 'before_read', times: 1 })],
      succeeds: false,
      mentions: new RegExp(`connection to Halo .* failed during POST ${path}`),
      lands: false,
      outcomeUnknown: true,
      attempts: 1,
    },
    {
      name: `${label} reset after read`,
      operation: op,
      faults: [on(op, { reset: true, times: 1 })],
      succeeds: false,
      mentions: new RegExp(`connection to Halo .* failed during POST ${path}`),
      lands: false,
      outcomeUnknown: true,
      attempts: 1,
    },
    {
      name: `${label} lost response (applied, reset)`,
      operation: op,
      faults: [on(op, { apply: true, reset: true, times: 1 })],
      succeeds: false,
      mentions: new RegExp(`connection to Halo .* failed during POST ${path}`),
      lands: true,
      outcomeUnknown: true,
      attempts: 1,
    },
    {
      name: `${label} lost response (applied, truncated)`,
      operation: op,
      faults: [on(op, { apply: true, truncate: true, times: 1 })],
      succeeds: false,
      mentions: new RegExp(`answer to POST ${path} \\(201\\) was cut off`),
      lands: true,
      outcomeUnknown: true,
      attempts: 1,
    },
    {
      name: `${label} slow past timeout`,
      operation: op,
      faults: [on(op, { delay_ms: SLOW_MS, times: 1 })],
      succeeds: false,
      mentions: new RegExp(`did not answer POST ${path} within ${TIMEOUT_MS} ms`),
      // Halo carries on after the client stops waiting: the record appears once the delay is over.
      lands: true,
      outcomeUnknown: true,
      attempts: 1,
      slow: true,
    },
    {
      name: `${label} invalid JSON`,
      operation: op,
      faults: [on(op, { status: 200, body: NOT_JSON, times: 1 })],
      succeeds: false,
      mentions: /not valid JSON/,
      lands: false,
      outcomeUnknown: true,
      attempts: 1,
    },
    {
      name: `${label} invalid JSON after Halo stored it`,
      operation: op,
      faults: [on(op, { status: 200, body: NOT_JSON, apply: true, times: 1 })],
      succeeds: false,
      mentions: /not valid JSON/,
      lands: true,
      outcomeUnknown: true,
      attempts: 1,
    },
  ];
}

function tokenCases(): FaultCase[] {
  const token = (rule: Omit<FaultRule, 'path'>): FaultRule => ({ path: TOKEN_ENDPOINT, ...rule });
  return [
    { name: 'token endpoint 503 burst of 2', operation: 'halo_get_ticket', faults: [token({ status: 503, times: 2 })], succeeds: true, tokenAttempts: 3, freshClient: true },
    {
      name: 'token endpoint 503 persistent',
      operation: 'halo_get_ticket',
      faults: [token({ status: 503 })],
      succeeds: false,
      mentions: /Halo failed on POST \/auth\/token \(503 Service Unavailable\)/,
      attempts: 0,
      tokenAttempts: MAX_ATTEMPTS,
      freshClient: true,
    },
    { name: 'token endpoint reset once', operation: 'halo_get_ticket', faults: [token({ reset: 'before_read', times: 1 })], succeeds: true, tokenAttempts: 2, freshClient: true },
    {
      name: 'token endpoint reset persistent',
      operation: 'halo_get_ticket',
      faults: [token({ reset: true })],
      succeeds: false,
      mentions: /connection to Halo .* failed during POST \/auth\/token/,
      attempts: 0,
      tokenAttempts: MAX_ATTEMPTS,
      freshClient: true,
    },
    {
      name: 'token endpoint invalid JSON persistent',
      operation: 'halo_get_ticket',
      faults: [token({ status: 200, body: NOT_JSON })],
      succeeds: false,
      mentions: /POST \/auth\/token \(200\) with a body that is not valid JSON/,
      attempts: 0,
      tokenAttempts: MAX_ATTEMPTS,
      freshClient: true,
    },
    {
      // The create is never sent without a token, so it cannot exist and its outcome is not in doubt.
      name: 'token endpoint down on a create',
      operation: 'halo_create_ticket',
      faults: [token({ status: 503 })],
      succeeds: false,
      mentions: /Halo failed on POST \/auth\/token \(503 Service Unavailable\)/,
      lands: false,
      attempts: 0,
      tokenAttempts: MAX_ATTEMPTS,
      freshClient: true,
    },
  ];
}

const CASES: FaultCase[] = [
  ...readCases(),
  ...searchCases(),
  ...updateCases(),
  ...createCases('halo_create_ticket', 'create ticket', '/Tickets'),
  ...createCases('halo_add_note', 'add note', '/Actions'),
  ...tokenCases(),
];

interface ToolAnswer {
  isError: boolean;
  text: string;
  /** Set when the call failed at the protocol level instead of answering with a tool result. */
  protocolError?: string;
}

interface Harness {
  call(name: string, args: Json): Promise<ToolAnswer>;
  /** Requests the harness's Halo client has sent, retries included. */
  sent(): number;
  close(): Promise<void>;
}

interface MatrixRow {
  name: string;
  operation: string;
  result: string;
  api: string;
  tokens: string;
  state: string;
}

/** The running test's tool results, log lines and stderr, for its secret scan. */
let scan = new SecretScan();
/** Every case's row, printed as one table after the file: a report, not a check. */
const matrix: MatrixRow[] = [];
/** The running test's log lines. */
let logLines: string[] = [];

/** A pino destination that keeps every line, for the secret scan and the stack-trace check. */
const logCapture = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      logLines.push(line);
      scan.add('log line', line);
    }
    callback();
  },
});

/**
 * A test checked on its own texts: it starts with none kept, and ends with no stack trace in a log
 * line, and no secret in any tool result, log line or stderr it produced.
 */
async function keptClean(target: () => TestSandbox, test: () => Promise<void>): Promise<void> {
  scan = new SecretScan();
  logLines = [];
  await test();
  for (const line of logLines) expect(line).not.toMatch(STACK_TRACE);
  await scan.assertClean(target());
}

async function callTool(client: Client, source: string, name: string, args: Json): Promise<ToolAnswer> {
  try {
    const result = (await client.callTool({ name, arguments: args }));
    const first = result.content[0];
    const text = first?.type === 'text' ? first.text : '';
    scan.add(`${source} ${name}`, text);
    return { isError: result.isError === true, text };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    scan.add(`${source} ${name} protocol error`, message);
    return { isError: true, text: message, protocolError: message };
  }
}

/** An MCP client in memory against a server whose Halo client logs every line, at debug, to the capture. */
async function connect(target: TestSandbox): Promise<Harness> {
  const redactor = new Redactor();
  const logger = createLogger({ level: 'debug', redactor, destination: logCapture });
  const mcp = await connectMcp(target, {}, { haloConfig: FAST_RETRIES, logger, redactor });
  return {
    call: (name, args) => callTool(mcp.client, 'in-memory', name, args),
    sent: () => mcp.halo.stats.requests,
    close: () => mcp.close(),
  };
}

function outcomeOf(entry: LoggedRequest): string {
  if (entry.outcome === 'reset') return 'reset';
  if (entry.outcome === 'truncated') return `${entry.status} cut`;
  return String(entry.status);
}

/** Requests grouped by endpoint in order of first use: `POST /api/tickets 503,201`. */
function describeRequests(entries: LoggedRequest[]): string {
  const groups = new Map<string, string[]>();
  for (const entry of entries) {
    const key = `${entry.method} ${entry.path.toLowerCase()}`;
    groups.set(key, [...(groups.get(key) ?? []), outcomeOf(entry)]);
  }
  return groups.size === 0 ? 'none' : [...groups].map(([key, outcomes]) => `${key} ${outcomes.join(',')}`).join('; ');
}

function briefly(answer: ToolAnswer): string {
  if (!answer.isError) return 'ok';
  const firstSentence = answer.text.split(/(?<=\.)\s/)[0] ?? answer.text;
  return `error: ${firstSentence.length > 90 ? `${firstSentence.slice(0, 89)}…` : firstSentence}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function matrixTable(rows: MatrixRow[]): string {
  const header = '| Case | Operation | Tool result | API requests | Token requests | Final state |\n|---|---|---|---|---|---|';
  const lines = rows.map((row) => `| ${[row.name, row.operation, row.result, row.api, row.tokens, row.state].map(escapeCell).join(' | ')} |`);
  return [header, ...lines].join('\n');
}

/** The failure is one a person can act on: it names what went wrong and carries no stack trace. */
function expectActionableError(answer: ToolAnswer, mentions: RegExp | undefined): void {
  expect(answer.protocolError).toBeUndefined();
  expect(answer.isError).toBe(true);
  expect(answer.text.trim()).not.toBe('');
  expect(answer.text).not.toMatch(STACK_TRACE);
  expect(answer.text).not.toMatch(/^Unexpected error/);
  if (mentions) expect(answer.text).toMatch(mentions);
}

const sandbox = useSandbox();
/** Reads what Halo holds, with no faults in the way (they are cleared first) and no log of its own. */
let inspector: HaloClient;
let shared: Harness;

async function ticketsWithSummary(marker: string): Promise<number> {
  const { items } = await inspector.list('/Tickets', { search_summary: marker, count: 100 });
  return items.filter((ticket) => ticket.summary === marker).length;
}

async function notesWithText(marker: string): Promise<number> {
  // Halo answers 50 actions unless asked for more, and the note ticket gathers one per case.
  const { items, total } = await inspector.list('/Actions', { ticket_id: NOTE_TICKET, count: 1000 });
  expect(items).toHaveLength(total);
  return items.filter((action) => typeof action.note === 'string' && action.note.includes(marker)).length;
}

async function summaryOf(id: number): Promise<unknown> {
  return (await inspector.get('/Tickets', id)).summary;
}

async function ticketTotal(): Promise<number> {
  return (await inspector.list('/Tickets', { count: 1 })).total;
}

beforeAll(async () => {
  inspector = new HaloClient(sandbox.config());
  shared = await connect(sandbox);
  // Warm the token and the reference lists (the outcomes a note is written with too), so that each case's requests are its own.
  const warm = await shared.call('halo_get_ticket', { id: READ_TICKET });
  expect(warm.isError).toBe(false);
  const warmNote = await shared.call('halo_add_note', { ticket_id: NOTE_TICKET, note: 'warm-up', dry_run: true });
  expect(warmNote.isError, warmNote.text).toBe(false);
});

afterAll(async () => {
  if (matrix.length > 0) console.log(`\nFault matrix (${matrix.length} cases)\n\n${matrixTable(matrix)}\n`);
  await shared.close();
  await inspector.close();
});

describe('fault matrix over MCP', () => {
  it.each(CASES.map((faultCase) => [faultCase.name, faultCase] as const))('%s', (_name, faultCase) => keptClean(() => sandbox, async () => {
    const { operation } = faultCase;
    const marker = `fault-matrix ${faultCase.name} ${Date.now()}`;
    const summaryBefore = operation === 'halo_update_ticket' ? await summaryOf(UPDATE_TICKET) : undefined;
    const totalBefore = operation === 'halo_update_ticket' ? await ticketTotal() : undefined;
    const harness = faultCase.freshClient ? await connect(sandbox) : shared;
    try {
      await sandbox.clearRequests();
      await sandbox.clearViolations();
      const sentBefore = harness.sent();
      await sandbox.faults(faultCase.faults);
      const answer = await harness.call(operation, argumentsFor(operation, marker));
      await sandbox.clearFaults();
      // The sandbox logs and applies a delayed request only once its delay is over: wait until it has logged every request sent.
      if (faultCase.slow) await vi.waitFor(async () => expect(await sandbox.apiRequests()).toHaveLength(harness.sent() - sentBefore), { timeout: SLOW_MS * MAX_ATTEMPTS + 2_000, interval: 50 });
      const apiRequests = await sandbox.apiRequests();
      const tokenRequests = await sandbox.tokenRequests();

      let state = '-';
      let created: number | undefined;
      let summaryAfter: unknown;
      if (operation === 'halo_create_ticket') {
        created = await ticketsWithSummary(marker);
        state = `${created} ticket(s) with the marker`;
      } else if (operation === 'halo_add_note') {
        created = await notesWithText(marker);
        state = `${created} note(s) with the marker`;
      } else if (operation === 'halo_update_ticket') {
        summaryAfter = await summaryOf(UPDATE_TICKET);
        state = summaryAfter === marker ? 'update landed' : summaryAfter === summaryBefore ? 'ticket unchanged' : `summary now ${String(summaryAfter)}`;
      }

      const endpoint = ENDPOINT[operation];
      const endpointPattern = new RegExp(endpoint.path, 'i');
      const onEndpoint = apiRequests.filter((entry) => entry.method === endpoint.method && endpointPattern.test(entry.path));

      // The server keeps working once Halo does.
      const recovery = await harness.call('halo_get_ticket', { id: READ_TICKET });

      matrix.push({
        name: faultCase.name,
        operation,
        result: briefly(answer),
        api: describeRequests(apiRequests),
        tokens: tokenRequests.length === 0 ? '0' : `${tokenRequests.length} (${tokenRequests.map(outcomeOf).join(',')})`,
        state,
      });

      expect(answer.protocolError).toBeUndefined();
      if (created !== undefined) {
        expect(created, 'a create was duplicated').toBeLessThanOrEqual(1);
        // Once a create may have reached Halo, it is not sent again: only refusals (429, 401) are repeated.
        const mayHaveReachedHalo = onEndpoint.filter((entry) => entry.status !== 429 && entry.status !== 401);
        expect(mayHaveReachedHalo.length).toBeLessThanOrEqual(1);
        expect(created).toBe(faultCase.lands ? 1 : 0);
        if (faultCase.outcomeUnknown) expect(answer.text).toMatch(UNKNOWN_OUTCOME);
        // A success means the record exists; a failure that does not call the outcome unknown means it does not.
        if (!answer.isError) expect(created).toBe(1);
        else if (!UNKNOWN_OUTCOME.test(answer.text)) expect(created).toBe(0);
      }
      if (operation === 'halo_update_ticket') {
        expect([marker, summaryBefore]).toContain(summaryAfter);
        expect(summaryAfter === marker).toBe(faultCase.lands);
        if (!answer.isError) expect(summaryAfter).toBe(marker);
        else expect(answer.text).toMatch(REPEATABLE_OUTCOME);
        // An update names its ticket, so however often it is sent, it never creates one.
        expect(await ticketTotal()).toBe(totalBefore);
      }
      if (faultCase.succeeds) {
        expect(answer.isError, answer.text).toBe(false);
      } else {
        expectActionableError(answer, faultCase.mentions);
      }
      if (faultCase.attempts !== undefined) expect(onEndpoint.map(outcomeOf)).toHaveLength(faultCase.attempts);
      if (faultCase.tokenAttempts !== undefined) expect(tokenRequests).toHaveLength(faultCase.tokenAttempts);
      if (!answer.isError && operation === 'halo_get_ticket') expect(answer.text).toContain(`"id":${READ_TICKET}`);

      expect(recovery.isError, recovery.text).toBe(false);
      expect(recovery.text).toContain(`"id":${READ_TICKET}`);
      // Through every fault, only what Halo documents was sent, and each request was logged at debug.
      expect(await sandbox.violations()).toEqual([]);
      expect(logLines.some((line) => line.includes('"msg":"halo request"') && line.includes('"level":20'))).toBe(true);
    } finally {
      await sandbox.clearFaults();
      if (faultCase.freshClient) await harness.close();
    }
  }));

  it('token expiring mid-session: the next call fetches a fresh token and succeeds', async () => {
    const shortLived = await startTestSandbox({ tokenTtlSeconds: 1 });
    const harness = await connect(shortLived);
    // Only the clock is faked: the sandbox and the client both read a token's age from Date, and sockets keep their real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await keptClean(
        () => shortLived,
        async () => {
          const first = await harness.call('halo_get_ticket', { id: READ_TICKET });
          expect(first.isError, first.text).toBe(false);
          await shortLived.clearRequests();
          vi.setSystemTime(Date.now() + 1_200);
          const second = await harness.call('halo_get_ticket', { id: READ_TICKET });
          const apiRequests = await shortLived.apiRequests();
          const tokenRequests = await shortLived.tokenRequests();
          matrix.push({
            name: 'token expired mid-session (TTL 1s)',
            operation: 'halo_get_ticket',
            result: briefly(second),
            api: describeRequests(apiRequests),
            tokens: `${tokenRequests.length} (${tokenRequests.map(outcomeOf).join(',')})`,
            state: '-',
          });
          expect(second.isError, second.text).toBe(false);
          expect(second.text).toContain(`"id":${READ_TICKET}`);
          expect(tokenRequests.map(outcomeOf)).toEqual(['200']);
          // The old token was replaced before Halo would have refused it: no call was turned away.
          expect(apiRequests.map(outcomeOf).every((status) => status === '200')).toBe(true);
          expect(await shortLived.issuedTokens()).toHaveLength(2);
        },
      );
    } finally {
      vi.useRealTimers();
      await harness.close();
      await shortLived.close();
    }
  });
});

function isAlive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface StdioFault {
  name: string;
  operation: Operation;
  faults: FaultRule[];
  mentions: RegExp;
  /** For creates: whether the record exists afterwards. */
  lands?: boolean;
}

describe('the built server over stdio', () => {
  it('answers again in the same process after each of the nastiest faults', () => keptClean(() => sandbox, async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli],
      env: cleanEnv({
        HALO_URL: sandbox.url,
        HALO_CLIENT_ID: sandbox.clientId,
        HALO_CLIENT_SECRET: sandbox.clientSecret,
        HALO_RATE_LIMIT: 'off',
        HALO_TIMEOUT_MS: '2000',
        HALO_RETRY_MAX_ATTEMPTS: '3',
        HALO_RETRY_BUDGET_MS: '1500',
        HALO_LOG_LEVEL: 'debug',
      }),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'fault-matrix-stdio', version: '1.0.0' });
    await client.connect(transport);
    const pid = transport.pid;
    expect(pid).not.toBeNull();
    const faults: StdioFault[] = [
      // First, while the process holds no token yet.
      { name: 'stdio: token endpoint down', operation: 'halo_get_ticket', faults: [{ path: TOKEN_ENDPOINT, status: 503 }], mentions: /POST \/auth\/token \(503 / },
      { name: 'stdio: read reset before read', operation: 'halo_get_ticket', faults: [on('halo_get_ticket', { reset: 'before_read' })], mentions: /connection to Halo .* failed/ },
      { name: 'stdio: read invalid JSON', operation: 'halo_get_ticket', faults: [on('halo_get_ticket', { status: 200, body: NOT_JSON })], mentions: /not valid JSON/ },
      { name: 'stdio: read truncated', operation: 'halo_get_ticket', faults: [on('halo_get_ticket', { truncate: true })], mentions: /was cut off/ },
      {
        name: 'stdio: create reset before read',
        operation: 'halo_create_ticket',
        faults: [on('halo_create_ticket', { reset: 'before_read' })],
        mentions: UNKNOWN_OUTCOME,
        lands: false,
      },
      {
        name: 'stdio: create lost response (applied, truncated)',
        operation: 'halo_create_ticket',
        faults: [on('halo_create_ticket', { apply: true, truncate: true })],
        mentions: UNKNOWN_OUTCOME,
        lands: true,
      },
    ];
    try {
      for (const fault of faults) {
        const marker = `fault-matrix ${fault.name} ${Date.now()}`;
        await sandbox.clearRequests();
        await sandbox.faults(fault.faults);
        const answer = await callTool(client, 'stdio', fault.operation, argumentsFor(fault.operation, marker));
        const apiRequests = await sandbox.apiRequests();
        const tokenRequests = await sandbox.tokenRequests();
        await sandbox.clearFaults();
        const created = fault.lands === undefined ? undefined : await ticketsWithSummary(marker);
        const alive = isAlive(pid);
        const recovery = await callTool(client, 'stdio', 'halo_get_ticket', { id: READ_TICKET });
        matrix.push({
          name: fault.name,
          operation: fault.operation,
          result: briefly(answer),
          api: describeRequests(apiRequests),
          tokens: tokenRequests.length === 0 ? '0' : `${tokenRequests.length} (${tokenRequests.map(outcomeOf).join(',')})`,
          state: `${created === undefined ? '' : `${created} ticket(s) with the marker; `}process ${alive ? 'alive' : 'gone'}, next call ${recovery.isError ? 'failed' : 'ok'}`,
        });
        expectActionableError(answer, fault.mentions);
        if (created !== undefined) {
          expect(created).toBe(fault.lands ? 1 : 0);
          expect(apiRequests.filter((entry) => entry.method === 'POST')).toHaveLength(1);
        }
        expect(alive).toBe(true);
        expect(transport.pid).toBe(pid);
        expect(recovery.isError, recovery.text).toBe(false);
        expect(recovery.text).toContain(`"id":${READ_TICKET}`);
      }
    } finally {
      await sandbox.clearFaults();
      await client.close();
      scan.add('stdio stderr', stderr);
    }
    expect(stderr).toMatch(/"msg":"retrying Halo call"/);
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(stderr).not.toMatch(/unhandled|uncaught/i);
  }));
});
