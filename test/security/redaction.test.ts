/**
 * Redaction is only as safe as the list of values it removes. In gateway mode that list was fed by
 * callers: every X-Halo-Client-Secret, and every token a Halo (possibly a fake one) returned, joined
 * one list shared by every caller, so one caller could blank out words in everyone's logs and audit
 * entries, and grow the list without bound. These tests replay that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HaloClient } from '../../src/halo/client.js';
import { Redactor } from '../../src/halo/redact.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe('one caller cannot blank out what others see', () => {
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
