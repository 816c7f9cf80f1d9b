/** The answers' schemas refuse what a tool must not answer, so the harness's check of every result can fail. */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../tools/index.js';
import { listOutput, recordOutput, searchOutput, writeOutput } from '../../src/toolkit/outputs.js';

describe('output schemas', () => {
  it('take a page only with its items, its total and its cursor', () => {
    expect(listOutput.safeParse({ items: [{ id: 1 }], total: 1, next_cursor: null }).success).toBe(true);
    expect(listOutput.safeParse({}).success).toBe(false);
    expect(listOutput.safeParse({ items: [{ id: 1 }], total: 1 }).success).toBe(false);
    expect(listOutput.safeParse({ items: [1, 2], total: 2, next_cursor: null }).success).toBe(false);
    expect(listOutput.safeParse({ items: [], total: -1, next_cursor: null }).success).toBe(false);
    expect(searchOutput.safeParse({ items: [], total: 0, next_cursor: '', matched: 'words' }).success).toBe(false);
  });

  it('take a record only when it names itself with its id', () => {
    expect(recordOutput.safeParse({ id: 12, summary: 'Printer' }).success).toBe(true);
    expect(recordOutput.safeParse({ summary: 'Printer' }).success).toBe(false);
    expect(recordOutput.safeParse({ id: null }).success).toBe(false);
  });

  it('take a dry run only with the request it would send, and a write only with what it did', () => {
    expect(writeOutput.safeParse({ dry_run: true, request: { method: 'POST', path: '/Tickets', body: [{}] } }).success).toBe(true);
    expect(writeOutput.safeParse({ dry_run: true, request: [{ method: 'POST', path: '/Actions' }] }).success).toBe(true);
    expect(writeOutput.safeParse({ dry_run: false, ticket: { id: 1 } }).success).toBe(true);
    expect(writeOutput.safeParse({ dry_run: true }).success).toBe(false);
    expect(writeOutput.safeParse({ dry_run: true, request: { method: 'PATCH', path: '/Tickets' } }).success).toBe(false);
    expect(writeOutput.safeParse({ dry_run: true, request: { method: 'POST', path: 'Tickets' } }).success).toBe(false);
    expect(writeOutput.safeParse({ dry_run: false }).success).toBe(false);
  });

  it('gives no tool of the catalog a schema that takes an empty answer', () => {
    const accepting = catalog.filter((tool) => tool.output.safeParse({}).success).map((tool) => tool.name);
    expect(accepting).toEqual([]);
  });
});
