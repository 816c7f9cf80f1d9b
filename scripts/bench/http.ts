/**
 * HTTP throughput: N concurrent MCP clients (the SDK's Streamable HTTP client) calling tools for a
 * fixed time against the built server in stateless mode, backed by the sandbox: calls per second,
 * p50 and p99 latency, errors, and the server's RSS before and after each level; each level once
 * with clients of 2025-11-25 and once with clients of 2026-07-28.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Sandbox } from '../../src/sandbox/index.js';
import { BENCH_TOKEN, startBenchServer } from './server.js';
import { percentile, round, rssMb } from './stats.js';

const REVISIONS = ['2025-11-25', '2026-07-28'] as const;

export interface HttpLevel {
  revision: (typeof REVISIONS)[number];
  clients: number;
  calls: number;
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  rssStartMb: number;
  rssEndMb: number;
}


export async function httpThroughput(root: string, sandbox: Sandbox, levels: number[], seconds: number): Promise<HttpLevel[]> {
  const { url, process: server } = await startBenchServer(root, sandbox);
  const pid = server.pid ?? 0;
  const client = async (revision: HttpLevel['revision'] = '2025-11-25'): Promise<Client> => {
    const connected = new Client({ name: 'bench', version: '1' }, revision === '2026-07-28' ? { versionNegotiation: { mode: { pin: revision } } } : {});
    await connected.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${BENCH_TOKEN}` } } }));
    return connected;
  };
  try {
    // Warm up: the first calls load the reference data into the resolver's cache.
    const warm = await client();
    for (let i = 0; i < 20; i++) await warm.callTool({ name: 'halo_get_ticket', arguments: { id: 1 + i } });
    await warm.close();

    const results: HttpLevel[] = [];
    for (const [count, revision] of levels.flatMap((level) => REVISIONS.map((each) => [level, each] as const))) {
      const rssStartMb = rssMb(pid);
      const clients = await Promise.all(Array.from({ length: count }, () => client(revision)));
      const latencies: number[] = [];
      let errors = 0;
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        clients.map(async (connected, index) => {
          for (let n = index; performance.now() < end; n++) {
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
      results.push({
        revision,
        clients: count,
        calls: latencies.length,
        callsPerSecond: Math.round(latencies.length / seconds),
        p50Ms: round(percentile(latencies, 50)),
        p99Ms: round(percentile(latencies, 99)),
        errors,
        rssStartMb,
        rssEndMb: rssMb(pid),
      });
    }
    return results;
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
}
