/**
 * Dates as people write them, read in the configured time zone: ISO dates and times, ranges
 * `A..B`, and relative phrases ("today", "last 7 days", "this month"). Outputs are UTC instants.
 */
import { ToolInputError } from './errors.js';

export interface DateRange {
  from?: Date;
  to?: Date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      // Without the era, the year 1 BC (year 0 in ISO) would read as the year 1.
      era: 'short',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Throws a RangeError for a time zone the platform does not know. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Monday ... 6 = Sunday. */
  weekday: number;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function zonedParts(instant: number, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  return {
    year: parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Mon'),
  };
}

/** The Gregorian calendar repeats every 400 years, which is this many milliseconds. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

/** Date.UTC for every year: Date.UTC itself reads the years 0 to 99 as 1900 to 1999. */
function utc(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year + 400, monthIndex, day, hour, minute, second) - FOUR_CENTURIES_MS;
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetMs(instant: number, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  return utc(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the zone's wall clock shows the given time (the later one if a DST change repeats it). */
function zonedTime(year: number, month: number, day: number, timeZone: string, hour = 0, minute = 0, second = 0): Date {
  const wall = utc(year, month - 1, day, hour, minute, second);
  const guess = wall - offsetMs(wall, timeZone);
  // The offset at the guess is the right one unless a DST change lies between the two instants.
  return new Date(wall - offsetMs(guess, timeZone));
}

/** The calendar day (`2026-11-03`) an instant falls on in a time zone. */
export function calendarDay(instant: Date, timeZone: string): string {
  const { year, month, day } = zonedParts(instant.getTime(), timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function startOfDay(instant: number, timeZone: string, addDays = 0): Date {
  const p = zonedParts(instant, timeZone);
  return zonedTime(p.year, p.month, p.day + addDays, timeZone);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;
const UNITS: Record<string, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

/** Whether the numbers name a real calendar day and time (not 2026-02-30 or 25:00). */
function realDate(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): boolean {
  const date = new Date(utc(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

/** One end of a range: a day (its start, or with `end` its end), or an instant. */
function parsePoint(text: string, timeZone: string, end: boolean): Date | undefined {
  const date = DATE.exec(text);
  if (date && !realDate(Number(date[1]), Number(date[2]), Number(date[3]))) return undefined;
  if (date) {
    const start = zonedTime(Number(date[1]), Number(date[2]), Number(date[3]), timeZone);
    return end ? new Date(zonedTime(Number(date[1]), Number(date[2]), Number(date[3]) + 1, timeZone).getTime() - 1) : start;
  }
  const dateTime = DATE_TIME.exec(text);
  if (dateTime && !realDate(Number(dateTime[1]), Number(dateTime[2]), Number(dateTime[3]), Number(dateTime[4]), Number(dateTime[5]), Number(dateTime[6] ?? 0))) return undefined;
  if (dateTime) {
    if (dateTime[7]) {
      const parsed = Date.parse(text.replace(' ', 'T'));
      return Number.isNaN(parsed) ? undefined : new Date(parsed);
    }
    return zonedTime(Number(dateTime[1]), Number(dateTime[2]), Number(dateTime[3]), timeZone, Number(dateTime[4]), Number(dateTime[5]), Number(dateTime[6] ?? 0));
  }
  return undefined;
}

function relative(text: string, timeZone: string, now: number): DateRange | undefined {
  const today = startOfDay(now, timeZone);
  const dayAfter = (date: Date) => startOfDay(date.getTime(), timeZone, 1);
  const before = (date: Date) => new Date(date.getTime() - 1);
  switch (text) {
    case 'today':
      return { from: today, to: before(dayAfter(today)) };
    case 'yesterday': {
      const yesterday = startOfDay(now, timeZone, -1);
      return { from: yesterday, to: before(today) };
    }
    case 'this week': {
      const monday = startOfDay(now, timeZone, -zonedParts(now, timeZone).weekday);
      return { from: monday, to: new Date(now) };
    }
    case 'last week': {
      const monday = startOfDay(now, timeZone, -zonedParts(now, timeZone).weekday);
      return { from: startOfDay(monday.getTime(), timeZone, -7), to: before(monday) };
    }
    case 'this month': {
      const p = zonedParts(now, timeZone);
      return { from: zonedTime(p.year, p.month, 1, timeZone), to: new Date(now) };
    }
    case 'last month': {
      const p = zonedParts(now, timeZone);
      const first = zonedTime(p.year, p.month, 1, timeZone);
      return { from: zonedTime(p.year, p.month - 1, 1, timeZone), to: before(first) };
    }
    default:
      break;
  }
  const last = /^(?:last|past) (\d+) (hour|day|week|month)s?$/.exec(text);
  if (!last) return undefined;
  const amount = Number(last[1]);
  const unit = last[2] ?? 'day';
  if (amount < 1) return undefined;
  // Far enough for any real question; beyond it the arithmetic leaves the range of a Date and throws.
  if (amount > 1_000_000) throw outOfRange(text);
  if (unit === 'hour') return { from: new Date(now - amount * (UNITS.hour ?? 0)), to: new Date(now) };
  if (unit === 'month') {
    const p = zonedParts(now, timeZone);
    return { from: zonedTime(p.year, p.month - amount, p.day, timeZone), to: new Date(now) };
  }
  // "last 7 days" is today and the six days before it.
  const days = unit === 'week' ? amount * 7 : amount;
  return { from: startOfDay(now, timeZone, -(days - 1)), to: new Date(now) };
}

function outOfRange(input: string): ToolInputError {
  return new ToolInputError(`"${input}" reaches beyond the years 1 to 9999 that an ISO date can name.`);
}

/** A range whose ends an ISO date can write (a four-digit year), or the error that says it cannot. */
function writable(range: DateRange, input: string): DateRange {
  const fits = (date: Date | undefined) => date === undefined || (date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999);
  if (!fits(range.from) || !fits(range.to)) throw outOfRange(input);
  return range;
}

/** Reads a date or range; throws a ToolInputError that shows the accepted forms. */
/** Whether an instant (ms) falls in a range, its ends included; a range open at an end takes everything on that side. */
export function inDateRange(range: DateRange, instant: number | undefined): boolean {
  return instant !== undefined && (range.from === undefined || instant >= range.from.getTime()) && (range.to === undefined || instant <= range.to.getTime());
}

export function parseDateRange(input: string, timeZone: string, now = Date.now()): DateRange {
  const text = input.trim().toLowerCase().replace(/\s+/g, ' ');
  const phrase = relative(text, timeZone, now);
  if (phrase) return writable(phrase, input);
  const range = /^(.*?)\s*\.\.\s*(.*)$/.exec(text);
  if (range) {
    const from = range[1] ? parsePoint(range[1].toUpperCase(), timeZone, false) : undefined;
    const to = range[2] ? parsePoint(range[2].toUpperCase(), timeZone, true) : undefined;
    const fromOk = !range[1] || from !== undefined;
    const toOk = !range[2] || to !== undefined;
    if (fromOk && toOk && (from || to)) {
      if (from && to && from > to) throw new ToolInputError(`The range "${input}" ends before it starts.`);
      return writable({ ...(from ? { from } : {}), ...(to ? { to } : {}) }, input);
    }
  } else {
    const from = parsePoint(text.toUpperCase(), timeZone, false);
    if (from) return writable(DATE.test(text) ? { from, to: parsePoint(text, timeZone, true) ?? from } : { from }, input);
  }
  throw new ToolInputError(
    `"${input}" is not a date Halo tools understand. Use an ISO date (2026-11-03), a range (2026-11-01..2026-11-15, 2026-11-01..), or: today, yesterday, this week, last week, this month, last month, last N hours/days/weeks/months.`,
  );
}
