/**
 * Text written by Halo users and their customers (ticket summaries and details, notes, emails,
 * articles, names) reaches a model as data. Three defences live here:
 * - characters a person cannot see are removed, so that what the model reads is what the
 *   technician saw (bidi controls reorder text, tag characters spell hidden ASCII, zero-width
 *   characters hide words);
 * - fields that name or title a record are kept to one line, so that they cannot forge the
 *   structure of a table or a Markdown page around them;
 * - free text is fenced as untrusted, which the server instructions tell the model to read as
 *   content and never as instructions.
 */

/** Line breaks besides `\n`; each becomes `\n`, so that every reader agrees on where a line ends. */
const LINE_BREAKS = /\r\n?|[\v\f\u0085\u2028\u2029]/g;

/**
 * Characters a reader does not see, tab and newline apart: control characters, format characters
 * (bidi embeddings, overrides and isolates, zero-width spaces and joiners, the word joiner,
 * invisible operators, the byte-order mark, the soft hyphen), the whole tag block (U+E0000 to
 * U+E007F, which can spell ASCII no one sees) and variation selectors (which can carry bytes after a
 * visible character). Removing joiners and selectors changes how some emoji and scripts are drawn,
 * never what the text says.
 */
const INVISIBLE = /(?![\t\n])[\p{Cc}\p{Cf}\p{Variation_Selector}\u{E0000}-\u{E007F}]/gu;

/** Any character that LINE_BREAKS or INVISIBLE would change. */
const NEEDS_CLEANING = new RegExp(`${LINE_BREAKS.source}|${INVISIBLE.source}`, 'u');

/** Anything but printable ASCII, tab and newline: text without it has nothing to clean. */
const NOT_PLAIN_ASCII = /[^\t\n\x20-\x7E]/;

/** Text with line breaks as `\n` and without the characters a reader cannot see. */
export function visibleText(text: string): string {
  // Almost all text has nothing to clean, and most of it is plain ASCII, which a simple class finds
  // far faster than Unicode properties: scans that copy nothing, for every string of every result.
  if (!NOT_PLAIN_ASCII.test(text) || !NEEDS_CLEANING.test(text)) return text;
  return text.replace(LINE_BREAKS, '\n').replace(INVISIBLE, '');
}

/** Visible text on one line: each line break, with the spaces around it, becomes one space. */
export function singleLine(text: string): string {
  const visible = visibleText(text);
  return visible.includes('\n') ? visible.replace(/\s*\n\s*/g, ' ') : visible;
}

/** The fence's info string, which says what the fenced text is wherever it is read. */
const UNTRUSTED_LABEL = 'untrusted';

/**
 * Free text from Halo users, as visible text, inside a Markdown code fence labelled `untrusted`.
 * The fence is longer than any run of backticks in the text, so the text cannot close it and write
 * outside it (CommonMark ends a fence only at a run at least as long as the one that opened it).
 * The text is cleaned before the runs are measured: every result is cleaned on its way out, and
 * backticks split by invisible characters would join there into a run longer than the fence.
 * Nothing is fenced when there is no text.
 */
export function fenced(text: string): string {
  const shown = visibleText(text);
  if (shown === '') return '';
  const longestRun = (shown.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${UNTRUSTED_LABEL}\n${shown}\n${fence}`;
}

/** Fields that name or title a record: one line wherever they are shown. */
const SINGLE_LINE_FIELDS = new Set(['name', 'summary', 'title', 'subject']);

/**
 * Fields that hold the caller's own arguments, returned as given: a dry run's request is exactly
 * what would be sent, and the names of fields asked for are the names asked for.
 */
const CALLERS_OWN = new Set(['request', 'missing_fields']);

/**
 * A tool result as it may be shown to a model: every string and key visible text, and the fields
 * that name or title a record on one line. Applied to every result, the raw records of
 * `format: "full"` and of the API gateway included, so that no tool can forget it; only what
 * holds the caller's own arguments is left as it is (CALLERS_OWN, and the new value, `to`, of
 * each of an update's `changes`, whose `from` is Halo's).
 */
export function visibleResult(value: unknown, field?: string): unknown {
  if (typeof value === 'string') return field !== undefined && SINGLE_LINE_FIELDS.has(field) ? singleLine(value) : visibleText(value);
  if (Array.isArray(value)) {
    const shown = value.map((item: unknown) => (field === 'changes' ? visibleChange(item) : visibleResult(item, field)));
    return shown.some((item, index) => item !== value[index]) ? shown : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  // A record with nothing to clean is passed on as it is: results of thousands of records are mostly clean text.
  const shown = Object.entries(value as Record<string, unknown>).map(([key, item]) => {
    if (CALLERS_OWN.has(key)) return { key, item, same: true };
    const [shownKey, shownItem] = [visibleText(key), visibleResult(item, key)];
    return { key: shownKey, item: shownItem, same: shownKey === key && shownItem === item };
  });
  if (shown.every(({ same }) => same)) return value;
  // fromEntries defines each key, so a field named "__proto__" stays a field rather than setting a prototype.
  return Object.fromEntries(shown.map(({ key, item }) => [key, item]));
}

function visibleChange(change: unknown): unknown {
  if (typeof change !== 'object' || change === null || Array.isArray(change) || !('to' in change)) return visibleResult(change);
  return { ...(visibleResult(change) as object), to: change.to };
}
