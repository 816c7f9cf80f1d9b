/** The gateway's lists of what operations do beyond their method: each entry is grounded in Halo's document. */
import { describe, expect, it } from 'vitest';
import operationsDocument from '../../src/openapi/operations.json' with { type: 'json' };
import schemas from '../../src/openapi/schemas.json' with { type: 'json' };
import {
  DESTRUCTIVE_FIELDS,
  DESTRUCTIVE_POSTS,
  SECRET_OPERATIONS,
  STATE_CHANGING_GETS,
  STATE_CHANGING_PARAMETERS,
  destruction,
  stateChanges,
} from '../../src/mcp/operation-risks.js';
import type { Operation } from '../../src/openapi/types.js';

const operations = operationsDocument.operations;
const operation = (method: string, path: string): Operation => {
  const found = operations.find((candidate) => candidate.method === method && candidate.path === path);
  if (!found) throw new Error(`no ${method} ${path}`);
  return found;
};

describe('the lists', () => {
  it("name only operations, parameters and fields that Halo's document has", () => {
    for (const key of Object.keys(SECRET_OPERATIONS)) {
      const [method = '', path = ''] = key.split(' ');
      expect(() => operation(method, path), key).not.toThrow();
    }
    for (const path of Object.keys(STATE_CHANGING_GETS)) expect(() => operation('GET', path), path).not.toThrow();
    for (const path of Object.keys(DESTRUCTIVE_POSTS)) expect(() => operation('POST', path), path).not.toThrow();
    for (const name of Object.keys(STATE_CHANGING_PARAMETERS)) {
      expect(operations.some((candidate) => candidate.method === 'GET' && candidate.query.some((param) => param.name === name)), name).toBe(true);
    }
    const fields = new Set(Object.values(schemas).flatMap((properties) => Object.keys(properties)));
    for (const name of Object.keys(DESTRUCTIVE_FIELDS)) expect(fields.has(name), name).toBe(true);
  });
});

describe('what a call does', () => {
  it('finds a destructive field at any depth and in any case, and only a present one', () => {
    expect(destruction(operation('POST', '/Tickets'), [{ id: 9, summary: 'x' }])).toEqual([]);
    expect(destruction(operation('POST', '/Tickets'), [{ id: 9, Deleted: true }])).toEqual(['"Deleted" deletes the record, or brings a deleted one back']);
    expect(destruction(operation('POST', '/Invoice'), [{ id: 1, lines: [{ id: 2, nested: { voided: false } }] }])).toEqual(['"voided" voids the invoice']);
    expect(destruction(operation('DELETE', '/Webhook/{id}'), undefined)).toEqual(['it deletes']);
    expect(destruction(operation('POST', '/Notify/uat-restore'), undefined)).toEqual(['it restores the test instance over its current data']);
  });

  it('refuses to check a body of more objects than any upsert holds', () => {
    const flood = Array.from({ length: 20_001 }, () => ({}));
    expect(() => destruction(operation('POST', '/Tickets'), flood)).toThrow(/too many to check/);
  });

  it('counts a GET that changes Halo by its path, or by a parameter it takes that is not switched off', () => {
    expect(stateChanges(operation('GET', '/Notifications'), {})).toEqual([]);
    expect(stateChanges(operation('GET', '/Notifications'), { update_shown: false })).toEqual([]);
    expect(stateChanges(operation('GET', '/Notifications'), { UPDATE_SHOWN: 'true' })).toEqual(['"UPDATE_SHOWN" marks the notifications it answers as shown']);
    // Elsewhere Halo ignores the parameter.
    expect(stateChanges(operation('GET', '/Tickets'), { update_shown: true })).toEqual([]);
    expect(stateChanges(operation('GET', '/LapSafe/Cancel'), {})).toEqual(['it cancels a LapSafe locker booking']);
  });
});
