/**
 * Replicas: the scripted 50-call session spread round-robin over one server, over three servers that
 * share a cache through Redis, and over three that do not (each with its own), counting the
 * requests Halo received per call; then throughput of one against three replicas with Halo's limit
 * off, clients spread round-robin. Every server is the built CLI over HTTP; Redis is a
 * `redis-server` of the machine's, started on a free port for the run.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { BENCH_TOKEN, startBenchServer } from './server.js';
import { sessionCalls } from './session.js';
import { round } from './stats.js';


export interface ReplicaEconomy {
  replicas: number;
  sharedCache: boolean;
  calls: number;
  haloRequests: number;
  requestsPerCall: number;
}

export interface ReplicaThroughput {
  replicas: number;
  clients: number;
  calls: number;
  callsPerSecond: number;
  errors: number;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** A redis-server of the machine's, on a free port, keeping nothing on disk. */
async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`redis-server could not start (${error.message}): install it (apt-get install redis-server) to run this section.`)));
    setTimeout(resolve, 300);
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => server.kill() };
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'bench-replicas', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${BENCH_TOKEN}` } } }));
  return client;
}

/** Requests the sandbox received, from its admin request log. */
async function haloRequests(sandbox: Sandbox): Promise<number> {
  const answer = (await (await fetch(`${sandbox.url}/_sandbox/requests`)).json()) as { requests: unknown[]; dropped: number };
  return answer.requests.length + answer.dropped;
}

/** Runs with `replicas` servers against a fresh sandbox, and stops them all. */
async function withReplicas<T>(root: string, replicas: number, redisUrl: string | undefined, run: (urls: string[], sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({ port: 0, admin: true, rateLimit: 'off' });
  const servers: ChildProcess[] = [];
  try {
    const urls: string[] = [];
    for (let i = 0; i < replicas; i++) {
      const started = await startBenchServer(root, sandbox, redisUrl ? { HALO_REDIS_URL: redisUrl } : {});
      servers.push(started.process);
      urls.push(started.url);
    }
    return await run(urls, sandbox);
  } finally {
    for (const server of servers) server.kill('SIGTERM');
    await sandbox.close();
  }
}

async function sessionEconomy(root: string, replicas: number, redisUrl: string | undefined): Promise<ReplicaEconomy> {
  return withReplicas(root, replicas, redisUrl, async (urls, sandbox) => {
    const clients = await Promise.all(urls.map(connect));
    const calls = sessionCalls();
    const before = await haloRequests(sandbox);
    for (const [index, [name, args]] of calls.entries()) await clients[index % clients.length]?.callTool({ name, arguments: args });
    const received = (await haloRequests(sandbox)) - before;
    await Promise.all(clients.map((client) => client.close()));
    return { replicas, sharedCache: redisUrl !== undefined, calls: calls.length, haloRequests: received, requestsPerCall: round(received / calls.length, 2) };
  });
}

async function throughput(root: string, replicas: number, redisUrl: string, clientCount: number, seconds: number): Promise<ReplicaThroughput> {
  return withReplicas(root, replicas, redisUrl, async (urls) => {
    const clients = await Promise.all(Array.from({ length: clientCount }, (_, index) => connect(urls[index % urls.length] ?? '')));
    // Warm up: each replica loads its token and the reference data first.
    await Promise.all(clients.map((client) => client.callTool({ name: 'halo_get_ticket', arguments: { id: 1 } })));
    let calls = 0;
    let errors = 0;
    const started = performance.now();
    const end = started + seconds * 1000;
    await Promise.all(
      clients.map(async (client, index) => {
        for (let n = index; performance.now() < end; n++) {
          try {
            const result = await client.callTool({ name: 'halo_get_ticket', arguments: { id: 1 + (n % 200) } });
            if (result.isError) errors++;
          } catch {
            errors++;
          }
          calls++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    await Promise.all(clients.map((client) => client.close()));
    return { replicas, clients: clientCount, calls, callsPerSecond: round(calls / elapsed, 1), errors };
  });
}

export async function replicaBenchmarks(root: string, seconds: number): Promise<{ economy: ReplicaEconomy[]; throughput: ReplicaThroughput[] }> {
  const redis = await startRedis();
  try {
    return {
      economy: [await sessionEconomy(root, 1, undefined), await sessionEconomy(root, 3, redis.url), await sessionEconomy(root, 3, undefined)],
      throughput: [await throughput(root, 1, redis.url, 30, seconds), await throughput(root, 3, redis.url, 30, seconds)],
    };
  } finally {
    redis.stop();
  }
}
