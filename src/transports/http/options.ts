/**
 * What the HTTP transport is given by whoever starts it: the backends that serve a caller. The
 * transport checks requests and carries MCP; which Halo and which tools a caller gets is decided
 * outside it, so it knows nothing of where its settings came from.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import type { HaloClient } from '../../halo/client.js';
import type { AuditEntry } from '../../mcp/server.js';

/** What one request is served with: a Halo and the server built for it. */
export interface Backend {
  halo: HaloClient;
  /** Builds the MCP server for one request (stateless) or one session, for the token that called. */
  createServer(tokenId: string | undefined, audit: (entry: AuditEntry) => void): McpServer;
}
