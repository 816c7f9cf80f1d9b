/**
 * Cursors hide Halo's `pageinate`/`page_no`/`page_size` from the model. A cursor names the Halo page
 * and how many of its records were already returned (a page cut short by the size budget resumes
 * where it stopped), and carries a fingerprint of the query so it cannot be used with another.
 */
import { createHash } from 'node:crypto';
import { ToolInputError } from './errors.js';

export interface PagePosition {
  /** Halo's 1-based page number. */
  page: number;
  /** Halo's page size, kept from the first call so pages stay aligned. */
  size: number;
  /** Records of this page already returned. */
  skip: number;
}

/** A short fingerprint of the arguments that define a query (everything but the cursor and limit). */
export function queryKey(tool: string, args: Record<string, unknown>): string {
  const { cursor: _cursor, limit: _limit, ...rest } = args;
  const stable = JSON.stringify(Object.entries(rest).filter(([, value]) => value !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(`${tool}:${stable}`).digest('base64url').slice(0, 10);
}

export function encodeCursor(position: PagePosition, key: string): string {
  return Buffer.from(JSON.stringify([position.page, position.size, position.skip, key])).toString('base64url');
}

export function decodeCursor(cursor: string, key: string): PagePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || !parsed.slice(0, 3).every((n) => Number.isInteger(n) && (n as number) >= 0)) {
    throw new ToolInputError('The cursor is not one this server issued. Repeat the search without a cursor.');
  }
  const [page, size, skip, cursorKey] = parsed as [number, number, number, string];
  if (cursorKey !== key) {
    throw new ToolInputError('The cursor belongs to a search with other arguments. Repeat the search with the same arguments, or without a cursor.');
  }
  if (page < 1 || size < 1) throw new ToolInputError('The cursor is not one this server issued. Repeat the search without a cursor.');
  return { page, size, skip };
}
