/**
 * Halo's HTML as the plain text a person sees (hidden content and invisible characters removed),
 * cut to a length with a marker; and a model's plain text as the HTML Halo stores.
 */
import { visibleText } from './untrusted.js';

export interface TextShaper {
  /** Plain text of Halo's HTML as a person sees it (hidden content and invisible characters removed), cut to `maxChars` with a marker. */
  fromHtml(html: unknown, maxChars: number, options?: ShapeOptions): string;
}

export interface ShapeOptions {
  /** Leave out a confidentiality footer that ends the text (an email's, see withoutDisclaimer), with a marker. */
  withoutDisclaimer?: boolean;
}

type Compile = (options: object) => (html: string) => string;

let shaper: Promise<TextShaper> | undefined;

/**
 * html-to-text and the HTML parser are loaded with the first tool call or resource read rather
 * than at start-up: a server that is only started and listed never pays for them.
 */
export function loadTextShaper(): Promise<TextShaper> {
  shaper ??= Promise.all([import('html-to-text'), import('./visible-html.js')]).then(([module, { visibleHtml }]) => {
    // Compiled once: converting with the options compiles them again on every call, which took most of its time.
    const convert = (module.compile as Compile)(HTML_OPTIONS);
    return {
      fromHtml(html: unknown, maxChars: number, options: ShapeOptions = {}): string {
        if (typeof html !== 'string' || html.trim() === '') return '';
        try {
          // Hidden content goes before the conversion, invisible characters (entities included) after it.
          const visible = visibleHtml(html);
          const text = visibleText(convert(visible.html))
            .replace(/[ \t]+\n/g, '\n')
            .replace(/\n{3,}/g, '\n\n')
            .trim();
          // Before the cut to length, so that a footer does not take the room of what the customer wrote.
          const shown = options.withoutDisclaimer ? withoutDisclaimer(text) : text;
          return truncate([...visible.notes, shown].filter((part) => part !== '').join('\n'), maxChars);
        } catch {
          // One text a customer wrote must not make the record, or the history it belongs to, unreadable.
          return UNSHOWABLE_TEXT;
        }
      },
    };
  });
  return shaper;
}

/** Stands for a text that could not be turned from HTML into text. */
export const UNSHOWABLE_TEXT = '[This text could not be shown: its HTML could not be read.]';

const HTML_OPTIONS = {
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'head', format: 'skip' },
    // Email signatures are full of links; their addresses cost tokens and rarely matter.
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false, maxColumnWidth: 40 } },
    { selector: 'ul', options: { itemPrefix: '- ' } },
  ],
};

/** Stands for the confidentiality footer left out of a text. */
export const DISCLAIMER_MARKER = '[disclaimer left out]';

/** What every confidentiality footer says. */
const CONFIDENTIAL = /\b(confidential|privileged)\b/i;

/** The other things such a footer says; a paragraph is taken for one only when it says two of them as well. */
const DISCLAIMER_PHRASES = [
  /\bintended (solely |only )?for\b|\bintended recipients?\b|\baddressee/i,
  /\breceived? (this|the) (e-?mail|message|communication|transmission)\b[^.]{0,40}\bin error\b/i,
  /\bnotify (the sender|us)\b/i,
  /\b(delete|destroy) (it|this|the|all)\b/i,
  /\b(unauthori[sz]ed|prohibited|strictly forbidden)\b/i,
  /\b(no|any) liability\b|\bnot (be )?liable\b|\bviruse?s?\b/i,
];

/** A heading that stands alone above a footer: "CONFIDENTIALITY NOTICE", "Disclaimer:". */
const DISCLAIMER_HEADING = /^[\s*_-]*(confidentiality( notice)?|disclaimer|legal notice)[\s:*_-]*$/i;

/** Footers are a few sentences: a long paragraph is content, whatever words it uses. */
const DISCLAIMER_MAX_CHARS = 1_500;

function isDisclaimer(paragraph: string): boolean {
  if (paragraph.length > DISCLAIMER_MAX_CHARS || !CONFIDENTIAL.test(paragraph)) return false;
  return DISCLAIMER_PHRASES.filter((phrase) => phrase.test(paragraph)).length >= 2;
}

/**
 * Text without the confidentiality footer that ends it ("This email and any attachments are
 * confidential..."), which customers' mail servers add to every message: it costs tokens in every
 * ticket and note and says nothing about the problem. Only whole trailing paragraphs that are
 * recognisably such a footer go, never the first; a marker says that something was left out.
 */
export function withoutDisclaimer(text: string): string {
  const paragraphs = text.split('\n\n');
  let kept = paragraphs.length;
  while (kept > 1 && isDisclaimer(paragraphs[kept - 1] ?? '')) kept--;
  if (kept === paragraphs.length) return text;
  if (kept > 1 && DISCLAIMER_HEADING.test(paragraphs[kept - 1] ?? '')) kept--;
  return [...paragraphs.slice(0, kept), DISCLAIMER_MARKER].join('\n\n');
}

/** Cuts text to `maxChars`, saying how much was left out. */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const kept = text.slice(0, Math.max(0, maxChars)).trimEnd();
  return `${kept} … [${text.length - kept.length} more characters]`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text a model wrote, as the HTML Halo stores: paragraphs and line breaks kept, markup escaped. */
export function plainToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}
