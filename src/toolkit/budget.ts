/**
 * The size budget of a result: how many items of a list fit, and a record cut to the fields that
 * fit (with the names of those left out) instead of a failure.
 */
import { withoutSecrets } from './secrets.js';

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

/**
 * A page whose items all lack the same asked-for fields says so once, beside its items, rather than
 * on every row; where rows differ, each keeps its own `missing_fields`.
 */
export function missingFieldsOnce<Page extends { items: readonly Record<string, unknown>[] }>(page: Page): Page & { missing_fields?: unknown } {
  const [first] = page.items;
  if (first?.missing_fields === undefined) return page;
  const missing = JSON.stringify(first.missing_fields);
  if (!page.items.every((item) => JSON.stringify(item.missing_fields) === missing)) return page;
  const items = page.items.map(({ missing_fields: _missing, ...item }) => item);
  return { ...page, missing_fields: first.missing_fields, items };
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
