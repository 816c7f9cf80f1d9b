/**
 * Load on the HTTP server: N concurrent MCP clients (the SDK's Streamable HTTP client) calling tools
 * for a fixed time against the built CLI in stateless mode, backed by the sandbox. Prints calls per
 * second, p50 and p99 latency, errors, and the server's RSS at start and end, with the machine.
 *
 *   npm run build && npm run bench:http -- [--clients 1,10,50] [--seconds 10]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSandbox } from '../src/sandbox/index.js';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '1,10,50' }, seconds: { type: 'string', default: '10' } } });
const levels = values.clients.split(',').map(Number);
const seconds = Number(values.seconds);
const TOKEN = 'bench-token-0123456789abcdef';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}

const sandbox = await startSandbox({ rateLimit: 'off' });
const server = spawn(process.execPath, ['dist/cli.js', '--http', '--port', '0'], {
  env: {
    ...process.env,
    HALO_URL: sandbox.url,
    HALO_CLIENT_ID: sandbox.clientId,
    HALO_CLIENT_SECRET: sandbox.clientSecret,
    HALO_RATE_LIMIT: 'off',
    HALO_MCP_TOKENS: TOKEN,
    HALO_MCP_MAX_CONCURRENT: '1000',
  },
  stdio: ['ignore', 'ignore', 'pipe'],
});
const url = await new Promise<string>((resolve, reject) => {
  let stderr = '';
  server.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    const found = /"url":"(http:\/\/[^"]+\/mcp)"/.exec(stderr)?.[1];
    if (found) resolve(found);
  });
  server.once('exit', (code) => reject(new Error(`server exited ${String(code)}: ${stderr}`)));
});
const pid = server.pid ?? 0;

async function client(): Promise<Client> {
  const connected = new Client({ name: 'bench', version: '1' });
  await connected.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
  return connected;
}

// Warm up: the first calls load the reference data into the resolver's cache.
const warm = await client();
for (let i = 0; i < 20; i++) await warm.callTool({ name: 'halo_get_ticket', arguments: { id: 1 + i } });
await warm.close();

const rows: string[] = [];
for (const count of levels) {
  const rssStart = rssMb(pid);
  const clients = await Promise.all(Array.from({ length: count }, () => client()));
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (connected, index) => {
      let n = index;
      while (performance.now() < end) {
        n++;
        const started = performance.now();
        try {
          const result =
            n % 2 === 0
              ? await connected.callTool({ name: 'halo_get_ticket', arguments: { id: 1 + (n % 200) } })
              : await connected.callTool({ name: 'halo_search_tickets', arguments: { query: 'printer', limit: 5 } });
          if (result.isError) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  await Promise.all(clients.map((connected) => connected.close()));
  const sorted = [...latencies].sort((a, b) => a - b);
  rows.push(
    `| ${count} | ${latencies.length} | ${(latencies.length / seconds).toFixed(0)} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${errors} | ${rssStart} | ${rssMb(pid)} |`,
  );
}

server.kill('SIGTERM');
await sandbox.close();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(
  [
    `Machine: ${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${seconds} s per level, stateless mode, sandbox on loopback.`,
    '',
    '| Clients | Calls | Calls/s | p50 ms | p99 ms | Errors | RSS start MB | RSS end MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);
