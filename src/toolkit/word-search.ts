/**
 * Text search that finds what a person asked for whether Halo's `search` matches the text as one
 * phrase or word by word: nobody has reported which it does with several words, and a model that
 * gets nothing back for "Olivia VPN" tells the technician there is no such ticket.
 *
 * One word with a common English ending is asked for by its stem ("printer", "printing", "prints":
 * "print"): Halo's search finds text anywhere in a field, so the stem finds every form, "Print jobs
 * stuck" as well as "printer offline", in one request. Only when the stem finds nothing is the word
 * asked for as written, for a Halo that matches whole words.
 *
 * Several words go to Halo as given first, and that answer stands whenever it holds anything (no
 * extra request). Only when it holds nothing does Halo get asked again, for single words, the most
 * distinctive first, at most `MAX_WORD_SEARCHES` of them; a word that finds nothing and has a
 * common English ending is then asked for by its stem ("printer", "printing", "prints": "print").
 * Records that hold every word come first and alone; when none does, those that hold some are
 * given, most words first, and the note in `matched` says which words were found and which were
 * not. Such an answer is one page without a cursor: the words were checked in the first
 * `WORD_SCAN_SIZE` records Halo found for one word, and a cursor through Halo's pages of that word
 * would mostly turn up pages with nothing on them.
 *
 * At most 1 + 2 * MAX_WORD_SEARCHES = 7 Halo requests a search of several words: the query, its
 * words, their stems; at most 2 for one word: its stem, then the word.
 */
import type { HaloRecord, ListResult } from '../halo/client.js';
import type { ListPage, PagedListOptions } from './paging.js';
import { itemsWithinBudget } from './budget.js';
import { pagedList } from './paging.js';
import type { ToolContext } from '../mcp/tool.js';

/** Words a fallback asks Halo for, beyond the first search; each may add one more request, for its stem. */
export const MAX_WORD_SEARCHES = 3;
/** Records asked for per word: `/Tickets` answers at most 100 a page. */
const WORD_SCAN_SIZE = 100;

export type WordSearchPage<T> = ListPage<T> & {
  /** Set when the query as written matched nothing and its words were looked for one by one. */
  matched?: string;
};

export interface WordSearchOptions<T> extends PagedListOptions<T> {
  /** The text searched for; `query.search` carries it to Halo. */
  text: string | undefined;
  /** What a record is called in the note, plural: "tickets", "articles". */
  plural: string;
  /** The text of a record the words are looked for in (its id, names and text fields). */
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

/** Common English endings, longest first: what separates "print" from "printers", "printing", "printed". */
const ENDINGS = ['ings', 'ing', 'ers', 'ies', 'ied', 'er', 'ed', 'es', 's'];
/** The shortest stem kept: a shorter one ("us" of "user") is in too many words to mean anything. */
const MIN_STEM_LENGTH = 3;

/**
 * The stem of a word with a common English ending, as a start that its other forms share ("queries"
 * gives "quer", found in "query"), so that Halo's search and the check here find them all by it;
 * undefined for a word without such an ending. A doubled last consonant is halved ("stopped": "stop").
 */
export function stemOf(word: string): string | undefined {
  if (!/^\p{L}+$/u.test(word) || word.endsWith('ss')) return undefined;
  const ending = ENDINGS.find((candidate) => word.endsWith(candidate) && word.length - candidate.length >= MIN_STEM_LENGTH);
  if (ending === undefined) return undefined;
  const stem = word.slice(0, -ending.length);
  const last = stem.at(-1) ?? '';
  return stem.length > MIN_STEM_LENGTH && last === stem.at(-2) && !/[aeiouls]/.test(last) ? stem.slice(0, -1) : stem;
}

/** The words to ask Halo for, most distinctive first: numbers (a ticket or error number), then the longest. */
export function searchOrder(words: readonly string[]): string[] {
  const isNumber = (word: string) => /^\p{N}+$/u.test(word);
  return words
    .map((word, position) => ({ word, position }))
    .sort((a, b) => Number(isNumber(b.word)) - Number(isNumber(a.word)) || b.word.length - a.word.length || a.position - b.position)
    .map(({ word }) => word);
}

/** A word of the query, and the form it is looked for by: its stem, once the word itself found nothing in Halo. */
interface Term {
  word: string;
  stem?: string;
}

/** Whether a term occurs in text, as Halo's own search finds text: anywhere, case aside. */
function holds(haystack: string, term: Term): boolean {
  return haystack.includes(term.word) || (term.stem !== undefined && haystack.includes(term.stem));
}

/** A list of words as the note writes them: "printer" (as "print"), "queue". */
function listed(terms: readonly Term[]): string {
  return terms.map((term) => `${JSON.stringify(term.word)}${term.stem ? ` (as ${JSON.stringify(term.stem)})` : ''}`).join(', ');
}

/** One page of a Halo list searched for `text`, falling back to its words and their stems when the text finds nothing. */
export async function wordSearchList<T>(context: ToolContext, options: WordSearchOptions<T>): Promise<WordSearchPage<T>> {
  const words = options.text === undefined ? [] : queryWords(options.text);
  const [single] = words;
  const stem = words.length === 1 && single !== undefined ? stemOf(single) : undefined;
  if (single !== undefined && stem !== undefined) {
    // Halo behaviour: docs/halo-behaviour.md#search-multiword
    const byStem = await pagedList(context, { ...options, query: { ...options.query, search: stem } });
    if (options.args.cursor || byStem.total > 0 || byStem.items.length > 0) return { ...byStem, matched: `Looked for ${JSON.stringify(single)} by its stem ${JSON.stringify(stem)}, which its other forms share.` };
    return pagedList(context, options);
  }
  const page = await pagedList(context, options);
  if (options.args.cursor || page.total > 0 || page.items.length > 0 || words.length < 2) return page;

  const ask = (word: string) =>
    context.halo.list(options.path, { ...options.query, search: word, pageinate: true, page_size: WORD_SCAN_SIZE, page_no: 1 }, { signal: context.signal });
  // Each word is asked for, not only the rarest: a word may be in a field Halo does not search (an
  // agent's name), and the record is then found through another word.
  const searched = searchOrder(words).slice(0, MAX_WORD_SEARCHES);
  /** Each answer with the query word it was asked for, and what was sent: the word or its stem. */
  type Answer = { word: string; sent: string; answer: ListResult<HaloRecord> };
  const answers: Answer[] = await Promise.all(searched.map(async (word) => ({ word, sent: word, answer: await ask(word) })));
  // A word that found nothing is asked for by its stem.
  const stemmed = new Map<string, string>();
  for (const { word } of answers.filter(({ answer }) => answer.items.length === 0)) {
    const wordStem = stemOf(word);
    if (wordStem !== undefined) stemmed.set(word, wordStem);
  }
  answers.push(...(await Promise.all([...stemmed].map(async ([word, stem]) => ({ word, sent: stem, answer: await ask(stem) })))));
  const terms: Term[] = words.map((word) => {
    const wordStem = stemmed.get(word);
    return wordStem === undefined ? { word } : { word, stem: wordStem };
  });

  // Each record once, with the words it holds: those found in its text (any list's records, read by
  // the names the caller's `searchable` knows), and the word Halo found it by, in a field perhaps not read here.
  const found = new Map<unknown, { record: HaloRecord; held: Set<string> }>();
  for (const { word, answer } of answers) {
    for (const record of answer.items) {
      let entry = found.get(record.id);
      if (!entry) {
        const haystack = comparable(options.searchable(record));
        entry = { record, held: new Set(terms.filter((term) => holds(haystack, term)).map((term) => term.word)) };
        found.set(record.id, entry);
      }
      entry.held.add(word);
    }
  }
  const every = [...found.values()].filter(({ held }) => held.size === terms.length);
  const some = every.length > 0 ? every : [...found.values()];
  const { order } = options;
  // Array sort is stable: among equals, without an order of the list's own, Halo's order per word stands.
  const matching = some.sort((a, b) => b.held.size - a.held.size || (order ? order(a.record, b.record) : 0)).map(({ record }) => record);

  // Halo's answers beyond their first page were not looked at, which the note owns up to.
  const cut = answers.filter(({ answer }) => answer.total > WORD_SCAN_SIZE).map(({ sent }) => JSON.stringify(sent));
  const scope = cut.length > 0 ? ` (looked among the first ${WORD_SCAN_SIZE} containing ${cut.join(', ')})` : '';
  const phrase = JSON.stringify(options.text);
  const heldSomewhere = terms.filter((term) => some.some(({ held }) => held.has(term.word)));
  const missing = terms.filter((term) => !heldSomewhere.includes(term));
  const tried = stemmed.size > 0 ? ` (also as ${[...stemmed.values()].map((stem) => JSON.stringify(stem)).join(', ')})` : '';
  if (matching.length === 0) return { items: [], total: 0, next_cursor: null, matched: `No ${options.plural} contain ${phrase}, nor any of its words${tried}${scope}.` };
  const projected = matching.slice(0, options.args.limit).map(options.project);
  const shown = projected.slice(0, itemsWithinBudget(projected, context.settings.maxResultChars));
  const more = matching.length > shown.length ? `; the first ${shown.length} of ${matching.length} are shown, add filters to narrow them` : '';
  const how =
    every.length > 0
      ? `these contain every word${stemmed.size > 0 ? `: ${listed(terms)}` : ''}`
      : `none contains every word; these contain some, most first. Found: ${listed(heldSomewhere)}${missing.length > 0 ? `; not found: ${listed(missing)}` : ''}`;
  return {
    items: shown,
    total: matching.length,
    next_cursor: null,
    matched: `No ${options.plural} contain ${phrase} as written; ${how}${scope}${more}.`,
  };
}
