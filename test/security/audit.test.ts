/**
 * The audit log holds customers' data (tool arguments): it was created readable by every user, and
 * one call could write megabytes into it, since an entry had no size cap.
 */
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpClient, sandboxEnv, startHttp, type HttpServer } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

const TOKEN = 'audit-token-0123456789abcdef';

const sandbox = useSandbox();
let server: HttpServer;
let auditLog: string;

beforeAll(async () => {
  auditLog = join(mkdtempSync(join(tmpdir(), 'halo-audit-')), 'audit.jsonl');
  server = await startHttp(['--audit-log', auditLog], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN });
});
afterAll(async () => {
  await server.stop();
});

describe('the audit log', () => {
  it('is created readable by its owner only', () => {
    expect(statSync(auditLog).mode & 0o777).toBe(0o600);
  });

  it('caps an entry, keeping what was called and a digest of the arguments it leaves out', async () => {
    const { client } = await httpClient(server.url, TOKEN);
    const note = 'A very long note. '.repeat(20_000);
    const result = await client.callTool({ name: 'halo_add_note', arguments: { ticket_id: 5, note, dry_run: true } });
    expect(result.isError).toBeFalsy();
    await client.close();
    // The log is appended through a stream: the line lands shortly after the answer.
    const last = await vi.waitFor(() => {
      const line = readFileSync(auditLog, 'utf8').trim().split('\n').at(-1) ?? '';
      expect(line).toContain('arguments_omitted');
      return line;
    });
    expect(last.length).toBeLessThanOrEqual(16_384);
    const entry = JSON.parse(last) as Record<string, unknown>;
    expect(entry).toMatchObject({ tool: 'halo_add_note', access: 'write', outcome: 'ok', token: 'token-1' });
    expect(entry.arguments_omitted).toMatchObject({ chars: expect.any(Number) as number, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string });
    expect(String(entry.arguments_preview)).toContain('"ticket_id":5');
  });

  it('warns when it is handed an audit log others can read', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'halo-audit-'));
    const shared = join(directory, 'audit.jsonl');
    writeFileSync(shared, '');
    chmodSync(shared, 0o644);
    const warned = await startHttp(['--audit-log', shared], { ...sandboxEnv(sandbox), HALO_MCP_TOKENS: TOKEN });
    try {
      expect(warned.stderr()).toMatch(/audit log .*readable by other users/);
    } finally {
      await warned.stop();
    }
  });
});
