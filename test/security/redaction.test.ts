/**
 * Redaction is only as safe as the list of values it removes. In gateway mode that list was fed by
 * callers: every X-Halo-Client-Secret, and every token a Halo (possibly a fake one) returned, joined
 * one list shared by every caller, so one caller could blank out words in everyone's logs and audit
 * entries, and grow the list without bound. These tests replay that.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { HaloClient } from '../../src/halo/client.js';
import { Redactor } from '../../src/util/redact.js';
import { gatewayHeaders, httpClient, startHttp } from '../helpers/http.js';
import { useSandbox } from '../helpers/setup.js';

const TOKEN = 'redaction-token-0123456789abcdef';

const sandbox = useSandbox();

describe('one caller cannot blank out what others see', () => {
  it("keeps a token a fake Halo returned out of another caller's log lines and audit entries", async () => {
    const auditLog = join(mkdtempSync(join(tmpdir(), 'halo-audit-')), 'audit.jsonl');
    const server = await startHttp(['--gateway', '--audit-log', auditLog], {
      HALO_MCP_TOKENS: TOKEN,
      HALO_RATE_LIMIT: 'off',
      HALO_GATEWAY_ALLOWED_HOSTS: new URL(sandbox.url).host,
    });
    const connect = async (secret: string) => (await httpClient(server.url, TOKEN, { headers: gatewayHeaders(sandbox, secret) })).client;
    try {
      // The attacker's "Halo" hands out the access token "tool", a word in every log line and audit entry.
      await sandbox.faults([{ method: 'POST', path: '^/auth/token', status: 200, body: JSON.stringify({ access_token: 'tool', token_type: 'Bearer', expires_in: 3600 }), times: 1 }]);
      const attacker = await connect('the-attackers-own-secret');
      await attacker.callTool({ name: 'halo_whoami', arguments: {} });
      await attacker.close();
      await sandbox.clearFaults();

      const victim = await connect(sandbox.clientSecret);
      const result = await victim.callTool({ name: 'halo_add_note', arguments: { ticket_id: 5, note: 'Called the customer back', dry_run: true } });
      expect(result.isError).toBeFalsy();
      await victim.close();

      // The log is appended through a stream: the line lands shortly after the answer.
      await vi.waitFor(() => {
        const entries = readFileSync(auditLog, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(entries.at(-1)).toMatchObject({ tool: 'halo_add_note', arguments: { note: 'Called the customer back' } });
      });
      expect(server.stderr()).toMatch(/"tool":"halo_add_note"/);
    } finally {
      await server.stop();
    }
  });

  it("does not add a caller's secret or tokens to the list the whole process redacts with", async () => {
    const shared = new Redactor();
    const halo = new HaloClient(sandbox.config(), { redactor: new Redactor(shared) });
    try {
      await halo.authenticate();
      expect(shared.size).toBe(0);
      expect(halo.redact(`secret ${sandbox.clientSecret}`)).toBe('secret [redacted]');
    } finally {
      await halo.close();
    }
  });
});

describe('what counts as a secret', () => {
  it('never redacts with a value shorter than a real secret', () => {
    const redactor = new Redactor();
    for (const value of ['e', 'tool', 'halo', 'not-a-secret-15']) {
      redactor.add(value);
      redactor.addToken(value);
    }
    expect(redactor.redact('the tool halo_add_note was not-a-secret-15 here')).toBe('the tool halo_add_note was not-a-secret-15 here');
  });

  it('remembers a bounded number of tokens', () => {
    const redactor = new Redactor();
    for (let index = 0; index < 1_000; index++) redactor.addToken(`access-token-number-${String(index).padStart(6, '0')}`);
    expect(redactor.size).toBeLessThanOrEqual(32);
    expect(redactor.redact('access-token-number-000999')).toBe('[redacted]');
  });

  it('redacts a secret echoed back URL-encoded, in either case, or JSON-escaped', () => {
    const secret = 'Secret+With/Slash=And "quotes" 42';
    const redactor = new Redactor();
    redactor.add(secret);
    const forms = [
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
      new URLSearchParams({ secret }).toString().slice('secret='.length),
      JSON.stringify(secret).slice(1, -1),
    ];
    for (const form of forms) expect(redactor.redact(`Halo said: ${form}.`), form).toBe('Halo said: [redacted].');
  });

  it('redacts the secret a Halo echoes URL-encoded in its refusal of the token request', async () => {
    const secret = 'Abc+Def/Ghi=Jkl+0123456789';
    const encoded = new URLSearchParams({ secret }).toString().slice('secret='.length);
    await sandbox.faults([{ method: 'POST', path: '^/auth/token', status: 401, body: JSON.stringify({ error: 'invalid_client', error_description: `Unknown client secret ${encoded}` }), times: 1 }]);
    const halo = new HaloClient(sandbox.config({ clientSecret: secret, retry: { maxAttempts: 1, budgetMs: 1_000, baseDelayMs: 1, maxDelayMs: 1 } }), { redactor: new Redactor() });
    try {
      const error = await halo.authenticate().then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );
      expect(error).toBeInstanceOf(Error);
      const said = halo.redact(error?.message ?? '');
      expect(said).toMatch(/Unknown client secret \[redacted\]/);
      expect(said).not.toContain(encoded);
    } finally {
      await sandbox.clearFaults();
      await halo.close();
    }
  });
});
