/**
 * The text a model reads from a tool result. A list is written as a table: one header of field
 * names, then one line per item, references by name. As JSON every item repeats every key and
 * writes each reference as `{"id":…,"name":…}`, which doubles the tokens of a page of tickets for
 * nothing a model uses (names are accepted wherever ids are). Times in a table are to the minute,
 * as in Halo's own lists: the seconds of two timestamps were a fifth of a ticket row's tokens.
 * Anything else is compact JSON. `structuredContent` keeps the whole result as JSON, ids and
 * seconds included, for clients that read it.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A reference as every tool writes one, `{id, name}`: its name, which is what a reader wants. */
export function referenceName(value: Record<string, Json>): string | undefined {
  return typeof value.name === 'string' && Object.keys(value).every((key) => key === 'id' || key === 'name') ? value.name : undefined;
}

/** A UTC timestamp as the tools write one, with its minute in group 1. */
const UTC_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):\d{2}(?:\.\d+)?Z$/;

/**
 * Text that could be taken for a separator, a line break or a quoted value is quoted as JSON, so
 * each line stays one item and a quoted cell reads back exactly.
 */
function cell(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') {
    const minute = UTC_TIMESTAMP.exec(value)?.[1];
    if (minute !== undefined) return `${minute}Z`;
    return /[|\n\r]|^"/.test(value) ? JSON.stringify(value) : value;
  }
  const name = isRecord(value) ? referenceName(value) : undefined;
  if (name !== undefined) return name;
  if (typeof value !== 'object') return String(value);
  // JSON holding a separator is quoted once more, so the line still splits into its columns.
  const json = JSON.stringify(value);
  return json.includes('|') ? JSON.stringify(json) : json;
}

export function resultText(result: Record<string, unknown>): string {
  const { items, ...rest } = result;
  if (!Array.isArray(items) || items.length === 0 || !items.every(isRecord)) return JSON.stringify(result);
  const columns = [...new Set(items.flatMap((item) => Object.keys(item)))];
  const rows = items.map((item) => columns.map((column) => cell(item[column])).join('|'));
  return [JSON.stringify(rest), columns.join('|'), ...rows].join('\n');
}
