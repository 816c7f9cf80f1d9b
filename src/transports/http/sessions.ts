/**
 * Session mode (HALO_MCP_SESSIONS), for clients of revisions before 2026-07-28 that keep state on
 * the server: a session keeps its server until it is deleted or goes idle. A session belongs to the
 * token that opened it (and, in gateway mode, to the Halo credentials it was opened with); to anyone
 * else it does not exist. The number of sessions is capped, for the process and per token, so that
 * one token cannot hold every session; a session being opened counts against the caps already.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { McpServer } from '@modelcontextprotocol/server';
import type { HttpOptions } from './options.js';
import { HttpError } from './errors.js';
import { SessionEvents } from './session-events.js';

export type SessionLimits = Pick<HttpOptions, 'maxSessions' | 'maxSessionsPerToken' | 'sessionIdleMs'>;

/** How long a client whose session stream broke waits before it reconnects (the SSE `retry` field). */
const SSE_RETRY_MS = 1_000;

interface Session {
  transport: NodeStreamableHTTPServerTransport;
  server: McpServer;
  tokenId: string | undefined;
  binding: string;
  lastSeen: number;
}

/** Who a request comes from: its token, and what else its session is bound to (see HttpServerOptions.sessionBinding). */
export interface SessionOwner {
  tokenId: string | undefined;
  binding: string;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  /** Sessions being opened (initialize answered, not yet registered), by token. */
  private readonly opening = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly limits: SessionLimits) {
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(60_000, Math.max(1_000, limits.sessionIdleMs / 2)));
    this.sweeper.unref();
  }

  /** Serves a request on the session it names. */
  async serve(id: string, owner: SessionOwner, request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
    const session = this.sessions.get(id);
    if (!session || session.tokenId !== owner.tokenId || session.binding !== owner.binding) throw new HttpError(404, 'The session does not exist or has ended.');
    session.lastSeen = Date.now();
    await session.transport.handleRequest(request, response, body);
  }

  /** Opens a session with an initialize request, within the caps; `createServer` builds its server once the caps allow it. */
  async open(owner: SessionOwner, createServer: () => McpServer, request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
    const stopOpening = this.startOpening(owner.tokenId ?? '');
    const server = createServer();
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // Events are kept so that a client whose stream broke can resume it; the priming event and retry field tell it how.
      eventStore: new SessionEvents(),
      retryInterval: SSE_RETRY_MS,
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, server, tokenId: owner.tokenId, binding: owner.binding, lastSeen: Date.now() });
        stopOpening();
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
    };
    try {
      await server.connect(transport);
      await transport.handleRequest(request, response, body);
    } finally {
      stopOpening();
    }
  }

  /** Closes every session, for shutdown. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const session of this.sessions.values()) {
      await session.transport.close();
      await session.server.close();
    }
    this.sessions.clear();
  }

  /**
   * Counts a session as being opened by a token, refused when the caps are reached. Returns what
   * stops counting it, once: when the session is registered (it then counts as held) or when the
   * request ends without one.
   */
  private startOpening(owner: string): () => void {
    const beingOpened = [...this.opening.values()].reduce((sum, count) => sum + count, 0);
    if (this.sessions.size + beingOpened >= this.limits.maxSessions) throw new HttpError(503, 'The server holds as many sessions as it may; end one or try later.', { 'retry-after': '30' });
    if (this.heldBy(owner) >= this.limits.maxSessionsPerToken) {
      throw new HttpError(
        429,
        `This token holds ${this.limits.maxSessionsPerToken} sessions, as many as one token may (HALO_MCP_MAX_SESSIONS_PER_TOKEN); end one with DELETE, or let one go idle.`,
        { 'retry-after': '30' },
      );
    }
    this.opening.set(owner, (this.opening.get(owner) ?? 0) + 1);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.opening.set(owner, (this.opening.get(owner) ?? 1) - 1);
    };
  }

  /** Sessions a token holds or is opening. */
  private heldBy(owner: string): number {
    let held = this.opening.get(owner) ?? 0;
    for (const session of this.sessions.values()) if ((session.tokenId ?? '') === owner) held++;
    return held;
  }

  private closeIdle(): void {
    const cutoff = Date.now() - this.limits.sessionIdleMs;
    for (const [id, session] of this.sessions) {
      if (session.lastSeen < cutoff) {
        this.sessions.delete(id);
        void session.transport.close();
        void session.server.close();
      }
    }
  }
}
