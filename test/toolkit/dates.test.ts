import { describe, expect, it } from 'vitest';
import { parseDateRange } from '../../src/toolkit/dates.js';

// A Wednesday, 10:30 in London (BST, UTC+1).
const now = Date.parse('2026-07-15T09:30:00Z');
const iso = (range: { from?: Date; to?: Date }) => ({ from: range.from?.toISOString(), to: range.to?.toISOString() });

describe('dates', () => {
  it('reads a day in the configured time zone', () => {
    expect(iso(parseDateRange('2026-07-01', 'Europe/London', now))).toEqual({ from: '2026-06-30T23:00:00.000Z', to: '2026-07-01T22:59:59.999Z' });
    expect(iso(parseDateRange('2026-01-10', 'Europe/London', now))).toEqual({ from: '2026-01-10T00:00:00.000Z', to: '2026-01-10T23:59:59.999Z' });
    expect(iso(parseDateRange('2026-07-01', 'America/New_York', now)).from).toBe('2026-07-01T04:00:00.000Z');
  });

  it('reads today, yesterday, weeks and months', () => {
    expect(iso(parseDateRange('today', 'Europe/London', now))).toEqual({ from: '2026-07-14T23:00:00.000Z', to: '2026-07-15T22:59:59.999Z' });
    expect(iso(parseDateRange('Yesterday', 'Europe/London', now))).toEqual({ from: '2026-07-13T23:00:00.000Z', to: '2026-07-14T22:59:59.999Z' });
    expect(iso(parseDateRange('this week', 'Europe/London', now)).from).toBe('2026-07-12T23:00:00.000Z');
    expect(iso(parseDateRange('last week', 'Europe/London', now))).toEqual({ from: '2026-07-05T23:00:00.000Z', to: '2026-07-12T22:59:59.999Z' });
    expect(iso(parseDateRange('this month', 'Europe/London', now)).from).toBe('2026-06-30T23:00:00.000Z');
    expect(iso(parseDateRange('last month', 'Europe/London', now))).toEqual({ from: '2026-05-31T23:00:00.000Z', to: '2026-06-30T22:59:59.999Z' });
  });

  it('reads rolling windows: "last 7 days" is today and the six days before', () => {
    expect(iso(parseDateRange('last 7 days', 'Europe/London', now))).toEqual({ from: '2026-07-08T23:00:00.000Z', to: '2026-07-15T09:30:00.000Z' });
    expect(iso(parseDateRange('past 24 hours', 'Europe/London', now)).from).toBe('2026-07-14T09:30:00.000Z');
    expect(iso(parseDateRange('last 2 weeks', 'Europe/London', now)).from).toBe('2026-07-01T23:00:00.000Z');
  });

  it('crosses a daylight-saving change at midnight correctly', () => {
    // London moves to BST on 2026-03-29 at 01:00 UTC.
    const afterChange = Date.parse('2026-03-30T12:00:00Z');
    expect(iso(parseDateRange('last 3 days', 'Europe/London', afterChange)).from).toBe('2026-03-28T00:00:00.000Z');
    expect(iso(parseDateRange('2026-03-29', 'Europe/London', afterChange))).toEqual({ from: '2026-03-29T00:00:00.000Z', to: '2026-03-29T22:59:59.999Z' });
  });

  it('reads ranges, open ends and instants', () => {
    expect(iso(parseDateRange('2026-07-01..2026-07-03', 'UTC', now))).toEqual({ from: '2026-07-01T00:00:00.000Z', to: '2026-07-03T23:59:59.999Z' });
    expect(iso(parseDateRange('2026-07-01..', 'UTC', now))).toEqual({ from: '2026-07-01T00:00:00.000Z', to: undefined });
    expect(iso(parseDateRange('..2026-07-03', 'UTC', now))).toEqual({ from: undefined, to: '2026-07-03T23:59:59.999Z' });
    expect(iso(parseDateRange('2026-07-01T08:00..2026-07-01T17:00', 'Europe/London', now))).toEqual({ from: '2026-07-01T07:00:00.000Z', to: '2026-07-01T16:00:00.000Z' });
    expect(iso(parseDateRange('2026-07-01T08:00:00Z', 'Europe/London', now)).from).toBe('2026-07-01T08:00:00.000Z');
  });

  it('reads the years 1 to 99 as themselves, and refuses the years an ISO date cannot name', () => {
    expect(iso(parseDateRange('0050-03-01', 'UTC', now))).toEqual({ from: '0050-03-01T00:00:00.000Z', to: '0050-03-01T23:59:59.999Z' });
    // Before time zones, London kept its local mean time, 1 minute 15 seconds behind UTC.
    expect(iso(parseDateRange('0001-01-01', 'Europe/London', now)).from).toBe('0001-01-01T00:01:15.000Z');
    expect(iso(parseDateRange('0099-12-31T23:00Z', 'UTC', now)).from).toBe('0099-12-31T23:00:00.000Z');
    for (const outside of ['0000-01-01', '0000-06-01..0001-01-01', '9999-12-31T23:59:59-05:00']) {
      expect(() => parseDateRange(outside, 'UTC', now)).toThrow(/beyond the years 1 to 9999/);
    }
  });

  it('explains what it does not understand', () => {
    expect(() => parseDateRange('next tuesday', 'UTC', now)).toThrow(/not a date Halo tools understand.*last N hours\/days/);
    expect(() => parseDateRange('2026-07-05..2026-07-01', 'UTC', now)).toThrow(/ends before it starts/);
    expect(() => parseDateRange('2026-13-45', 'UTC', now)).toThrow(/not a date/);
  });
});
