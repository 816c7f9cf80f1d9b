/**
 * The benchmarks: each figure beside its baseline, measured in the same run on the same machine.
 * Prints a table, writes bench/results.json, and rewrites the measured part of docs/benchmarks.md.
 *
 *   npm run bench                       everything (about three minutes)
 *   npm run bench -- --only cold,http   some sections (results.json and the doc are left alone)
 *
 * Sections: cold (cold start against a one-tool SDK server), context (tokens of tools/list),
 * responses (tokens of compact results against raw Halo JSON), overhead (a tool call against the
 * same request made directly), economy (Halo requests of a scripted session, run twice), memory
 * (RSS idle, after the session, during a paged export of 100,000 tickets), http (throughput),
 * replicas (Halo requests per call and throughput, one replica against three sharing Redis).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSandbox } from '../src/sandbox/index.js';
import { ALL_TOOLS, measure as measureToolList } from './bench-tools.js';
import { coldStart } from './bench/cold.js';
import { requestEconomy } from './bench/economy.js';
import { connect } from './bench/harness.js';
import { httpThroughput } from './bench/http.js';
import { memory } from './bench/memory.js';
import { perCallOverhead } from './bench/overhead.js';
import { replicaBenchmarks } from './bench/replicas.js';
import { responseSizes } from './bench/responses.js';
import { round } from './bench/stats.js';
import { DEFAULT_SETTINGS } from '../src/mcp/settings.js';

const SECTIONS = ['cold', 'context', 'responses', 'overhead', 'economy', 'memory', 'http', 'replicas'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string', default: '10' },
    'http-clients': { type: 'string', default: '1,10,50' },
    'http-seconds': { type: 'string', default: '5' },
    'export-scale': { type: 'string', default: '417' },
  },
});
const only = values.only?.split(',').map((name) => name.trim()) ?? [...SECTIONS];
const unknown = only.filter((name) => !SECTIONS.includes(name as Section));
if (unknown.length > 0) throw new Error(`Unknown section ${unknown.join(', ')}: choose from ${SECTIONS.join(', ')}`);
const wanted = (section: Section) => only.includes(section);

const root = fileURLToPath(new URL('..', import.meta.url));
const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const results: Record<string, unknown> = { date: new Date().toISOString(), machine };
const log = (line: string) => process.stderr.write(`${line}\n`);

if (wanted('cold')) {
  log('cold start…');
  results.cold = await coldStart(root, Number(values.runs));
}
if (wanted('context')) {
  const all = await measureToolList(ALL_TOOLS);
  results.context = { default: await measureToolList(DEFAULT_SETTINGS), all, allTokensPerTool: round(all.tokens / all.tools) };
}
if (wanted('responses') || wanted('overhead') || wanted('economy')) {
  const sandbox = await startSandbox({ rateLimit: 'off', admin: true });
  try {
    if (wanted('responses')) {
      log('response sizes…');
      const harness = await connect(sandbox);
      results.responses = await responseSizes(sandbox, harness);
      await harness.close();
    }
    if (wanted('overhead')) {
      log('per-call overhead…');
      const harness = await connect(sandbox);
      results.overhead = await perCallOverhead(sandbox, harness, 500);
      await harness.close();
    }
    if (wanted('economy')) {
      log('request economy…');
      const harness = await connect(sandbox);
      results.economy = await requestEconomy(harness);
      await harness.close();
    }
  } finally {
    await sandbox.close();
  }
}
if (wanted('memory')) {
  log(`memory (a sandbox at scale ${values['export-scale']} first)…`);
  const sandbox = await startSandbox({ rateLimit: 'off', scale: Number(values['export-scale']) });
  try {
    results.memory = await memory(root, sandbox);
  } finally {
    await sandbox.close();
  }
}
if (wanted('http')) {
  log('HTTP throughput…');
  const sandbox = await startSandbox({ rateLimit: 'off' });
  try {
    results.http = await httpThroughput(root, sandbox, values['http-clients'].split(',').map(Number), Number(values['http-seconds']));
  } finally {
    await sandbox.close();
  }
}

if (wanted('replicas')) {
  log('replicas…');
  results.replicas = await replicaBenchmarks(root, Number(values['http-seconds']));
}

const table = renderTable(results);
process.stdout.write(`${table}\n`);
if (only.length === SECTIONS.length) {
  mkdirSync(join(root, 'bench'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const docPath = join(root, 'docs', 'benchmarks.md');
  const doc = readFileSync(docPath, 'utf8');
  const start = '<!-- measured: start -->';
  const end = '<!-- measured: end -->';
  const measured = `${start}\nMeasured ${String(results.date).slice(0, 10)} on ${machine}.\n\n${table}\n${end}`;
  writeFileSync(docPath, doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), measured));
  log('wrote bench/results.json and docs/benchmarks.md');
}

function renderTable(measured: Record<string, unknown>): string {
  const rows: string[] = ['| Measure | halopsa-mcp | Baseline | Ratio | Target | Met |', '|---|---:|---:|---:|---|---|'];
  const row = (measure: string, ours: string | number, baseline: string | number, ratio: string, target: string, met: boolean | undefined) =>
    rows.push(`| ${measure} | ${ours} | ${baseline} | ${ratio} | ${target} | ${met === undefined ? '' : met ? 'yes' : '**no**'} |`);
  const cold = measured.cold as Awaited<ReturnType<typeof coldStart>> | undefined;
  if (cold) {
    row(`Cold start to initialize, ms (median of ${cold.runs})`, cold.server.initializeMs, `${cold.floor.initializeMs} (one-tool SDK server)`, `${(cold.server.initializeMs / cold.floor.initializeMs).toFixed(2)}x`, '', undefined);
    row(`Cold start to tools/list, ms (median of ${cold.runs})`, cold.server.toolsListMs, `${cold.floor.toolsListMs} (one-tool SDK server)`, `${cold.ratio.toFixed(2)}x`, 'within 1.15x', cold.ratio <= 1.15);
    row('Cold start to tools/list, ms, floor bundled like the server', cold.server.toolsListMs, cold.floorBundled.toolsListMs, `${(cold.server.toolsListMs / cold.floorBundled.toolsListMs).toFixed(2)}x`, '', undefined);
    row(
      'Cold start at 2026-07-28 to server/discover / tools/list, ms',
      `${cold.serverModern.initializeMs} / ${cold.serverModern.toolsListMs}`,
      `${cold.floor.toolsListMs} (one-tool SDK server, 2025-11-25)`,
      `${(cold.serverModern.toolsListMs / cold.floor.toolsListMs).toFixed(2)}x`,
      '',
      undefined,
    );
  }
  const context = measured.context as { default: { tools: number; tokens: number }; all: { tools: number; tokens: number }; allTokensPerTool: number } | undefined;
  if (context) {
    row(`tools/list tokens, default (${context.default.tools} tools)`, context.default.tokens, '', '', 'under 4,000', context.default.tokens < 4000);
    row(`tools/list tokens per tool, all (${context.all.tools} tools, ${context.all.tokens} in all)`, context.allTokensPerTool, '', '', 'under 120', context.allTokensPerTool < 120);
  }
  for (const size of (measured.responses as Awaited<ReturnType<typeof responseSizes>> | undefined) ?? []) {
    row(`Tokens of ${size.tool.replaceAll('|', '\\|')}`, size.compactTokens, `${size.rawTokens} (raw Halo JSON, ${size.haloRequests} request${size.haloRequests === 1 ? '' : 's'})`, `${size.ratio}x smaller`, 'at least 10x smaller', size.ratio >= 10);
  }
  const overhead = measured.overhead as Awaited<ReturnType<typeof perCallOverhead>> | undefined;
  if (overhead) {
    row(`Call p50, ms: ${overhead.tool}, ${overhead.calls} calls`, overhead.toolP50Ms, `${overhead.directP50Ms} (the request alone, undici)`, `+${overhead.addedP50Ms} ms`, 'under 1 ms added', overhead.addedP50Ms < 1);
    row('Call p99, ms', overhead.toolP99Ms, overhead.directP99Ms, `+${(overhead.toolP99Ms - overhead.directP99Ms).toFixed(2)} ms`, '', undefined);
  }
  const economy = measured.economy as Awaited<ReturnType<typeof requestEconomy>> | undefined;
  if (economy) {
    economy.forEach((run, index) =>
      row(
        `Halo requests per call, 50-call session, run ${index + 1} (token requests ${run.tokenRequests}, lookups from cache ${run.cacheHits})`,
        run.requestsPerCall,
        '',
        '',
        index === 1 ? 'under 1.3 on run 2' : '',
        index === 1 ? run.requestsPerCall < 1.3 : undefined,
      ),
    );
  }
  const mem = measured.memory as Awaited<ReturnType<typeof memory>> | undefined;
  if (mem) {
    row('RSS idle, MB (stdio)', mem.idleMb, '', '', '', undefined);
    row('RSS after the 50-call session, MB', mem.afterSessionMb, '', '', '', undefined);
    mem.exportPasses.forEach((pass, index) => {
      const growth = pass.maxMb - pass.startMb;
      row(
        `RSS during export pass ${index + 1} of ${pass.tickets} tickets (${pass.pages} pages, ${pass.megabytesReturned} MB of text returned, ${pass.seconds} s), MB: start / max / end`,
        `${pass.startMb} / ${pass.maxMb} / ${pass.endMb}`,
        '',
        `+${growth} MB`,
        index === 1 ? 'flat (within 10 MB)' : '',
        index === 1 ? growth <= 10 : undefined,
      );
    });
  }
  for (const level of (measured.http as Awaited<ReturnType<typeof httpThroughput>> | undefined) ?? []) {
    row(
      `HTTP ${level.revision}, ${level.clients} client${level.clients === 1 ? '' : 's'}: calls/s, p50 / p99 ms, errors (RSS ${level.rssStartMb} → ${level.rssEndMb} MB)`,
      `${level.callsPerSecond}/s, ${level.p50Ms} / ${level.p99Ms}, ${level.errors}`,
      '',
      '',
      '',
      undefined,
    );
  }
  const replicas = measured.replicas as Awaited<ReturnType<typeof replicaBenchmarks>> | undefined;
  if (replicas) {
    const [one, shared, apart] = replicas.economy;
    if (one && shared && apart) {
      row(
        `Halo requests per call, 50-call session round-robin over 3 replicas sharing Redis (${shared.haloRequests} requests)`,
        shared.requestsPerCall,
        `${one.requestsPerCall} (1 replica); ${apart.requestsPerCall} (3 replicas, caches apart)`,
        `${(shared.requestsPerCall / one.requestsPerCall).toFixed(2)}x of 1 replica`,
        '',
        undefined,
      );
    }
    const [single, three] = replicas.throughput;
    if (single && three) {
      row(
        `HTTP throughput, ${three.clients} clients round-robin over 3 replicas sharing Redis, Halo's limit off: calls/s (errors)`,
        `${three.callsPerSecond}/s (${three.errors})`,
        `${single.callsPerSecond}/s (${single.errors}), 1 replica`,
        `${(three.callsPerSecond / single.callsPerSecond).toFixed(2)}x`,
        '',
        undefined,
      );
    }
  }
  return rows.join('\n');
}
