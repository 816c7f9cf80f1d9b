/** HTML built from text that may come from anyone: every value goes in as text, never as markup. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Markup already made safe: what `html` returns, and what it puts in as it is. */
export class SafeHtml {
  constructor(readonly text: string) {}
}

/** HTML with every value escaped: `html\`<p>${name}</p>\`` puts `name` in as text, never as markup. */
export function html(strings: TemplateStringsArray, ...values: (string | number | SafeHtml)[]): SafeHtml {
  return new SafeHtml(
    strings.reduce((out, part, index) => {
      const value = values[index - 1];
      return out + (value instanceof SafeHtml ? value.text : escapeHtml(String(value))) + part;
    }),
  );
}
