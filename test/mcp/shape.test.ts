import { describe, expect, it } from 'vitest';
import { recordWithinBudget, withFields } from '../../src/mcp/shape.js';

describe('fields asked for by name', () => {
  it('keep the names of missing fields when the fields asked for fill the budget', () => {
    const raw = { id: 4, summary: 'Printer offline', notes: 'n'.repeat(350), details: 'd'.repeat(300) };
    const shaped = recordWithinBudget(withFields({ id: 4, summary: 'Printer offline' }, raw, ['notes', 'details', 'no_such_field']), 600);
    expect(shaped.missing_fields).toEqual(['no_such_field']);
    expect(shaped.omitted_fields).toEqual(['notes']);
    expect(shaped.details).toBe('d'.repeat(300));
  });
});
