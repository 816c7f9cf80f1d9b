/**
 * HTML as a person sees it. Halo shows a customer's email as a mail client would, so what the
 * technician never sees (content hidden by an attribute, by a style or by a `<style>` rule, text too
 * small or too faint to read, elements a browser does not draw) is removed before the HTML becomes
 * text: otherwise instructions hidden in an email would reach the model and nobody would know.
 *
 * It judges as a browser would where that is cheap to know, and errs towards hiding where it
 * guesses. Rules inside `@media` apply when the query can hold on a technician's desktop screen
 * (a rule that hides a block on phones must not drop what a technician sees); those inside
 * `@supports`, `@layer` and `@container`, and nested rules, apply. Among style rules the more
 * specific wins, then the later; `!important` and inline styles are honoured.
 *
 * The HTML is written by whoever emails the service desk, so the work is bounded: selectors that
 * look into an element's content (`:has()`) are never evaluated, and matching stops after a fixed
 * budget of steps. A rule left unapplied that could hide text is reported (`unappliedRules`), so
 * the text can say that some of it may be hidden from the technician. Trees are walked without
 * recursion, and content nested deeper than a browser-like limit is flattened into its ancestor.
 */
import { selectAll, type Options } from 'css-select';
import render from 'dom-serializer';
import { DomUtils, parseDocument } from 'htmlparser2';

type Document = ReturnType<typeof parseDocument>;
type Node = Document['children'][number];
type Element = Extract<Node, { attribs: Record<string, string> }>;
type ParentNode = Pick<Document, 'children'>;

export interface VisibleHtml {
  html: string;
  /** What the reader of the text should know of how it was made (UNAPPLIED_RULES_NOTE, CUT_NOTE). */
  notes: string[];
}

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
  'object',
  'progress',
  'meter',
  // Ruby parentheses are drawn only where ruby is not supported.
  'rp',
  // SVG and MathML content that is referenced or described, never drawn where it stands.
  'defs',
  'desc',
  'metadata',
  'symbol',
  'clippath',
  'mask',
  'pattern',
  'annotation',
  'annotation-xml',
  // Office documents pasted into an email carry their properties in an <xml> island.
  'xml',
]);

/**
 * Nesting beyond this depth is flattened into the element at it: browsers cap nesting too, and a
 * tree a thousand levels deep would overflow the stack of every recursive HTML walker after this one.
 */
const MAX_DEPTH = 256;
/**
 * Steps of selector matching allowed per document (each selector pays one per element it is tried
 * on, and one per node its combinators walk to): a few tenths of a second at most. A newsletter of
 * 300 selectors over 2,000 elements needs about 600,000.
 */
const MATCHING_BUDGET = 1_000_000;
/**
 * Elements read from one HTML text. The parser's work grows with the square of the nesting, so
 * 100,000 unclosed tags would hold the server for many seconds; an email rarely has 5,000.
 */
export const MAX_ELEMENTS = 20_000;
/** Heads a text whose HTML has style rules that could hide text and were not applied. */
export const UNAPPLIED_RULES_NOTE = '[Some style rules of this HTML were too costly to apply: text below may be hidden from the reader in Halo.]';
/** Heads a text whose HTML was read only in part. */
export const CUT_NOTE = `[Only the first ${MAX_ELEMENTS} elements of this HTML were read.]`;
/** Style rules nested deeper than this (at-rules and CSS nesting) are not applied. */
const MAX_RULE_NESTING = 8;
/** A selector longer than this (CSS nesting can multiply one) is not evaluated. */
const MAX_SELECTOR_CHARS = 2_000;
/** Pseudo-classes that match an element by its content: a match costs a walk of the subtree, per element. */
const CONTENT_SELECTORS = /:(?:has|contains|icontains)\(/;

/** Text smaller than this many pixels cannot be read. */
const MIN_FONT_PX = 4;
/** Text whose contrast with its background is under this ratio cannot be told from it (#ddd on white is 1.36). */
const MIN_CONTRAST = 1.5;
/** A box moved this far off the page (the classic -9999px) is out of sight. */
const OFF_PAGE_PX = -999;
/** The smallest and largest widths of a technician's window, against which `@media` widths are judged. */
const DESKTOP_WIDTHS = { min: 800, max: 1920 };
/** The width of the viewport for `vw` and percentages of offsets: a desktop window. */
const VIEWPORT_PX = 1024;
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
  // System colours: the page's own background and text.
  canvas: '#fff',
  canvastext: '#000',
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
  /** How much transforms and zoom shrink what is drawn (1 as written). */
  scale: number;
  color: Rgba | undefined;
  /** Undefined where an image or a colour not understood lies behind the text, so no contrast can be judged. */
  background: Rgba | undefined;
  opacity: number;
  visible: boolean;
  /** Custom properties (`--name`), which every descendant inherits. */
  variables: ReadonlyMap<string, string>;
}

const PAGE: Inherited = { fontPx: 16, scale: 1, color: BLACK, background: WHITE, opacity: 1, visible: true, variables: new Map() };

interface Declared {
  value: string;
  important: boolean;
  /** The specificity of the rule that declared it; inline styles are above every selector. */
  specificity: number;
}
type Style = Map<string, Declared>;

const INLINE_SPECIFICITY = Number.POSITIVE_INFINITY;

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

/** Adds declarations to a style: an `!important` one beats an ordinary one, then the more specific, then the later. */
function declare(style: Style, block: string, specificity: number): void {
  for (const declaration of cssUnescape(withoutComments(block)).split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const raw = declaration.slice(colon + 1).trim().toLowerCase();
    const important = /!\s*important$/.test(raw);
    const value = raw.replace(/!\s*important$/, '').trim();
    const earlier = style.get(property);
    if (property === '' || value === '') continue;
    if (earlier && (earlier.important ? !important || earlier.specificity > specificity : !important && earlier.specificity > specificity)) continue;
    style.set(property, { value, important, specificity });
  }
}

/** Properties whose value can hide an element or change how its text is drawn. */
const HIDING_PROPERTY = /^(?:--|display|visibility|content-visibility|mso-hide|opacity|filter|font|font-size|color|-webkit-text-fill-color|background|height|max-height|width|max-width|line-height|overflow|position|left|top|right|bottom|margin|text-indent|clip|clip-path|transform|scale|zoom|rotate)/;

/** Whether a rule's declarations could hide anything, so that leaving it unapplied may show hidden text. */
function couldHide(block: string): boolean {
  return cssUnescape(withoutComments(block))
    .split(';')
    .some((declaration) => declaration.includes(':') && HIDING_PROPERTY.test(declaration.trim().toLowerCase()));
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

/** The selectors of a list, split at its top-level commas (`:is(a, b)` stays whole). */
function selectorList(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < selector.length; index++) {
    const char = selector[index];
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(selector.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/** A nested rule's selector as a whole one: `&` stands for its parent, and without `&` it is a descendant of it. */
function nestedSelector(selector: string, parent: string): string {
  const scope = `:is(${parent})`;
  return selectorList(selector)
    .map((part) => (part.includes('&') ? part.replaceAll('&', scope) : `${scope} ${part}`))
    .join(', ');
}

/**
 * A selector's specificity as one number (ids, then classes, attributes and pseudo-classes, then
 * types), counted from its text: close enough to order the rules of an email.
 */
function specificity(selector: string): number {
  const plain = selector.replace(/:where\([^)]*\)/g, '').replace(/\[[^\]]*\]/g, '[]');
  const ids = plain.match(/#[\w-]+/g)?.length ?? 0;
  const classes = plain.match(/\.[\w-]+|\[\]|(?<!:):(?!is\(|not\()[\w-]+/g)?.length ?? 0;
  const types = plain.match(/(?:^|[\s>+~(,])[a-z][\w-]*|::[\w-]+/gi)?.length ?? 0;
  return Math.min(ids, 255) * 65_536 + Math.min(classes, 255) * 256 + Math.min(types, 255);
}

/**
 * Whether a media query list can hold on a technician's desktop screen, for some window width
 * between DESKTOP_WIDTHS. Features other than widths (hover, colour scheme) are taken to hold, so
 * that a rule a technician's browser may apply is applied.
 */
function mediaMayApply(queries: string): boolean {
  return queries.split(',').some((query) => {
    const words = query.trim().toLowerCase();
    const negated = /^not\s/.test(words);
    const type = /^(?:not\s+|only\s+)?([a-z-]+)/.exec(words)?.[1];
    if (type !== undefined && type !== 'and' && type !== 'all' && type !== 'screen') return negated;
    let always = true;
    let ever = true;
    for (const [, feature = '', amount = ''] of words.matchAll(/\(\s*((?:min-|max-)?(?:device-)?width)\s*:\s*([^)]*)\)/g)) {
      const px = lengthPx(amount, 16, VIEWPORT_PX);
      if (px === undefined) continue;
      const holdsAt = (width: number) => (feature.startsWith('min-') ? width >= px : feature.startsWith('max-') ? width <= px : width === px);
      always &&= holdsAt(DESKTOP_WIDTHS.min) && holdsAt(DESKTOP_WIDTHS.max);
      ever &&= holdsAt(DESKTOP_WIDTHS.min) || holdsAt(DESKTOP_WIDTHS.max) || (!feature.startsWith('m') && px > DESKTOP_WIDTHS.min && px < DESKTOP_WIDTHS.max);
    }
    return negated ? !always : ever;
  });
}

/** At-rules whose rules apply to the page as they stand (a condition aside). */
const GROUPING_AT_RULES = new Set(['media', 'supports', 'layer', 'container', 'scope', 'document', '-moz-document']);

interface StyleRule {
  selector: string;
  block: string;
}

interface StyleSheets {
  rules: StyleRule[];
  /** Whether a rule that could hide text was passed over (nested too deep). */
  passedOver: boolean;
}

/** The style rules of a sheet, at-rules and nesting unfolded; a rule's nested rules follow it. */
function collectRules(css: string, parent: string | undefined, nesting: number, sheets: StyleSheets): void {
  let index = 0;
  while (index < css.length) {
    const open = css.indexOf('{', index);
    if (open < 0) break;
    // Declarations (in a nested block) and statement at-rules (@import) before the rule end at a semicolon.
    const before = css.slice(index, open);
    const prelude = before.slice(before.lastIndexOf(';') + 1).trim();
    const close = blockEnd(css, open);
    const body = css.slice(open + 1, close);
    index = close + 1;
    if (nesting >= MAX_RULE_NESTING) {
      sheets.passedOver ||= couldHide(body.replace(/[{}]/g, ';'));
      continue;
    }
    const atRule = /^@([\w-]+)\s*([\s\S]*)$/.exec(prelude);
    if (atRule) {
      const [, name = '', condition = ''] = atRule;
      if (!GROUPING_AT_RULES.has(name.toLowerCase()) || (name.toLowerCase() === 'media' && !mediaMayApply(condition))) continue;
      // Declarations straight inside a nested at-rule belong to the rule around it.
      if (parent !== undefined) sheets.rules.push({ selector: parent, block: ownDeclarations(body) });
      collectRules(body, parent, nesting + 1, sheets);
      continue;
    }
    const selector = parent === undefined ? prelude : nestedSelector(prelude, parent);
    sheets.rules.push({ selector, block: ownDeclarations(body) });
    if (body.includes('{')) collectRules(body, selector, nesting + 1, sheets);
  }
}

/** The tree's elements in document order, walked without recursion. */
function elementsOf(root: ParentNode): Element[] {
  const elements: Element[] = [];
  const stack: Node[] = [...root.children].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (!DomUtils.isTag(node)) continue;
    elements.push(node);
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index] as Node);
  }
  return elements;
}

class BudgetSpent extends Error {}

function pay(budget: { left: number }, steps: number): void {
  budget.left -= steps;
  if (budget.left < 0) throw new BudgetSpent();
}

/**
 * css-select's view of the tree, metered: each step from one node to another is paid from
 * `budget` (the elements a selector is tried on are paid before it runs), and the searches walk
 * the tree without recursion (domutils' shift a stack, costing the square of the depth).
 */
function meteredAdapter(budget: { left: number }): NonNullable<Options<Node, Element>['adapter']> {
  const subtree = (node: Node): Element[] => (DomUtils.isTag(node) ? [node, ...elementsOf(node)] : DomUtils.hasChildren(node) ? elementsOf(node) : []);
  const findAll = (test: (element: Element) => boolean, nodes: Node[]): Element[] => nodes.flatMap(subtree).filter(test);
  return {
    isTag: (node): node is Element => DomUtils.isTag(node),
    existsOne: (test, nodes) => findAll(test, nodes).length > 0,
    findAll,
    findOne: (test, nodes) => findAll(test, nodes)[0] ?? null,
    getAttributeValue: (element, name) => element.attribs[name],
    hasAttrib: (element, name) => Object.hasOwn(element.attribs, name),
    getChildren: (node) => {
      const children = DomUtils.getChildren(node);
      pay(budget, 1 + children.length);
      return children;
    },
    getName: (element) => element.name,
    getParent: (node) => {
      pay(budget, 1);
      return DomUtils.getParent(node);
    },
    getSiblings: (node) => {
      const siblings = DomUtils.getSiblings(node);
      pay(budget, 1 + siblings.length);
      return siblings;
    },
    prevElementSibling: (node) => {
      pay(budget, 1);
      return DomUtils.prevElementSibling(node);
    },
    // Selectors that read text (:contains) are refused before matching; an empty string is never read.
    getText: () => '',
    removeSubsets: (nodes) => DomUtils.removeSubsets(nodes),
  };
}

/** The declarations of the document's style sheets, by element they match, within the matching budget. */
function sheetStyles(elements: readonly Element[], document: Document): { styles: Map<Element, Style>; unappliedRules: boolean } {
  const styles = new Map<Element, Style>();
  const sheets: StyleSheets = { rules: [], passedOver: false };
  for (const sheet of elements.filter((element) => element.name === 'style')) {
    collectRules(
      withoutComments(DomUtils.textContent(sheet)).replace(/<!--|-->/g, ' '),
      undefined,
      0,
      sheets,
    );
  }
  const budget = { left: MATCHING_BUDGET };
  const adapter = meteredAdapter(budget);
  let unappliedRules = sheets.passedOver;
  for (const [index, { selector, block }] of sheets.rules.entries()) {
    for (const part of selectorList(selector)) {
      if (CONTENT_SELECTORS.test(cssUnescape(part).toLowerCase()) || part.length > MAX_SELECTOR_CHARS) {
        unappliedRules ||= couldHide(block);
        continue;
      }
      let matched: Element[];
      try {
        pay(budget, elements.length);
        matched = selectAll<Node, Element>(part, document, { adapter });
      } catch (error) {
        if (!(error instanceof BudgetSpent)) continue; // Pseudo-elements and selectors css-select cannot read style no element itself.
        const rest = sheets.rules.slice(index);
        return { styles, unappliedRules: unappliedRules || rest.some((rule) => couldHide(rule.block)) };
      }
      const rank = specificity(part);
      for (const element of matched) {
        const style = styles.get(element) ?? new Map<string, Declared>();
        declare(style, block, rank);
        styles.set(element, style);
      }
    }
  }
  return { styles, unappliedRules };
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

/** The grey of a relative luminance: what the contrast of a colour depends on. */
function greyOfLuminance(luminance: number, a: number): Rgba {
  const linear = Math.min(1, Math.max(0, luminance));
  const channel = 255 * (linear <= 0.0031308 ? linear * 12.92 : 1.055 * linear ** (1 / 2.4) - 0.055);
  return { r: channel, g: channel, b: channel, a };
}

/**
 * A CSS colour: names, hex, rgb()/rgba(), hsl()/hsla() and hwb(); lab(), lch(), oklab() and
 * oklch() as the grey of their lightness (their hue changes the contrast little).
 */
function parseColour(value: string): Rgba | undefined {
  const colour = value.trim();
  if (colour === 'transparent') return { ...BLACK, a: 0 };
  const named = NAMED_COLOURS[colour];
  if (named) return hexColour(named.slice(1));
  if (colour.startsWith('#')) return hexColour(colour.slice(1));
  const mixed = /^color-mix\(\s*in\s+[\w-]+\s*,(.*)\)$/.exec(colour)?.[1];
  if (mixed !== undefined) return mixedColour(mixed);
  const fn = /^(rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(([^)]*)\)$/.exec(colour);
  if (!fn?.[1] || fn[2] === undefined) return undefined;
  const parts = fn[2].split(/[\s,/]+/).filter((part) => part !== '');
  if (parts.length < 3 || parts.some((part) => Number.isNaN(parseFloat(part)))) return undefined;
  const [first = '', second = '', third = '', alpha] = parts;
  const a = alpha === undefined ? 1 : Math.min(1, Math.max(0, fraction(alpha, 1)));
  if (fn[1].startsWith('rgb')) return { r: fraction(first, 255), g: fraction(second, 255), b: fraction(third, 255), a };
  if (fn[1].startsWith('ok')) return greyOfLuminance(fraction(first, 1) ** 3, a);
  if (fn[1].startsWith('l')) return greyOfLuminance(((fraction(first, 100) + 16) / 116) ** 3, a);
  const hue = (((parseFloat(first) % 360) + 360) % 360) / 360;
  if (fn[1] === 'hwb') {
    const [whiteness, blackness] = [fraction(second, 1), fraction(third, 1)];
    const pure = hslColour(hue, 1, 0.5, a);
    const mix = (channel: number) => (whiteness + blackness >= 1 ? (255 * whiteness) / (whiteness + blackness) : channel * (1 - whiteness - blackness) + 255 * whiteness);
    return { r: mix(pure.r), g: mix(pure.g), b: mix(pure.b), a };
  }
  return hslColour(hue, fraction(second, 1), fraction(third, 1), a);
}

/** The two colours of `color-mix()` (each with an optional percentage), mixed in sRGB whatever the space named. */
function mixedColour(args: string): Rgba | undefined {
  const parts = selectorList(args).map((part) => {
    const percent = /\s(\d+(?:\.\d+)?)%$/.exec(part)?.[1];
    return { colour: parseColour(percent === undefined ? part : part.slice(0, part.lastIndexOf(' '))), weight: percent === undefined ? undefined : Number(percent) / 100 };
  });
  const [first, second] = parts;
  if (parts.length !== 2 || !first?.colour || !second?.colour) return undefined;
  const weight = first.weight ?? (second.weight === undefined ? 0.5 : 1 - second.weight);
  const mix = (one: number, other: number) => one * weight + other * (1 - weight);
  return { r: mix(first.colour.r, second.colour.r), g: mix(first.colour.g, second.colour.g), b: mix(first.colour.b, second.colour.b), a: mix(first.colour.a, second.colour.a) };
}

function hslColour(h: number, s: number, l: number, a: number): Rgba {
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

/** A length with its unit, in pixels: `em` against the font size, percentages against `percentOf`. */
function unitPx(amount: number, unit: string, fontPx: number, percentOf: number): number | undefined {
  const perUnit: Record<string, number> = {
    px: 1,
    pt: 4 / 3,
    pc: 16,
    in: 96,
    cm: 96 / 2.54,
    mm: 96 / 25.4,
    q: 96 / 101.6,
    em: fontPx,
    rem: 16,
    ex: fontPx / 2,
    ch: fontPx / 2,
    vw: VIEWPORT_PX / 100,
    vh: VIEWPORT_PX / 100,
    vmin: VIEWPORT_PX / 100,
    vmax: VIEWPORT_PX / 100,
    '%': percentOf / 100,
  };
  const factor = perUnit[unit];
  return factor === undefined ? undefined : amount * factor;
}

const MATH_TOKEN = /\s*(?:([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)|(calc|min|max|clamp)\(|([-+*/(),]))/y;

/**
 * A length in pixels, the math functions (`calc()`, `min()`, `max()`, `clamp()`) worked out.
 * Undefined for what cannot be known here (a variable, a unit of the layout).
 */
function lengthPx(value: string | undefined, fontPx: number, percentOf = fontPx): number | undefined {
  const text = value?.trim() ?? '';
  if (text === '' || text.length > 200) return undefined;
  type Token = { number: number; unit: string } | { fn: string } | { op: string };
  const tokens: Token[] = [];
  MATH_TOKEN.lastIndex = 0;
  while (MATH_TOKEN.lastIndex < text.length) {
    const match = MATH_TOKEN.exec(text);
    if (!match) return undefined;
    if (match[1] !== undefined) tokens.push({ number: Number(match[1]), unit: match[2] ?? '' });
    else if (match[3] !== undefined) tokens.push({ fn: match[3] });
    else if (match[4] !== undefined) tokens.push({ op: match[4] });
  }
  // A recursive-descent reading of the tokens; its depth is bounded by the length checked above.
  let next = 0;
  const peekOp = () => {
    const token = tokens[next];
    return token && 'op' in token ? token.op : undefined;
  };
  // A quantity is a length in pixels or a plain number (for `*` and `/`).
  type Quantity = { px: number; plain: boolean } | undefined;
  const sum = (): Quantity => {
    let left = product();
    while (left && (peekOp() === '+' || peekOp() === '-')) {
      const sign = peekOp() === '-' ? -1 : 1;
      next++;
      const right = product();
      if (!right || right.plain !== left.plain) return undefined;
      left = { px: left.px + sign * right.px, plain: left.plain };
    }
    return left;
  };
  const product = (): Quantity => {
    let left = term();
    while (left && (peekOp() === '*' || peekOp() === '/')) {
      const divide = peekOp() === '/';
      next++;
      const right = term();
      if (!right || (!left.plain && !right.plain) || (divide && !right.plain)) return undefined;
      left = { px: divide ? left.px / right.px : left.px * right.px, plain: left.plain && right.plain };
    }
    return left;
  };
  const term = (): Quantity => {
    const token = tokens[next++];
    if (!token) return undefined;
    if ('number' in token) {
      if (token.unit === '') return { px: token.number, plain: true };
      const px = unitPx(token.number, token.unit, fontPx, percentOf);
      return px === undefined ? undefined : { px, plain: false };
    }
    if ('op' in token) {
      if (token.op !== '(') return undefined;
      const inner = sum();
      return peekOp() === ')' && next++ >= 0 ? inner : undefined;
    }
    const args: Quantity[] = [sum()];
    while (peekOp() === ',') {
      next++;
      args.push(sum());
    }
    if (peekOp() !== ')' || args.some((arg) => arg === undefined)) return undefined;
    next++;
    const pxs = (args as { px: number; plain: boolean }[]).map((arg) => arg.px);
    const plain = (args as { px: number; plain: boolean }[]).every((arg) => arg.plain);
    if (token.fn === 'calc' && pxs.length === 1) return { px: pxs[0] ?? 0, plain };
    if (token.fn === 'min') return { px: Math.min(...pxs), plain };
    if (token.fn === 'max') return { px: Math.max(...pxs), plain };
    if (token.fn === 'clamp' && pxs.length === 3) return { px: Math.max(pxs[0] ?? 0, Math.min(pxs[1] ?? 0, pxs[2] ?? 0)), plain };
    return undefined;
  };
  const result = sum();
  if (!result || next !== tokens.length || !Number.isFinite(result.px)) return undefined;
  // A bare number is a length only when it is zero.
  return result.plain ? (result.px === 0 ? 0 : undefined) : result.px;
}

function fontSizePx(value: string, parentPx: number): number | undefined {
  if (value === 'smaller') return parentPx / 1.2;
  if (value === 'larger') return parentPx * 1.2;
  return KEYWORD_FONT_PX[value] ?? lengthPx(value, parentPx);
}

/** The size in the `font` shorthand (`font: 0/0 a`, `bold 1px Arial`): the first token that is one. */
function shorthandFontPx(value: string, parentPx: number): number | undefined {
  for (const token of value.split(/\s+(?![^(]*\))/)) {
    const size = fontSizePx(token.split('/')[0] ?? '', parentPx);
    if (size !== undefined) return size;
  }
  return undefined;
}

/**
 * The colour behind an element's content, given the one behind its parent's. Behind an image it
 * is unknown, unless a colour is declared beside the image: mail clients block remote images, and
 * then that colour is what the reader sees.
 */
function backgroundOf(element: Element, value: (property: string) => string | undefined, parent: Rgba | undefined): Rgba | undefined {
  const image = value('background-image');
  const declared = value('background-color') ?? value('background');
  const attribute = attributeColour(element.attribs.bgcolor);
  const colour = declared
    ?.split(/\s+(?![^(]*\))/)
    .map(parseColour)
    .find((candidate) => candidate !== undefined);
  const drawn = colour && parent ? over(colour, parent) : colour?.a === 1 ? colour : undefined;
  if (image !== undefined && image !== 'none') return drawn;
  if (declared === undefined) return attribute && parent ? over(attribute, parent) : (attribute ?? parent);
  if (/url\(|gradient\(|image\(/.test(declared)) return drawn;
  if (declared === 'none' || declared === 'inherit' || declared === 'initial' || declared === 'unset') return parent;
  if (!colour) return value('background-color') !== undefined || declared.includes('var(') ? undefined : parent;
  return drawn;
}

/** Custom properties (`var(--name, fallback)`) replaced by their values; an unknown one is left as it is. */
function withVariables(value: string | undefined, variables: ReadonlyMap<string, string>): string | undefined {
  let resolved = value;
  // A few rounds resolve variables that name variables; a cycle stays unresolved.
  for (let round = 0; round < 4 && resolved?.includes('var(') === true; round++) {
    resolved = resolved.replace(/var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\))?[^()]*))?\)/g, (whole, name: string, fallback: string | undefined) => variables.get(name) ?? fallback?.trim() ?? whole);
  }
  return resolved;
}

/** How much `transform`, `scale`, `rotate` and `zoom` shrink what an element draws, and how far `translate` moves it. */
function transformed(value: (property: string) => string | undefined, fontPx: number): { scale: number; shift: number } {
  let scale = 1;
  let shift = 0;
  const factor = (text: string | undefined) => (text === undefined ? 1 : Math.abs(fraction(text.trim(), 1)) || 0);
  for (const [, name = '', args = ''] of (value('transform') ?? '').matchAll(/([a-z0-9]+)\(([^)]*)\)/g)) {
    const numbers = args.split(',').map((arg) => arg.trim());
    if (/^scale[xyz]?$|^scale3d$/.test(name)) scale *= Math.min(...numbers.slice(0, name === 'scale3d' ? 2 : undefined).map(factor));
    else if (name === 'matrix' && numbers.length === 6) {
      const [a = 1, b = 0, c = 0, d = 1] = numbers.map(Number);
      scale *= Math.min(Math.hypot(a, b), Math.hypot(c, d));
    } else if (/^rotate[xy]$/.test(name)) scale *= Math.abs(Math.cos(((parseFloat(numbers[0] ?? '0') || 0) * Math.PI) / (/turn/.test(args) ? 0.5 : 180)));
    else if (/^translate/.test(name)) shift = Math.min(shift, ...numbers.map((arg) => lengthPx(arg, fontPx, VIEWPORT_PX) ?? 0));
  }
  const scaleProperty = value('scale');
  if (scaleProperty !== undefined && scaleProperty !== 'none') scale *= Math.min(...scaleProperty.split(/\s+/).slice(0, 2).map(factor));
  const zoom = value('zoom');
  if (zoom !== undefined && /^[\d.]+%?$/.test(zoom)) scale *= factor(zoom);
  return { scale: Number.isNaN(scale) ? 1 : scale, shift };
}

/** The opacity an element's own `opacity` and `filter: opacity()` leave it. */
function ownOpacity(value: (property: string) => string | undefined): number {
  const opacity = value('opacity');
  const filtered = /opacity\(\s*([\d.]+%?)\s*\)/.exec(value('filter') ?? '')?.[1];
  const parts = [opacity, filtered].map((part) => (part === undefined ? 1 : Math.min(1, Math.max(0, fraction(part, 1)))));
  return parts.reduce((product, part) => product * (Number.isNaN(part) ? 1 : part), 1);
}

/** Whether a `clip` or `clip-path` leaves nothing of the box. */
function clippedAway(value: (property: string) => string | undefined, fontPx: number): boolean {
  const rect = /^rect\(([^)]*)\)$/.exec(value('clip') ?? '')?.[1]?.split(/[\s,]+/);
  if (rect?.length === 4) {
    const [top, right, bottom, left] = rect.map((edge) => (edge === 'auto' ? undefined : lengthPx(edge, fontPx)));
    if ((top !== undefined && bottom !== undefined && bottom <= top) || (left !== undefined && right !== undefined && right <= left)) return true;
  }
  const path = value('clip-path') ?? '';
  const inset = /^inset\(([^)]*)\)/.exec(path)?.[1]?.split(/\s+round\s/)[0]?.trim().split(/\s+/);
  if (inset && inset.every((edge) => edge.endsWith('%') || lengthPx(edge, fontPx) === 0)) {
    const [top = '0', right = top, bottom = top, left = right] = inset;
    if (fraction(top, 100) + fraction(bottom, 100) >= 100 || fraction(left, 100) + fraction(right, 100) >= 100) return true;
  }
  if (/^circle\(\s*0(?:px|%)?\s*(?:at\b|\))/.test(path)) return true;
  const points = /^polygon\(([^)]*)\)/.exec(path)?.[1]?.split(',').map((point) => point.trim().replace(/\s+/g, ' '));
  return points !== undefined && new Set(points).size < 3;
}

/** Whether a box clips its content (overflow hidden or clip) along an axis; a marquee always does. */
function clips(element: Element, value: (property: string) => string | undefined, axis: 'x' | 'y'): boolean {
  return element.name === 'marquee' || [value('overflow'), value(`overflow-${axis}`)].some((overflow) => /\b(hidden|clip)\b/.test(overflow ?? ''));
}

/** Whether markup alone hides an element: an undrawn element, the `hidden` attribute, a closed dialog, an SVG of no size. */
function hiddenByMarkup(element: Element): boolean {
  if (UNDRAWN_ELEMENTS.has(element.name) || 'hidden' in element.attribs) return true;
  if (element.name === 'dialog' && !('open' in element.attribs)) return true;
  return element.name === 'svg' && [element.attribs.width, element.attribs.height].some((size) => size !== undefined && lengthPx(size, 16) === 0);
}

/** Whether an element's style puts it and all it holds out of sight, whatever its descendants say. */
function hiddenByStyle(element: Element, value: (property: string) => string | undefined, drawn: Inherited): boolean {
  const { fontPx } = drawn;
  if (value('display') === 'none' || value('mso-hide') === 'all' || value('content-visibility') === 'hidden') return true;
  // A clipping box lower or narrower than half a line of its text shows none of it.
  const tooSmall = (size: string | undefined) => {
    const px = lengthPx(size, fontPx, Number.POSITIVE_INFINITY);
    return px !== undefined && px < Math.max(1, fontPx / 2);
  };
  const lineHeight = value('line-height');
  if ((tooSmall(value('height')) || tooSmall(value('max-height')) || (value('height') === undefined && lineHeight !== undefined && tooSmall(lineHeight))) && clips(element, value, 'y')) return true;
  if ((tooSmall(value('width')) || tooSmall(value('max-width'))) && clips(element, value, 'x')) return true;
  const offPage = ['left', 'top', 'right', 'bottom', 'margin-left', 'margin-top', 'text-indent'].some((property) => (lengthPx(value(property), fontPx, VIEWPORT_PX) ?? 0) <= OFF_PAGE_PX);
  if (offPage || transformed(value, fontPx).shift <= OFF_PAGE_PX) return true;
  return clippedAway(value, fontPx);
}

/** How an element draws its content, from its style and what it inherits. */
function inheritedBy(element: Element, value: (property: string) => string | undefined, variables: ReadonlyMap<string, string>, parent: Inherited): Inherited {
  const fontSize = value('font-size');
  const font = value('font');
  const fontPx = (fontSize === undefined ? undefined : fontSizePx(fontSize, parent.fontPx)) ?? (font === undefined ? undefined : shorthandFontPx(font, parent.fontPx)) ?? parent.fontPx;
  const colourValue = value('-webkit-text-fill-color') ?? value('color');
  const fontColour = element.name === 'font' ? attributeColour(element.attribs.color) : undefined;
  // A colour not understood (a variable without a value, say) leaves the contrast unknown, and the text is kept.
  const colour =
    colourValue === undefined || colourValue === 'inherit' || colourValue === 'currentcolor' ? (fontColour ?? parent.color) : parseColour(colourValue);
  const visibility = value('visibility');
  return {
    fontPx,
    scale: parent.scale * transformed(value, fontPx).scale,
    color: colour,
    background: backgroundOf(element, value, parent.background),
    opacity: parent.opacity * ownOpacity(value),
    visible: visibility === undefined ? parent.visible : visibility !== 'hidden' && visibility !== 'collapse',
    variables,
  };
}

/** Whether text drawn so can be read: big enough, and apart from what lies behind it. */
function readable(drawn: Inherited): boolean {
  if (!drawn.visible || drawn.fontPx * drawn.scale < MIN_FONT_PX) return false;
  if (!drawn.color || !drawn.background) return true;
  return contrast(over(drawn.color, drawn.background, drawn.opacity), drawn.background) >= MIN_CONTRAST;
}

/** Attributes that can hide an element or change how its text is drawn. */
const STYLING_ATTRIBUTES = ['style', 'bgcolor', 'color'];

/**
 * Removes what a form control or a closed disclosure keeps from sight: a closed `<details>` shows
 * only its summary, a drop-down `<select>` only its chosen option.
 */
function removeUnshownParts(element: Element): void {
  if (element.name === 'details' && !('open' in element.attribs)) {
    const summary = element.children.find((child) => DomUtils.isTag(child) && child.name === 'summary');
    for (const child of [...element.children]) if (child !== summary) DomUtils.removeElement(child);
  }
  if (element.name === 'select' && !('multiple' in element.attribs) && Number(element.attribs.size ?? 1) <= 1) {
    const options = elementsOf(element).filter((option) => option.name === 'option');
    const chosen = options.findLast((option) => 'selected' in option.attribs) ?? options[0];
    for (const option of options) if (option !== chosen) DomUtils.removeElement(option);
  }
}

/** Removes every node a person would not see, walking the tree without recursion. */
function removeHidden(document: Document, sheets: Map<Element, Style>): void {
  const stack: { node: Node; drawn: Inherited }[] = document.children.map((node) => ({ node, drawn: PAGE }));
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, drawn } = item;
    if (DomUtils.isText(node)) {
      if (!readable(drawn)) DomUtils.removeElement(node);
      continue;
    }
    if (!DomUtils.isTag(node)) continue;
    if (hiddenByMarkup(node)) {
      DomUtils.removeElement(node);
      continue;
    }
    let inherited = drawn;
    // Most elements of an email carry no style of their own: they only pass on what they inherit.
    if (sheets.has(node) || STYLING_ATTRIBUTES.some((name) => name in node.attribs)) {
      const style: Style = new Map(sheets.get(node));
      if (node.attribs.style !== undefined) declare(style, node.attribs.style, INLINE_SPECIFICITY);
      const own = [...style].filter(([property]) => property.startsWith('--'));
      const variables = own.length === 0 ? drawn.variables : new Map([...drawn.variables, ...own.map(([property, declared]): [string, string] => [property, declared.value])]);
      const value = (property: string) => withVariables(style.get(property)?.value, variables);
      if (hiddenByStyle(node, value, drawn)) {
        DomUtils.removeElement(node);
        continue;
      }
      inherited = inheritedBy(node, value, variables, drawn);
    }
    removeUnshownParts(node);
    for (const child of node.children) stack.push({ node: child, drawn: inherited });
  }
}

/** Content nested deeper than MAX_DEPTH becomes the text of the element at that depth. */
function flattenDeepNesting(document: Document): void {
  const stack: { node: Node; depth: number }[] = document.children.map((node) => ({ node, depth: 1 }));
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, depth } = item;
    if (!DomUtils.isTag(node)) continue;
    if (depth < MAX_DEPTH) {
      for (const child of node.children) stack.push({ node: child, depth: depth + 1 });
      continue;
    }
    const texts: Extract<Node, { data: string }>[] = [];
    const inner: Node[] = [...node.children].reverse();
    for (let descendant = inner.pop(); descendant !== undefined; descendant = inner.pop()) {
      if (DomUtils.isText(descendant)) texts.push(descendant);
      else if (DomUtils.hasChildren(descendant)) for (let index = descendant.children.length - 1; index >= 0; index--) inner.push(descendant.children[index] as Node);
    }
    node.children = [];
    const [text] = texts;
    if (text === undefined) continue;
    // The first text node carries all of it: blocks apart, words stay apart too.
    text.data = texts.map((part) => part.data).join(' ');
    DomUtils.appendChild(node, text);
  }
}

/** A browser puts a fragment in a body, which rules can name (`body .x`); so is it here. Returns the body. */
function inBody(document: Document): Element {
  const body = parseDocument('<body></body>').children[0] as Element;
  body.children = document.children;
  for (const child of body.children) child.parent = body;
  body.parent = document;
  document.children = [body];
  return body;
}

/** The HTML with everything a person would not see removed. */
export function visibleHtml(html: string): VisibleHtml {
  const tags = /<[a-z]/gi;
  let end = html.length;
  for (let count = 1; tags.exec(html) !== null; count++) {
    if (count > MAX_ELEMENTS) {
      end = tags.lastIndex - 2;
      break;
    }
  }
  const document = parseDocument(html.slice(0, end));
  let elements = elementsOf(document);
  if (!elements.some((element) => element.name === 'body')) elements = [inBody(document), ...elements];
  const { styles, unappliedRules } = sheetStyles(elements, document);
  removeHidden(document, styles);
  flattenDeepNesting(document);
  // A style sheet in the part not read could hide what was.
  const unreadSheet = end < html.length && /<style/i.test(html.slice(end));
  const notes = [...(end < html.length ? [CUT_NOTE] : []), ...(unappliedRules || unreadSheet ? [UNAPPLIED_RULES_NOTE] : [])];
  return { html: render(document, { encodeEntities: 'utf8' }), notes };
}
