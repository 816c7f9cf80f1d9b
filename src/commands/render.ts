/**
 * Tool results for a person at a terminal: a list as a table, a record as indented `key: value`
 * lines, references by name. Scripts take `--json` instead, which prints the result untouched.
 */
import { isRecord, referenceName, type Json } from '../mcp/result-text.js';

/** Widest a table cell may be before it is cut, so a long summary does not push the table apart. */
const CELL_WIDTH = 48;

function scalar(value: Json): string | undefined {
  if (value === null) return '';
  if (typeof value !== 'object') return String(value);
  const reference = isRecord(value) ? referenceName(value) : undefined;
  if (reference !== undefined) return reference;
  if (Array.isArray(value) && value.every((item) => scalar(item) !== undefined && !Array.isArray(item))) return value.map((item) => scalar(item)).join(', ');
  return undefined;
}

function cell(value: Json | undefined): string {
  const text = (value === undefined ? '' : (scalar(value) ?? '…')).replace(/\s+/g, ' ');
  return text.length > CELL_WIDTH ? `${text.slice(0, CELL_WIDTH - 1)}…` : text;
}

function table(rows: { [key: string]: Json }[]): string[] {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((column) => rows.some((row) => row[column] !== undefined && scalar(row[column]) !== undefined));
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = columns.map((column, index) => Math.max(column.length, ...cells.map((row) => (row[index] ?? '').length)));
  const format = (values: string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(columns.map((column) => column.toUpperCase())), ...cells.map(format)];
}

function lines(value: Json, indent: string): string[] {
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([key, item]) => {
      const shown = scalar(item);
      if (shown !== undefined && !shown.includes('\n')) return [`${indent}${key}: ${shown}`];
      if (shown !== undefined) return [`${indent}${key}:`, ...shown.split('\n').map((line) => `${indent}  ${line}`)];
      return [`${indent}${key}:`, ...lines(item, `${indent}  `)];
    });
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isRecord)) return table(value).map((line) => `${indent}${line}`);
    return value.flatMap((item) => {
      const [first = '', ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  }
  return (scalar(value) ?? '').split('\n').map((line) => `${indent}${line}`);
}

/** A tool's structured result for reading: lists as a table with how to get the next page, records as lines. */
export function renderResult(result: unknown): string {
  const value = result as Json;
  if (isRecord(value) && Array.isArray(value.items)) {
    const { items, total, next_cursor: cursor, ...rest } = value;
    const shown = items.length === 0 ? ['No results.'] : lines(items, '');
    const count = typeof total === 'number' ? `${items.length} of ${total}` : `${items.length}`;
    const more = typeof cursor === 'string' ? `; the next page: add "cursor": "${cursor}" to the arguments` : '';
    return [...shown, '', `${count} shown${more}.`, ...lines(rest, '')].join('\n');
  }
  return lines(value, '').join('\n');
}
