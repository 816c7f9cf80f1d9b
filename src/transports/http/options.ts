/**
 * What the HTTP transport is given by whoever starts it: its options, already validated, and the
 * backends that serve a caller. The transport checks requests and carries MCP; where its options
 * came from, and which Halo and tools a caller gets, are decided outside it.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import type { HaloClient } from '../../halo/client.js';
import type { HaloAgentIdentity } from '../../halo/sign-in.js';
import type { AuditEntry } from '../../mcp/server.js';
import type { SignInGrant } from '../../sign-in/grants.js';

/** Who called, once their token was checked: a configured token, or (with --oauth) a person signed in through an MCP client. */
export interface CallerGrant {
  /** A name for logs, the audit trail and the limits per caller; never the token itself. */
  id: string;
  /** The profile whose Halo and settings this caller uses; the server's own when absent. */
  profile?: string;
  /** A person's sign-in, when the token is one this server issued. */
  signIn?: SignInGrant;
}

/** A bearer token that may call the HTTP server, optionally bound to its own Halo and tool settings. */
export interface TokenGrant extends CallerGrant {
  token: string;
}

export interface HttpOptions {
  host: string;
  port: number;
  tokens: TokenGrant[];
  sessions: boolean;
  maxSessions: number;
  /** Sessions one token may hold, so that one token cannot take them all. */
  maxSessionsPerToken: number;
  sessionIdleMs: number;
  /** Host header values accepted; undefined accepts any (only when bound beyond loopback, where tokens are required). */
  allowedHosts: string[] | undefined;
  allowedOrigins: string[];
  maxBodyBytes: number;
  maxBatch: number;
  maxArgumentElements: number;
  maxConcurrentPerToken: number;
  auditLog: string | undefined;
  shutdownGraceMs: number;
}

/** What one request is served with: a Halo and the server built for it. */
export interface Backend {
  halo: HaloClient;
  /** The Halo agent its calls act as, for the audit log; undefined when Halo cannot say. */
  actingAgent(): Promise<HaloAgentIdentity | undefined>;
  /** Builds the MCP server for one request (stateless) or one session, for the token that called. */
  createServer(tokenId: string | undefined, audit: (entry: AuditEntry) => void): McpServer;
}
