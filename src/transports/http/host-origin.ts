/**
 * Protection from web pages. A page on another site can make a browser send requests to a server on
 * the person's machine, and a rebinding page can even do it under its own host name; so the Host
 * header must be one the server answers to, and an Origin header (which browsers send and MCP
 * clients outside a browser do not) one the operator allowed.
 */
import type { IncomingMessage } from 'node:http';
import type { HttpOptions } from './options.js';
import { HttpError } from './errors.js';

/** The Host check alone: for the authorization server's pages, which browsers reach from the MCP client's site and from Halo's. */
export function checkHost(request: IncomingMessage, { allowedHosts }: Pick<HttpOptions, 'allowedHosts'>): void {
  const host = (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
  if (allowedHosts && !allowedHosts.includes(host)) {
    throw new HttpError(403, `The Host "${host}" is not allowed; the server's operator can add it to HALO_MCP_ALLOWED_HOSTS (--allowed-hosts).`);
  }
}

export function checkHostAndOrigin(request: IncomingMessage, { allowedHosts, allowedOrigins }: Pick<HttpOptions, 'allowedHosts' | 'allowedOrigins'>): void {
  checkHost(request, { allowedHosts });
  const hostHeader = (request.headers.host ?? '').toLowerCase();
  const origin = request.headers.origin;
  if (origin === undefined || allowedOrigins.includes(origin)) return;
  // The server's own origin: a page it serves itself, on a Host checked above against a list (a rebinding page's Host is not on it).
  if (allowedHosts && /^https?:\/\//i.test(origin) && origin.replace(/^https?:\/\//i, '').toLowerCase() === hostHeader) return;
  throw new HttpError(403, `The Origin "${origin}" is not allowed; the server's operator can add it to HALO_MCP_ALLOWED_ORIGINS (--allowed-origins).`);
}
