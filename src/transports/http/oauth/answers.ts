/**
 * How the authorization server answers: OAuth JSON (never cached, as RFC 6749 §5.1 asks of
 * anything that carries tokens), redirects, the SDK's web Responses written to node's response,
 * small HTML pages that cannot be framed or run script, and the forms its endpoints read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/server';
import { readBody } from '../body.js';
import { HttpError } from '../errors.js';
import { html, SafeHtml } from '../../../util/html.js';

/** A form or registration is a few hundred bytes; this leaves room and no more. */
const MAX_FORM_BYTES = 16_384;

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Browser-based MCP clients call the token, registration and revocation endpoints from their own origin; the answers carry no cookie, so any origin may read them. */
export const OPEN_CORS = { 'access-control-allow-origin': '*' };

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...NO_STORE, ...headers }).end(JSON.stringify(body));
}

/** RFC 6749 §5.2: 401 for invalid_client, 400 for the other refusals; 503 and 500 as they say. */
const STATUS_OF: Record<string, number> = { [OAuthErrorCode.InvalidClient]: 401, [OAuthErrorCode.TemporarilyUnavailable]: 503, [OAuthErrorCode.ServerError]: 500 };

export function sendOAuthError(response: ServerResponse, error: OAuthError, headers: Record<string, string> = {}): void {
  const status = STATUS_OF[error.code] ?? 400;
  sendJson(response, status, error.toResponseObject(), status === 401 ? { 'www-authenticate': 'Basic realm="halopsa-mcp"', ...headers } : headers);
}

export function redirect(response: ServerResponse, location: URL | string): void {
  response.writeHead(302, { location: String(location), ...NO_STORE }).end();
}

/** A web Response (what the SDK's helpers make) written to node's response. */
export async function sendWebResponse(response: ServerResponse, web: Response): Promise<void> {
  response.writeHead(web.status, Object.fromEntries(web.headers));
  response.end(Buffer.from(await web.arrayBuffer()));
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}';

/** A page of ours: no script, no framing (a consent page in a frame could be clicked through unseen), nothing from elsewhere. */
export function sendPage(response: ServerResponse, status: number, title: string, body: SafeHtml): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    // Not no-referrer: under it a browser posts the consent form with `Origin: null`, and the origin is what tells our own form from a forged one.
    'referrer-policy': 'same-origin',
    ...NO_STORE,
  });
  response.end(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title><style>${new SafeHtml(STYLE)}</style></head><body>${body}</body></html>`.text);
}

/** The form fields of an application/x-www-form-urlencoded POST. */
export async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
    throw new OAuthError(OAuthErrorCode.InvalidRequest, 'Send the parameters as application/x-www-form-urlencoded.');
  }
  return new URLSearchParams(await readBody(request, MAX_FORM_BYTES));
}

/** The JSON body of a registration request. */
export async function readJson(request: IncomingMessage): Promise<unknown> {
  const text = await readBody(request, MAX_FORM_BYTES);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'The body is not valid JSON.');
  }
}

/** One parameter, refused when it is given more than once (RFC 6749 §3.1: parameters must not be repeated). */
export function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new OAuthError(OAuthErrorCode.InvalidRequest, `${name} is given more than once.`);
  return values[0] === '' ? undefined : values[0];
}
