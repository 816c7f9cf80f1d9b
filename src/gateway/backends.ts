/**
 * Gateway mode: each request names its Halo in headers (X-Halo-Url, X-Halo-Client-Id,
 * X-Halo-Client-Secret, and X-Halo-Tenant, X-Halo-Auth-Url, X-Halo-Scope where needed). The Halo
 * must be on an allowed host (see hosts.ts), and every connection is checked again at the address
 * it is made to. Each set of credentials gets its own client and its own redactor, so that what one
 * caller sends (a secret, or a token its Halo returns) never changes what other callers or the
 * server's logs see.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { namedHaloConfig, type Env, type GatewayConfig } from '../config/index.js';
import { HaloClient } from '../halo/client.js';
import type { SharedBudget } from '../halo/shared-budget.js';
import { guardedLookup } from '../halo/egress.js';
import { loadUndici } from '../halo/http.js';
import { Redactor } from '../util/redact.js';
import type { Backend } from '../transports/http.js';
import { ALLOWED_HOSTS_SETTING, HOSTED_HALO_DOMAINS } from './hosts.js';

/** Clients kept for credential sets seen recently; the least recently used goes first. */
const CACHE_LIMIT = 100;

/** The header each Halo setting comes from. */
const HEADERS = {
  HALO_URL: 'x-halo-url',
  HALO_TENANT: 'x-halo-tenant',
  HALO_CLIENT_ID: 'x-halo-client-id',
  HALO_CLIENT_SECRET: 'x-halo-client-secret',
  HALO_AUTH_URL: 'x-halo-auth-url',
  HALO_SCOPE: 'x-halo-scope',
} as const;

const ADVICE = `This gateway's operator allows Halo hosts with ${ALLOWED_HOSTS_SETTING}; by default only Halo's hosted domains (${HOSTED_HALO_DOMAINS.join(', ')}).`;

export interface GatewayOptions extends GatewayConfig {
  logger: Logger;
  /** The process's redactor: a caller's redactor removes its values too, never the other way round. */
  redactor: Redactor;
  /** The rate-limit window replicas share, which every caller's Halo client draws from too. */
  budget?: SharedBudget;
  /** Builds the backend for a client. */
  build: (halo: HaloClient) => Backend;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class Gateway {
  private readonly backends = new Map<string, Backend>();

  private constructor(
    private readonly options: GatewayOptions,
    /** One connection pool for every caller's Halo, whose every lookup is checked against the allow-list. */
    private readonly dispatcher: Dispatcher,
  ) {}

  static async start(options: GatewayOptions): Promise<Gateway> {
    const { Agent } = await loadUndici();
    const reason = `${ALLOWED_HOSTS_SETTING} allows that only for a host it lists by name`;
    const lookup = guardedLookup((hostname) => options.allowedHosts.trust(hostname), reason);
    return new Gateway(options, new Agent({ keepAliveTimeout: 10_000, connections: 16, connect: { lookup } }));
  }

  /** The Halo settings a request's headers give, or undefined when it names no Halo. */
  private fields(request: IncomingMessage): Env | undefined {
    if (!header(request, HEADERS.HALO_URL)) return undefined;
    return Object.fromEntries(Object.entries(HEADERS).map(([setting, name]) => [setting, header(request, name) ?? '']));
  }

  private key(fields: Env): string {
    return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
  }

  /** What a session opened by this request is bound to: its Halo credentials, all of them, or nothing when it names none. */
  binding(request: IncomingMessage): string {
    const fields = this.fields(request);
    return fields ? this.key(fields) : '';
  }

  /**
   * The backend for the Halo a request names, or undefined when it names none. Throws, with words
   * for the caller, when the headers are incomplete or name a host that is not allowed.
   */
  backendFor(request: IncomingMessage): Backend | undefined {
    const fields = this.fields(request);
    if (!fields) return undefined;
    const key = this.key(fields);
    let found = this.backends.get(key);
    if (found) {
      this.backends.delete(key);
    } else {
      const config = namedHaloConfig(fields, this.options.tuning, this.options.scope);
      const url = new URL(config.url);
      const refusal = this.options.allowedHosts.refusal(url);
      if (refusal) throw new Error(`X-Halo-Url (${url.origin}) is not allowed: ${refusal}. ${ADVICE}`);
      const authOrigin = new URL(config.authUrl).origin;
      if (authOrigin !== url.origin) throw new Error(`X-Halo-Auth-Url (${authOrigin}) is not allowed: it must be on the Halo's own host, ${url.origin}.`);
      if (this.backends.size >= CACHE_LIMIT) {
        const oldest = this.backends.keys().next().value;
        if (oldest !== undefined) this.backends.delete(oldest);
      }
      // An evicted client needs no closing: it owns no connections, and a call in flight may still use it.
      found = this.options.build(new HaloClient(config, { logger: this.options.logger, redactor: new Redactor(this.options.redactor), dispatcher: this.dispatcher, ...(this.options.budget ? { budget: this.options.budget } : {}) }));
    }
    this.backends.set(key, found);
    return found;
  }

  /** Closes the connections to every caller's Halo. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
