/**
 * Records as Markdown, for people browsing resources in a client. Free text comes fenced from the
 * projections; every other field from Halo is written with `inline`, so that no name or summary
 * can add a heading, a list item, a link, an image or HTML to the page.
 */
import { textOf } from '../util/text.js';
import { singleLine } from './untrusted.js';

/**
 * A field as Markdown text on one line: the characters that open a code span, emphasis, a link or
 * an image, HTML, a heading, a table cell or an entity (`&#x202E;` would bring back a bidi control)
 * are escaped, so the field reads as the characters it holds.
 */
export function inline(text: string): string {
  return singleLine(text).replace(/[\\`*_[\]<>#|~&]/g, '\\$&');
}

/** A labelled fact as a list item, or nothing when the record does not hold it. */
export function fact(label: string, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const shown = typeof value === 'object' && 'name' in value ? (value as { name: string }).name : textOf(value);
  return `- **${label}:** ${inline(shown)}`;
}
