/** Tool names a person can grep for, and titles and descriptions that read as English. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../tools/index.js';

const TOOLS_DIR = fileURLToPath(new URL('../../tools/', import.meta.url));

async function catalogSource(): Promise<string> {
  const files = (await readdir(TOOLS_DIR, { recursive: true })).filter((file) => file.endsWith('.ts'));
  const texts = await Promise.all(files.map((file) => readFile(join(TOOLS_DIR, file), 'utf8')));
  return texts.join('\n');
}

/** "a" before a vowel sound, or "an" before a consonant sound: the words where spelling misleads are named. */
const WRONG_ARTICLE = /\b(?:a (?!u(?:ser|nique|rl|sual)|one\b)[aeiou]\w*|an (?!hour|SLA|FAQ|MSP|SQL|HTML|API|RMM)[b-df-hj-np-tv-z]\w*)/gi;
/** What adding "s" does to a word that ends in a consonant and "y", or in "s", "x", "sh" or "ch". */
const WRONG_PLURAL = /\b\w*(?:[b-df-hj-np-tv-z]ys|(?:us|x|sh|ch)s)\b/gi;

function misspellings(text: string): string[] {
  return [...text.matchAll(WRONG_ARTICLE), ...text.matchAll(WRONG_PLURAL)].map((match) => match[0]);
}

describe('tool names and titles', () => {
  it('writes every tool name of the catalog out in tools/, so that grep finds its declaration', async () => {
    const source = await catalogSource();
    const missing = catalog.map((tool) => tool.name).filter((name) => !source.includes(`'${name}'`));
    expect(missing).toEqual([]);
  });

  it('lists every tool a file of tools/ declares: a quoted tool name there names a tool of the catalog', async () => {
    const names = new Set(catalog.map((tool) => tool.name));
    const quoted = [...(await catalogSource()).matchAll(/'(halo_[a-z0-9_]+)'/g)].map((match) => match[1] ?? '');
    expect(quoted.length).toBeGreaterThan(names.size);
    expect([...new Set(quoted.filter((name) => !names.has(name)))]).toEqual([]);
  });

  it('gives no tool a title or description with a broken article or plural', () => {
    const broken = catalog.flatMap((tool) => misspellings(`${tool.title}. ${tool.description}`).map((word) => `${tool.name}: "${word}"`));
    expect(broken).toEqual([]);
  });

  it('catches the misspellings a generated title used to have', () => {
    expect(misspellings('Create a asset. List prioritys, statuss and timesheet entrys. Get a invoice.')).toEqual(['a asset', 'a invoice', 'prioritys', 'statuss', 'entrys']);
    expect(misspellings('Get a user, an SLA, an hour, a ticket; list statuses, entries and days.')).toEqual([]);
  });
});
