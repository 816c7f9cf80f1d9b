/**
 * What the server serves, by path and method: GET on the health paths, the authorization server's
 * paths with --oauth (each checks its own methods), and MCP at `/mcp` (or `/mcp/<token>`). Everything else is refused here, before any other check runs or any body is read,
 * with a status and an Allow header that say what would have been served.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';
import { HEALTH_PATHS } from './health.js';

export type Route = { endpoint: 'health'; path: string } | { endpoint: 'oauth'; path: string } | { endpoint: 'mcp'; encodedToken: string | undefined };

export function routeOf(request: IncomingMessage, sessions: boolean, isOAuthPath: (path: string) => boolean = () => false): Route {
  let path: string;
  try {
    path = new URL(request.url ?? '/', 'http://server').pathname;
  } catch {
    throw new HttpError(400, 'The request target is not a valid path.');
  }
  const method = request.method ?? 'GET';
  if (HEALTH_PATHS.includes(path)) {
    if (method !== 'GET') throw new HttpError(405, `${path} answers GET only.`, { allow: 'GET' });
    return { endpoint: 'health', path };
  }
  if (isOAuthPath(path)) return { endpoint: 'oauth', path };
  const match = /^\/mcp(?:\/([^/]+))?\/?$/.exec(path);
  // The path is not repeated: under /mcp/ it may hold a token.
  if (!match) throw new HttpError(404, 'Nothing is served at this path; MCP is at /mcp.');
  if (!['POST', 'GET', 'DELETE'].includes(method)) throw new HttpError(405, `/mcp answers POST${sessions ? ', GET and DELETE' : ''}.`, { allow: sessions ? 'POST, GET, DELETE' : 'POST' });
  return { endpoint: 'mcp', encodedToken: match[1] };
}
