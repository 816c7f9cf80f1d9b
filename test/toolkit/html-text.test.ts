/**
 * The shape of the text Halo's HTML becomes: lists, tables, links, headings, images, spacing and
 * entities as a model reads them. What is hidden from a person is dropped by visible-html, tested
 * on its own (visible-html.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DISCLAIMER_MARKER, loadTextShaper, truncate, withoutDisclaimer, type TextShaper } from '../../src/toolkit/html-text.js';

let shaper: TextShaper;
beforeAll(async () => {
  shaper = await loadTextShaper();
});

const text = (html: unknown) => shaper.fromHtml(html, 10_000);
const lines = (html: string) => text(html).split('\n').map((line) => line.trim());

describe('lists', () => {
  it('marks each item of a bulleted list with a dash, and indents a nested one', () => {
    expect(text('<ul><li>Restart the router</li><li>Check the cable</li></ul>')).toBe('- Restart the router\n- Check the cable');
    expect(text('<ul><li>Outer<ul><li>Inner</li></ul></li></ul>')).toBe('- Outer\n  - Inner');
  });

  it('numbers the items of a numbered list', () => {
    expect(lines('<ol><li>First</li><li>Second</li></ol>')).toEqual(['1. First', '2. Second']);
  });
});

describe('tables', () => {
  it('lines up columns under headers left as written', () => {
    expect(text('<table><tr><th>Device</th><th>Status</th></tr><tr><td>Printer</td><td>Offline</td></tr></table>')).toBe('Device    Status\nPrinter   Offline');
  });

  it('wraps a long cell at 40 characters rather than stretching every row', () => {
    const table = text(`<table><tr><td>${'word '.repeat(20)}</td><td>x</td></tr></table>`);
    expect(table.split('\n').every((line) => line.trimEnd().length <= 43)).toBe(true);
    expect(table.split('\n')[0]).toMatch(/^(word ){7}word\s+x$/);
    expect(table.match(/word/g)).toHaveLength(20);
  });
});

describe('links and images', () => {
  it("keeps a link's words and leaves out its address, which costs tokens and rarely matters", () => {
    expect(text('<p>See <a href="https://kb.example.com/article/42?utm=x">the article</a>.</p>')).toBe('See the article.');
    expect(text('<a href="https://example.com">https://example.com</a>')).toBe('https://example.com');
  });

  it('leaves out images, their alternative text included', () => {
    expect(text('<p>Logo <img src="logo.png" alt="ACME LOGO"> here</p>')).toBe('Logo here');
  });
});

describe('layout', () => {
  it('keeps headings as written, not in capitals, each a paragraph of its own', () => {
    expect(text('<h1>Outage</h1><h2>Cause</h2><p>A switch.</p>')).toBe('Outage\n\nCause\n\nA switch.');
  });

  it('breaks lines at <br>, separates paragraphs by one blank line however many empty ones there are, and collapses spaces', () => {
    expect(text('<p>one<br>two</p><p></p><p></p><p>three</p>')).toBe('one\ntwo\n\nthree');
    expect(text('<div>  lots   of   spaces  </div>\n\n\n\n<div>x</div>')).toBe('lots of spaces\nx');
  });

  it('reads the body of a whole document, not its head', () => {
    expect(text('<html><head><title>T</title><style>p{color:red}</style></head><body><p>Body</p></body></html>')).toBe('Body');
  });

  it('marks a quotation as a quotation', () => {
    expect(text('<blockquote>quoted</blockquote>')).toBe('> quoted');
  });
});

describe('entities', () => {
  it('turns named and numbered entities into their characters, non-breaking spaces included', () => {
    expect(text('<p>&copy; 2026 &mdash; &#169; &#x2014; &euro;5</p>')).toBe('© 2026 — © — €5');
    expect(text('<p>a&nbsp;&nbsp;b</p>')).toBe('a\u00a0\u00a0b');
  });
});

describe('what is not HTML', () => {
  it('keeps plain text as it is, and makes nothing of blank text or of a value that is not text', () => {
    expect(text('Plain text, no tags')).toBe('Plain text, no tags');
    for (const nothing of ['', '   ', null, undefined, 123]) expect(text(nothing)).toBe('');
  });
});

describe('length', () => {
  it('cuts a long text to its budget, saying how much was left out', () => {
    expect(shaper.fromHtml(`<p>${'x'.repeat(50)}</p>`, 20)).toBe(`${'x'.repeat(20)} … [30 more characters]`);
    expect(truncate('abc', 5)).toBe('abc');
  });
});

describe('email disclaimers', () => {
  const footer =
    'This email and any attachments are confidential and intended solely for the addressee. If you have received this email in error please notify the sender immediately and delete it.';
  const email = `<p>Hi team,</p><p>The printer is offline again.</p><p>Kind regards,<br>Emma</p><p style="font-size:8pt">${footer}</p>`;
  const shown = (html: string, maxChars = 10_000) => shaper.fromHtml(html, maxChars, { withoutDisclaimer: true });

  it('leave out a confidentiality footer that ends the text, saying so, and keep everything before it', () => {
    expect(shown(email)).toBe(`Hi team,\n\nThe printer is offline again.\n\nKind regards,\nEmma\n\n${DISCLAIMER_MARKER}`);
  });

  it('leave out a heading above the footer, and a footer of several paragraphs', () => {
    const legal = '<p>Any views expressed are those of the author. Unauthorised copying is prohibited; we accept no liability for viruses.</p>';
    const plain = (html: string) => shown(html).replace(/\s+/g, ' ');
    expect(shown(`<p>Fixed, thanks.</p><p>CONFIDENTIALITY NOTICE:</p><p>${footer}</p>`)).toBe(`Fixed, thanks.\n\n${DISCLAIMER_MARKER}`);
    // The second paragraph says nothing of confidentiality, so it is content and stays, and so does what comes before it.
    expect(plain(`<p>Fixed.</p><p>${footer}</p>${legal}`)).toContain('Any views expressed');
    expect(shown(`<p>Fixed.</p><p>${footer}</p><p>${footer.replace('email', 'message')}</p>`)).toBe(`Fixed.\n\n${DISCLAIMER_MARKER}`);
  });

  it('keep what a customer wrote that only mentions confidentiality, a footer in the middle, and a text that is nothing but a footer', () => {
    const mention = '<p>Hi,</p><p>Please keep the new password confidential and delete it from the chat once you have it.</p>';
    expect(shown(mention)).toBe(text(mention));
    const middle = `<p>Hi,</p><p>${footer}</p><p>The real question: why is the VPN down?</p>`;
    expect(shown(middle)).toBe(text(middle));
    expect(shown(`<p>${footer}</p>`)).toBe(footer);
    const long = `<p>Hi,</p><p>${footer} ${'More detail about the confidential project. '.repeat(40)}</p>`;
    expect(shown(long)).toBe(text(long));
  });

  it('are kept unless asked to leave them out, and leave the room of the cut to length to the content', () => {
    expect(text(email)).toContain(footer);
    expect(withoutDisclaimer('Only one paragraph.')).toBe('Only one paragraph.');
    expect(shown(email, 100)).toBe(`Hi team,\n\nThe printer is offline again.\n\nKind regards,\nEmma\n\n${DISCLAIMER_MARKER}`);
  });
});
