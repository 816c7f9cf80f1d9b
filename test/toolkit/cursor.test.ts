/** Paging cursors on their own: what they carry, and the cursors they refuse. */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, queryKey } from '../../src/toolkit/cursor.js';

const NOT_ISSUED = /^The cursor is not one this server issued\. Repeat the search without a cursor\.$/;
const OTHER_SEARCH = /^The cursor belongs to a search with other arguments\. Repeat the search with the same arguments, or without a cursor\.$/;

/** A cursor made of any JSON, as a client could forge one. */
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('queryKey', () => {
  it('leaves out the cursor, the limit and arguments left undefined, and the order arguments come in', () => {
    const key = queryKey('halo_search_tickets', { status: 'open', client: 'Acme' });
    expect(queryKey('halo_search_tickets', { client: 'Acme', status: 'open', limit: 5, cursor: 'x', agent: undefined })).toBe(key);
  });

  it('differs for another tool, another value, or one more argument', () => {
    const key = queryKey('halo_search_tickets', { status: 'open' });
    expect(queryKey('halo_search_clients', { status: 'open' })).not.toBe(key);
    expect(queryKey('halo_search_tickets', { status: 'closed' })).not.toBe(key);
    expect(queryKey('halo_search_tickets', { status: 'open', agent: 'me' })).not.toBe(key);
    // A number and its text are other arguments to Halo's filters: they are kept apart.
    expect(queryKey('halo_search_tickets', { client: 2 })).not.toBe(queryKey('halo_search_tickets', { client: '2' }));
  });
});

describe('a cursor', () => {
  const key = queryKey('halo_search_tickets', { status: 'open' });

  it('gives back the page, page size and records already returned that it was made with', () => {
    for (const position of [
      { page: 1, size: 50, skip: 0 },
      { page: 3, size: 20, skip: 7 },
      { page: 1_000, size: 100, skip: 99 },
    ]) {
      expect(decodeCursor(encodeCursor(position, key), key)).toEqual(position);
    }
  });

  it('is text a model copies unchanged: URL-safe, with no padding', () => {
    expect(encodeCursor({ page: 12, size: 50, skip: 3 }, key)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('made for another tool or other arguments is refused, naming why', () => {
    const cursor = encodeCursor({ page: 2, size: 50, skip: 0 }, key);
    expect(() => decodeCursor(cursor, queryKey('halo_search_clients', { status: 'open' }))).toThrow(OTHER_SEARCH);
    expect(() => decodeCursor(cursor, queryKey('halo_search_tickets', { status: 'closed' }))).toThrow(OTHER_SEARCH);
    // The same search with another page size is still the same search.
    expect(decodeCursor(cursor, queryKey('halo_search_tickets', { status: 'open', limit: 10 }))).toEqual({ page: 2, size: 50, skip: 0 });
  });

  it.each([
    ['text that is not base64 JSON', 'not a cursor!'],
    ['an empty cursor', ''],
    ['JSON that is not a list', forged({ page: 2, size: 50, skip: 0, key })],
    ['a list of three', forged([2, 50, 0])],
    ['a list of five', forged([2, 50, 0, key, 'more'])],
    ['a page number as text', forged(['2', 50, 0, key])],
    ['a fractional page', forged([1.5, 50, 0, key])],
    ['a negative skip', forged([2, 50, -1, key])],
    ['page 0', forged([0, 50, 0, key])],
    ['a page size of 0', forged([2, 0, 0, key])],
    ['a cursor cut short', encodeCursor({ page: 2, size: 50, skip: 0 }, key).slice(0, -3)],
  ])('refuses %s as not issued', (_what, cursor) => {
    expect(() => decodeCursor(cursor, key)).toThrow(NOT_ISSUED);
  });
});
