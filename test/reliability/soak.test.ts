/**
 * The soak test of the reliability suite: the built server over HTTP (stateless, bearer token)
 * under a steady mix of calls from concurrent MCP clients, some of them connecting and leaving all
 * the time, while the sandbox injects faults on a schedule. It proves, over a bounded run
 * (SOAK_SECONDS, 60 by default), that every failure is one an injected fault explains, that the
 * server's memory and file descriptors level off instead of growing, that it is still healthy at
 * the end and stops cleanly, and that no secret reached a result, an error or a log line.
 */
import { Client, type CallToolResult } from '@modelcontextprotocol/client';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../src/sandbox/faults.js';
import { httpClient, sandboxEnv, startHttp, type HttpServer } from '../helpers/http.js';
import { call, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { median, openFiles, rssMb } from '../../scripts/bench/stats.js';
import { SecretScan } from './secrets.js';

type Json = Record<string, unknown>;

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
// Shorter runs end while the server's heap is still growing towards its level, so the memory check would measure warm-up, not leaks.
if (!Number.isFinite(SOAK_SECONDS) || SOAK_SECONDS < 30) throw new Error(`SOAK_SECONDS must be a number of seconds, at least 30 (got "${process.env.SOAK_SECONDS ?? ''}")`);
const SOAK_MS = SOAK_SECONDS * 1000;

const TOKEN = 'soak-token-0123456789abcdef';
/** Clients that stay connected for the whole run. */
const STEADY_CLIENTS = 10;
/** Clients that connect, make a few calls and leave, over and over: connection churn. */
const CHURNING_CLIENTS = 4;
const WORKERS = STEADY_CLIENTS + CHURNING_CLIENTS;
/**
 * Each worker holds at most one call and one event-stream attempt at a time, so a per-token limit
 * well above twice the workers is never reached by the load: a 429 from the endpoint would mean the
 * server's count of requests in flight leaks.
 */
const MAX_CONCURRENT_PER_TOKEN = WORKERS * 4;
/** Short enough that a delay fault can outlast it, so timeouts (and their aborted sockets) are soaked too. */
const HALO_TIMEOUT_MS = 4_000;
/** A call the client gives up on is a hang: it is recorded as a transport failure, and the run stays bounded. */
const CALL_TIMEOUT_MS = 30_000;
/**
 * How long after a fault is cleared a failure it caused can still surface: the fault must have hit
 * the failing call's last attempt, which began while the rule was in place and ended within the
 * Halo timeout; calls that shared that attempt (the resolver's cached lookups) fail with it.
 */
const RETRY_WINDOW_MS = HALO_TIMEOUT_MS + 2_000;
/** Each fault is in place this long unless it says otherwise, then cleared, then the load runs clean until the next one. */
const FAULT_ACTIVE_MS = 2_500;
const FAULT_QUIET_MS = 1_500;
/** The first fault comes once every client is busy. */
const FAULT_SCHEDULE_DELAY_MS = 1_000;
/** Descriptors an idle server may open or close on its own (an epoll or a timer fd), not a leak. */
const FD_SLACK = 4;

/**
 * Faults in the order they are injected, cycling: each ends after `times` requests or when cleared.
 * Most are bursts the client's retries should absorb; the knowledge base failing for the whole
 * window outlasts every retry, so failures surface too and the test sees how; a note whose answer is
 * lost after it was stored is the one case where a write's outcome is unknown.
 */
const FAULTS: { label: string; rule: FaultRule; activeMs?: number }[] = [
  { label: '503 burst', rule: { path: '^/api/', status: 503, times: 8 } },
  // Four attempts with backoff span up to about 7 s, so only a fault in place longer than that outlasts them.
  { label: '500 on the knowledge base, past every retry', rule: { path: '^/api/kbarticle', status: 500, times: 1_000 }, activeMs: 9_000 },
  { label: 'lost answers to new notes', rule: { method: 'POST', path: '^/api/actions', apply: true, reset: true, times: 2 } },
  { label: '429 with Retry-After 1', rule: { path: '^/api/', status: 429, retry_after: 1, times: 8 } },
  { label: 'connection reset', rule: { path: '^/api/', reset: true, times: 6 } },
  { label: 'slow answers (800 ms)', rule: { path: '^/api/', delay_ms: 800, times: 12 } },
  { label: 'truncated ticket bodies', rule: { method: 'GET', path: '^/api/tickets', truncate: true, times: 6 } },
  { label: '502 HTML from a proxy', rule: { path: '^/api/', status: 502, times: 8 } },
  { label: 'answers beyond the timeout', rule: { path: '^/api/', delay_ms: HALO_TIMEOUT_MS + 1_000, times: 4 } },
  { label: 'reset before reading', rule: { path: '^/api/', reset: 'before_read', times: 6 } },
  { label: 'invalid JSON on tickets', rule: { method: 'GET', path: '^/api/tickets', status: 200, body: '{"tickets": [', times: 6 } },
  { label: '401 refused token', rule: { path: '^/api/', status: 401, times: 4 } },
];

/**
 * What a failure caused by a fault says: a status the faults answer with (5xx, 429, 401), a
 * connection reset, a timeout, or an answer that is cut off or not JSON.
 */
const FAULT_LIKE =
  /\((?:5\d\d|429|401)\b|rate limit|connection to Halo at .* failed|did not answer .* within|was cut off|not valid JSON|not a list Halo is known to send|refused the access token/i;

interface CallRecord {
  tool: string;
  started: number;
  ended: number;
  /** ok; a tool result with isError (or a whoami that could not connect); or the call itself failed. */
  outcome: 'ok' | 'tool-error' | 'transport';
  message?: string;
}

interface FaultRecord {
  label: string;
  rule: FaultRule;
  added: number;
  cleared: number;
  /** Requests the rule answered before it was cleared. */
  hits: number;
}

interface Sample {
  /** Milliseconds since the load started. */
  at: number;
  rssMb: number;
  fds: number;
}

/** How many faults the schedule fits into the run, the first a second in, none running past the end. */
function plannedFaults(): number {
  let at = FAULT_SCHEDULE_DELAY_MS;
  for (let count = 0; ; count++) {
    const activeMs = FAULTS[count % FAULTS.length]?.activeMs ?? FAULT_ACTIVE_MS;
    if (at + activeMs + FAULT_QUIET_MS > SOAK_MS) return count;
    at += activeMs + FAULT_QUIET_MS;
  }
}

/**
 * Real waits, on purpose: time is what a soak measures. The fault schedule spaces its faults over
 * the run, a client pauses after a failed connection as a real one would, and the descriptor check
 * polls the server's open files every half second until they settle (bounded by a deadline). Fake
 * timers would stop the load and the server's keep-alive timers this test exists to observe.
 */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

async function connect(url: string): Promise<Client> {
  return (await httpClient(url, TOKEN)).client;
}

/** Everything the run produced, kept for the assertions and the summary. */
class Soak {
  readonly calls: CallRecord[] = [];
  readonly faults: FaultRecord[] = [];
  readonly samples: Sample[] = [];
  /** MCP connections opened by the load, churning clients' included. */
  connections = 0;
  /** Real notes added to the scratch ticket: answered, and failed with an unknown outcome. */
  notesAdded = 0;
  notesUnknown = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly scan: SecretScan) {}

  /** Keeps a text for the secret scan once: the same answer repeated thousands of times need not be held thousands of times. */
  keep(source: string, text: string): void {
    const digest = createHash('sha256').update(text).digest('base64');
    if (this.seen.has(digest)) return;
    this.seen.add(digest);
    this.scan.add(source, text);
  }

  async tool(client: Client, name: string, args: Json): Promise<CallToolResult | undefined> {
    const started = performance.now();
    try {
      const result = (await client.callTool({ name, arguments: args }, { timeout: CALL_TIMEOUT_MS }));
      const text = textOf(result);
      this.keep(`${name} result`, text);
      // whoami's failed connection is an error result too, with the settings it used.
      const failed = result.isError === true;
      this.calls.push({ tool: name, started, ended: performance.now(), outcome: failed ? 'tool-error' : 'ok', ...(failed ? { message: text } : {}) });
      return result;
    } catch (error) {
      this.transportFailure(name, started, error);
      return undefined;
    }
  }

  transportFailure(what: string, started: number, error: unknown): void {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.keep(`${what} error`, message);
    this.calls.push({ tool: what, started, ended: performance.now(), outcome: 'transport', message });
  }

  /** A tool error is explained when it surfaced while a fault was in place (or its retries ran out after) and says what a fault causes. */
  explained(record: CallRecord): boolean {
    if (record.outcome !== 'tool-error' || !FAULT_LIKE.test(record.message ?? '')) return false;
    return this.faults.some((fault) => record.ended >= fault.added && record.ended <= fault.cleared + RETRY_WINDOW_MS);
  }
}

/** What the load calls with: records the sandbox is known to hold, checked before the run. */
interface Fixture {
  ticketIds: number[];
  clientNames: string[];
  statusNames: string[];
  scratchTicketId: number;
}

/** One call of the mix, chosen by the worker's call number so every worker cycles through all of them. */
async function callFromMix(soak: Soak, client: Client, fixture: Fixture, worker: number, n: number): Promise<void> {
  const pick = <T>(list: T[]): T => list[(n * 7 + worker * 3) % list.length] as T;
  const ticketId = pick(fixture.ticketIds);
  const clientName = pick(fixture.clientNames);
  const status = pick(fixture.statusNames);
  switch ((n + worker) % 17) {
    case 0:
      await soak.tool(client, 'halo_search_tickets', { query: pick(['printer', 'email', 'password', 'vpn', 'laptop']), limit: 5 });
      return;
    case 1:
      await soak.tool(client, 'halo_search_tickets', { status: 'open', sort: 'updated', limit: 10 });
      return;
    case 2:
    case 3:
      await soak.tool(client, 'halo_get_ticket', { id: ticketId });
      return;
    case 4:
      await soak.tool(client, 'halo_get_client', { id: clientName });
      return;
    case 5:
      await soak.tool(client, 'halo_search_clients', { query: clientName.slice(0, 4), limit: 5 });
      return;
    case 6:
      await soak.tool(client, 'halo_search_users', { client: clientName, limit: 5 });
      return;
    case 7:
      await soak.tool(client, 'halo_search_kb', { query: pick(['password', 'printer', 'vpn']), limit: 3 });
      return;
    case 8:
      await soak.tool(client, 'halo_search_assets', { limit: 5 });
      return;
    case 9:
      await soak.tool(client, 'halo_lookup', { kind: pick(['statuses', 'agents', 'priorities', 'teams', 'ticket_types']) });
      return;
    case 10:
      await soak.tool(client, 'halo_lookup', { kind: 'sites', client: clientName });
      return;
    case 11:
      await soak.tool(client, 'halo_whoami', {});
      return;
    case 12:
      await soak.tool(client, 'halo_find_operations', { query: pick(['list webhooks', 'invoice lines', 'asset types', 'appointments']), limit: 5 });
      return;
    case 13:
      await soak.tool(client, 'halo_create_ticket', { summary: `Soak ${worker}/${n}: monitor flickers`, client: clientName, status, dry_run: true });
      return;
    case 14:
      await soak.tool(client, 'halo_update_ticket', { id: ticketId, status, dry_run: true });
      return;
    case 15:
      await soak.tool(client, 'halo_add_note', { ticket_id: ticketId, note: `Checked by soak worker ${worker}.`, dry_run: true });
      return;
    default:
      await soak.tool(client, 'halo_list_ticket_actions', { ticket_id: ticketId, limit: 5 });
  }
}

/** A real write now and then, on one ticket of its own, so that what was written can be counted afterwards. */
async function addScratchNote(soak: Soak, client: Client, fixture: Fixture, worker: number, n: number): Promise<void> {
  const result = await soak.tool(client, 'halo_add_note', { ticket_id: fixture.scratchTicketId, note: `Soak note ${worker}/${n}.` });
  if (!result) return;
  if (result.isError !== true) soak.notesAdded++;
  else if (/may have been applied/.test(textOf(result))) soak.notesUnknown++;
}

describe('soak: steady load with faults over HTTP', () => {
  let sandbox: TestSandbox;
  let server: HttpServer | undefined;
  const scan = new SecretScan();

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    scan.secret(TOKEN);
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) await server.stop();
    await sandbox.close();
  });

  it(
    `keeps every failure explained, memory and descriptors flat, and stays healthy over ${SOAK_SECONDS} s`,
    async () => {
      const running = await startHttp([], {
        ...sandboxEnv(sandbox),
        HALO_MCP_TOKENS: `soak=${TOKEN}`,
        HALO_MCP_MAX_CONCURRENT: String(MAX_CONCURRENT_PER_TOKEN),
        HALO_TIMEOUT_MS: String(HALO_TIMEOUT_MS),
      });
      server = running;
      const pid = running.child.pid;
      if (pid === undefined) throw new Error('the server has no pid');
      const soak = new Soak(scan);
      const start = { rssMb: rssMb(pid), fds: openFiles(pid) };

      // Records the load can use, each checked once before the run, so that a failure during it is never a bad fixture.
      const setup = await connect(running.url);
      const found = await soak.tool(setup, 'halo_search_tickets', { limit: 50 });
      const ticketIds = ((found?.structuredContent as Json | undefined)?.items as Json[] | undefined)?.map((item) => Number(item.id)) ?? [];
      const clients = await soak.tool(setup, 'halo_search_clients', { limit: 20 });
      const clientNames: string[] = [];
      for (const item of ((clients?.structuredContent as Json | undefined)?.items as Json[] | undefined) ?? []) {
        const name = String(item.name);
        const got = await soak.tool(setup, 'halo_get_client', { id: name });
        if (got && got.isError !== true && clientNames.length < 8) clientNames.push(name);
      }
      const statuses = await soak.tool(setup, 'halo_lookup', { kind: 'statuses' });
      const statusNames = (((statuses?.structuredContent as Json | undefined)?.items as Json[] | undefined) ?? []).map((item) => String(item.name)).slice(0, 5);
      const scratch = await soak.tool(setup, 'halo_create_ticket', { summary: 'Soak scratch ticket', client: clientNames[0] ?? '', details: 'Notes from the soak test land here.' });
      const scratchTicketId = Number(((scratch?.structuredContent as Json | undefined)?.ticket as Json | undefined)?.id);
      await setup.close();
      expect(soak.calls.filter((record) => record.outcome !== 'ok'), 'the setup calls, before any fault').toEqual([]);
      expect(ticketIds.length).toBeGreaterThan(10);
      expect(clientNames.length).toBeGreaterThan(2);
      expect(statusNames.length).toBeGreaterThan(1);
      expect(scratchTicketId).toBeGreaterThan(0);
      const fixture: Fixture = { ticketIds, clientNames, statusNames, scratchTicketId };
      const sandboxToken = await sandbox.token();
      // Every action of the scratch ticket: Halo answers 50 unless the request asks for more.
      const scratchNotes = async (): Promise<number> => {
        const answer = await call(sandbox, sandboxToken, 'GET', `/Actions?ticket_id=${scratchTicketId}&count=100000`);
        const { actions = [], record_count: total } = answer.body as { actions?: unknown[]; record_count?: number };
        expect(actions).toHaveLength(total ?? -1);
        return actions.length;
      };
      const notesBefore = await scratchNotes();
      const setupCalls = soak.calls.length;

      const loadStarted = performance.now();
      const deadline = loadStarted + SOAK_MS;
      const sampler = setInterval(() => {
        soak.samples.push({ at: performance.now() - loadStarted, rssMb: rssMb(pid), fds: openFiles(pid) });
      }, 1_000);

      const steady = Array.from({ length: STEADY_CLIENTS }, async (_, worker) => {
        const started = performance.now();
        let client: Client;
        try {
          client = await connect(running.url);
          soak.connections++;
        } catch (error) {
          soak.transportFailure('connect', started, error);
          return { client: undefined };
        }
        for (let n = 0; performance.now() < deadline; n++) {
          if (worker < 2 && n % 10 === 9) await addScratchNote(soak, client, fixture, worker, n);
          else await callFromMix(soak, client, fixture, worker, n);
        }
        return { client };
      });
      const churning = Array.from({ length: CHURNING_CLIENTS }, async (_, index) => {
        const worker = STEADY_CLIENTS + index;
        for (let n = 0; performance.now() < deadline; ) {
          const started = performance.now();
          let client: Client;
          try {
            client = await connect(running.url);
            soak.connections++;
            const listed = await client.listTools(undefined, { timeout: CALL_TIMEOUT_MS });
            soak.calls.push({ tool: 'tools/list', started, ended: performance.now(), outcome: listed.tools.length > 10 ? 'ok' : 'tool-error', message: `${listed.tools.length} tools` });
          } catch (error) {
            soak.transportFailure('connect and list tools', started, error);
            await sleep(100);
            continue;
          }
          const visit = 2 + (n % 3);
          for (let k = 0; k < visit && performance.now() < deadline; k++, n++) await callFromMix(soak, client, fixture, worker, n);
          await client.close();
        }
      });

      const faultSchedule = (async () => {
        await sleep(FAULT_SCHEDULE_DELAY_MS);
        for (let i = 0; ; i++) {
          const { label, rule, activeMs = FAULT_ACTIVE_MS } = FAULTS[i % FAULTS.length] as (typeof FAULTS)[number];
          if (performance.now() + activeMs + FAULT_QUIET_MS > deadline) break;
          await sandbox.faults([rule]);
          const added = performance.now();
          await sleep(activeMs);
          const listing = await fetch(`${sandbox.url}/_sandbox/faults`);
          const remaining = ((await listing.json()) as { rules: { remaining: number | null }[] }).rules[0]?.remaining ?? 0;
          await sandbox.clearFaults();
          soak.faults.push({ label, rule, added, cleared: performance.now(), hits: (rule.times ?? 0) - remaining });
          await sleep(FAULT_QUIET_MS);
        }
      })();

      let steadyClients: { client: Client | undefined }[];
      try {
        [steadyClients] = await Promise.all([Promise.all(steady), Promise.all(churning), faultSchedule]);
      } finally {
        clearInterval(sampler);
      }
      const loadEnded = performance.now();
      await sandbox.clearFaults();
      for (const { client } of steadyClients) await client?.close();

      const warm = soak.samples.filter((sample) => sample.at >= 0.15 * SOAK_MS && sample.at <= 0.25 * SOAK_MS);
      const afterWarmUp = { rssMb: median(warm.map((sample) => sample.rssMb)), fds: median(warm.map((sample) => sample.fds)) };
      // Idle keep-alive sockets (the clients' to the server, the server's pool to Halo) close within about five
      // seconds of the last call; wait for that, within bounds, and the idle server should hold what it held before the load.
      const settleBy = performance.now() + 15_000;
      let endFds = openFiles(pid);
      while (endFds > start.fds + FD_SLACK && performance.now() < settleBy) {
        await sleep(500);
        endFds = openFiles(pid);
      }
      const endRss = rssMb(pid);

      const health = await fetch(`${running.base}/healthz`);
      const finalClient = await connect(running.url);
      const finalId = ticketIds[0] ?? 1;
      const final = await soak.tool(finalClient, 'halo_get_ticket', { id: finalId });
      await finalClient.close();
      const notesAfter = await scratchNotes();
      const exitCode = await running.stop();
      const stderr = running.stderr();
      for (const line of stderr.split('\n')) if (line.trim()) scan.add('server stderr', line);
      const serverErrors = stderr.split('\n').filter((line) => /"level":(?:5\d|6\d)\b/.test(line));

      const loadCalls = soak.calls.slice(setupCalls, soak.calls.length - 1);
      const failures = loadCalls.filter((record) => record.outcome !== 'ok');
      const transport = failures.filter((record) => record.outcome === 'transport');
      const unexplained = failures.filter((record) => !soak.explained(record));
      const late = soak.samples.filter((sample) => sample.at >= (2 / 3) * SOAK_MS).map((sample) => sample.rssMb);
      const lateRss = median(late);
      const maxRss = Math.max(...soak.samples.map((sample) => sample.rssMb));
      const seconds = (loadEnded - loadStarted) / 1000;
      console.log(
        [
          `soak: ${seconds.toFixed(1)} s of load, ${STEADY_CLIENTS} steady + ${CHURNING_CLIENTS} churning clients, ${soak.connections} connections`,
          `  calls: ${loadCalls.length} (${(loadCalls.length / seconds).toFixed(0)}/s), failed ${failures.length}: ${failures.length - unexplained.length} explained by faults, ${unexplained.length} unexplained, ${transport.length} transport`,
          `  faults: ${soak.faults.length} injected, ${soak.faults.reduce((sum, fault) => sum + fault.hits, 0)} requests hit (${[...new Set(soak.faults.map((fault) => fault.label))].join(', ')})`,
          `  notes on the scratch ticket: ${notesAfter - notesBefore} stored, ${soak.notesAdded} answered, ${soak.notesUnknown} with an unknown outcome`,
          `  RSS MB: start ${start.rssMb}, after warm-up ${afterWarmUp.rssMb}, last third ${lateRss}, max ${maxRss}, end ${endRss}`,
          `  fds: start ${start.fds}, after warm-up ${afterWarmUp.fds}, max ${Math.max(...soak.samples.map((sample) => sample.fds))}, end ${endFds}`,
          ...unexplained.slice(0, 10).map((record) => `  unexplained ${record.outcome} in ${record.tool} at ${((record.ended - loadStarted) / 1000).toFixed(1)} s: ${(record.message ?? '').slice(0, 300)}`),
        ].join('\n'),
      );

      // The load really ran and the faults really fired, or the rest proves nothing.
      expect(loadCalls.length).toBeGreaterThan(SOAK_SECONDS * 10);
      // One fewer than planned at most: the admin calls around each fault add a little to every slot.
      expect(soak.faults.length).toBeGreaterThanOrEqual(plannedFaults() - 1);
      expect(soak.faults.filter((fault) => fault.hits === 0).map((fault) => fault.label), 'faults no request reached').toEqual([]);
      expect(loadCalls.filter((record) => record.outcome === 'ok').length).toBeGreaterThan(0.9 * loadCalls.length);

      // (1) Every failure is a fault's doing, and the MCP endpoint itself never failed.
      expect(transport.map((record) => `${record.tool}: ${record.message ?? ''}`)).toEqual([]);
      expect(unexplained.map((record) => `${record.tool}: ${record.message ?? ''}`)).toEqual([]);
      expect(serverErrors).toEqual([]);
      // A note is never written twice: at least every answered one is stored, and beyond those only ones whose outcome was unknown.
      expect(notesAfter - notesBefore).toBeGreaterThanOrEqual(soak.notesAdded);
      expect(notesAfter - notesBefore).toBeLessThanOrEqual(soak.notesAdded + soak.notesUnknown);

      // (2) Memory is flat. V8 keeps growing its heaps for a while after warm-up before collection settles (the bench
      // saw 10 clients level off around 220 MB from 165 MB), so the last third sits well above the warm-up figure: over
      // six 60 s runs, 177-227 MB after warm-up became 230-255 MB, at most 44% (78 MB) more, and stayed level from
      // about the middle of the run. Half again plus 32 MB covers that settling with room to spare; a server that
      // kept what each request built (its MCP server and transport) reached 433 MB against a limit of about 310.
      // Both windows must hold samples: the median of none is 0, which would pass anything.
      expect(warm.length).toBeGreaterThan(0);
      expect(late.length).toBeGreaterThan(0);
      expect(lateRss).toBeLessThanOrEqual(afterWarmUp.rssMb * 1.5 + 32);

      // (3) File descriptors are flat: once the clients have gone and idle sockets closed, no more are open than
      // under load after warm-up, nor than before the load began, so no connection or file was left behind.
      expect(endFds).toBeLessThanOrEqual(afterWarmUp.fds + FD_SLACK);
      expect(endFds).toBeLessThanOrEqual(start.fds + FD_SLACK);

      // (4) Still healthy, and a clean stop.
      expect(health.status).toBe(200);
      expect(final?.isError).toBeFalsy();
      expect((final?.structuredContent as Json | undefined)?.id).toBe(finalId);
      expect(exitCode).toBe(0);

      expect(scan.size).toBeGreaterThan(10);
      await scan.assertClean(sandbox);
    },
    SOAK_MS + 150_000,
  );
});
