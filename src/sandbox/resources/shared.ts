/** Helpers the resource definitions share: reference checks, denormalised names and plain text. */
import type { Store } from '../store.js';

// Halo behaviour: docs/halo-behaviour.md#status-types
/** How the sandbox classifies a status (its own convention for Halo's status `type`). */
export const STATUS_TYPE = { open: 0, closed: 1, onHold: 2 } as const;

// Halo behaviour: docs/halo-behaviour.md#mandatory-fields-per-ticket-type
/**
 * How the sandbox marks a field a ticket type makes mandatory for agents: its `fields` entry has
 * `technew` 2 (its own convention for a number the document does not describe).
 */
export const MANDATORY = 2;

export function isClosedStatus(store: Store, statusId: unknown): boolean {
  const status = typeof statusId === 'number' ? store.collection('statuses').get(statusId) : undefined;
  return status?.type === STATUS_TYPE.closed;
}

/**
 * The closing fields a change of status sets: entering a closed status stamps `dateclosed` and
 * `hasbeenclosed`, staying closed keeps them, and any open status clears `dateclosed` to Halo's "no date".
 */
export function closureFields(store: Store, fromStatus: unknown, toStatus: unknown, stamp: string): { dateclosed?: string; hasbeenclosed?: true } {
  const closed = isClosedStatus(store, toStatus);
  // Halo behaviour: docs/halo-behaviour.md#no-date-1900
  if (!closed) return { dateclosed: NO_DATE };
  return isClosedStatus(store, fromStatus) ? {} : { dateclosed: stamp, hasbeenclosed: true };
}

export function nameOf(store: Store, collection: string, id: unknown, field = 'name'): string {
  if (typeof id !== 'number') return '';
  const value = store.collection(collection).get(id)?.[field];
  return typeof value === 'string' ? value : '';
}

// Halo behaviour: docs/halo-behaviour.md#integer-ids
/** An id field of a posted record, if it is a whole number (Halo rejects `95.0`-style ids). */
export function idField(input: Record<string, unknown>, field: string): number | undefined {
  const value = input[field];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

// Halo behaviour: docs/halo-behaviour.md#business-error-body
/** The body of Halo's answer to a request its business rules refuse: a serialised .NET exception. */
export function haloException(message: string): { ClassName: string; Message: string } {
  return { ClassName: 'System.Exception', Message: message };
}

// Halo behaviour: docs/halo-behaviour.md#validation-rules
/** Halo's message for a reference to a record that does not exist. */
export function missingReference(what: string, id: unknown): string {
  return `${what} ${String(id)} does not exist or you do not have access to it.`;
}

// Halo behaviour: docs/halo-behaviour.md#integer-ids
// Halo behaviour: docs/halo-behaviour.md#validation-rules
/**
 * Checks that each named id field of the input refers to an existing record.
 * Returns Halo's message for the first that does not.
 */
export function checkReferences(
  store: Store,
  input: Record<string, unknown>,
  references: Record<string, { collection: string; label: string; allowZero?: boolean }>,
): string | undefined {
  for (const [field, { collection, label, allowZero }] of Object.entries(references)) {
    if (!(field in input) || input[field] === null) continue;
    const id = input[field];
    if (typeof id !== 'number' || !Number.isInteger(id)) return `The value '${JSON.stringify(id)}' is not valid for ${field}.`;
    if (allowZero && id <= 0) continue;
    if (!store.collection(collection).get(id)) return missingReference(label, id);
  }
  return undefined;
}

// Halo behaviour: docs/halo-behaviour.md#upsert-post
/** Body fields that steer Halo's processing and are never stored (`_novalidate`, `_recover`, ...). */
export function withoutControlFlags(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!key.startsWith('_') && key !== 'donotapplytemplateintheapi') out[key] = value;
  }
  return out;
}

/** The few entities Halo's editors write, as the characters they stand for. */
function decodeEntities(text: string): string {
  return text.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// Halo behaviour: docs/halo-behaviour.md#html-fields
/**
 * Readable text of HTML, a line per paragraph: what the sandbox searches and previews (a ticket's
 * details, an article's body), where words of two paragraphs must not run together.
 */
export function htmlToPlain(html: string): string {
  return decodeEntities(
    html
      .replace(/<(style|head)[\s\S]*?<\/\1>/gi, '')
      .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
      .replace(/<[^>]+>/g, ''),
  )
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}

// Halo behaviour: docs/halo-behaviour.md#note-from-html
/**
 * The plain `note` Halo rebuilds from an action's `note_html`: the tags dropped and nothing put in
 * their place, so paragraphs and lines run together (`<p>Hi</p><p>Done</p>` is `HiDone`).
 */
export function noteFromHtml(html: string): string {
  return decodeEntities(html.replace(/<[^>]+>/g, ''));
}

const CONVERSION_CACHE_LIMIT = 20_000;

/**
 * A conversion remembered: seeded tickets share a pool of bodies, so seeding or searching 100,000
 * of them converts a few hundred distinct texts rather than every record.
 */
function remembered(convert: (html: string) => string): (html: string) => string {
  const cache = new Map<string, string>();
  return (html) => {
    let text = cache.get(html);
    if (text === undefined) {
      text = convert(html);
      if (cache.size >= CONVERSION_CACHE_LIMIT) cache.clear();
      cache.set(html, text);
    }
    return text;
  };
}

/** `htmlToPlain`, remembered. */
export const plainTextOf = remembered(htmlToPlain);

/** `noteFromHtml`, remembered. */
export const noteTextOf = remembered(noteFromHtml);

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Halo behaviour: docs/halo-behaviour.md#no-date-1900
/** What Halo writes for a date it does not hold (a ticket not closed, no deadline). */
export const NO_DATE = '1900-01-01T00:00:00';

/**
 * How a stored DateTime carries its zone when Halo serialises it: `Z` for one known to be UTC,
 * nothing for one of unspecified kind, `+00:00` for the server's local time (UTC on Halo's hosts).
 */
export type DateKind = 'utc' | 'unspecified' | 'local';

const ZONE_OF: Record<DateKind, string> = { utc: 'Z', unspecified: '', local: '+00:00' };

// Halo behaviour: docs/halo-behaviour.md#date-forms
/**
 * An instant as Halo's JSON writes it: whole seconds, a fraction without its trailing zeros, then
 * the zone of its kind. A UTC value carries .NET's seven digits (ticks of 100 ns, `extraTicks`
 * below the millisecond); the others carry SQL Server's milliseconds at most.
 */
export function haloDateTime(ms: number, kind: DateKind, extraTicks = 0): string {
  return haloFormOfIso(new Date(ms).toISOString(), kind, extraTicks);
}

/** `haloDateTime` of a time JavaScript already wrote (`toISOString`), without parsing it again. */
export function haloFormOfIso(isoText: string, kind: DateKind, extraTicks = 0): string {
  let places = kind === 'utc' ? 7 : 3;
  let fraction = kind === 'utc' ? Number(isoText.slice(20, 23)) * 10_000 + extraTicks : Number(isoText.slice(20, 23));
  // Arithmetic rather than text: a tenant at scale seeds a million of these.
  while (places > 0 && fraction % 10 === 0) {
    fraction /= 10;
    places--;
  }
  return `${isoText.slice(0, 19)}${places > 0 ? `.${String(fraction).padStart(places, '0')}` : ''}${ZONE_OF[kind]}`;
}

/** A time the sandbox stamps on a write, as Halo stamps one: in UTC, and saying so. */
export function iso(date: Date): string {
  return haloDateTime(date.getTime(), 'utc');
}

const HALO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Instants before this are Halo's ways of saying "no date": 1900-01-01, 1899-12-30, 0001-01-01, a time of day on 1901-01-01. */
const FIRST_REAL_DATE = Date.UTC(1902, 0, 1);

// Halo behaviour: docs/halo-behaviour.md#date-forms
/** The instant a date as Halo writes it names, "no date" values included; a time without a zone is UTC. */
export function haloInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = HALO_DATE.exec(value.trim());
  if (!parts) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = ''] = parts;
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offsetMinutes = /^[+-]/.test(zone) ? (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2))) : 0;
  const time = wall - offsetMinutes * 60_000;
  return Number.isNaN(time) ? undefined : time;
}

/**
 * The instant a Halo date names, or undefined for no date or text that is not one. A time without
 * a zone is UTC, as Halo means it; Date.parse would read it in the machine's own time zone.
 */
export function parseHaloDate(value: unknown): number | undefined {
  const time = haloInstant(value);
  return time === undefined || time < FIRST_REAL_DATE ? undefined : time;
}
