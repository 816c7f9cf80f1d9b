/**
 * A Halo answer larger than HALO_MAX_RESPONSE_MB fails with a clear error, and is never held
 * whole: the client stops reading as soon as it passes the cap (one 47 MB answer once took the
 * process from 110 to 394 MB).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HaloClient } from '../../src/halo/client.js';
import { HaloResponseTooLargeError, HaloServerError } from '../../src/halo/errors.js';
import { useSandbox } from '../helpers/setup.js';

const MB = 1024 * 1024;
const CAP = 1 * MB;
/** What the fake Halo would send in all: far more than the cap. */
const ANSWER = 64 * MB;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

const sandbox = useSandbox();
let server: Server;
let url: string;
/** Bytes the fake Halo got onto the wire for the latest answer before the client hung up. */
let written = 0;
/** Whether the fake Halo has stopped writing the latest answer: sent whole, or the client hung up. */
let streamEnded = false;

/** Streams `ANSWER` bytes, minding back-pressure, so that only what the client reads leaves the server. */
async function stream(response: ServerResponse): Promise<void> {
  written = 0;
  streamEnded = false;
  response.write('[');
  written += 1;
  while (written < ANSWER && !response.destroyed) {
    if (!response.write(CHUNK)) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
    written += CHUNK.length;
  }
  response.end(']');
  streamEnded = true;
}

/** Waits until the fake Halo stops writing: the client hung up (or, were it still reading, took the whole answer). */
async function streamStopped(): Promise<void> {
  await vi.waitFor(() => expect(streamEnded).toBe(true), { timeout: 5_000, interval: 10 });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '';
    if (path.startsWith('/api/Tickets')) {
      response.writeHead(request.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      void stream(response);
    } else if (path.startsWith('/api/Asset')) {
      // Announces its size, so the client can refuse before reading any of it.
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(ANSWER) });
      void stream(response);
    } else {
      response.writeHead(500, { 'content-type': 'application/json' });
      void stream(response);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(): HaloClient {
  return new HaloClient(sandbox.config({ url, authUrl: `${sandbox.url}/auth`, maxResponseBytes: CAP, retry: { maxAttempts: 3, budgetMs: 10_000, baseDelayMs: 10, maxDelayMs: 20 } }));
}

describe('an answer over HALO_MAX_RESPONSE_MB', () => {
  it('fails once, naming the setting and a narrower query, having read little more than the cap', async () => {
    const halo = client();
    try {
      const error = await halo.list('/Tickets').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HaloResponseTooLargeError);
      expect((error as Error).message).toBe(
        "Halo's answer to GET /Tickets is more than 1 MB, over the 1 MB this server reads (HALO_MAX_RESPONSE_MB), so it was not read. Ask for less: narrow the query with filters, or page through it (a smaller count or page size); raise HALO_MAX_RESPONSE_MB only if such answers are expected.",
      );
      // Reading it again would not make it smaller.
      expect(halo.stats.requests).toBe(1);
      await streamStopped();
      // Socket buffers hold a few megabytes at most; the answer was 64.
      expect(written).toBeLessThan(16 * MB);
    } finally {
      await halo.close();
    }
  });

  it('refuses an answer whose announced length is over the cap before reading it', async () => {
    const halo = client();
    try {
      const error = await halo.list('/Asset').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HaloResponseTooLargeError);
      expect((error as Error).message).toMatch(/^Halo's answer to GET \/Asset is 64 MB, over the 1 MB this server reads \(HALO_MAX_RESPONSE_MB\)/);
      await streamStopped();
      expect(written).toBeLessThan(16 * MB);
    } finally {
      await halo.close();
    }
  });

  it('says a write was applied when only its answer was too large', async () => {
    const halo = client();
    try {
      const error = await halo.upsert('/Tickets', { id: 5, summary: 'x' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HaloResponseTooLargeError);
      expect((error as Error).message).toMatch(/Halo answered 201, so the change was applied; only its answer went unread\./);
      expect(halo.stats.requests).toBe(1);
    } finally {
      await halo.close();
    }
  });

  it("reads only the head of a huge error answer, for Halo's message, and fails as the error it is", async () => {
    const halo = client();
    try {
      const error = await halo.list('/Status').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HaloServerError);
      expect((error as Error).message.length).toBeLessThan(1_000);
      await streamStopped();
      expect(written).toBeLessThan(16 * MB);
    } finally {
      await halo.close();
    }
  });
});
