/**
 * The body of a POST, read and checked before MCP sees it. Its size is capped while it streams in,
 * so that a client cannot fill the process's memory; a batch may hold only so many messages, and a
 * tool call's arguments only so many elements, so that one request cannot make the server validate
 * and walk a structure of millions of items. Each limit, when passed, is a 413 that names it.
 */
import type { IncomingMessage } from 'node:http';
import type { HttpOptions } from './options.js';
import { HttpError } from './errors.js';

export type BodyLimits = Pick<HttpOptions, 'maxBodyBytes' | 'maxBatch' | 'maxArgumentElements'>;

/** The body as text, refused with 413 once it passes `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new HttpError(413, `The request body is larger than ${limit} bytes.`));
      request.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `The request body is larger than ${limit} bytes.`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Array elements and object members in a value, counted until the limit is passed. */
function elementCount(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const item = stack.pop();
    if (typeof item !== 'object' || item === null) continue;
    const children: unknown[] = Array.isArray(item) ? (item as unknown[]) : Object.values(item);
    count += children.length;
    stack.push(...children);
  }
  return count;
}

function checkMessages(body: unknown, { maxBatch, maxArgumentElements }: BodyLimits): void {
  const messages = Array.isArray(body) ? (body as unknown[]) : [body];
  if (messages.length > maxBatch) throw new HttpError(413, `A batch may hold at most ${maxBatch} messages.`);
  for (const message of messages) {
    const params = (message as { method?: unknown; params?: { arguments?: unknown } } | null)?.params;
    if ((message as { method?: unknown } | null)?.method === 'tools/call' && elementCount(params?.arguments, maxArgumentElements) > maxArgumentElements) {
      throw new HttpError(413, `Tool arguments may hold at most ${maxArgumentElements} elements.`);
    }
  }
}

/** The JSON-RPC message or batch a POST carries, within the limits. */
export async function readMessages(request: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const raw = await readBody(request, limits.maxBodyBytes);
  let body: unknown;
  try {
    body = JSON.parse(raw) as unknown;
  } catch {
    throw new HttpError(400, 'The body is not valid JSON.');
  }
  checkMessages(body, limits);
  return body;
}
