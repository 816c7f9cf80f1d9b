/** A ticket's actions put in order by their own dates, as Halo writes them. */
import { describe, expect, it } from 'vitest';
import { newestFirst } from '../../src/mcp/history.js';

describe('newestFirst', () => {
  it('orders by date whether Halo writes a zone or not, then by action number', () => {
    const actions = [
      { id: 1, datetime: '2026-08-05T09:00:00' },
      { id: 2, datetime: '2026-08-05T10:30:00.12+00:00' },
      { id: 3, datetime: '2026-08-05T10:00:00Z' },
      { id: 4, datetime: '2026-08-05T11:15:00+01:00' },
      { id: 5, datetime: '2026-08-05T10:30:00' },
    ];
    // 11:15+01:00 is 10:15 UTC; 10:30 written with a zone and without are the same second.
    expect(newestFirst(actions).map((action) => action.id)).toEqual([5, 2, 4, 3, 1]);
  });

  it('puts actions without a date ("no date" is 1900 in Halo) last, and keeps what it was given', () => {
    const actions = [{ id: 1 }, { id: 2, datetime: '1900-01-01T00:00:00' }, { id: 3, datetime: '2026-01-01T00:00:00' }];
    expect(newestFirst(actions).map((action) => action.id)).toEqual([3, 2, 1]);
    expect(actions.map((action) => action.id)).toEqual([1, 2, 3]);
  });
});
