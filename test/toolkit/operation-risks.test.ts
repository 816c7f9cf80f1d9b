/** The gateway's lists of what operations do beyond their method: each entry is grounded in Halo's document. */
import { describe, expect, it } from 'vitest';
import operationsDocument from '../../src/openapi/operations.json' with { type: 'json' };
import schemas from '../../src/openapi/schemas.json' with { type: 'json' };
import {
  CUSTOMER_FACING_FIELDS,
  CUSTOMER_FACING_POSTS,
  DESTRUCTIVE_FIELDS,
  DESTRUCTIVE_PARAMETERS,
  DESTRUCTIVE_POSTS,
  HARMLESS_UNDERSCORE_FIELDS,
  PRIVILEGED_POSTS,
  SECRET_OPERATIONS,
  SECRET_PARAMETERS,
  STATE_CHANGING_GETS,
  STATE_CHANGING_PARAMETERS,
  customerReach,
  destruction,
  secretReason,
  stateChanges,
} from '../../src/toolkit/operation-risks.js';
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
    for (const path of [...Object.keys(DESTRUCTIVE_POSTS), ...Object.keys(PRIVILEGED_POSTS), ...Object.keys(CUSTOMER_FACING_POSTS)]) {
      expect(() => operation('POST', path), path).not.toThrow();
    }
    for (const name of [...Object.keys(STATE_CHANGING_PARAMETERS), ...Object.keys(DESTRUCTIVE_PARAMETERS), ...Object.keys(SECRET_PARAMETERS)]) {
      expect(operations.some((candidate) => candidate.method === 'GET' && candidate.query.some((param) => param.name.toLowerCase() === name)), name).toBe(true);
    }
    const fields = new Set(Object.values(schemas).flatMap((properties) => Object.keys(properties).map((name) => name.toLowerCase())));
    for (const name of [...Object.keys(DESTRUCTIVE_FIELDS), ...Object.keys(CUSTOMER_FACING_FIELDS), ...HARMLESS_UNDERSCORE_FIELDS]) expect(fields.has(name), name).toBe(true);
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
    // A Halo newer than the document may take it where the document does not say so.
    expect(stateChanges(operation('GET', '/Notifications/{id}'), { update_shown: true })).toEqual(['"update_shown" marks the notifications it answers as shown']);
    expect(stateChanges(operation('GET', '/LapSafe/Cancel'), {})).toEqual(['it cancels a LapSafe locker booking']);
    expect(stateChanges(operation('GET', '/ConfirmClosure/{id}'), {})).toEqual(['it confirms the closure of a ticket']);
  });

  it('reads names as Halo binds them: any case, spaces around, dotless i and long s', () => {
    expect(destruction(operation('POST', '/Tickets'), [{ id: 4, merged_ınto_ıd: 5 }])).toEqual(['"merged_ınto_ıd" names the ticket this one is merged into']);
    expect(destruction(operation('POST', '/Users'), [{ id: 4, _anonymiſe: true }])).toEqual(['"_anonymiſe" anonymises the user, erasing their details']);
    expect(stateChanges(operation('GET', '/Notifications'), { ' update_shown ': 'true' })).toHaveLength(1);
  });

  it('takes an underscore field nobody has read as destructive, and a privileged one, but not a harmless one', () => {
    expect(destruction(operation('POST', '/Tickets'), [{ id: 1, _canupdate: true, _isnew: false, summary: 'x' }])).toEqual([]);
    expect(destruction(operation('POST', '/Tickets'), [{ id: 1, _somethingnew: true }])).toEqual([
      '"_somethingnew" makes Halo act in a way its document does not describe, so it is taken as destructive',
    ]);
    expect(destruction(operation('POST', '/Agent'), [{ id: 2, is_admin: false }])).toEqual(['"is_admin" sets credentials, roles or access']);
    expect(destruction(operation('POST', '/Application'), {})).toEqual(['it creates or changes an API application, which holds credentials to Halo']);
    // Halo binds some POST records from the query.
    expect(destruction(operation('POST', '/Tickets'), [{ id: 1 }], { deleted: 'true' })).toEqual(['"deleted" deletes the record, or brings a deleted one back']);
    expect(destruction(operation('GET', '/IntegrationData/Get/Sherweb'), undefined, { reset_token: true })).toEqual([`"reset_token" resets the integration's stored token`]);
    expect(destruction(operation('GET', '/IntegrationData/Get/Sherweb'), undefined, { reset_token: false })).toEqual([]);
  });

  it('finds what reaches the end user, sending fields with any value and switches only when on', () => {
    expect(customerReach(operation('POST', '/Actions'), [{ ticket_id: 1, sendemail: false, hiddenfromuser: true }])).toEqual([]);
    expect(customerReach(operation('POST', '/Actions'), [{ ticket_id: 1, sendemail: true }])).toEqual(['"sendemail" emails the end user']);
    expect(customerReach(operation('POST', '/Actions'), [{ ticket_id: 1, id: 2, hiddenfromuser: 'false' }])).toEqual(['"hiddenfromuser": false shows the note to the end user']);
    expect(customerReach(operation('POST', '/Invoice'), [{ id: 1, _sendmassinvoice: false }])).toEqual(['"_sendmassinvoice" emails the invoices to the customers']);
    expect(customerReach(operation('POST', '/Outgoingemail'), {})).toEqual(['it queues an email to be sent']);
  });

  it('refuses parameters that answer secrets in every mode', () => {
    expect(secretReason(operation('GET', '/SnowDetails/{id}'), { doDecrypt: true })).toMatch(/decrypted/);
    expect(secretReason(operation('GET', '/SnowDetails/{id}'), { doDecrypt: false })).toBeUndefined();
  });
});
