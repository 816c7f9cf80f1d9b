/**
 * Response size: what a model reads from a tool, against the raw Halo JSON of the same records.
 * The raw side replays, with a bearer token, exactly the GET requests the tool made (read from the
 * sandbox's request log), so both sides hold the same records.
 */
import { countTokens } from 'gpt-tokenizer';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { LoggedRequest } from '../../src/sandbox/server.js';
import type { Harness } from './harness.js';
import { round } from './stats.js';

export interface ResponseSize {
  tool: string;
  compactTokens: number;
  rawTokens: number;
  /** Raw over compact. */
  ratio: number;
  haloRequests: number;
}

async function admin<T>(sandbox: Sandbox, method: string, what: string): Promise<T> {
  const response = await fetch(`${sandbox.url}/_sandbox/${what}`, { method });
  if (!response.ok) throw new Error(`sandbox admin ${method} ${what}: ${response.status}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

async function token(sandbox: Sandbox): Promise<string> {
  const response = await fetch(`${sandbox.url}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, scope: 'all' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function responseSizes(sandbox: Sandbox, harness: Harness): Promise<ResponseSize[]> {
  const bearer = await token(sandbox);
  const cases: [string, Record<string, unknown>][] = [
    ['halo_get_ticket', { id: 12 }],
    ['halo_search_tickets', { status: 'closed', limit: 25 }],
    ['halo_search_tickets', { limit: 25 }],
    ['halo_get_client', { id: 3 }],
  ];
  // Reference lists are cached after the first call; warming them first keeps lookups out of the raw side.
  for (const [name, args] of cases) await harness.call(name, args);
  const sizes: ResponseSize[] = [];
  for (const [name, args] of cases) {
    await admin(sandbox, 'DELETE', 'requests');
    const text = await harness.call(name, args);
    const { requests } = await admin<{ requests: LoggedRequest[] }>(sandbox, 'GET', 'requests');
    const reads = requests.filter((request) => request.method === 'GET' && request.path.startsWith('/api/'));
    const raw = await Promise.all(
      reads.map(async (request) => {
        const url = new URL(`${sandbox.url}${request.path}`);
        for (const [key, value] of Object.entries(request.query)) url.searchParams.set(key, value);
        return (await fetch(url, { headers: { authorization: `Bearer ${bearer}` } })).text();
      }),
    );
    const compactTokens = countTokens(text);
    const rawTokens = countTokens(raw.join('\n'));
    sizes.push({ tool: `${name} ${JSON.stringify(args)}`, compactTokens, rawTokens, ratio: round(rawTokens / compactTokens), haloRequests: reads.length });
  }
  return sizes;
}
