import { describe, expect, it } from 'vitest';
import { HaloValidationError } from '../../src/halo/errors.js';
import { toolErrorText } from '../../src/mcp/errors.js';
import { ResolutionError, ToolInputError } from '../../src/toolkit/errors.js';

const unchanged = (text: string) => text;

describe('error texts', () => {
  it('keep a short quote whole', () => {
    expect(toolErrorText(new ToolInputError('No client matches "Acme".'), unchanged)).toBe('No client matches "Acme".');
  });

  it('cut a long quote without splitting a character, and say how long it was', () => {
    const text = toolErrorText(new ToolInputError(`No client matches "${'a'.repeat(199)}${'😀'.repeat(50)}".`), unchanged);
    expect(text).toBe(`No client matches "${'a'.repeat(199)}…" (249 characters).`);
  });

  it('stop at 4,000 characters whatever the error holds', () => {
    const text = toolErrorText(new ToolInputError(`Refused: ${'word '.repeat(5_000)}`), unchanged);
    expect(text).toHaveLength(4_000 + '… (error cut at 4000 characters)'.length);
    expect(text).toMatch(/^Refused: word word .*… \(error cut at 4000 characters\)$/);
  });

  it("show Halo's words as visible text and the caller's own words as given", () => {
    expect(toolErrorText(new HaloValidationError('Summary \u202Eevil\u202C is\u200B too long'), unchanged)).toBe('Summary evil is too long');
    const ambiguous = new ResolutionError('"Acme\u200B" matches several clients.', [{ id: 2, name: 'Acme\u2066\nLtd' }]);
    expect(toolErrorText(ambiguous, unchanged)).toBe('"Acme\u200B" matches several clients. Closest: Acme Ltd (id 2).');
  });
});
