import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderToolsDoc } from '../scripts/tools-doc.js';
import { PROBES } from '../src/mcp/toolset-probes.js';
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

describe('README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it("lists for each toolset the scopes doctor checks (edit only where the toolset writes)", () => {
    for (const [toolset, probes] of Object.entries(PROBES)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${toolset}\` |`));
      expect(row, `no scopes row for ${toolset}`).toBeDefined();
      const [, , reads = '', writes = ''] = (row ?? '').split('|');
      for (const probe of probes) {
        if (probe.area === 'config') continue;
        expect(reads, `${toolset} reads`).toContain(`read:${probe.area}`);
        if (probe.writes) expect(writes, `${toolset} writes`).toContain(`edit:${probe.area}`);
      }
    }
  });

  it('documents every setting the configuration reads', () => {
    const config = readFileSync(new URL('../src/config.ts', import.meta.url), 'utf8');
    const settings = new Set(config.match(/\bHALO_[A-Z_]+\b/g));
    for (const setting of settings) expect(readme, setting).toContain(`| \`${setting}\` |`);
  });
});
