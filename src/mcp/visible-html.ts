/**
 * HTML as a person sees it. Halo shows a customer's email as a mail client would, so what the
 * technician never sees (content hidden by an attribute, by a style or by a `<style>` rule, text too
 * small or too faint to read, elements a browser does not draw) is removed before the HTML becomes
 * text: otherwise instructions hidden in an email would reach the model and nobody would know.
 *
 * It judges as a browser would where that is cheap to know, and errs towards hiding when a style
 * rule hides something under a condition it does not evaluate (most pseudo-classes). Rules inside
 * `@media` and `@supports` are not applied: a rule that hides a block on phones must not drop what
 * a technician sees on a desktop. Among style rules, a later one wins over an earlier one whatever
 * their specificity; `!important` and inline styles are honoured.
 */
import { selectAll } from 'css-select';
import render from 'dom-serializer';
import { DomUtils, parseDocument } from 'htmlparser2';

type Document = ReturnType<typeof parseDocument>;
type Node = Document['children'][number];
type Element = Extract<Node, { attribs: Record<string, string> }>;

/** Elements a browser does not draw, or draws only when something else fails (fallback content). */
const UNDRAWN_ELEMENTS = new Set([
  'head',
  'title',
  'style',
  'script',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'textarea',
  'datalist',
  'iframe',
  'canvas',
  'audio',
  'video',
  // Office documents pasted into an email carry their properties in an <xml> island.
  'xml',
]);

/** Text smaller than this many pixels cannot be read. */
const MIN_FONT_PX = 4;
/** Text whose contrast with its background is under this ratio cannot be told from it (#ddd on white is 1.36). */
const MIN_CONTRAST = 1.5;
/** A box moved this far off the page (the classic -9999px) is out of sight. */
const OFF_PAGE_PX = -999;

interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

/**
 * Named colours: the light ones (text in them vanishes on the usual white page), black, and the
 * basic sixteen. A colour not known here is taken as readable.
 */
const NAMED_COLOURS: Record<string, string> = {
  white: '#fff',
  snow: '#fffafa',
  honeydew: '#f0fff0',
  mintcream: '#f5fffa',
  azure: '#f0ffff',
  aliceblue: '#f0f8ff',
  ghostwhite: '#f8f8ff',
  whitesmoke: '#f5f5f5',
  seashell: '#fff5ee',
  beige: '#f5f5dc',
  oldlace: '#fdf5e6',
  floralwhite: '#fffaf0',
  ivory: '#fffff0',
  antiquewhite: '#faebd7',
  linen: '#faf0e6',
  lavenderblush: '#fff0f5',
  mistyrose: '#ffe4e1',
  cornsilk: '#fff8dc',
  lemonchiffon: '#fffacd',
  lightyellow: '#ffffe0',
  lightcyan: '#e0ffff',
  lightgoldenrodyellow: '#fafad2',
  papayawhip: '#ffefd5',
  blanchedalmond: '#ffebcd',
  lavender: '#e6e6fa',
  gainsboro: '#dcdcdc',
  black: '#000',
  silver: '#c0c0c0',
  gray: '#808080',
  grey: '#808080',
  maroon: '#800000',
  red: '#f00',
  purple: '#800080',
  fuchsia: '#f0f',
  green: '#008000',
  lime: '#0f0',
  olive: '#808000',
  yellow: '#ff0',
  navy: '#000080',
  blue: '#00f',
  teal: '#008080',
  aqua: '#0ff',
};

const KEYWORD_FONT_PX: Record<string, number> = { 'xx-small': 9, 'x-small': 10, small: 13, medium: 16, large: 18, 'x-large': 24, 'xx-large': 32, 'xxx-large': 48 };

/** What an element passes to its content: how its text is drawn. */
interface Inherited {
  fontPx: number;
  color: Rgba | undefined;
  /** Undefined where an image or a colour not understood lies behind the text, so no contrast can be judged. */
  background: Rgba | undefined;
  opacity: number;
  visible: boolean;
}

const PAGE: Inherited = { fontPx: 16, color: BLACK, background: WHITE, opacity: 1, visible: true };

interface Declared {
  value: string;
  important: boolean;
}
type Style = Map<string, Declared>;

/** CSS escapes (`dis\70 lay`) read as the characters they stand for, as a browser reads them. */
function cssUnescape(text: string): string {
  return text.replace(/\\([0-9a-f]{1,6})\s?|\\(.)/gis, (_match, hex: string | undefined, char: string | undefined) => {
    if (hex === undefined) return char ?? '';
    const code = parseInt(hex, 16);
    return code === 0 || code > 0x10ffff ? '\ufffd' : String.fromCodePoint(code);
  });
}

function withoutComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, ' ');
}

/** Adds declarations to a style; an `!important` one is kept over a later ordinary one. */
function declare(style: Style, block: string): void {
  for (const declaration of cssUnescape(withoutComments(block)).split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const raw = declaration.slice(colon + 1).trim().toLowerCase();
    const important = /!\s*important$/.test(raw);
    const value = raw.replace(/!\s*important$/, '').trim();
    if (property === '' || value === '' || (style.get(property)?.important === true && !important)) continue;
    style.set(property, { value, important });
  }
}

/** The index of the `}` that closes the block opened at `open`. */
function blockEnd(css: string, open: number): number {
  let depth = 0;
  for (let index = open; index < css.length; index++) {
    if (css[index] === '{') depth++;
    else if (css[index] === '}' && --depth === 0) return index;
  }
  return css.length;
}

/** A rule's own declarations: nested rules are left out (each leaves a `;`) rather than misread as declarations. */
function ownDeclarations(block: string): string {
  let depth = 0;
  let own = '';
  for (const char of block) {
    if (char === '{') depth++;
    else if (char === '}') {
      depth--;
      if (depth === 0) own += ';';
    } else if (depth === 0) own += char;
  }
  return own;
}

/** The top-level rules of a style sheet; at-rules are passed over (see the module comment). */
function styleRules(css: string): { selector: string; block: string }[] {
  const text = withoutComments(css).replace(/<!--|-->/g, ' ');
  const rules: { selector: string; block: string }[] = [];
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf('{', index);
    if (open < 0) break;
    const prelude = text.slice(index, open).trim();
    const statement = prelude.indexOf(';');
    if (prelude.startsWith('@') && statement >= 0) {
      // A statement at-rule (@import, @charset) ends at its semicolon.
      index = text.indexOf(';', index) + 1;
      continue;
    }
    const close = blockEnd(text, open);
    if (!prelude.startsWith('@')) rules.push({ selector: prelude, block: ownDeclarations(text.slice(open + 1, close)) });
    index = close + 1;
  }
  return rules;
}

/** The declarations of the document's style sheets, by element they match. */
function sheetStyles(document: Document): Map<Element, Style> {
  const styles = new Map<Element, Style>();
  const sheets = DomUtils.getElementsByTagName('style', document);
  for (const { selector, block } of sheets.flatMap((sheet) => styleRules(DomUtils.textContent(sheet)))) {
    let matched: Element[];
    try {
      matched = selectAll(selector, document).filter((node) => DomUtils.isTag(node));
    } catch {
      // Pseudo-elements and selectors css-select cannot read style no element itself.
      continue;
    }
    for (const element of matched) {
      const style = styles.get(element) ?? new Map<string, Declared>();
      declare(style, block);
      styles.set(element, style);
    }
  }
  return styles;
}

function hexColour(hex: string): Rgba | undefined {
  const digits = hex.length <= 4 ? hex.replace(/./g, '$&$&') : hex;
  if (!/^[0-9a-f]{6}([0-9a-f]{2})?$/.test(digits)) return undefined;
  const channel = (at: number) => parseInt(digits.slice(at, at + 2), 16);
  return { r: channel(0), g: channel(2), b: channel(4), a: digits.length === 8 ? channel(6) / 255 : 1 };
}

function fraction(part: string, scale: number): number {
  return part.endsWith('%') ? (parseFloat(part) / 100) * scale : parseFloat(part);
}

/** A CSS colour: names, hex, rgb()/rgba() and hsl()/hsla() in either syntax. */
function parseColour(value: string): Rgba | undefined {
  const colour = value.trim();
  if (colour === 'transparent') return { ...BLACK, a: 0 };
  const named = NAMED_COLOURS[colour];
  if (named) return hexColour(named.slice(1));
  if (colour.startsWith('#')) return hexColour(colour.slice(1));
  const fn = /^(rgba?|hsla?)\(([^)]*)\)$/.exec(colour);
  if (!fn?.[1] || fn[2] === undefined) return undefined;
  const parts = fn[2].split(/[\s,/]+/).filter((part) => part !== '');
  if (parts.length < 3 || parts.some((part) => Number.isNaN(parseFloat(part)))) return undefined;
  const [first = '', second = '', third = '', alpha] = parts;
  const a = alpha === undefined ? 1 : Math.min(1, Math.max(0, fraction(alpha, 1)));
  if (fn[1].startsWith('rgb')) return { r: fraction(first, 255), g: fraction(second, 255), b: fraction(third, 255), a };
  const [h, s, l] = [(((parseFloat(first) % 360) + 360) % 360) / 360, fraction(second, 1), fraction(third, 1)];
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const hue = (t: number) => {
    const x = ((t % 1) + 1) % 1;
    const v = x < 1 / 6 ? p + (q - p) * 6 * x : x < 1 / 2 ? q : x < 2 / 3 ? p + (q - p) * (2 / 3 - x) * 6 : p;
    return v * 255;
  };
  return { r: hue(h + 1 / 3), g: hue(h), b: hue(h - 1 / 3), a };
}

/** Legacy attributes (`bgcolor`, `<font color>`) also take hex without its `#`. */
function attributeColour(value: string | undefined): Rgba | undefined {
  if (value === undefined) return undefined;
  const colour = value.trim().toLowerCase();
  return parseColour(/^[0-9a-f]{6}$/.test(colour) ? `#${colour}` : colour);
}

/** `top` drawn over `bottom`, with `top`'s alpha scaled by `opacity`. */
function over(top: Rgba, bottom: Rgba, opacity = 1): Rgba {
  const a = top.a * opacity;
  const mix = (front: number, back: number) => front * a + back * (1 - a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

function luminance({ r, g, b }: Rgba): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The WCAG contrast ratio of two opaque colours, from 1 (the same) to 21. */
function contrast(first: Rgba, second: Rgba): number {
  const [light, dark] = [luminance(first), luminance(second)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** A length in pixels; `em` and percentages against the font size given. Undefined for what cannot be known here. */
function lengthPx(value: string | undefined, fontPx: number): number | undefined {
  const match = /^(-?(?:\d+\.?\d*|\.\d+))(px|pt|pc|in|cm|mm|q|em|rem|ex|ch|%)?$/.exec(value?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const amount = Number(match[1]);
  const perUnit: Record<string, number> = { px: 1, pt: 4 / 3, pc: 16, in: 96, cm: 96 / 2.54, mm: 96 / 25.4, q: 96 / 101.6, em: fontPx, rem: 16, ex: fontPx / 2, ch: fontPx / 2, '%': fontPx / 100 };
  const unit = match[2];
  // A number without a unit is a length only when it is zero.
  if (unit === undefined) return amount === 0 ? 0 : undefined;
  return amount * (perUnit[unit] ?? Number.NaN);
}

function fontSizePx(value: string, parentPx: number): number | undefined {
  if (value === 'smaller') return parentPx / 1.2;
  if (value === 'larger') return parentPx * 1.2;
  return KEYWORD_FONT_PX[value] ?? lengthPx(value, parentPx);
}

/** The size in the `font` shorthand (`font: 0/0 a`, `bold 1px Arial`): the first token that is one. */
function shorthandFontPx(value: string, parentPx: number): number | undefined {
  for (const token of value.split(/\s+/)) {
    const size = fontSizePx(token.split('/')[0] ?? '', parentPx);
    if (size !== undefined) return size;
  }
  return undefined;
}

/** The colour behind an element's content, given the one behind its parent's. */
function backgroundOf(element: Element, style: Style, parent: Rgba | undefined): Rgba | undefined {
  const image = style.get('background-image')?.value;
  if (image !== undefined && image !== 'none') return undefined;
  const declared = style.get('background-color')?.value ?? style.get('background')?.value;
  const attribute = attributeColour(element.attribs.bgcolor);
  if (declared === undefined) return attribute && parent ? over(attribute, parent) : (attribute ?? parent);
  if (/url\(|gradient\(|image\(|var\(/.test(declared)) return undefined;
  if (declared === 'none' || declared === 'inherit' || declared === 'initial' || declared === 'unset') return parent;
  const colour = declared
    .split(/\s+(?![^(]*\))/)
    .map(parseColour)
    .find((candidate) => candidate !== undefined);
  if (!colour) return style.has('background-color') ? undefined : parent;
  return parent ? over(colour, parent) : colour.a === 1 ? colour : undefined;
}

function isZero(value: string | undefined, fontPx: number): boolean {
  const px = lengthPx(value, fontPx);
  return px !== undefined && px <= 1;
}

/** Whether an element and all it holds are out of sight, whatever its descendants say. */
function hiddenElement(element: Element, style: Style, fontPx: number): boolean {
  if (UNDRAWN_ELEMENTS.has(element.name) || 'hidden' in element.attribs) return true;
  if (element.name === 'dialog' && !('open' in element.attribs)) return true;
  const value = (property: string) => style.get(property)?.value;
  if (value('display') === 'none' || value('mso-hide') === 'all') return true;
  const clips = (...properties: string[]) => properties.some((property) => /\b(hidden|clip)\b/.test(value(property) ?? ''));
  if ((isZero(value('height'), fontPx) || isZero(value('max-height'), fontPx)) && clips('overflow', 'overflow-y')) return true;
  if ((isZero(value('width'), fontPx) || isZero(value('max-width'), fontPx)) && clips('overflow', 'overflow-x')) return true;
  const offPage = ['left', 'top', 'right', 'bottom', 'margin-left', 'margin-top', 'text-indent'].some((property) => (lengthPx(value(property), fontPx) ?? 0) <= OFF_PAGE_PX);
  if (offPage) return true;
  const clipRect = /^rect\(([^)]*)\)$/.exec(value('clip') ?? '')?.[1]?.split(/[\s,]+/);
  if (clipRect && clipRect.length === 4 && new Set(clipRect).size === 1) return true;
  if (/^inset\(\s*(?:[5-9]\d|100)(?:\.\d+)?%/.test(value('clip-path') ?? '') || /^circle\(\s*0(?:px|%)?\s*(?:at\b|\))/.test(value('clip-path') ?? '')) return true;
  return /scale[xy]?\(\s*0(?:\.0*)?\s*[,)]/.test(value('transform') ?? '');
}

/** How an element draws its content, from its style and what it inherits. */
function inheritedBy(element: Element, style: Style, parent: Inherited): Inherited {
  const value = (property: string) => style.get(property)?.value;
  const fontSize = value('font-size');
  const font = value('font');
  const fontPx = (fontSize === undefined ? undefined : fontSizePx(fontSize, parent.fontPx)) ?? (font === undefined ? undefined : shorthandFontPx(font, parent.fontPx)) ?? parent.fontPx;
  const colourValue = value('-webkit-text-fill-color') ?? value('color');
  const fontColour = element.name === 'font' ? attributeColour(element.attribs.color) : undefined;
  // A colour not understood (a variable, say) leaves the contrast unknown, and the text is kept.
  const colour =
    colourValue === undefined || colourValue === 'inherit' || colourValue === 'currentcolor' ? (fontColour ?? parent.color) : parseColour(colourValue);
  const opacityValue = value('opacity');
  const opacity = opacityValue === undefined ? 1 : Math.min(1, Math.max(0, fraction(opacityValue, 1)));
  const visibility = value('visibility');
  return {
    fontPx,
    color: colour,
    background: backgroundOf(element, style, parent.background),
    opacity: parent.opacity * (Number.isNaN(opacity) ? 1 : opacity),
    visible: visibility === undefined ? parent.visible : visibility !== 'hidden' && visibility !== 'collapse',
  };
}

/** Whether text drawn so can be read: big enough, and apart from what lies behind it. */
function readable(drawn: Inherited): boolean {
  if (!drawn.visible || drawn.fontPx < MIN_FONT_PX) return false;
  if (!drawn.color || !drawn.background) return true;
  return contrast(over(drawn.color, drawn.background, drawn.opacity), drawn.background) >= MIN_CONTRAST;
}

/** Attributes that can hide an element or change how its text is drawn. */
const STYLING_ATTRIBUTES = ['style', 'hidden', 'bgcolor', 'color'];

function removeHidden(nodes: readonly Node[], drawn: Inherited, sheets: Map<Element, Style>): void {
  for (const node of [...nodes]) {
    if (DomUtils.isTag(node)) {
      // Most elements of an email carry no style of their own: they only pass on what they inherit.
      if (!sheets.has(node) && !STYLING_ATTRIBUTES.some((name) => name in node.attribs) && node.name !== 'dialog') {
        if (UNDRAWN_ELEMENTS.has(node.name)) DomUtils.removeElement(node);
        else removeHidden(node.children, drawn, sheets);
        continue;
      }
      const style: Style = new Map(sheets.get(node));
      if (node.attribs.style !== undefined) declare(style, node.attribs.style);
      if (hiddenElement(node, style, drawn.fontPx)) {
        DomUtils.removeElement(node);
        continue;
      }
      removeHidden(node.children, inheritedBy(node, style, drawn), sheets);
    } else if (DomUtils.isText(node) && !readable(drawn)) {
      DomUtils.removeElement(node);
    }
  }
}

/** The HTML with everything a person would not see removed. */
export function visibleHtml(html: string): string {
  const document = parseDocument(html);
  const sheets = sheetStyles(document);
  removeHidden(document.children, PAGE, sheets);
  return render(document, { encodeEntities: 'utf8' });
}
