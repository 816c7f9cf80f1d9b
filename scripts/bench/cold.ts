/**
 * Cold start over stdio: spawn to the `initialize` result, and to the `tools/list` result, median of
 * `runs`, for the server and for the floor (a one-tool SDK server, as is and bundled like ours);
 * and the server at 2026-07-28, which has no initialize: spawn to the `server/discover` result and
 * to the `tools/list` result. Runs are interleaved so that a busy moment of the machine falls on all
 * of them alike.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { median, round } from './stats.js';

export interface ColdStart {
  initializeMs: number;
  toolsListMs: number;
}

export interface ColdStartResult {
  runs: number;
  floor: ColdStart;
  floorBundled: ColdStart;
  server: ColdStart;
  /** The server spoken to at 2026-07-28: `initializeMs` is the time to the server/discover result. */
  serverModern: ColdStart;
  /** The server's time over the floor's, to tools/list. */
  ratio: number;
}

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } };
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };
const TOOLS_LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
/** The openings of each revision: the first request, then what follows its answer. */
const OPENINGS = {
  legacy: { first: INITIALIZE, then: [INITIALIZED, TOOLS_LIST] },
  modern: { first: { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: ENVELOPE } }, then: [{ ...TOOLS_LIST, params: { _meta: ENVELOPE } }] },
};

function startOnce(script: string, env: Record<string, string>, opening: (typeof OPENINGS)[keyof typeof OPENINGS] = OPENINGS.legacy): Promise<ColdStart> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
    let output = '';
    let initializeMs: number | undefined;
    child.once('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (initializeMs === undefined && output.includes('"id":1')) {
        initializeMs = performance.now() - started;
        child.stdin.write(opening.then.map((message) => `${JSON.stringify(message)}\n`).join(''));
      } else if (initializeMs !== undefined && output.includes('"id":2')) {
        const toolsListMs = performance.now() - started;
        child.kill();
        resolve({ initializeMs, toolsListMs });
      }
    });
    child.stdin.write(`${JSON.stringify(opening.first)}\n`);
  });
}

async function buildFloors(root: string): Promise<{ plain: string; bundled: string }> {
  // Inside the project's node_modules, so that the plain floor resolves the SDK as an installed server would.
  const outdir = join(root, 'node_modules', '.cache', 'halopsa-mcp-bench');
  mkdirSync(outdir, { recursive: true });
  const entry = join(root, 'scripts', 'bench', 'floor-server.ts');
  const common: BuildOptions = { entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', target: 'node20.19', logLevel: 'warning' };
  const plain = join(outdir, 'floor-plain.mjs');
  const bundled = join(outdir, 'floor-bundled.mjs');
  await build({ ...common, outfile: plain, packages: 'external' });
  await build({ ...common, outfile: bundled, banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" } });
  return { plain, bundled };
}

export async function coldStart(root: string, runs: number): Promise<ColdStartResult> {
  const floors = await buildFloors(root);
  // The server does not reach Halo before a tool is called, so any address will do.
  const haloEnv = { HALO_URL: 'http://127.0.0.1:9', HALO_CLIENT_ID: 'bench', HALO_CLIENT_SECRET: 'bench-secret' };
  const targets = { floor: floors.plain, floorBundled: floors.bundled, server: join(root, 'dist', 'cli.js') };
  const samples: Record<keyof typeof targets | 'serverModern', ColdStart[]> = { floor: [], floorBundled: [], server: [], serverModern: [] };
  // One unmeasured start each fills the file cache.
  for (const script of Object.values(targets)) await startOnce(script, haloEnv);
  for (let run = 0; run < runs; run++) {
    for (const [name, script] of Object.entries(targets) as [keyof typeof targets, string][]) samples[name].push(await startOnce(script, haloEnv));
    samples.serverModern.push(await startOnce(targets.server, haloEnv, OPENINGS.modern));
  }
  const summary = (list: ColdStart[]): ColdStart => ({
    initializeMs: round(median(list.map((sample) => sample.initializeMs))),
    toolsListMs: round(median(list.map((sample) => sample.toolsListMs))),
  });
  const floor = summary(samples.floor);
  const server = summary(samples.server);
  return { runs, floor, floorBundled: summary(samples.floorBundled), server, serverModern: summary(samples.serverModern), ratio: round(server.toolsListMs / floor.toolsListMs, 2) };
}
