import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { HaloClient } from '../../src/halo/client.js';
import {
  HaloAuthError,
  HaloCancelledError,
  HaloNetworkError,
  HaloNotFoundError,
  HaloPermissionError,
  HaloRateLimitError,
  HaloServerError,
  HaloTimeoutError,
  HaloValidationError,
  type HaloError,
} from '../../src/halo/errors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/setup.js';

// Every test checks that its own requests kept to what Halo documents and the sandbox emulates.
const sandbox = useSandbox({ scale: 5 }, { conformance: true });
const clients: HaloClient[] = [];

function client(overrides: Partial<ReturnType<TestSandbox['config']>> = {}, target: TestSandbox = sandbox): HaloClient {
  const created = new HaloClient(target.config(overrides));
  clients.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<HaloError> {
  try {
    await promise;
  } catch (error) {
    return error as HaloError;
  }
  throw new Error('expected the call to fail');
}

/** The call's failure, checked to be of the expected class. */
async function failureOf<T extends HaloError>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(type);
  if (!(error instanceof type)) throw error;
  return error;
}

async function ticketCount(halo: HaloClient): Promise<number> {
  return (await halo.list('/Tickets', { count: 0 })).total;
}

afterEach(async () => {
  await sandbox.clearFaults();
  await sandbox.clearRequests();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

describe('token', () => {
  it('fetches one token for 50 concurrent calls', async () => {
    const halo = client();
    const results = await Promise.all(Array.from({ length: 50 }, () => halo.list('/Status')));
    expect(results.every((result) => result.items.length > 0)).toBe(true);
    expect(await sandbox.tokenRequests()).toHaveLength(1);
    expect(await sandbox.apiRequests('GET', /\/api\/status/i)).toHaveLength(50);
    expect(halo.stats).toMatchObject({ requests: 50, tokenRequests: 1 });
  });

  it('refreshes before the token expires', async () => {
    const shortLived = await startTestSandbox({ tokenTtlSeconds: 2 });
    // Only the clock is faked: the client and the sandbox date a token by Date, and sockets keep their real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const halo = client({}, shortLived);
      await halo.list('/Status');
      await halo.list('/Status');
      expect(await shortLived.tokenRequests()).toHaveLength(1);
      // Within its lifetime, but close enough to its end that the client replaces it first.
      vi.setSystemTime(Date.now() + 1_900);
      await halo.list('/Status');
      expect(await shortLived.tokenRequests()).toHaveLength(2);
      // No call was refused on the way: the token was replaced before Halo would have refused it.
      expect((await shortLived.apiRequests()).map((entry) => entry.status)).toEqual([200, 200, 200]);
    } finally {
      vi.useRealTimers();
      await shortLived.close();
    }
  });

  it('fetches a new token and repeats the call once when Halo refuses the token', async () => {
    const halo = client();
    await halo.list('/Status');
    await sandbox.faults([{ method: 'GET', path: '^/api/tickets$', status: 401, times: 1 }]);
    const { total } = await halo.list('/Tickets', { count: 1 });
    expect(total).toBeGreaterThan(1000);
    expect(await sandbox.tokenRequests()).toHaveLength(2);
    expect((await sandbox.apiRequests('GET', /\/api\/tickets$/i)).map((entry) => entry.status)).toEqual([401, 200]);
  });

  it('explains wrong credentials without retrying them', async () => {
    const halo = client({ clientSecret: 'not-the-secret' });
    const error = await failure(halo.list('/Status'));
    expect(error).toBeInstanceOf(HaloAuthError);
    expect(error.message).toMatch(/invalid_client/);
    expect(error.message).toMatch(/HALO_CLIENT_ID and HALO_CLIENT_SECRET/);
    expect(error.message).not.toContain('not-the-secret');
    expect(await sandbox.tokenRequests()).toHaveLength(1);
  });

  it('explains a scope Halo will not grant', async () => {
    const error = await failure(client({ scope: 'read:everything' }).list('/Status'));
    expect(error).toBeInstanceOf(HaloValidationError);
    expect(error.message).toMatch(/invalid_scope/);
    expect(error.message).toMatch(/HALO_SCOPE/);
  });

  it('falls back once, to all, when Halo refuses the scopes worked out from the tools', async () => {
    // Whether Halo issues a narrower scope to an application granted only all is not known from live tenants: this is its refusal.
    await sandbox.clearRequests();
    await sandbox.faults([{ method: 'POST', path: '^/auth/token', status: 400, body: '{"error":"invalid_scope"}', times: 1 }]);
    const halo = client({ scope: 'read:tickets read:kb', scopeFallback: 'all' });
    await halo.list('/Status');
    expect(halo.requestedScope).toBe('all');
    const asked = (await sandbox.tokenRequests()).map((entry) => (entry.body as { scope?: string } | undefined)?.scope);
    expect(asked).toEqual(['read:tickets read:kb', 'all']);
    await sandbox.clearFaults();
  });

  it('keeps to scopes a person wrote, even when Halo refuses them', async () => {
    await sandbox.faults([{ method: 'POST', path: '^/auth/token', status: 400, body: '{"error":"invalid_scope"}', times: 1 }]);
    const error = await failure(client({ scope: 'read:tickets' }).list('/Status'));
    expect(error.message).toMatch(/Halo refused the requested scope "read:tickets" \(invalid_scope\)/);
    await sandbox.clearFaults();
  });

  it("stops waiting for a slow token when the call's budget runs out, and says so", async () => {
    await sandbox.faults([{ path: '^/auth/token', delay_ms: 3_000, times: 1 }]);
    const started = performance.now();
    const error = await failureOf(client({ retry: { maxAttempts: 4, budgetMs: 1_000, baseDelayMs: 20, maxDelayMs: 200 } }).list('/Status'), HaloTimeoutError);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error.message).toMatch(/^The call GET \/Status waited for an access token from http:\/\/127\.0\.0\.1:\d+\/auth until its time budget of 1 s \(HALO_RETRY_BUDGET_MS\) ran out, and was not sent\./);
    expect(await sandbox.apiRequests()).toEqual([]);
    // The token request goes on for other callers; it is let finish before the next test reads the log.
    await expect.poll(() => sandbox.tokenRequests(), { timeout: 5_000 }).toHaveLength(1);
  });

  it('retries the token endpoint when it is down for a moment', async () => {
    await sandbox.faults([{ path: '^/auth/token', status: 503, times: 2 }]);
    const halo = client();
    expect((await halo.list('/Status')).items.length).toBeGreaterThan(0);
    expect((await sandbox.tokenRequests()).map((entry) => entry.status)).toEqual([503, 503, 200]);
  });
});

describe('retries', () => {
  it('retries a GET through two injected 503s', async () => {
    await sandbox.faults([{ method: 'GET', path: '^/api/tickets/3$', status: 503, times: 2 }]);
    const halo = client();
    const ticket = await halo.get('/Tickets', 3);
    expect(ticket.id).toBe(3);
    expect((await sandbox.apiRequests('GET', /tickets\/3$/i)).map((entry) => entry.status)).toEqual([503, 503, 200]);
    expect(halo.stats.retries).toBe(2);
  });

  it('gives up after the attempt limit with a clear server error', async () => {
    await sandbox.faults([{ method: 'GET', path: '^/api/tickets/4$', status: 502 }]);
    const error = await failure(client().get('/Tickets', 4));
    expect(error).toBeInstanceOf(HaloServerError);
    expect(error.message).toBe('Halo failed on GET /Tickets/4 (502 Bad Gateway).');
    expect(await sandbox.apiRequests('GET', /tickets\/4$/i)).toHaveLength(4);
  });

  it('retries an update (it carries an id) after a 503', async () => {
    await sandbox.faults([{ method: 'POST', path: '^/api/tickets$', status: 503, times: 1 }]);
    const halo = client();
    const before = await ticketCount(halo);
    const updated = await halo.upsert('/Tickets', { id: 5, summary: 'Updated through a retry' });
    expect(updated.summary).toBe('Updated through a retry');
    expect(await sandbox.apiRequests('POST')).toHaveLength(2);
    expect(await ticketCount(halo)).toBe(before);
  });

  it('does not repeat a create after a 503: one attempt, and the outcome is reported as unknown', async () => {
    await sandbox.faults([{ method: 'POST', path: '^/api/tickets$', status: 503, times: 1 }]);
    const halo = client();
    const error = await failure(halo.upsert('/Tickets', { summary: 'Create after 503', client_id: 2 }));
    expect(error).toBeInstanceOf(HaloServerError);
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/not sent again/);
    expect(await sandbox.apiRequests('POST')).toHaveLength(1);
  });

  it('never duplicates a create when the connection resets after Halo stored it', async () => {
    await sandbox.faults([{ method: 'POST', path: '^/api/tickets$', reset: true, apply: true, times: 1 }]);
    const halo = client();
    const before = await ticketCount(halo);
    const error = await failure(halo.upsert('/Tickets', { summary: 'Reset after storing', client_id: 2 }));
    expect(error).toBeInstanceOf(HaloNetworkError);
    expect(error.outcomeUnknown).toBe(true);
    expect(await sandbox.apiRequests('POST')).toHaveLength(1);
    const found = await halo.list('/Tickets', { search: 'Reset after storing' });
    expect(found.items).toHaveLength(1);
    expect(await ticketCount(halo)).toBe(before + 1);
  });

  it('never duplicates a create when the connection resets before Halo stored it', async () => {
    await sandbox.faults([{ method: 'POST', path: '^/api/tickets$', reset: true, times: 1 }]);
    const halo = client();
    const before = await ticketCount(halo);
    const error = await failure(halo.upsert('/Tickets', { summary: 'Reset before storing', client_id: 2 }));
    expect(error.outcomeUnknown).toBe(true);
    expect(await sandbox.apiRequests('POST')).toHaveLength(1);
    expect(await ticketCount(halo)).toBe(before);
  });

  it('says an update whose answer was lost may have been applied, and that sending it again is safe', async () => {
    await sandbox.faults([{ method: 'POST', path: '^/api/tickets$', reset: true, apply: true, times: 10 }]);
    const halo = client();
    const before = await ticketCount(halo);
    const error = await failureOf(halo.upsert('/Tickets', { id: 6, summary: 'Applied, answer lost' }), HaloNetworkError);
    expect(error.message).toMatch(/failed during POST \/Tickets \(connection .*, (ECONNRESET|UND_ERR_SOCKET)\)\. It may have been applied before the failure; sending it again is safe/);
    expect(error.outcomeUnknown).toBe(false);
    expect((await sandbox.apiRequests('POST')).length).toBeGreaterThan(1);
    expect((await halo.get('/Tickets', 6)).summary).toBe('Applied, answer lost');
    expect(await ticketCount(halo)).toBe(before);
  });

  it('repeats a create that Halo refused with 429, because a refused call was not processed', async () => {
    await sandbox.faults([{ method: 'POST', path: '^/api/tickets$', status: 429, retry_after: 0, times: 1 }]);
    const halo = client();
    const before = await ticketCount(halo);
    const created = await halo.upsert('/Tickets', { summary: 'Created after a 429', client_id: 2 });
    expect(typeof created.id).toBe('number');
    expect((await sandbox.apiRequests('POST')).map((entry) => entry.status)).toEqual([429, 201]);
    expect(await ticketCount(halo)).toBe(before + 1);
  });

  it('repeats a create whose connection was refused before anything was sent', async () => {
    const { createServer } = await import('node:net');
    // A port that was just free: nothing listens, so the connection is refused and nothing is sent.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const halo = client({ url: `http://127.0.0.1:${port}`, authUrl: `${sandbox.url}/auth`, retry: { maxAttempts: 3, budgetMs: 2_000, baseDelayMs: 10, maxDelayMs: 20 } });
    const error = await failureOf(halo.upsert('/Tickets', { summary: 'Never sent', client_id: 2 }), HaloNetworkError);
    expect(error.requestSent).toBe(false);
    expect(error.outcomeUnknown).toBe(false);
    expect(error.message).toMatch(/Could not connect to Halo at http:\/\/127\.0\.0\.1:\d+ \(connection refused, ECONNREFUSED\)/);
    expect(halo.stats.requests).toBe(3);
  });

  it("refuses a self-signed certificate once, saying what to do, since retrying cannot help", async () => {
    const { createServer } = await import('node:https');
    const { readFile } = await import('node:fs/promises');
    const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url));
    let reached = 0;
    const server = createServer({ key: await fixture('self-signed.key'), cert: await fixture('self-signed.pem') }, (_request, response) => {
      reached++;
      response.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const halo = client({ url: `https://127.0.0.1:${port}`, authUrl: `${sandbox.url}/auth` });
      const error = await failureOf(halo.upsert('/Tickets', { summary: 'Never sent', client_id: 2 }), HaloNetworkError);
      expect(error.message).toMatch(/certificate at https:\/\/127\.0\.0\.1:\d+ was refused \(a self-signed certificate, DEPTH_ZERO_SELF_SIGNED_CERT\)\..*NODE_EXTRA_CA_CERTS/);
      expect(error.requestSent).toBe(false);
      expect(error.outcomeUnknown).toBe(false);
      expect(halo.stats.requests).toBe(1);
      expect(reached).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('honours Retry-After', async () => {
    await sandbox.faults([{ method: 'GET', path: '^/api/status$', status: 429, retry_after: 1, times: 1 }]);
    const halo = client();
    const started = performance.now();
    await halo.list('/Status');
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect((await sandbox.apiRequests('GET', /status$/i)).map((entry) => entry.status)).toEqual([429, 200]);
  });

  it('fails at once when Retry-After is beyond the time budget', async () => {
    await sandbox.faults([{ method: 'GET', path: '^/api/status$', status: 429, retry_after: 120, body: '"Rate Limit Reached - 300 Requests per rolling 5 minute window"' }]);
    const started = performance.now();
    const error = await failureOf(client().list('/Status'), HaloRateLimitError);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.waitExceedsBudget).toBe(true);
    expect(error.message).toMatch(
      /^Halo's rate limit was reached on GET \/Status: Rate Limit Reached - 300 Requests per rolling 5 minute window\. Halo asks to wait 120 s \(until \d\d:\d\d:\d\d UTC\), past this call's time budget of 10 s \(HALO_RETRY_BUDGET_MS\), so it was not sent again\..*HALO_RATE_LIMIT/,
    );
    expect(await sandbox.apiRequests('GET', /status$/i)).toHaveLength(1);
  });

  it('retries a read that timed out', async () => {
    await sandbox.faults([{ method: 'GET', path: '^/api/status$', delay_ms: 600, times: 1 }]);
    const halo = client({ timeoutMs: 200 });
    expect((await halo.list('/Status')).items.length).toBeGreaterThan(0);
    expect(halo.stats.retries).toBe(1);
    // Halo finishes the request that timed out: it does so within this test, not in the next one's request log.
    await vi.waitFor(async () => expect(await sandbox.apiRequests('GET', /status$/i)).toHaveLength(2));
  });

  it('retries a read whose answer was not JSON or was cut off', async () => {
    await sandbox.faults([
      { method: 'GET', path: '^/api/status$', status: 200, body: '{"not json', times: 1 },
      { method: 'GET', path: '^/api/status$', truncate: true, times: 1 },
    ]);
    const halo = client();
    expect((await halo.list('/Status')).items.length).toBeGreaterThan(0);
    expect(halo.stats.retries).toBe(2);
  });

  it('stops when the caller cancels', async () => {
    await sandbox.faults([{ method: 'GET', path: '^/api/status$', delay_ms: 500, times: 1 }]);
    const controller = new AbortController();
    const halo = client();
    const listing = failure(halo.list('/Status', {}, { signal: controller.signal }));
    // Cancelled while Halo holds the request.
    await sandbox.faultsTaken();
    controller.abort();
    const error = await listing;
    expect(error).toBeInstanceOf(HaloCancelledError);
    expect(error.message).toBe('The call GET /Status was cancelled.');
    // Halo finishes the request it held: it does so within this test, not in the next one's request log.
    await vi.waitFor(async () => expect(await sandbox.apiRequests('GET', /status$/i)).toHaveLength(1));
  });

  it('says a cancelled update may have been applied before it was cancelled, and is safe to send again', async () => {
    await sandbox.faults([{ method: 'POST', path: '^/api/tickets$', delay_ms: 500, times: 1 }]);
    const controller = new AbortController();
    const updating = failureOf(client().upsert('/Tickets', { id: 7, summary: 'Cancelled update' }, { signal: controller.signal }), HaloCancelledError);
    // Cancelled once the update has reached Halo, which holds it.
    await sandbox.faultsTaken();
    controller.abort();
    const error = await updating;
    expect(error.message).toBe('The call POST /Tickets was cancelled. It may have been applied before it was cancelled; sending it again is safe, as it changes the same record.');
    // Halo finishes the update it held: it does so within this test, not in the next one's request log.
    await vi.waitFor(async () => expect(await sandbox.apiRequests('POST', /tickets$/i)).toHaveLength(1));
  });
});

describe('rate limiter', () => {
  it('ends a wait in its queue when the call runs out of budget, and says so', async () => {
    const halo = client({ rateLimit: { limit: 2, windowSeconds: 2 }, retry: { maxAttempts: 4, budgetMs: 3_000, baseDelayMs: 20, maxDelayMs: 200 } });
    await halo.authenticate();
    const started = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => halo.list('/Status')));
    const elapsed = performance.now() - started;
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(4);
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as HaloError] : []));
    expect(failures).toHaveLength(2);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(HaloRateLimitError);
      expect(failure.message).toMatch(
        /^GET \/Status waited 3 s for its turn under this client's share of Halo's rate limit \(HALO_RATE_LIMIT=2\/2\) until its time budget of 3 s \(HALO_RETRY_BUDGET_MS\) ran out, and was not sent; the next turn comes in about \d+ s/,
      );
    }
    expect(elapsed).toBeLessThan(4_500);
    expect(halo.stats.requests).toBe(4);
  });

  it('takes a cancelled call out of the queue, so that it spends no turn', async () => {
    const halo = client({ rateLimit: { limit: 1, windowSeconds: 1 } });
    await halo.list('/Status');
    const controller = new AbortController();
    const cancelled = halo.list('/Status', {}, { signal: controller.signal });
    const waiting = halo.list('/Status');
    controller.abort();
    expect(await failure(cancelled)).toBeInstanceOf(HaloCancelledError);
    const started = performance.now();
    await waiting;
    // The waiting call had the turn the cancelled one gave up: one window, not two.
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(halo.stats.requests).toBe(2);
  });

  it('keeps 400 calls under a 300-per-window limit without a single 429', async () => {
    const limited = await startTestSandbox({ rateLimit: '300/1' });
    try {
      const halo = client({ rateLimit: { limit: 300, windowSeconds: 1 } }, limited);
      const results = await Promise.all(Array.from({ length: 400 }, () => halo.list('/Status')));
      expect(results).toHaveLength(400);
      const statuses = (await limited.apiRequests()).map((entry) => entry.status);
      expect(statuses).toHaveLength(400);
      expect(statuses.filter((status) => status === 429)).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

describe('refusals: a missing scope, told from bad credentials', () => {
  it('names the missing scope after a 401, from the scopes Halo granted, without asking for another token', async () => {
    const halo = client({ scope: 'read:tickets' });
    await halo.list('/Tickets', { count: 1 });
    const error = await failureOf(halo.list('/Client'), HaloPermissionError);
    expect(error.status).toBe(401);
    expect(error.likelyScope).toBe('read:customers');
    expect(error.message).toBe(
      'Halo refused GET /Client (401). The token lacks the "read:customers" scope: Halo granted "read:tickets". Add it to HALO_SCOPE (now "read:tickets") and grant it to the API application in Halo under Configuration > Integrations > Halo API > the application > Permissions.',
    );
    expect(await sandbox.tokenRequests()).toHaveLength(1);
    expect((await sandbox.apiRequests('GET', /client$/i)).map((entry) => entry.status)).toEqual([401]);
  });

  it('names the missing scope of a write after a 401', async () => {
    const error = await failureOf(client({ scope: 'read:tickets' }).upsert('/Tickets', { summary: 'x', client_id: 2 }), HaloPermissionError);
    expect(error.status).toBe(401);
    expect(error.likelyScope).toBe('edit:tickets');
    expect(error.message).toMatch(/lacks the "edit:tickets" scope/);
  });

  it('names the missing scope after a 403 the same way', async () => {
    const forbidding = await startTestSandbox({ scopeRefusalStatus: 403 });
    try {
      const error = await failureOf(client({ scope: 'read:tickets' }, forbidding).list('/Client'), HaloPermissionError);
      expect(error.status).toBe(403);
      expect(error.likelyScope).toBe('read:customers');
      expect(error.message).toMatch(/^Halo refused GET \/Client \(403 Forbidden\)\. The token lacks the "read:customers" scope: Halo granted "read:tickets"\./);
      expect(await forbidding.tokenRequests()).toHaveLength(1);
    } finally {
      await forbidding.close();
    }
  });

  it('says both causes are possible when Halo did not list the scopes it granted, after trying a fresh token', async () => {
    // A token answer without `scope`, whose token Halo then refuses on every call.
    await sandbox.faults([{ path: '^/auth/token', status: 200, body: JSON.stringify({ access_token: 'token-halo-will-refuse-0001', token_type: 'Bearer', expires_in: 3600 }) }]);
    const error = await failureOf(client().list('/Client'), HaloAuthError);
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/^Halo refused the access token for GET \/Client \(401\) even with a fresh token\. Halo did not say which scopes it granted/);
    expect(error.message).toMatch(/either the API application lacks the "read:customers" scope \(grant it to the API application in Halo under .*Permissions\), or it is no longer active in Halo or its secret changed\./);
    expect(await sandbox.tokenRequests()).toHaveLength(2);
  });

  it('blames the credentials, not a scope, when the scopes Halo granted cover the call', async () => {
    await sandbox.faults([{ method: 'GET', path: '^/api/client$', status: 401, body: '""' }]);
    const error = await failureOf(client().list('/Client'), HaloAuthError);
    expect(error.message).toBe(
      'Halo refused the access token for GET /Client (401) even with a fresh token. The scopes it listed with the token ("all") cover this call, so most likely the API application is no longer active in Halo or its secret changed; if both are in order, check that its Permissions grant "read:customers".',
    );
  });
});

describe('rate limit without Retry-After', () => {
  it("waits for its own window after a 429 and lowers its share, rather than retrying into the full window", async () => {
    // Halo takes 5 per 2 s; the client believes 10: as when other integrations spend the same window.
    const limited = await startTestSandbox({ rateLimit: '5/2' });
    try {
      const halo = client({ rateLimit: { limit: 10, windowSeconds: 2 }, retry: { maxAttempts: 4, budgetMs: 20_000, baseDelayMs: 20, maxDelayMs: 200 } }, limited);
      const results = await Promise.all(Array.from({ length: 15 }, () => halo.list('/Status')));
      expect(results.every((result) => result.items.length > 0)).toBe(true);
      const statuses = (await limited.apiRequests()).map((entry) => entry.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(15);
      // The first burst meets the limit; after it the client paces itself under what Halo accepted.
      expect(statuses.filter((status) => status === 429).length).toBeLessThanOrEqual(8);
    } finally {
      await limited.close();
    }
  });

  it('fails at once, saying when Halo will take calls again, when that is past the budget', async () => {
    const limited = await startTestSandbox({ rateLimit: '2/60' });
    try {
      const halo = client({ rateLimit: { limit: 300, windowSeconds: 300 }, retry: { maxAttempts: 4, budgetMs: 2_000, baseDelayMs: 20, maxDelayMs: 200 } }, limited);
      await halo.list('/Status');
      await halo.list('/Status');
      const started = performance.now();
      const error = await failureOf(halo.list('/Status'), HaloRateLimitError);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(error.retryAfterEstimated).toBe(true);
      expect(error.message).toMatch(
        /^Halo's rate limit was reached on GET \/Status: Rate Limit Reached - 2 Requests per rolling 1 minute window\. Halo sent no Retry-After; from what this client sent, Halo should take calls again in about \d+ s \(at \d\d:\d\d:\d\d UTC\), past this call's time budget of 2 s \(HALO_RETRY_BUDGET_MS\)/,
      );
      // The next call knows the window is spent and does not knock.
      const next = await failureOf(halo.list('/Status'), HaloRateLimitError);
      expect(next.message).toMatch(/^GET \/Status was not sent: .*HALO_RATE_LIMIT=300\/300.*after its time budget of 2 s \(HALO_RETRY_BUDGET_MS\)/);
      expect((await limited.apiRequests()).map((entry) => entry.status)).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('helpers', () => {
  it('pages through more than 1,000 tickets, 100 a page', async () => {
    const halo = client();
    const { total } = await halo.list('/Tickets', { domain: 'reqs', count: 0 });
    expect(total).toBeGreaterThanOrEqual(1200);
    await sandbox.clearRequests();
    const ids: number[] = [];
    for await (const page of halo.pages('/Tickets', { domain: 'reqs' })) ids.push(...page.map((ticket) => ticket.id as number));
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
    expect(await sandbox.apiRequests('GET', /tickets$/i)).toHaveLength(Math.ceil(total / 100));
  });

  it('unwraps envelopes and bare arrays alike', async () => {
    const halo = client();
    const clientsList = await halo.list('/Client');
    expect(clientsList.items[0]).toHaveProperty('name');
    expect(clientsList.total).toBe(clientsList.items.length);
    const agents = await halo.list('/Agent');
    expect(agents.items.length).toBeGreaterThan(3);
    const actions = await halo.list('/Actions', { ticket_id: 1 });
    expect(actions.items.every((action) => action.ticket_id === 1)).toBe(true);
  });

  it('creates, reads, updates and deletes through the helpers', async () => {
    const halo = client();
    const site = await halo.upsert('/Site', { name: 'Client test site', client_id: 3 });
    expect(site.client_name).toBe('Acme Marketing Group');
    const renamed = await halo.upsert('/Site', { id: site.id, name: 'Renamed site' });
    expect(renamed.name).toBe('Renamed site');
    expect((await halo.get('/Site', site.id as number)).name).toBe('Renamed site');
    await halo.remove('/Site', site.id as number);
    expect(await failure(halo.get('/Site', site.id as number))).toBeInstanceOf(HaloNotFoundError);
  });

  it('sends a path only as it was given: encoded ids go, a path the URL parser would rewrite does not', async () => {
    const halo = client();
    await sandbox.clearRequests();
    expect(await failure(halo.get('/Report', 'a b/c'))).toBeInstanceOf(HaloNotFoundError);
    expect((await sandbox.apiRequests()).map((request) => request.path)).toEqual(['/api/Report/a%20b%2Fc']);
    for (const path of ['/Tickets/..\\..\\_sandbox\\tokens', '/Tickets/.\t.', '/Tickets/%2E%2e', '/Tickets/1/../2', '/Tickets/1?x=1', '/Tickets/1#x']) {
      await expect(halo.requestAny({ method: 'GET', path }), path).rejects.toThrow(/would reach Halo as .*was not sent/);
    }
    expect(await sandbox.apiRequests()).toHaveLength(1);
  });
});

describe('errors carry what Halo said', () => {
  it("maps a 400 to a validation error with Halo's message", async () => {
    const error = await failure(client().upsert('/Tickets', { details: 'no summary' }));
    expect(error).toBeInstanceOf(HaloValidationError);
    expect(error.status).toBe(400);
    expect(error.haloMessage).toBe('Please enter a Summary.');
    expect(error.message).toBe('Halo rejected POST /Tickets (400): Please enter a Summary.');
  });

  it('maps a 404 to not found', async () => {
    const error = await failure(client().get('/Tickets', 99_999_999));
    expect(error).toBeInstanceOf(HaloNotFoundError);
    expect(error.message).toMatch(/GET \/Tickets\/99999999 \(404\)/);
  });


  it('says a request too long for the web server is too large, and what to shorten', async () => {
    const halo = client();
    const error = await failureOf(halo.list('/Tickets', { search: 'printer '.repeat(4_000) }), HaloValidationError);
    expect(error.status).toBe(431);
    expect(error.message).toBe("Halo's web server refused GET /Tickets as too large (431 Request Header Fields Too Large). Shorten the search text or the filters.");
    expect(halo.stats.requests).toBe(1);
  });

  it("keeps a proxy's HTML out of the message", async () => {
    await sandbox.faults([{ method: 'GET', path: '^/api/status$', status: 504 }]);
    const error = await failure(client({ retry: { maxAttempts: 1, budgetMs: 1_000, baseDelayMs: 10, maxDelayMs: 10 } }).list('/Status'));
    expect(error.message).toBe('Halo failed on GET /Status (504 Gateway Timeout).');
  });

  it('never repeats the access token or the secret in an error', async () => {
    await sandbox.faults([{ method: 'GET', path: '^/api/status$', status: 500, body: '{"Message":"boom"}', times: 4 }]);
    const halo = client();
    const error = await failure(halo.list('/Status'));
    expect(error.message).toBe('Halo failed on GET /Status (500 Internal Server Error): boom.');
    const text = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`;
    expect(text).not.toContain(sandbox.clientSecret);
  });
});

describe('conformance', () => {
  it("sent only paths, parameters and fields that Halo's document declares, all of them emulated", async () => {
    // Every test of this file is held to this after it runs; this one makes the client's everyday calls and says so itself.
    const gapsBefore = (await sandbox.gaps()).length;
    const halo = client();
    await halo.list('/Tickets', { count: 5 });
    await halo.list('/Client');
    await halo.get('/Tickets', 1);
    const created = await halo.upsert('/Tickets', { summary: 'Conformance', client_id: 2 });
    await halo.upsert('/Tickets', { id: created.id, summary: 'Conformance, updated' });
    await halo.remove('/Tickets', created.id as number);
    expect(await sandbox.apiRequests()).toHaveLength(6);
    expect(await sandbox.violations()).toEqual([]);
    expect((await sandbox.gaps()).slice(gapsBefore)).toEqual([]);
  });
});
