/** HTML to text keeps what a person sees in the email and drops what is hidden from them. */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadTextShaper, UNSHOWABLE_TEXT, type TextShaper } from '../../src/toolkit/html-text.js';
import { CUT_NOTE, MAX_ELEMENTS, UNAPPLIED_RULES_NOTE } from '../../src/toolkit/visible-html.js';

let shaper: TextShaper;
beforeAll(async () => {
  shaper = await loadTextShaper();
});

const text = (html: string) => shaper.fromHtml(`<p>Seen.</p>${html}`, 10_000);

describe('hidden content', () => {
  it.each([
    ['display:none', '<div style="display:none">x</div>'],
    ['display:none written with CSS escapes, odd case and spacing', '<div style="DIS\\70 LAY :  None !important">x</div>'],
    ['the hidden attribute', '<section hidden><p>x</p></section>'],
    ['a closed dialog', '<dialog>x</dialog>'],
    ['visibility:hidden', '<span style="visibility:hidden">x</span>'],
    ['opacity:0', '<span style="opacity:0">x</span>'],
    ['mso-hide:all', '<span style="mso-hide:all">x</span>'],
    ['a font size of 1px', '<span style="font-size:1px">x</span>'],
    ['a font size of 0 in the font shorthand', '<span style="font:0/0 a">x</span>'],
    ['a font size that shrinks to nothing in ems', '<div style="font-size:0.1em">x</div>'],
    ['white text', '<span style="color:#fff">x</span>'],
    ['near-white text', '<span style="color:rgb(250, 250, 250)">x</span>'],
    ['a light named colour', '<span style="color:Snow">x</span>'],
    ['transparent text', '<span style="color:transparent">x</span>'],
    ['text the colour of its background', '<div style="background-color:#003366"><span style="color:#003366">x</span></div>'],
    ['a legacy white font', '<table bgcolor="ffffff"><tr><td><font color="#FEFEFE">x</font></td></tr></table>'],
    ['text filled white over dark text', '<span style="color:#000;-webkit-text-fill-color:#fff">x</span>'],
    ['a zero-height box that clips', '<div style="height:0;overflow:hidden">x</div>'],
    ['a one-pixel clipped box', '<div style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)">x</div>'],
    ['a box moved off the page', '<div style="position:absolute;left:-10000px">x</div>'],
    ['text indented off the page', '<div style="text-indent:-9999px">x</div>'],
    ['a box scaled to nothing', '<div style="transform:scale(0)">x</div>'],
    ['a box clipped to nothing', '<div style="clip-path:inset(50%)">x</div>'],
    ['a style rule on a class', '<style>.p{display:none}</style><p class="p">x</p>'],
    ['a style rule with a descendant selector', '<style>div .p{font-size:0}</style><div><b class="p">x</b></div>'],
    ['an important rule over an inline style', '<style>#a{display:none !important}</style><p id="a" style="display:block">x</p>'],
    ['a rule after an @import', '<style>@import url(a.css); .p{color:white}</style><p class="p">x</p>'],
    ['<title>', '<title>x</title>'],
    ['<template>', '<template>x</template>'],
    ['<noscript>', '<noscript>x</noscript>'],
    ['<textarea>', '<textarea>x</textarea>'],
    ['<script>', '<script>x</script>'],
    ['<iframe> fallback', '<iframe>x</iframe>'],
    ['<datalist>', '<datalist><option>x</option></datalist>'],
    ['an Office <xml> island', '<xml>x</xml>'],
    ['a rule in @media all', '<style>@media all { .p { display:none } }</style><p class="p">x</p>'],
    ['a rule in @media screen and (min-width:480px)', '<style>@media only screen and (min-width:480px) { .p { display:none } }</style><p class="p">x</p>'],
    ['a rule in @layer inside @supports', '<style>@supports (display:grid) { @layer base { .p { display:none } } }</style><p class="p">x</p>'],
    ['a nested rule', '<style>div { & > .p { display:none } }</style><div><p class="p">x</p></div>'],
    ['a more specific rule before a later weaker one', '<style>p.p { display:none } p { display:block }</style><p class="p">x</p>'],
    ['display:none through a custom property', '<div style="--gone:none"><p style="display:var(--gone)">x</p></div>'],
    ['a font size worked out by calc()', '<span style="font-size:calc(16px - 15.5px)">x</span>'],
    ['a box scaled to a thousandth', '<div style="transform:scale(0.001)"><span style="font-size:20px">x</span></div>'],
    ['a box translated off the page', '<div style="transform:translate(-100vw, 0)">x</div>'],
    ['a clipping box lower than half a line', '<div style="height:3px;overflow:hidden">x</div>'],
    ['a closed <details> past its summary', '<details><summary></summary><p>x</p></details>'],
    ['the options of a drop-down not chosen', '<select><option selected></option><option>x</option></select>'],
    ['a 0x0 <svg>', '<svg width="0" height="0"><text>x</text></svg>'],
    ['text the colour of its fallback background behind an image', '<div style="background:url(x.png) #fff;color:#fff">x</div>'],
  ])('drops %s', (_trick, html) => {
    expect(text(html)).toBe('Seen.');
  });
});

describe('visible content', () => {
  it.each([
    ['sized text inside a font-size:0 wrapper (email column layouts)', '<td style="font-size:0"><div style="font-size:14px">Kept</div></td>'],
    ['white text on a dark background', '<div style="background:#003366 url(x.png) no-repeat"><p>Kept</p></div><div style="background-color:#222"><span style="color:#fff">Kept</span></div>'],
    ['grey fine print', '<p style="font-size:8pt;color:#999">Kept</p>'],
    ['a child made visible again', '<div style="visibility:hidden"><span style="visibility:visible">Kept</span></div>'],
    ['text over an image, whose colour cannot be judged', '<div style="background-image:url(x.png)"><span style="color:#fff">Kept</span></div>'],
    ['a colour it cannot read', '<span style="color:var(--ink)">Kept</span>'],
    ['content hidden only by a media query (phones)', '<style>@media (max-width:600px){.d{display:none}}</style><p class="d">Kept</p>'],
    ['content a rule hides only on hover', '<style>.h:hover{display:none}</style><p class="h">Kept</p>'],
    ['an open dialog', '<dialog open>Kept</dialog>'],
    ['a pseudo-element rule, which styles no element', '<style>p::before{display:none}</style><p>Kept</p>'],
    ['content hidden only in print', '<style>@media print{.d{display:none}}</style><p class="d">Kept</p>'],
    ['content hidden by a weaker rule before a more specific one', '<style>.k{display:none} p.k{display:block}</style><p class="k">Kept</p>'],
    ['a closed <details> summary', '<details><summary>Kept</summary>gone</details>'],
    ['a font size worked out by clamp()', '<p style="font-size:clamp(12px, 2vw, 18px)">Kept</p>'],
  ])('keeps %s', (_case, html) => {
    expect(text(html)).toMatch(/^Seen\.\n\n(Kept\s*)+$/);
  });

  it('keeps entities, scripts and characters that are not markup', () => {
    expect(shaper.fromHtml('<p>Fish &amp; chips &lt;b&gt; for Zoë, 東京</p>', 100)).toBe('Fish & chips <b> for Zoë, 東京');
  });

  it('removes invisible characters, also when written as entities', () => {
    expect(shaper.fromHtml('<p>Pay&#x202E; &#8203;now\u2066</p>', 100)).toBe('Pay now');
  });
});

describe('hostile HTML', () => {
  /** How long `work` takes, in milliseconds. */
  function timed(work: () => string): { text: string; ms: number } {
    const started = performance.now();
    const text = work();
    return { text, ms: performance.now() - started };
  }

  it('never evaluates :has(), and says that a rule it left unapplied may hide text (a 1.9 KB email held the server 49 s)', () => {
    const bomb = `<style>${'div:has('.repeat(4)}b${')'.repeat(4)}{display:none}</style>${'<div>'.repeat(160)}<i>Hello</i>${'</div>'.repeat(160)}`;
    const { text, ms } = timed(() => shaper.fromHtml(bomb, 2_000));
    expect(text).toBe(`${UNAPPLIED_RULES_NOTE}\nHello`);
    expect(ms).toBeLessThan(5_000);
  });

  it('says nothing of an unapplied rule that cannot hide text', () => {
    expect(shaper.fromHtml('<style>div:has(b){text-decoration:underline}</style><div><b>Hello</b></div>', 100)).toBe('Hello');
  });

  it('stops matching style rules after its budget, and says so (5,000 rules over 10,000 elements took 15 s)', () => {
    const sheet = `<style>${Array.from({ length: 5_000 }, (_, index) => `div.a span.c${index}{color:red}`).join('')}</style>`;
    const { text, ms } = timed(() => shaper.fromHtml(`${sheet}${'<div class="a"><span>x</span></div>'.repeat(4_000)}`, 2_000));
    expect(text.startsWith(UNAPPLIED_RULES_NOTE)).toBe(true);
    expect(ms).toBeLessThan(5_000);
  });

  it('reads 19,000 nested elements (20,000 overflowed the stack), and still drops what is hidden deep inside them', () => {
    const deep = (inner: string) => `${'<div>'.repeat(19_000)}${inner}${'</div>'.repeat(19_000)}`;
    expect(shaper.fromHtml(deep('hello'), 100)).toBe('hello');
    expect(shaper.fromHtml(`<p>Seen.</p>${deep('<span style="display:none">x</span>Kept')}`, 100)).toMatch(/^Seen\.\s+Kept$/);
    expect(shaper.fromHtml(`${'<span style="color:red">'.repeat(19_000)}styled${'</span>'.repeat(19_000)}`, 100)).toBe('styled');
  });

  it(`reads the first ${MAX_ELEMENTS} elements, says so, and flags a style sheet in the part not read`, () => {
    const { text, ms } = timed(() => shaper.fromHtml(`${'<b>'.repeat(100_000)}x`, 200));
    expect(text).toBe(CUT_NOTE);
    expect(ms).toBeLessThan(5_000);
    const lateSheet = `<p>Hello</p>${'<br>'.repeat(MAX_ELEMENTS)}<style>p{display:none}</style>`;
    expect(shaper.fromHtml(lateSheet, 200)).toBe(`${CUT_NOTE}\n${UNAPPLIED_RULES_NOTE}\nHello`);
  });
});

describe('a text that cannot be read', () => {
  it('stands for itself with a marker rather than failing the record it belongs to', async () => {
    vi.resetModules();
    vi.doMock('../../src/toolkit/visible-html.js', () => ({
      visibleHtml: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    }));
    try {
      const fresh = await import('../../src/toolkit/html-text.js');
      expect((await fresh.loadTextShaper()).fromHtml('<p>Hello</p>', 100)).toBe(UNSHOWABLE_TEXT);
    } finally {
      vi.doUnmock('../../src/toolkit/visible-html.js');
      vi.resetModules();
    }
  });
});
