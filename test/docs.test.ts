import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderToolsDoc } from '../scripts/tools-doc.js';
import { catalog } from '../tools/index.js';

describe('docs/tools.md', () => {
  it('is what the catalog renders (run npm run docs:tools after changing a tool)', () => {
    expect(readFileSync(new URL('../docs/tools.md', import.meta.url), 'utf8')).toBe(renderToolsDoc());
  });

  it('names every tool of the catalog', () => {
    const doc = renderToolsDoc();
    for (const tool of catalog) expect(doc).toContain(`\`${tool.name}\``);
  });
});
