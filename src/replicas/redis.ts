/**
 * The Redis that replicas share (HALO_REDIS_URL): one connection per process, which reconnects by
 * itself. While it is down, commands fail at once instead of queueing, so that whatever uses it
 * falls back straight away to what one process can do alone (a share of Halo's budget, its own
 * caches); its state is what /readyz, doctor and the log report.
 *
 * The client is the official one's core, `@redis/client` (node-redis without the modules for
 * Redis Stack, which nothing here uses): it is Redis's own, released monthly, speaks RESP3, and
 * has the two switches this needs, a reconnect strategy and `disableOfflineQueue`.
 */
import { createClient, type RedisClientType } from '@redis/client';
import type { Logger } from 'pino';

/** How long a start waits for the first connection before serving without Redis (it keeps trying). */
const FIRST_CONNECTION_WAIT_MS = 2_000;
/** Reconnect attempts back off to this, so that a Redis that comes back is found within seconds. */
const MAX_RECONNECT_DELAY_MS = 2_000;
/** A command that takes longer than this counts as failed: callers fall back rather than wait on Redis. */
const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** What every key of the project's starts with, so that the Redis can be shared with other programs. */
export const KEY_PREFIX = 'halopsa-mcp:';

export interface SharedStateStatus {
  /** Where Redis is, without its password. */
  where: string;
  connected: boolean;
  /** Since when it has been connected, or not. */
  since: string;
  /** Why the last connection failed, when it is down. */
  lastError?: string;
}

/** The URL with its credentials left out, for logs and status. */
function shownUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

export class SharedRedis {
  private connected = false;
  private since = new Date();
  private lastError: string | undefined;
  private closing = false;
  /** The client whose commands fail after REDIS_COMMAND_TIMEOUT_MS: what every user of the shared state sends through, made once. */
  readonly commands: ReturnType<RedisClientType['withCommandOptions']>;

  private constructor(
    readonly client: RedisClientType,
    private readonly where: string,
    private readonly logger: Logger,
  ) {
    this.commands = client.withCommandOptions({ timeout: REDIS_COMMAND_TIMEOUT_MS });
    client.on('ready', () => this.changed(true));
    client.on('end', () => this.changed(false));
    client.on('error', (error: Error) => {
      this.lastError = error.message;
      this.changed(false);
    });
  }

  /** Connects, waiting a moment for the first connection; a Redis that is not there yet is retried in the background. */
  static async connect(url: string, logger: Logger): Promise<SharedRedis> {
    const client: RedisClientType = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: FIRST_CONNECTION_WAIT_MS, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS) },
    });
    const shared = new SharedRedis(client, shownUrl(url), logger);
    const first = client.connect().then(
      () => undefined,
      (error: unknown) => {
        shared.lastError = error instanceof Error ? error.message : String(error);
      },
    );
    await Promise.race([first, new Promise((resolve) => setTimeout(resolve, FIRST_CONNECTION_WAIT_MS).unref())]);
    if (!shared.connected) logger.warn({ redis: shared.where, error: shared.lastError }, 'Redis is not reachable: serving with this replica\'s own limits and caches until it is');
    return shared;
  }

  get available(): boolean {
    return this.connected && this.client.isReady;
  }

  status(): SharedStateStatus {
    return { where: this.where, connected: this.available, since: this.since.toISOString(), ...(!this.available && this.lastError ? { lastError: this.lastError } : {}) };
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.client.isOpen) await this.client.close();
  }

  private changed(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    this.since = new Date();
    if (this.closing) return;
    if (connected) this.logger.info({ redis: this.where }, 'Redis connected: replicas share Halo\'s budget, caches and sign-ins');
    else this.logger.warn({ redis: this.where, error: this.lastError }, 'Redis connection lost: serving with this replica\'s own limits and caches until it is back');
  }
}
