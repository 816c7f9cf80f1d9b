/**
 * The files scripts/derive-openapi.ts derives agree with what the project holds: the wire types
 * with the catalogue and schema tables they are made from, and those with the overlay. (Halo's
 * document itself is not part of the project, so the catalogue is not derived again here.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveWire, WIRE_PATHS } from '../../scripts/derive-wire.js';
import operationsDocument from '../../src/openapi/operations.json' with { type: 'json' };
import overlay from '../../src/openapi/overlay.json' with { type: 'json' };
import schemas from '../../src/openapi/schemas.json' with { type: 'json' };

const RUN_AGAIN = 'run npm run derive:openapi -- <openapi.json>';

/** Where two texts first part, by line, or undefined when they are the same. */
function firstDifference(committed: string, derived: string): string | undefined {
  if (committed === derived) return undefined;
  const theirs = derived.split('\n');
  const lines = committed.split('\n');
  const at = lines.findIndex((line, index) => line !== theirs[index]);
  const line = at === -1 ? lines.length : at;
  return `line ${line + 1}: committed ${JSON.stringify(lines[line])}, derived ${JSON.stringify(theirs[line])}`;
}

describe('the derived OpenAPI files', () => {
  it('hold the wire types the derivation makes of the committed catalogue', () => {
    const committed = readFileSync(new URL('../../src/openapi/wire.ts', import.meta.url), 'utf8');
    expect(firstDifference(committed, deriveWire(operationsDocument, schemas)), `src/openapi/wire.ts is out of date: ${RUN_AGAIN}`).toBeUndefined();
  });

  it('type each listed path, and the records its operations answer and take', () => {
    const derived = deriveWire(operationsDocument, schemas, ['/Tickets', '/Actions']);
    expect(derived).toContain('"/Tickets/{id}": {');
    expect(derived).toMatch(/"\/Tickets": \{\n {4}GET: \{\n {6}query: \{[^}]*\n {8}team_id\?: number;/);
    expect(derived).toMatch(/export type Faults = \{\n[^}]*\n {2}summary\?: string \| null;/);
    // Named once, however many operations reach it.
    expect(derived.match(/^export type Actions = /gm)).toHaveLength(1);
    expect(() => deriveWire(operationsDocument, schemas, ['/Tikets'])).toThrow(/no operation on \/Tikets/);
    expect(WIRE_PATHS).toEqual([...WIRE_PATHS].sort());
  });

  it('carry each overlay entry, with its evidence', () => {
    expect(operationsDocument.source.overlay, `the overlay changed since the catalogue was derived: ${RUN_AGAIN}`).toBe(overlay.entries.length);
    for (const entry of overlay.entries) {
      const where = `${entry.method} ${entry.path} ${entry.in} ${entry.name}`;
      const operation = operationsDocument.operations.find((candidate) => candidate.method === entry.method && candidate.path === entry.path);
      if (entry.in === 'query') {
        expect(operation?.query.find((param) => param.name === entry.name)?.evidence, where).toEqual(entry.evidence);
      } else {
        expect(operation?.body?.evidence?.[entry.name], where).toEqual(entry.evidence);
        expect(schemas[operation?.body?.schema ?? '']?.[entry.name], where).toBe(entry.type);
      }
    }
  });
});
