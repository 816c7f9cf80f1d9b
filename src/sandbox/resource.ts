/**
 * How the sandbox serves one Halo resource: which table it reads, how its list answers (envelope
 * or bare array), which query parameters filter it, and how a posted record is checked and stored.
 * The definitions live in `resources/`; the list machinery shared by all of them lives here.
 */
import { textOf } from '../util/text.js';
import type { ScopeArea } from './scopes.js';
import { haloInstant } from './resources/shared.js';
import type { HaloRecord, Store } from './store.js';

export interface RequestContext {
  store: Store;
  query: QueryParams;
  now: Date;
  /** The agent the call's token acts as: the API application's own, or a technician who signed in. */
  agentId: number;
}

export type Predicate = (record: HaloRecord) => boolean;
export type FilterBuilder = (value: string, context: RequestContext) => Predicate | undefined;

export type WriteResult = { record: Record<string, unknown> } | { error: string };

export interface ResourceDefinition {
  /** The top-level path segment as the document spells it, e.g. `Tickets`. */
  path: string;
  collection: string;
  /** The schema whose every property a single GET returns. */
  schema: string;
  /** The envelope key of the list (`tickets`); without one the list is a bare array. */
  listKey?: string;
  /** Halo caps the page size of some lists (Tickets: 100). */
  maxPageSize?: number;
  /** Halo caps the rows `count` answers on some lists (Tickets: 1000). */
  maxCount?: number;
  /** Without `order`, the list comes highest id first rather than lowest. */
  newestFirst?: boolean;
  scope: ScopeArea;
  /** The records the calling agent may see at all; the others do not exist for it, in lists or one by one. */
  visibleTo?: (context: RequestContext) => Predicate | undefined;
  /** Filters that apply whatever the query says (inactive records hidden unless asked for). */
  defaultFilters?: (context: RequestContext) => Predicate[];
  filters: Record<string, FilterBuilder>;
  /** Parameters that shape output but never change which records match. */
  outputParams?: string[];
  /** Text matched by `search`, lower-cased. */
  searchText?: (record: HaloRecord) => string;
  /** Checks a posted record and returns what to store, or Halo's validation message. */
  write?: (input: Record<string, unknown>, existing: HaloRecord | undefined, context: RequestContext) => WriteResult;
  /** The id of the record a posted record without an id means (approvals are keyed by ticket and sequence). */
  identify?: (input: Record<string, unknown>, context: RequestContext) => number | undefined;
  /** Replaces the plain delete (tickets are soft-deleted and can be restored). */
  remove?: (record: HaloRecord, context: RequestContext) => void;
}

// Halo behaviour: docs/halo-behaviour.md#case-insensitive-routing
/** Query parameters with Halo's case-insensitive names. */
export class QueryParams {
  private readonly values = new Map<string, string>();

  constructor(search: URLSearchParams) {
    for (const [name, value] of search) this.values.set(name.toLowerCase(), value);
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase());
  }

  flag(name: string): boolean {
    return this.get(name)?.toLowerCase() === 'true';
  }

  int(name: string): number | undefined {
    const value = this.get(name);
    return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
  }

  names(): string[] {
    return [...this.values.keys()];
  }
}

export const PAGING_PARAMS = ['pageinate', 'page_size', 'page_no', 'count', 'search'];
export const ORDER_PARAMS = ['order', 'order2', 'order3', 'order4', 'order5', 'orderdesc', 'orderdesc2', 'orderdesc3', 'orderdesc4', 'orderdesc5'];

export function parseIntList(value: string): number[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => /^-?\d+$/.test(part))
    .map(Number);
}

/** `client_id=5` keeps records whose `client_id` is 5. */
export const equalsInt =
  (field: string): FilterBuilder =>
  (value) => {
    if (!/^-?\d+$/.test(value)) return undefined;
    const wanted = Number(value);
    return (record) => record[field] === wanted;
  };

/** `status=1,2` keeps records whose `status_id` is 1 or 2 (Halo's "array of int" parameters). */
export const inIntList =
  (field: string): FilterBuilder =>
  (value) => {
    const wanted = new Set(parseIntList(value));
    return (record) => wanted.has(record[field] as number);
  };

/** `excludethese=4,5` drops the records whose field is 4 or 5. */
export const notInIntList =
  (field: string): FilterBuilder =>
  (value) => {
    const unwanted = new Set(parseIntList(value));
    return (record) => !unwanted.has(record[field] as number);
  };

export const containsText =
  (field: string): FilterBuilder =>
  (value) => {
    const needle = value.toLowerCase();
    return (record) => textOf(record[field]).toLowerCase().includes(needle);
  };

/** A boolean parameter that filters only when `true` is sent. */
export const whenTrue =
  (predicate: (context: RequestContext) => Predicate): FilterBuilder =>
  (value, context) =>
    value.toLowerCase() === 'true' ? predicate(context) : undefined;

// Halo behaviour: docs/halo-behaviour.md#client-inactive-hidden
/** Hides records flagged inactive unless `includeinactive=true`; `includeactive=false` hides the rest. */
export function activeFilters(field = 'inactive'): (context: RequestContext) => Predicate[] {
  return ({ query }) => {
    const filters: Predicate[] = [];
    if (!query.flag('includeinactive')) filters.push((record) => record[field] !== true);
    if (query.get('includeactive')?.toLowerCase() === 'false') filters.push((record) => record[field] === true);
    return filters;
  };
}

/** The names of the filters and switches a definition emulates, for the gap report. */
export function emulatedParams(definition: ResourceDefinition): Set<string> {
  return new Set(
    [...PAGING_PARAMS, ...ORDER_PARAMS, ...Object.keys(definition.filters), ...(definition.outputParams ?? [])].map((name) =>
      name.toLowerCase(),
    ),
  );
}

const searchCache = new WeakMap<HaloRecord, string>();

// Halo behaviour: docs/halo-behaviour.md#list-parameter-meanings
// Halo behaviour: docs/halo-behaviour.md#search-multiword
function searchPredicate(definition: ResourceDefinition, text: string): Predicate {
  const needle = text.toLowerCase();
  const searchText = definition.searchText ?? ((record: HaloRecord) => textOf(record.name));
  return (record) => {
    let haystack = searchCache.get(record);
    if (haystack === undefined) {
      haystack = searchText(record).toLowerCase();
      searchCache.set(record, haystack);
    }
    return haystack.includes(needle) || String(record.id) === text;
  };
}

// Halo behaviour: docs/halo-behaviour.md#list-parameter-meanings
/** Halo's ordering of field values: missing first, numbers by value, the rest as text. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return textOf(a).localeCompare(textOf(b));
}

// Halo behaviour: docs/halo-behaviour.md#date-forms
/**
 * A field's value as Halo orders it: a date by the instant it names ("no date", 1900, first), since
 * Halo writes one field's dates in several forms (`Z`, `+00:00`, no zone) whose text sorts otherwise.
 */
function sortValue(value: unknown): unknown {
  return haloInstant(value) ?? value;
}

/** Orders a list as its `order` parameters say; without them by id, the highest first when `newestFirst`. */
function orderBy(records: HaloRecord[], query: QueryParams, newestFirst: boolean): HaloRecord[] {
  const keys: { field: string; descending: boolean }[] = [];
  for (const [order, desc] of [
    ['order', 'orderdesc'],
    ['order2', 'orderdesc2'],
    ['order3', 'orderdesc3'],
    ['order4', 'orderdesc4'],
    ['order5', 'orderdesc5'],
  ] as const) {
    const field = query.get(order);
    if (field) keys.push({ field: field.toLowerCase(), descending: query.flag(desc) });
  }
  // Halo behaviour: docs/halo-behaviour.md#tickets-default-order
  // The records come in ascending id order, in an array of their own.
  if (keys.length === 0) return newestFirst ? records.reverse() : records;
  // Each record's sort values are worked out once, not at every comparison.
  const decorated = records.map((record) => ({ record, values: keys.map(({ field }) => sortValue(record[field])) }));
  decorated.sort((a, b) => {
    for (const [index, { descending }] of keys.entries()) {
      const result = compareValues(a.values[index], b.values[index]);
      if (result !== 0) return descending ? -result : result;
    }
    return a.record.id - b.record.id;
  });
  return decorated.map(({ record }) => record);
}

export interface ListResult {
  items: HaloRecord[];
  total: number;
  page?: { page_no: number; page_size: number };
}

interface CachedMatches {
  key: string;
  version: number;
  records: HaloRecord[];
}

/**
 * The last filtered and ordered result per resource, reused while the store is unchanged: paging
 * through 100,000 tickets asks the same question a thousand times with only `page_no` changing.
 */
const matchCache = new WeakMap<Store, Map<string, CachedMatches>>();

function cachedMatches(definition: ResourceDefinition, context: RequestContext, compute: () => HaloRecord[]): HaloRecord[] {
  // The caller is part of the question: `mine` and an agent's restrictions answer each agent differently.
  const key = [
    `agent=${context.agentId}`,
    ...context.query
      .names()
      .filter((name) => name !== 'page_no')
      .sort()
      .map((name) => `${name}=${context.query.get(name) ?? ''}`),
  ].join('&');
  let perResource = matchCache.get(context.store);
  if (!perResource) {
    perResource = new Map();
    matchCache.set(context.store, perResource);
  }
  const cached = perResource.get(definition.path);
  const version = context.store.version;
  if (cached?.key === key && cached.version === version) return cached.records;
  const records = compute();
  perResource.set(definition.path, { key, version, records });
  return records;
}

/** Default page size when `pageinate=true` arrives without `page_size`. */
const DEFAULT_PAGE_SIZE = 50;

/** Runs a list request the way Halo does: filter, search, order, then page or count. */
export function runList(definition: ResourceDefinition, context: RequestContext): ListResult {
  const { query } = context;
  const predicates: Predicate[] = [];
  const visible = definition.visibleTo?.(context);
  if (visible) predicates.push(visible);
  predicates.push(...(definition.defaultFilters?.(context) ?? []));
  for (const name of query.names()) {
    const build = definition.filters[name];
    const value = query.get(name);
    if (!build || value === undefined || value === '') continue;
    const predicate = build(value, context);
    if (predicate) predicates.push(predicate);
  }
  const search = query.get('search');
  if (search) predicates.push(searchPredicate(definition, search));

  const ordered = cachedMatches(definition, context, () => {
    const source = context.store.collection(definition.collection).all();
    const matched = predicates.length === 0 ? [...source] : source.filter((record) => predicates.every((p) => p(record)));
    return orderBy(matched, query, definition.newestFirst === true);
  });

  // Halo behaviour: docs/halo-behaviour.md#pageinate
  if (query.flag('pageinate')) {
    const requested = query.int('page_size') ?? DEFAULT_PAGE_SIZE;
    // Halo behaviour: docs/halo-behaviour.md#tickets-page-cap-100
    const pageSize = Math.max(1, Math.min(requested, definition.maxPageSize ?? Number.MAX_SAFE_INTEGER));
    const pageNo = Math.max(1, query.int('page_no') ?? 1);
    const start = (pageNo - 1) * pageSize;
    return { items: ordered.slice(start, start + pageSize), total: ordered.length, page: { page_no: pageNo, page_size: pageSize } };
  }
  // Halo behaviour: docs/halo-behaviour.md#list-count
  const count = query.int('count');
  // Halo behaviour: docs/halo-behaviour.md#tickets-count-cap
  const rows = count !== undefined && count >= 0 ? Math.min(count, definition.maxCount ?? count) : undefined;
  // Halo behaviour: docs/halo-behaviour.md#list-default-size
  return { items: rows === undefined ? ordered : ordered.slice(0, rows), total: ordered.length };
}
