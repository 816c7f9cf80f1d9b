/** The seeded tenant's times, rewritten in the several forms Halo writes them in. */
import { NO_DATE, haloFormOfIso, isClosedStatus, type DateKind } from '../resources/shared.js';
import type { Store } from '../store.js';

// Halo behaviour: docs/halo-behaviour.md#date-forms
const KINDS: readonly DateKind[] = ['utc', 'unspecified', 'local'];
/** Action times stay zoned: the actions' own date filters read them with Date.parse. */
const ZONED_KINDS: readonly DateKind[] = ['utc', 'local'];
/** The fields the seed writes times into. */
const TIME_FIELDS = new Set([
  'dateoccurred',
  'dateclosed',
  'respondbydate',
  'fixbydate',
  'lastactiondate',
  'last_update',
  'datecreated',
  'date_created',
  'date_edited',
  'warranty_end',
  'start_date',
  'end_date',
  'invoice_date',
  'duedate',
  'date',
  'expiry_date',
  'timestamp',
]);

/**
 * Rewrites each seeded time of the named fields in the form its field and record pick, so that
 * every form turns up across a list.
 */
function rewriteTimes(record: Record<string, unknown>, fields: readonly string[], kinds: readonly DateKind[]): void {
  const id = Number(record.id);
  fields.forEach((field, index) => {
    const value = record[field];
    if (typeof value !== 'string' || !value.endsWith('Z')) return;
    const kind = kinds[(id + index) % kinds.length] ?? 'utc';
    // A tick count below the millisecond that ends in no zero, as a DateTime .NET took from the clock does.
    const ticks = ((id * 7_919 + index * 104_729) % 9_999) + 1;
    record[field] = haloFormOfIso(value, kind, ticks);
  });
}

/**
 * The seeded tenant's dates as Halo writes them: a mix of `Z`, no zone and `+00:00`, fractions
 * without trailing zeros, and 1900-01-01 where a ticket holds no date. Records are still the
 * seed's own here, so they are changed in place.
 */
export function writeDatesAsHalo(store: Store): void {
  for (const [name, collection] of store.tables()) {
    // The records of a table share their fields: the first names the times to rewrite.
    const fields = Object.keys(collection.all()[0] ?? {}).filter((field) => TIME_FIELDS.has(field));
    if (name === 'faults' && !fields.includes('dateclosed')) fields.push('dateclosed');
    for (const record of collection.all()) {
      if (name === 'faults') {
        // Project tasks and opportunities are seeded closed without a closing time: their last action closed them.
        if (isClosedStatus(store, record.status_id) && (record.dateclosed === null || record.dateclosed === undefined)) {
          record.dateclosed = record.lastactiondate;
          record.hasbeenclosed = true;
        }
        // Halo behaviour: docs/halo-behaviour.md#no-date-1900
        record.dateclosed ??= NO_DATE;
        record.deadlinedate ??= NO_DATE;
        record.targetdate ??= NO_DATE;
      }
      rewriteTimes(record, fields, KINDS);
    }
  }
  for (const actions of store.allActions()) for (const action of actions) rewriteTimes(action, ['datetime'], ZONED_KINDS);
}
