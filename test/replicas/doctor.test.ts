/** `doctor` with HALO_REDIS_URL: whether the Redis replicas share answers, and what a replica does when it does not. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../helpers/redis.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis.close();
});

/** `doctor --demo` with only HALO_REDIS_URL of this machine's Halo settings: its status and what it printed. */
function doctor(redisUrl: string): Promise<{ status: number | null; stdout: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HALO_')));
  const child = spawn(process.execPath, [cli, 'doctor', '--demo'], { env: { ...inherited, HALO_REDIS_URL: redisUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout })));
}

describe('doctor with HALO_REDIS_URL', () => {
  it('says the Redis answers, naming it without its password', async () => {
    const { status, stdout } = await doctor(redis.url.replace('redis://', 'redis://:hunter2-not-a-real-password@'));
    expect(status).toBe(0);
    expect(stdout).toMatch(new RegExp(`^redis\\s+ok\\s+redis://127\\.0\\.0\\.1:${redis.port}: connected`, 'm'));
    expect(stdout).not.toContain('hunter2');
  });

  it('warns, without failing, when it does not: replicas would each keep their own share', async () => {
    await redis.stop();
    try {
      const { status, stdout } = await doctor(redis.url);
      expect(status).toBe(0);
      expect(stdout).toMatch(/^redis\s+warn\s+redis:\/\/127\.0\.0\.1:\d+: not reachable \(.*\); each replica would serve on its own share of Halo's budget/m);
    } finally {
      await redis.start();
    }
  });
});
