/** HTML to text keeps what a person sees in the email and drops what is hidden from them. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTextShaper, type TextShaper } from '../../src/mcp/shape.js';

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
