/** The built server over HTTP for the benchmarks, against a sandbox, with a bearer token and no limits in the way. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/index.js';

export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

/** Starts `dist/cli.js --http` on a free port with `extra` in its environment; its MCP URL once it listens. */
export async function startBenchServer(root: string, sandbox: Sandbox, extra: Record<string, string> = {}): Promise<{ url: string; process: ChildProcess }> {
  const server = spawn(process.execPath, [join(root, 'dist', 'cli.js'), '--http', '--port', '0'], {
    env: {
      ...process.env,
      HALO_URL: sandbox.url,
      HALO_CLIENT_ID: sandbox.clientId,
      HALO_CLIENT_SECRET: sandbox.clientSecret,
      HALO_RATE_LIMIT: 'off',
      HALO_MCP_TOKENS: BENCH_TOKEN,
      HALO_MCP_MAX_CONCURRENT: '1000',
      ...extra,
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
  return { url, process: server };
}
