/**
 * A line on stdin longer than the stdio transport accepts closed the transport silently: the process
 * then ran out of work and exited 0 with nothing on stderr, which an MCP client reports as a clean
 * stop. It must say why, and fail.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { cleanEnv, sandboxEnv } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** The SDK's stdio read buffer holds at most 10 MB of a line. */
const OVER_THE_LIMIT = 10 * 1024 * 1024 + 1;

const sandbox = useSandbox();

it('says on stderr why it stops after a line over the limit, and exits 1', async () => {
  const child = spawn(process.execPath, [cli], { stdio: ['pipe', 'pipe', 'pipe'], env: cleanEnv(sandboxEnv(sandbox)) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Once the server stops reading, the rest of the write has nowhere to go.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  for (let written = 0; written < OVER_THE_LIMIT; written += chunk.length) child.stdin.write(chunk);
  const code = await exited;
  expect(code).toBe(1);
  expect(stderr).toMatch(/longer than .*stdio/);
  expect(stdout).toBe('');
});
