/** Halo's values as a projection shows them: references as `{id, name}`, dates as ISO 8601 UTC, text, ids and hours or null. */

export interface Ref {
  id: number;
  name: string;
}

/** A reference as `{id, name}`, or null when Halo holds none (id 0 or missing). */
export function ref(id: unknown, name: unknown): Ref | null {
  if (typeof id !== 'number' || id <= 0) return null;
  return { id, name: typeof name === 'string' ? name : '' };
}

const HALO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Before this, a Halo date means "no date": 1900-01-01, 1899-12-30, 0001-01-01, a time of day kept on 1901-01-01. */
const FIRST_REAL_DATE = Date.UTC(1902, 0, 1);

/**
 * The instant (ms) a Halo date names, or undefined for "no date", null, or text that is not a date.
 * Halo writes `…Z`, `…+00:00` or no zone at all, with 0 to 7 fractional digits; a time without a
 * zone is UTC. Date.parse is not used: it reads a time without a zone in the machine's time zone.
 */
export function haloTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = HALO_DATE.exec(value.trim());
  if (!parts) return undefined;
  // Read for every date of every record of every page, so it makes no arrays or Dates on the way.
  const year = Number(parts[1]);
  const month = Number(parts[2]);
  const day = Number(parts[3]);
  const hour = Number(parts[4] ?? 0);
  const minute = Number(parts[5] ?? 0);
  const second = Number(parts[6] ?? 0);
  const fraction = parts[7] ?? '';
  const zone = parts[8] ?? '';
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetMinutes = zone === '' || zone.toUpperCase() === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const time = Date.UTC(year, month - 1, day, hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3))) - offsetMinutes * 60_000;
  return time < FIRST_REAL_DATE ? undefined : time;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (month 1 to 12), as Date.UTC counts them. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1] ?? 0;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** A Halo date as ISO 8601 UTC (whole seconds), or null where Halo holds no date. */
export function isoUtc(value: unknown): string | null {
  const time = haloTime(value);
  return time === undefined ? null : `${new Date(time).toISOString().slice(0, 19)}Z`;
}

/** Text worth showing, or null for nothing. */
/** A JSON object, as opposed to an array, null or a scalar: what a record of Halo's is. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** An id Halo holds, or null where it holds none (0 or missing). */
export function optionalId(value: unknown): number | null {
  return typeof value === 'number' && value > 0 ? value : null;
}

/** Hours as Halo stores them, rounded to the minute. */
export function hours(value: unknown): number {
  if (typeof value !== 'number') return 0;
  const minutes = Math.round(value * 60);
  // An absurd figure overflows to Infinity, which JSON writes as null; so large a figure has no minutes to round.
  return Number.isFinite(minutes) ? minutes / 60 : value;
}
