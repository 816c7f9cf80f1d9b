import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderToolsDoc } from '../scripts/tools-doc.js';
import { PROBES } from '../tools/toolset-probes.js';
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
    const directory = new URL('../src/config/', import.meta.url);
    const config = readdirSync(directory)
      .map((file) => readFileSync(new URL(file, directory), 'utf8'))
      .join('\n');
    const settings = new Set(config.match(/\bHALO_[A-Z_]+\b/g));
    for (const setting of settings) expect(readme, setting).toContain(`| \`${setting}\` |`);
  });
});

describe('docs/halo-behaviour.md', () => {
  const root = new URL('../', import.meta.url);
  const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
  const doc = read('docs/halo-behaviour.md');

  /** The cells of each row of the table, split on the pipes a cell does not escape. */
  const rows = doc
    .split('\n')
    .filter((line) => line.startsWith('| <a id="'))
    .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
  const idOf = (row: string[]): string => /^<a id="([a-z0-9-]+)"><\/a>\1$/.exec(row[0] ?? '')?.[1] ?? `malformed: ${row[0] ?? ''}`;
  /** The text of each `code span` of a cell, in order. */
  const spans = (cell: string | undefined): string[] => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');

  /** Every `Halo behaviour:` comment in src/sandbox: the file and the row it names. */
  const comments = readdirSync(new URL('src/sandbox/', root), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) =>
      [...read(`src/sandbox/${file}`).matchAll(/\/\/ Halo behaviour: docs\/halo-behaviour\.md#(\S*)/g)].map((match) => ({
        file: `src/sandbox/${file.split('\\').join('/')}`,
        id: match[1] ?? '',
      })),
    );

  it('has a row of six cells for each id, each id once', () => {
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) expect(row, row[0]).toHaveLength(6);
    const ids = rows.map(idOf);
    expect(ids.filter((id) => id.startsWith('malformed'))).toEqual([]);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it('has a row for every Halo behaviour comment in the sandbox', () => {
    const ids = new Set(rows.map(idOf));
    expect(comments.length).toBeGreaterThan(50);
    expect(comments.filter((comment) => !ids.has(comment.id))).toEqual([]);
  });

  it('names sandbox files that exist and carry the comment of the row', () => {
    const missing: string[] = [];
    for (const row of rows) {
      const id = idOf(row);
      for (const file of spans(row[4]).filter((span) => span.startsWith('src/sandbox/'))) {
        if (!existsSync(new URL(file, root))) missing.push(`${id}: ${file} does not exist`);
        else if (!comments.some((comment) => comment.file === file && comment.id === id)) missing.push(`${id}: ${file} has no comment for it`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names tests that exist, by file and by name', () => {
    const missing: string[] = [];
    for (const row of rows) {
      const id = idOf(row);
      let file: string | undefined;
      let named = true;
      for (const span of spans(row[5])) {
        if (span.endsWith('.test.ts')) {
          if (!named) missing.push(`${id}: no test named in ${file ?? ''}`);
          file = span;
          named = false;
          if (!existsSync(new URL(file, root))) missing.push(`${id}: ${file} does not exist`);
        } else if (file === undefined) {
          missing.push(`${id}: test "${span}" follows no file`);
        } else {
          named = true;
          if (existsSync(new URL(file, root)) && !read(file).replace(/\\'/g, "'").includes(span)) missing.push(`${id}: ${file} has no test "${span}"`);
        }
      }
      if (!named) missing.push(`${id}: no test named in ${file ?? ''}`);
    }
    expect(missing).toEqual([]);
  });
});
