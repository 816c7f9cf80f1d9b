/**
 * Text search that finds what a person asked for whether Halo's `search` matches the text as one
 * phrase or word by word: nobody has reported which it does with several words, and a model that
 * gets nothing back for "Olivia VPN" tells the technician there is no such ticket.
 *
 * The query goes to Halo as given first, and that answer stands whenever it holds anything (no
 * extra request). Only when it holds nothing and the query has several words does Halo get asked
 * again for single words, the most distinctive first, at most `MAX_WORD_SEARCHES` of them; of those
 * answers only the records that contain every word are kept, so the fallback never answers looser
 * than the question. Such an answer is one page without a cursor: the words were checked in the
 * first `WORD_SCAN_SIZE` records Halo found for one word, and a cursor through Halo's pages of that
 * word would mostly turn up pages with nothing on them. The note in `matched` says how it matched.
 */
import type { HaloRecord, ListResult } from '../halo/client.js';
import type { ListPage, PagedListOptions } from './paging.js';
import { itemsWithinBudget } from './budget.js';
import { pagedList } from './paging.js';
import type { ToolContext } from '../mcp/tool.js';

/** Halo requests a fallback may add, beyond the first search. */
export const MAX_WORD_SEARCHES = 3;
/** Records asked for per word: `/Tickets` answers at most 100 a page. */
const WORD_SCAN_SIZE = 100;

export type WordSearchPage<T> = ListPage<T> & {
  /** Set when the phrase matched nothing and the words were looked for one by one. */
  matched?: string;
};

export interface WordSearchOptions<T> extends PagedListOptions<T> {
  /** The text searched for; `query.search` carries it to Halo. */
  text: string | undefined;
  /** What a record is called in the note, plural: "tickets", "articles". */
  plural: string;
  /** The text of a record the words must all be found in (its id, names and text fields). */
  searchable: (record: HaloRecord) => string;
  /** The list's order, for records gathered from several searches; without it, Halo's order per word. */
  order?: (a: HaloRecord, b: HaloRecord) => number;
}

/** Text as the words are compared in it: lower case, runs of anything but letters and digits as one space. */
function comparable(text: string): string {
  return ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/** The distinct words of a query, lower case, punctuation dropped. */
export function queryWords(text: string): string[] {
  return [...new Set(comparable(text).split(' ').filter((word) => word !== ''))];
}

/** Whether every word occurs in the text, as Halo's own search finds text: anywhere, case aside. */
export function containsEveryWord(text: string, words: readonly string[]): boolean {
  const haystack = comparable(text);
  return words.every((word) => haystack.includes(word));
}

/** The words to ask Halo for, most distinctive first: numbers (a ticket or error number), then the longest. */
export function searchOrder(words: readonly string[]): string[] {
  const isNumber = (word: string) => /^\p{N}+$/u.test(word);
  return words
    .map((word, position) => ({ word, position }))
    .sort((a, b) => Number(isNumber(b.word)) - Number(isNumber(a.word)) || b.word.length - a.word.length || a.position - b.position)
    .map(({ word }) => word);
}

/** One page of a Halo list searched for `text`, falling back to its words when the phrase finds nothing. */
export async function wordSearchList<T>(context: ToolContext, options: WordSearchOptions<T>): Promise<WordSearchPage<T>> {
  const page = await pagedList(context, options);
  const words = options.text === undefined ? [] : queryWords(options.text);
  if (options.args.cursor || page.total > 0 || page.items.length > 0 || words.length < 2) return page;

  // Each word is asked for, not only the rarest: a word may be in a field Halo does not search (an
  // agent's name), and the record is then found through another word.
  const searched = searchOrder(words).slice(0, MAX_WORD_SEARCHES);
  // Any list's records, read by the names the caller's `searchable` knows.
  const answers: ListResult<HaloRecord>[] = await Promise.all(
    searched.map((word) =>
      context.halo.list(options.path, { ...options.query, search: word, pageinate: true, page_size: WORD_SCAN_SIZE, page_no: 1 }, { signal: context.signal }),
    ),
  );
  const found = new Map<unknown, HaloRecord>();
  for (const { items } of answers) {
    for (const record of items) if (!found.has(record.id) && containsEveryWord(options.searchable(record), words)) found.set(record.id, record);
  }
  const matching = options.order ? [...found.values()].sort(options.order) : [...found.values()];
  // Halo's answers beyond their first page were not looked at, which the note owns up to.
  const cut = searched.filter((_, index) => (answers[index]?.total ?? 0) > WORD_SCAN_SIZE).map((word) => JSON.stringify(word));
  const scope = cut.length > 0 ? ` (looked among the first ${WORD_SCAN_SIZE} containing ${cut.join(', ')})` : '';
  const phrase = JSON.stringify(options.text);
  if (matching.length === 0) return { items: [], total: 0, next_cursor: null, matched: `No ${options.plural} contain ${phrase}, nor every word of it${scope}.` };
  const projected = matching.slice(0, options.args.limit).map(options.project);
  const shown = projected.slice(0, itemsWithinBudget(projected, context.settings.maxResultChars));
  const more = matching.length > shown.length ? `; the first ${shown.length} of ${matching.length} are shown, add filters to narrow them` : '';
  return {
    items: shown,
    total: matching.length,
    next_cursor: null,
    matched: `No ${options.plural} contain ${phrase} as written; these contain every word${scope}${more}.`,
  };
}
