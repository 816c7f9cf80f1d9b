/** A sandbox with its admin API, for tests: the request log, violations, faults and a client config. */
import { expect, vi } from 'vitest';
import type { FaultRule } from '../../src/sandbox/faults.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import type { EmulationGap, LoggedRequest } from '../../src/sandbox/server.js';
import type { Violation } from '../../src/sandbox/spec.js';
import type { HaloClientConfig } from '../../src/halo/config.js';

export interface SentEmail {
  ticket_id: number;
  to: string;
}

export interface TestSandbox extends Sandbox {
  requests(): Promise<LoggedRequest[]>;
  /** Requests to the API (not to the token endpoint) matching a method and a path pattern. */
  apiRequests(method?: string, path?: RegExp): Promise<LoggedRequest[]>;
  tokenRequests(): Promise<LoggedRequest[]>;
  clearRequests(): Promise<void>;
  violations(): Promise<Violation[]>;
  clearViolations(): Promise<void>;
  gaps(): Promise<EmulationGap[]>;
  emails(): Promise<SentEmail[]>;
  /** The emails sent from now on: the function answers those sent since this call, whatever other tests sent before. */
  watchEmails(): Promise<() => Promise<SentEmail[]>>;
  /** Every access token the sandbox has issued. */
  issuedTokens(): Promise<string[]>;
  faults(rules: FaultRule[]): Promise<void>;
  /** The fault rules still active, with the uses each has left: a rule used up is gone, so a request it met has arrived. */
  faultRules(): Promise<(FaultRule & { remaining: number | null })[]>;
  /** Resolves once every fault rule set with `times` has been used up: each request it was meant for has arrived (a delayed one is still being held). */
  faultsTaken(): Promise<void>;
  clearFaults(): Promise<void>;
  reset(): Promise<void>;
  /** A Halo client configuration for this sandbox, with fast retries. */
  config(overrides?: Partial<HaloClientConfig>): HaloClientConfig;
  /** A raw access token, for tests that speak HTTP to the sandbox directly. */
  token(scope?: string): Promise<string>;
}

export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({ admin: true, rateLimit: 'off', ...options });
  const admin = async <T>(method: string, what: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sandbox.url}/_sandbox/${what}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`admin ${method} ${what}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  const requests = async (): Promise<LoggedRequest[]> => (await admin<{ requests: LoggedRequest[] }>('GET', 'requests')).requests;
  const emails = async (): Promise<SentEmail[]> => (await admin<{ emails: SentEmail[] }>('GET', 'emails')).emails;
  const faultRules = async () => (await admin<{ rules: (FaultRule & { remaining: number | null })[] }>('GET', 'faults')).rules;
  return {
    ...sandbox,
    requests,
    apiRequests: async (method, path) =>
      (await requests()).filter(
        (entry) => entry.path.toLowerCase().startsWith('/api/') && (!method || entry.method === method) && (!path || path.test(entry.path)),
      ),
    tokenRequests: async () => (await requests()).filter((entry) => /^\/auth\/token/i.test(entry.path)),
    clearRequests: () => admin('DELETE', 'requests'),
    violations: async () => (await admin<{ violations: Violation[] }>('GET', 'violations')).violations,
    clearViolations: () => admin('DELETE', 'violations'),
    gaps: async () => (await admin<{ gaps: EmulationGap[] }>('GET', 'gaps')).gaps,
    emails,
    watchEmails: async () => {
      const before = (await emails()).length;
      return async () => (await emails()).slice(before);
    },
    issuedTokens: async () => (await admin<{ tokens: string[] }>('GET', 'tokens')).tokens,
    faults: (rules) => admin('POST', 'faults', { rules }),
    faultRules,
    faultsTaken: () => vi.waitFor(async () => expect(await faultRules()).toEqual([]), { timeout: 5_000, interval: 20 }),
    clearFaults: () => admin('DELETE', 'faults'),
    reset: () => admin('POST', 'reset'),
    config: (overrides = {}) => ({
      url: sandbox.url,
      authUrl: `${sandbox.url}/auth`,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      ...(sandbox.tenant ? { tenant: sandbox.tenant } : {}),
      scope: 'all',
      timeoutMs: 5_000,
      retry: { maxAttempts: 4, budgetMs: 10_000, baseDelayMs: 20, maxDelayMs: 200 },
      maxResponseBytes: 8 * 1024 * 1024,
      ...overrides,
    }),
    token: async (scope = 'all') => {
      const response = await fetch(`${sandbox.url}/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, scope }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
      return body.access_token;
    },
  };
}

/** GET/POST/DELETE against the sandbox's API with a bearer token, answering status and parsed body. */
export async function call(
  sandbox: Sandbox,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${sandbox.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
