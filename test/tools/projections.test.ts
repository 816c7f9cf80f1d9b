/** Projections read the fields Halo's records hold, by the names its document gives them. */
import { describe, expect, it } from 'vitest';
import { loadTextShaper } from '../../src/toolkit/html-text.js';
import { clientDetail, userDetail } from '../../tools/customers/projections.js';

describe('customer projections', () => {
  it("shows a client's phone from main_phonenumber, the field Halo's client record has", async () => {
    const client = clientDetail({ id: 4, name: 'Acme', main_phonenumber: '01632 960000' }, await loadTextShaper());
    expect(client.phone).toBe('01632 960000');
  });

  it("shows a user's job title from title", () => {
    expect(userDetail({ id: 9, name: 'Ann', title: 'Office manager' }).title).toBe('Office manager');
  });
});
