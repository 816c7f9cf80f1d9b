/**
 * A ticket's history as the tools read it. Halo answers at most 50 actions unless the request
 * names a count, so a history is asked for whole, with a generous count, and a reader is told
 * when Halo still holds more than it answered. Live tenants list actions newest first by their
 * number, which Halo's document does not promise and which is not their date (a note can be
 * back-dated), so the actions are put in order here, by their own dates.
 */
import type { CallOptions, HaloClient, ListQuery, ListRecord } from '../halo/client.js';
import { isoUtc } from './values.js';

type Action = ListRecord<'/Actions'>;

/** Actions one read asks for: what integrations checked against live tenants send. */
export const HISTORY_COUNT = 1000;

export interface TicketHistory {
  /** Newest first. */
  actions: Action[];
  /** How many actions Halo holds that match, read or not. */
  total: number;
  /** Set when Halo holds more than it answered, saying so in words a reader can act on. */
  cut?: string;
}

/**
 * A ticket's actions, all of them that Halo answers, newest first. Each with its HTML note: Halo's
 * plain `note` keeps text the HTML hides from a person, which the text shaper drops.
 */
export async function readHistory(halo: HaloClient, ticketId: number, query: ListQuery<'/Actions'> = {}, options: CallOptions = {}): Promise<TicketHistory> {
  const { items, total } = await halo.list('/Actions', { ticket_id: ticketId, ...query, includehtmlnote: true, count: HISTORY_COUNT }, options);
  const missing = total - items.length;
  // Which ones are missing depends on Halo's order, which is not documented: they may be the newest by date.
  // A full read may be cut even when record_count agrees: nobody has seen whether Halo counts all or only those answered under `count`.
  const cut =
    missing > 0
      ? `Halo holds ${total} actions here and answered ${items.length}; the other ${missing} were not read and may include the newest.`
      : items.length >= HISTORY_COUNT
        ? `Halo answered ${items.length} actions, as many as one read asks for; there may be more, not read, and they may include the newest.`
        : undefined;
  return { actions: newestFirst(items), total, ...(cut ? { cut } : {}) };
}

/** When an action happened; Halo writes dates with or without a zone, and undated ones sort as oldest. */
function timeOf(action: Pick<Action, 'datetime'>): number {
  const when = isoUtc(action.datetime);
  return when === null ? Number.NEGATIVE_INFINITY : Date.parse(when);
}

/** Newest first by date; actions of the same second by number, the later first. */
export function newestFirst<T extends Pick<Action, 'datetime' | 'id'>>(actions: readonly T[]): T[] {
  return [...actions].sort((a, b) => timeOf(b) - timeOf(a) || Number(b.id) - Number(a.id));
}
