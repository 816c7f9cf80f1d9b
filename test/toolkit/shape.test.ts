import { describe, expect, it } from 'vitest';
import { missingFieldsOnce, recordWithinBudget, withFields } from '../../src/toolkit/budget.js';
import { haloTime, isoUtc } from '../../src/toolkit/values.js';

describe('fields asked for by name', () => {
  it('keep the names of missing fields when the fields asked for fill the budget', () => {
    const raw = { id: 4, summary: 'Printer offline', notes: 'n'.repeat(350), details: 'd'.repeat(300) };
    const shaped = recordWithinBudget(withFields({ id: 4, summary: 'Printer offline' }, raw, ['notes', 'details', 'no_such_field']), 600);
    expect(shaped.missing_fields).toEqual(['no_such_field']);
    expect(shaped.omitted_fields).toEqual(['notes']);
    expect(shaped.details).toBe('d'.repeat(300));
  });
});

describe('fields missing from a list', () => {
  const page = (items: Record<string, unknown>[]) => ({ items, total: items.length, next_cursor: null });

  it('are named once for the page when every row lacks the same ones', () => {
    const rows = [1, 2, 3].map((id) => withFields({ id }, { id, sla_id: 1 }, ['sla_id', 'nope']));
    expect(missingFieldsOnce(page(rows))).toEqual({ ...page([1, 2, 3].map((id) => ({ id, sla_id: 1 }))), missing_fields: ['nope'] });
  });

  it('stay on each row where the rows differ, and are not invented where none is missing', () => {
    const rows = [withFields({ id: 1 }, { id: 1, extra: 'x' }, ['extra']), withFields({ id: 2 }, { id: 2 }, ['extra'])];
    expect(missingFieldsOnce(page(rows))).toEqual(page(rows));
    const complete = [withFields({ id: 1 }, { id: 1, extra: 'x' }, ['extra'])];
    expect(missingFieldsOnce(page(complete))).toEqual(page(complete));
    expect(missingFieldsOnce(page([]))).toEqual(page([]));
  });
});

describe('dates as Halo writes them', () => {
  it('reads Z, +00:00, another offset and no zone at all, with 0 to 7 fractional digits, as the same UTC instant', () => {
    const instant = Date.UTC(2026, 7, 5, 5, 32, 44, 990);
    expect(haloTime('2026-08-05T05:32:44.99+00:00')).toBe(instant);
    expect(haloTime('2026-08-05T05:32:44.9900000Z')).toBe(instant);
    expect(haloTime('2026-08-05T05:32:44.99')).toBe(instant);
    expect(haloTime('2026-08-05T07:32:44.990+02:00')).toBe(instant);
    expect(haloTime('2026-08-05T05:32:44.9912345Z')).toBe(instant + 1);
    expect(haloTime('2026-08-05T05:32:44')).toBe(Date.UTC(2026, 7, 5, 5, 32, 44));
    expect(haloTime('2026-08-05')).toBe(Date.UTC(2026, 7, 5));
    expect(isoUtc('2026-08-05T05:32:44.2199844Z')).toBe('2026-08-05T05:32:44Z');
    expect(isoUtc('2026-08-05T05:32:44')).toBe('2026-08-05T05:32:44Z');
  });

  it("takes Halo's ways of writing no date for none", () => {
    for (const none of ['1900-01-01T00:00:00', '1899-12-30T00:00:00', '0001-01-01T00:00:00', '1901-01-01T08:30:00', '', null, undefined, 0]) {
      expect(haloTime(none), String(none)).toBeUndefined();
      expect(isoUtc(none), String(none)).toBeNull();
    }
  });

  it('refuses text that only looks like a date', () => {
    expect(haloTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(haloTime('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    for (const text of ['2026-13-01', '2026-02-30', '2023-02-29', '2100-02-29', '2026-04-31', '2026-08-00', '2026-02-28T25:00:00', 'yesterday', '05/08/2026', '2026-08-05T05:32:44.12345678Z']) {
      expect(haloTime(text), text).toBeUndefined();
    }
  });
});
