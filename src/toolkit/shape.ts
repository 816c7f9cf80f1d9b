/**
 * Output shaping shared by every tool: HTML to plain text, truncation with a marker, references as
 * `{id, name}`, dates as ISO 8601 UTC, and a size budget that cuts a list to a page with a cursor
 * (or a record to the fields that fit) instead of failing.
 */
import { decodeCursor, encodeCursor, queryKey, type PagePosition } from './cursor.js';
import type { Query, RecordPath } from '../halo/client.js';
import { withoutSecrets } from './secrets.js';
import type { ToolContext } from '../mcp/tool.js';
import { visibleText } from './untrusted.js';

export interface TextShaper {
  /** Plain text of Halo's HTML as a person sees it (hidden content and invisible characters removed), cut to `maxChars` with a marker. */
  fromHtml(html: unknown, maxChars: number): string;
}

type Compile = (options: object) => (html: string) => string;

let shaper: Promise<TextShaper> | undefined;

/**
 * html-to-text and the HTML parser are loaded with the first tool call or resource read rather
 * than at start-up: a server that is only started and listed never pays for them.
 */
export function loadTextShaper(): Promise<TextShaper> {
  shaper ??= Promise.all([import('html-to-text'), import('./visible-html.js')]).then(([module, { visibleHtml }]) => {
    // Compiled once: converting with the options compiles them again on every call, which took most of its time.
    const convert = (module.compile as Compile)(HTML_OPTIONS);
    return {
      fromHtml(html: unknown, maxChars: number): string {
        if (typeof html !== 'string' || html.trim() === '') return '';
        try {
          // Hidden content goes before the conversion, invisible characters (entities included) after it.
          const visible = visibleHtml(html);
          const text = visibleText(convert(visible.html))
            .replace(/[ \t]+\n/g, '\n')
            .replace(/\n{3,}/g, '\n\n')
            .trim();
          return truncate([...visible.notes, text].filter((part) => part !== '').join('\n'), maxChars);
        } catch {
          // One text a customer wrote must not make the record, or the history it belongs to, unreadable.
          return UNSHOWABLE_TEXT;
        }
      },
    };
  });
  return shaper;
}

/** Stands for a text that could not be turned from HTML into text. */
export const UNSHOWABLE_TEXT = '[This text could not be shown: its HTML could not be read.]';

const HTML_OPTIONS = {
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'head', format: 'skip' },
    // Email signatures are full of links; their addresses cost tokens and rarely matter.
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false, maxColumnWidth: 40 } },
    { selector: 'ul', options: { itemPrefix: '- ' } },
  ],
};

/** Cuts text to `maxChars`, saying how much was left out. */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const kept = text.slice(0, Math.max(0, maxChars)).trimEnd();
  return `${kept} … [${text.length - kept.length} more characters]`;
}

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

/** Adds the named raw fields of a record (the `fields` argument) to its projection, secrets replaced (see secrets.ts). */
export function withFields<T extends object>(projection: T, record: Record<string, unknown>, fields: readonly string[] | undefined): T {
  if (!fields || fields.length === 0) return projection;
  // Own fields only: `in` would find "constructor" or "toString" on every record and drop them silently.
  const present = fields.filter((field) => Object.hasOwn(record, field));
  const missing = fields.filter((field) => !Object.hasOwn(record, field));
  // fromEntries defines each key, so a field named "__proto__" is kept rather than setting a prototype.
  const extra = withoutSecrets(Object.fromEntries(present.map((field) => [field, record[field]])));
  // The names of missing fields come before the extra values, so that a cut to the size budget drops a bulky value rather than them.
  return { ...projection, ...(missing.length > 0 ? { missing_fields: missing } : {}), ...extra };
}

function jsonLength(value: unknown): number {
  return JSON.stringify(value).length;
}

/** Room kept for the list wrapper (`total`, `next_cursor`) around its items. */
const LIST_OVERHEAD = 120;

/** How many of the items fit in the budget; at least one, so that a page always makes progress. */
export function itemsWithinBudget(items: readonly unknown[], maxChars: number): number {
  let used = LIST_OVERHEAD;
  for (let index = 0; index < items.length; index++) {
    used += jsonLength(items[index]) + 1;
    if (used > maxChars) return Math.max(1, index);
  }
  return items.length;
}

/**
 * A record within the budget: as it is when it fits, otherwise the fields that fit, in order, with
 * the names of those left out so a caller can ask for them with `fields`.
 */
export function recordWithinBudget(record: Record<string, unknown>, maxChars: number): Record<string, unknown> {
  if (jsonLength(record) <= maxChars) return record;
  const kept: Record<string, unknown> = {};
  const omitted: string[] = [];
  let used = 200;
  for (const [field, value] of Object.entries(record)) {
    const size = field.length + jsonLength(value) + 4;
    if (used + size <= maxChars) {
      kept[field] = value;
      used += size;
    } else {
      omitted.push(field);
    }
  }
  return { ...kept, omitted_fields: omitted, note: `The record exceeds the ${maxChars}-character budget; ask for omitted fields with "fields".` };
}

/**
 * What a get tool answers: the record's projection, or with `format: "full"` the raw record (its
 * secrets replaced), with the raw fields asked for by name, within the size budget. The projection
 * is made only if used.
 */
export function recordAnswer(
  record: Record<string, unknown>,
  args: { format?: string | undefined; fields?: readonly string[] | undefined },
  detail: () => Record<string, unknown>,
  maxChars: number,
): Record<string, unknown> {
  return recordWithinBudget(withFields(args.format === 'full' ? withoutSecrets(record) : detail(), record, args.fields), maxChars);
}

// A type rather than an interface, so that a page is assignable to the record its output schema describes.
export type ListPage<T> = {
  items: T[];
  /** All matches in Halo, across pages. */
  total: number;
  /** Pass back as `cursor` for the next page; null on the last one. */
  next_cursor: string | null;
};

export interface PagedListOptions<T> {
  tool: string;
  /** The tool's arguments: they fingerprint the cursor. */
  args: { cursor?: string | undefined; limit: number } & Record<string, unknown>;
  path: RecordPath;
  query: Query;
  project: (record: Record<string, unknown>) => T;
}

/** One page of a Halo list for a tool, with the cursor to the next, within the size budget. */
export async function pagedList<T>(context: ToolContext, options: PagedListOptions<T>): Promise<ListPage<T>> {
  const key = queryKey(options.tool, options.args);
  const position: PagePosition = options.args.cursor ? decodeCursor(options.args.cursor, key) : { page: 1, size: options.args.limit, skip: 0 };
  const { items: records, total } = await context.halo.list(
    options.path,
    { ...options.query, pageinate: true, page_size: position.size, page_no: position.page },
    { signal: context.signal },
  );
  const projected = records.slice(position.skip).map(options.project);
  const shown = projected.slice(0, itemsWithinBudget(projected, context.settings.maxResultChars));
  const consumed = position.skip + shown.length;
  let next: PagePosition | undefined;
  if (consumed < records.length) next = { ...position, skip: consumed };
  else if (position.page * position.size < total) next = { page: position.page + 1, size: position.size, skip: 0 };
  return { items: shown, total, next_cursor: next ? encodeCursor(next, key) : null };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text a model wrote, as the HTML Halo stores: paragraphs and line breaks kept, markup escaped. */
export function plainToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/**
 * One page of a list held whole in memory (Halo does not page actions or reference data): the
 * cursor is an offset into it. With `project`, only the page is projected: a history of a
 * thousand actions is not turned into text to show ten of them.
 */
export function arrayPage<Item, Shown = Item>(
  items: readonly Item[],
  context: ToolContext,
  options: { tool: string; args: PagedListOptions<Shown>['args']; project?: (item: Item) => Shown },
): ListPage<Shown> {
  const key = queryKey(options.tool, options.args);
  const offset = options.args.cursor ? decodeCursor(options.args.cursor, key).skip : 0;
  const { project } = options;
  const span = items.slice(offset, offset + options.args.limit);
  // Without `project` the items are shown as they are, so Shown is Item.
  const page = project ? span.map(project) : (span as unknown as Shown[]);
  const shown = page.slice(0, itemsWithinBudget(page, context.settings.maxResultChars));
  const next = offset + shown.length;
  return { items: shown, total: items.length, next_cursor: next < items.length ? encodeCursor({ page: 1, size: options.args.limit, skip: next }, key) : null };
}
