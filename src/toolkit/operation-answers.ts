/**
 * Halo's answers to the gateway, shown as the curated tools show theirs: a list as a page of items
 * with its total and a cursor to the next page, within the size budget; each record without the
 * fields that hold nothing, references as `{id, name}` where Halo sends the name beside the id
 * (`client_id` with `client_name`), HTML as text, dates as ISO 8601 UTC. What is left out is said
 * in the answer, never dropped silently. Halo pages the lists of the operations that declare
 * `pageinate`; the others come whole and are paged here.
 */
import type { Query } from '../halo/client.js';
import type { Operation } from '../openapi/types.js';
import type { TextShaper } from './html-text.js';
import { itemsWithinBudget, recordWithinBudget } from './budget.js';
import { decodeCursor, encodeCursor, type PagePosition } from './cursor.js';
import { fenced } from './untrusted.js';
import { haloTime, isRecord, isoUtc } from './values.js';

type JsonRecord = Record<string, unknown>;

/** A page of a list when the call names no page size of its own, as the curated lists default. */
const DEFAULT_PAGE_SIZE = 25;
/** How much text an HTML field of a list's item, or of a single record, shows before its marker. */
const LIST_TEXT_CHARS = 500;
const RECORD_TEXT_CHARS = 4_000;

/** What a tidied answer says it left out, once for the whole answer. */
export const EMPTY_LEFT_OUT = 'fields without a value (null, "", [], {}, id 0, Halo\'s 1900 "no date")';

/** A date-time as Halo writes it: the time part tells it from a plain date, which is left as it is. */
const HALO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
/** Halo's "no date": midnight on a day before 1901 (1900-01-01, 1899-12-30, 0001-01-01). */
const NO_DATE = /^(0001|1[0-8]\d\d|1900)-\d{2}-\d{2}(?:[T ]00:00(?::00(?:\.0+)?)?)?(?:Z|[+-]00:?00)?$/;
/** Text holding an HTML element: Halo's rich text fields (a ticket's details, a note). */
const HTML_TAG = /<\/?(?:p|br|div|span|b|i|u|strong|em|ul|ol|li|table|tr|td|th|h[1-6]|a|img|font|blockquote|pre|hr)\b[^<>]*>/i;

/**
 * The reference an id field makes with the name Halo sends beside it: `client_id` with
 * `client_name` becomes `client`, unless the record has a field `client` of its own; `team_id`
 * with the text `team` becomes `team`.
 */
function referenceAt(record: JsonRecord, field: string): { key: string; name: string; nameField: string } | undefined {
  const key = /^(.+)_id$/.exec(field)?.[1];
  const id = record[field];
  if (!key || typeof id !== 'number' || id <= 0) return undefined;
  const named = (nameField: string) => {
    const name = record[nameField];
    return typeof name === 'string' && name.trim() !== '' ? { key, name, nameField } : undefined;
  };
  return (Object.hasOwn(record, key) ? undefined : named(`${key}_name`)) ?? named(key);
}

/** Tidies records and counts what it left out. */
class Tidier {
  emptied = 0;
  constructor(
    private readonly text: TextShaper,
    private readonly textChars: number,
  ) {}

  /** A value without what holds nothing; undefined when nothing is left of it. */
  value(value: unknown, name = ''): unknown {
    if (value === null || value === undefined) return this.empty();
    if (typeof value === 'string') return this.string(value);
    if (typeof value === 'number') return value === 0 && (name === 'id' || name.endsWith('_id')) ? this.empty() : value;
    if (Array.isArray(value)) {
      const kept = value.map((item) => this.value(item)).filter((item) => item !== undefined);
      return kept.length === 0 ? this.empty() : kept;
    }
    if (isRecord(value)) {
      const record = this.record(value);
      return Object.keys(record).length === 0 ? this.empty() : record;
    }
    return value;
  }

  /** A record tidied field by field, each `x_id` beside its `x_name` (or a text `x`) made one reference `x: {id, name}`. */
  record(record: JsonRecord): JsonRecord {
    const references = new Map<string, { key: string; name: string }>();
    const names = new Set<string>();
    for (const field of Object.keys(record)) {
      const reference = referenceAt(record, field);
      if (reference) {
        references.set(field, { key: reference.key, name: reference.name });
        names.add(reference.nameField);
      }
    }
    const out: JsonRecord = {};
    for (const [field, raw] of Object.entries(record)) {
      const reference = references.get(field);
      if (reference) out[reference.key] = { id: raw, name: reference.name };
      else if (!names.has(field)) {
        const value = this.value(raw, field);
        if (value !== undefined) out[field] = value;
      }
    }
    return out;
  }

  private string(value: string): unknown {
    if (value.trim() === '') return this.empty();
    if (NO_DATE.test(value)) return this.empty();
    // A time of day Halo keeps on 1901-01-01 is no instant: it is shown as Halo wrote it.
    if (HALO_DATE_TIME.test(value)) return haloTime(value) === undefined ? value : isoUtc(value);
    if (HTML_TAG.test(value)) return fenced(this.text.fromHtml(value, this.textChars)) || this.empty();
    return value;
  }

  // Typed as a value, as it stands for the value a field no longer has.
  private empty(): unknown {
    this.emptied++;
    return undefined;
  }
}

/** The paging of one gateway GET: what to ask Halo for, and where the page starts. */
export interface GatewayPaging {
  /** The query to send: with Halo's paging where the operation takes it. */
  query: Query;
  position: PagePosition;
  /** Halo pages the list; otherwise it comes whole and is paged here. */
  haloPages: boolean;
  /** The fingerprint of the call, which its cursors carry. */
  key: string;
}

const positiveInteger = (value: unknown): number | undefined => {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
};

/**
 * Where a GET's page starts: at the cursor, else at the call's own page_no and page_size, else at
 * the first page. An operation that declares Halo's paging is asked for one page (`pageinate`),
 * unless the call turns it off with `pageinate: false`.
 */
export function gatewayPaging(operation: Operation, query: Query, cursor: string | undefined, key: string): GatewayPaging {
  const declares = (name: string) => operation.query.some((param) => param.name === name);
  const haloPages = declares('pageinate') && declares('page_no') && declares('page_size') && query.pageinate !== false && query.pageinate !== 'false';
  const position: PagePosition = cursor
    ? decodeCursor(cursor, key)
    : { page: (haloPages ? positiveInteger(query.page_no) : undefined) ?? 1, size: (haloPages ? positiveInteger(query.page_size) : undefined) ?? DEFAULT_PAGE_SIZE, skip: 0 };
  return { query: haloPages ? { ...query, pageinate: true, page_size: position.size, page_no: position.page } : query, position, haloPages, key };
}

/** An answer's list: its records, Halo's count of all, and the rest of its envelope. */
interface FoundList {
  items: unknown[];
  recordCount: number | undefined;
  envelope: JsonRecord;
}

/**
 * The list an answer holds: a bare array, or an envelope (`{record_count, tickets: [...]}`) with
 * its longest array. A record's own arrays (a ticket's custom fields) do not make it a list: an
 * object with an id and no record_count is a record.
 */
function foundList(answer: unknown): FoundList | undefined {
  if (Array.isArray(answer)) return { items: answer, recordCount: undefined, envelope: {} };
  if (!isRecord(answer)) return undefined;
  const counted = typeof answer.record_count === 'number';
  if (!counted && Object.hasOwn(answer, 'id')) return undefined;
  const arrays = Object.keys(answer).filter((name) => Array.isArray(answer[name]) && (counted || (answer[name] as unknown[]).length > 0));
  // The records' array, before one of names or numbers beside it (an empty page's `columns`).
  const ofRecords = (name: string) => ((answer[name] as unknown[]).every(isRecord) ? 1 : 0);
  const key = arrays.sort((a, b) => ofRecords(b) - ofRecords(a) || JSON.stringify(answer[b]).length - JSON.stringify(answer[a]).length)[0];
  if (!key) return undefined;
  // Halo's own paging fields are replaced by the cursor and the total.
  const { [key]: items, record_count: recordCount, page_no: _page, page_size: _size, ...envelope } = answer;
  return { items: items as unknown[], recordCount: counted ? (recordCount as number) : undefined, envelope };
}

export interface AnswerOptions {
  maxChars: number;
  text: TextShaper;
  /** The page a GET asked for; a POST's answer is not paged, as it cannot be asked for again. */
  paging?: GatewayPaging;
}

/** A record within the budget, saying what a cut left out (the gateway has no `fields` to ask for it). */
function recordInBudget(record: JsonRecord, budget: number): JsonRecord {
  const kept = recordWithinBudget(record, budget);
  return kept === record ? record : { ...kept, note: `The record exceeds the ${budget}-character budget; the fields in omitted_fields were left out.` };
}

/**
 * Halo's answer as the gateway shows it: a list as `{items, total, next_cursor}`, a record as
 * `{result}` tidied, anything else as it is, within the budget; `left_out` says what tidying left
 * out.
 */
export function shapeAnswer(answer: unknown, options: AnswerOptions): JsonRecord {
  const list = foundList(answer);
  if (list && list.items.every(isRecord)) return shapeList(list, options);
  if (isRecord(answer)) {
    const tidier = new Tidier(options.text, RECORD_TEXT_CHARS);
    const record = tidier.record(answer);
    return { ...leftOut(tidier), result: recordInBudget(record, options.maxChars - 300) };
  }
  return fitOther(answer ?? null, options.maxChars);
}

function leftOut(tidier: Tidier): JsonRecord {
  return tidier.emptied > 0 ? { left_out: `${tidier.emptied} ${EMPTY_LEFT_OUT}` } : {};
}

function shapeList(list: FoundList, options: AnswerOptions): JsonRecord {
  const tidier = new Tidier(options.text, LIST_TEXT_CHARS);
  const { paging } = options;
  const position = paging?.position ?? { page: 1, size: list.items.length, skip: 0 };
  // Halo sent one page; a list that came whole is cut to the page here.
  const span = paging?.haloPages ? list.items.slice(position.skip) : list.items.slice(position.skip, paging ? position.skip + position.size : undefined);
  const envelope = Object.keys(list.envelope).length > 0 ? tidier.value(list.envelope) : undefined;
  const budget = options.maxChars - 300 - (envelope === undefined ? 0 : JSON.stringify(envelope).length);
  const page = span.map((item) => recordInBudget(tidier.record(item as JsonRecord), budget));
  const shown = page.slice(0, itemsWithinBudget(page, budget));
  const consumed = position.skip + shown.length;
  let total: number;
  let next: PagePosition | undefined;
  let totalNote: string | undefined;
  if (paging?.haloPages) {
    const before = (position.page - 1) * position.size;
    total = list.recordCount ?? before + list.items.length;
    const morePages = list.recordCount === undefined ? list.items.length >= position.size : position.page * position.size < list.recordCount;
    if (consumed < list.items.length) next = { ...position, skip: consumed };
    else if (morePages) next = { page: position.page + 1, size: position.size, skip: 0 };
    if (list.recordCount === undefined && morePages) totalNote = 'Halo did not say how many there are in all: total counts those up to this page, and next_cursor reads on.';
  } else {
    total = list.items.length;
    if (paging && consumed < list.items.length) next = { ...position, skip: consumed };
  }
  const cut = !paging && shown.length < list.items.length;
  return {
    ...leftOut(tidier),
    items: shown,
    total,
    next_cursor: next && paging ? encodeCursor(next, paging.key) : null,
    ...(totalNote ? { total_note: totalNote } : {}),
    ...(cut ? { note: `${shown.length} of ${list.items.length} records shown to stay within the size budget.` } : {}),
    ...(envelope === undefined ? {} : { envelope }),
  };
}

/** A text, or a list of values that are not records, within the budget. */
function fitOther(answer: unknown, maxChars: number): JsonRecord {
  if (JSON.stringify(answer).length <= maxChars - 300) return { result: answer };
  if (typeof answer === 'string') {
    const shown = answer.slice(0, maxChars - 600);
    return { result: shown, note: `The answer has ${answer.length} characters; the first ${shown.length} are shown to stay within the size budget.` };
  }
  if (Array.isArray(answer)) {
    const kept = answer.slice(0, itemsWithinBudget(answer, maxChars - 300));
    return { result: kept, note: `${kept.length} of ${answer.length} values shown to stay within the size budget.` };
  }
  return { result: answer };
}
