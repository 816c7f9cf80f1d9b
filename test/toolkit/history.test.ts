/** A ticket's actions put in order by their own dates, as Halo writes them, whatever order Halo lists them in. */
import { describe, expect, it } from 'vitest';
import { HISTORY_COUNT, newestFirst, readHistory } from '../../src/toolkit/history.js';
import { useSandboxHalo } from '../helpers/setup.js';

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

describe.each(['newest', 'oldest'] as const)('readHistory against a Halo that lists actions %s first', (order) => {
  const { halo } = useSandboxHalo({ actionOrder: order });

  it('answers the whole history newest first by date, past the 50 Halo answers unasked', async () => {
    const ticket = await halo.upsert('/Tickets', { summary: 'Order test', client_id: 2 });
    // Added in neither order by date: each a week after the one before, wrapping round two months.
    const days = Array.from({ length: 60 }, (_, n) => (n * 7) % 60);
    const actions = days.map((day) => ({ ticket_id: ticket.id, outcome: 'Private Note', note: `day ${day}`, datetime: new Date(Date.UTC(2026, 0, 1 + day, 9)).toISOString() }));
    await halo.request({ method: 'POST', path: '/Actions', body: actions });
    const history = await readHistory(halo, ticket.id as number);
    expect(history.total).toBe(60);
    expect(history.cut).toBeUndefined();
    expect(history.actions.map((action) => action.note)).toEqual(Array.from({ length: 60 }, (_, n) => `day ${59 - n}`));
  });

  it('calls a full read possibly cut even when record_count agrees, since a count may cap it unseen', async () => {
    const ticket = await halo.upsert('/Tickets', { summary: 'Full read', client_id: 2 });
    const actions = Array.from({ length: HISTORY_COUNT }, (_, n) => ({ ticket_id: ticket.id, outcome: 'Private Note', note: `entry ${n}` }));
    await halo.request({ method: 'POST', path: '/Actions', body: actions });
    const history = await readHistory(halo, ticket.id as number);
    expect(history.total).toBe(HISTORY_COUNT);
    expect(history.cut).toBe(`Halo answered ${HISTORY_COUNT} actions, as many as one read asks for; there may be more, not read, and they may include the newest.`);
  });
});
