/** Helpers the resource definitions share: reference checks, denormalised names and plain text. */
import type { Store } from '../store.js';

/** How the sandbox classifies a status (its own convention for Halo's status `type`). */
export const STATUS_TYPE = { open: 0, closed: 1, onHold: 2 } as const;

export function isClosedStatus(store: Store, statusId: unknown): boolean {
  const status = typeof statusId === 'number' ? store.collection('statuses').get(statusId) : undefined;
  return status?.type === STATUS_TYPE.closed;
}

/**
 * The closing fields a change of status sets: entering a closed status stamps `dateclosed` and
 * `hasbeenclosed`, staying closed keeps them, and any open status clears `dateclosed`.
 */
export function closureFields(store: Store, fromStatus: unknown, toStatus: unknown, stamp: string): { dateclosed?: string | null; hasbeenclosed?: true } {
  const closed = isClosedStatus(store, toStatus);
  if (!closed) return { dateclosed: null };
  return isClosedStatus(store, fromStatus) ? {} : { dateclosed: stamp, hasbeenclosed: true };
}

export function nameOf(store: Store, collection: string, id: unknown, field = 'name'): string {
  if (typeof id !== 'number') return '';
  const value = store.collection(collection).get(id)?.[field];
  return typeof value === 'string' ? value : '';
}

/** An id field of a posted record, if it is a whole number (Halo rejects `95.0`-style ids). */
export function idField(input: Record<string, unknown>, field: string): number | undefined {
  const value = input[field];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** Halo's message for a reference to a record that does not exist. */
export function missingReference(what: string, id: unknown): string {
  return `${what} ${String(id)} does not exist or you do not have access to it.`;
}

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

/** Body fields that steer Halo's processing and are never stored (`_novalidate`, `_recover`, ...). */
export function withoutControlFlags(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!key.startsWith('_') && key !== 'donotapplytemplateintheapi') out[key] = value;
  }
  return out;
}

/** The plain text Halo keeps beside an HTML note, good enough for search and list previews. */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<(style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}

const plainTextCache = new Map<string, string>();
const PLAIN_TEXT_CACHE_LIMIT = 20_000;

/**
 * `htmlToPlain`, remembered: seeded tickets share a pool of bodies, so searching 100,000 of them
 * converts a few hundred distinct texts rather than every record.
 */
export function plainTextOf(html: string): string {
  let text = plainTextCache.get(html);
  if (text === undefined) {
    text = htmlToPlain(html);
    if (plainTextCache.size >= PLAIN_TEXT_CACHE_LIMIT) plainTextCache.clear();
    plainTextCache.set(html, text);
  }
  return text;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function iso(date: Date): string {
  return date.toISOString();
}
