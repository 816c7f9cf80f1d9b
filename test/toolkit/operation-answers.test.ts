/** Halo's answers to the gateway, tidied and paged as the curated tools show theirs. */
import { describe, expect, it } from 'vitest';
import { loadTextShaper } from '../../src/toolkit/html-text.js';
import { gatewayPaging, shapeAnswer } from '../../src/toolkit/operation-answers.js';
import { decodeCursor } from '../../src/toolkit/cursor.js';
import type { Operation } from '../../src/openapi/types.js';

const text = await loadTextShaper();
const shape = (answer: unknown, maxChars = 20_000) => shapeAnswer(answer, { maxChars, text });

const pagedOperation: Operation = {
  method: 'GET',
  path: '/Tickets',
  pathParams: [],
  query: [
    { name: 'pageinate', type: 'boolean' },
    { name: 'page_size', type: 'integer' },
    { name: 'page_no', type: 'integer' },
  ],
};
const wholeOperation: Operation = { method: 'GET', path: '/TimesheetEvent', pathParams: [], query: [{ name: 'agent_id', type: 'integer' }] };

describe('a record', () => {
  it('leaves out what holds nothing, and says how much', () => {
    const shaped = shape({ id: 7, summary: 'Printer', note: null, details: '', tags: [], extra: {}, sla_id: 0, deadline: '1900-01-01T00:00:00', onhold: false, impact: 0 });
    expect(shaped.result).toEqual({ id: 7, summary: 'Printer', onhold: false, impact: 0 });
    expect(shaped.left_out).toBe('6 fields without a value (null, "", [], {}, id 0, Halo\'s 1900 "no date")');
  });

  it('says nothing of what it left out when it left out nothing', () => {
    expect(shape({ id: 7, summary: 'Printer' })).toEqual({ result: { id: 7, summary: 'Printer' } });
  });

  it('shows a reference by the name Halo sends beside its id, and keeps a field of the same name', () => {
    const shaped = shape({ id: 1, client_id: 5, client_name: 'Contoso', team_id: 2, team: 'Service Desk', site_name: 'Head Office', site_id: 3, user_id: 4, user_name: 'Ann', user: 'not a name' });
    expect(shaped.result).toEqual({
      id: 1,
      client: { id: 5, name: 'Contoso' },
      team: { id: 2, name: 'Service Desk' },
      site: { id: 3, name: 'Head Office' },
      // The record's own `user` would be hidden by the reference; only the text `user` beside user_id names it.
      user: { id: 4, name: 'not a name' },
      user_name: 'Ann',
    });
  });

  it('keeps an id with no name beside it, and a name beside no id', () => {
    expect(shape({ id: 1, agent_id: 3, client_id: 0, client_name: 'Nobody' }).result).toEqual({ id: 1, agent_id: 3, client_name: 'Nobody' });
  });

  it('shows HTML as fenced text and dates as ISO 8601 UTC, a time of day Halo keeps on 1901 as written', () => {
    const { result } = shape({ id: 1, details: '<p>Hello <b>there</b></p><p>Second</p>', dateoccurred: '2026-08-05T05:32:44.99+01:00', opened: '2026-08-05', starttime: '1901-01-01T09:30:00' });
    expect(result).toEqual({ id: 1, details: '```untrusted\nHello there\n\nSecond\n```', dateoccurred: '2026-08-05T04:32:44Z', opened: '2026-08-05', starttime: '1901-01-01T09:30:00' });
  });

  it('tidies what a record holds, however deep', () => {
    const { result } = shape({ id: 1, lines: [{ id: 1, note: null, item_id: 9, item_name: 'Toner' }, { id: 0 }] });
    expect(result).toEqual({ id: 1, lines: [{ id: 1, item: { id: 9, name: 'Toner' } }] });
  });

  it('cuts a record to the budget, naming the fields it left out', () => {
    const { result } = shape({ id: 1, summary: 'x'.repeat(3_000), more: 'y' }, 2_000);
    expect(result).toMatchObject({ id: 1, more: 'y', omitted_fields: ['summary'] });
  });
});

describe('a list', () => {
  const tickets = (count: number, from = 1) => Array.from({ length: count }, (_, index) => ({ id: from + index, summary: `Ticket ${from + index}`, client_id: 2, client_name: 'Acme', agent_id: 0 }));

  it("is a page of Halo's pages: total from record_count, and a cursor to the next page", () => {
    const paging = gatewayPaging(pagedOperation, {}, undefined, 'key');
    expect(paging.query).toEqual({ pageinate: true, page_size: 25, page_no: 1 });
    const shaped = shapeAnswer({ page_no: 1, page_size: 25, record_count: 60, tickets: tickets(25) }, { maxChars: 20_000, text, paging });
    expect(shaped).toMatchObject({ total: 60, left_out: '25 fields without a value (null, "", [], {}, id 0, Halo\'s 1900 "no date")' });
    expect((shaped.items as unknown[])[0]).toEqual({ id: 1, summary: 'Ticket 1', client: { id: 2, name: 'Acme' } });
    expect(shaped).not.toHaveProperty('envelope');
    expect(decodeCursor(shaped.next_cursor as string, 'key')).toEqual({ page: 2, size: 25, skip: 0 });
    const last = shapeAnswer({ record_count: 35, tickets: tickets(10, 26) }, { maxChars: 20_000, text, paging: gatewayPaging(pagedOperation, {}, shaped.next_cursor as string, 'key') });
    expect(last.next_cursor).toBeNull();
  });

  it("takes the call's own page size and page, and leaves paging off when the call turns it off", () => {
    expect(gatewayPaging(pagedOperation, { page_size: '10', page_no: 3 }, undefined, 'key').query).toEqual({ pageinate: true, page_size: 10, page_no: 3 });
    expect(gatewayPaging(pagedOperation, { pageinate: false }, undefined, 'key')).toMatchObject({ haloPages: false, query: { pageinate: false } });
    expect(() => gatewayPaging(pagedOperation, {}, 'not-a-cursor', 'key')).toThrow(/not one this server issued/);
  });

  it('pages a list that comes whole, and stops on its last page', () => {
    const all = tickets(30);
    const paging = gatewayPaging(wholeOperation, { agent_id: 1 }, undefined, 'key');
    expect(paging.query).toEqual({ agent_id: 1 });
    const first = shapeAnswer(all, { maxChars: 20_000, text, paging });
    expect(first).toMatchObject({ total: 30 });
    expect((first.items as unknown[]).length).toBe(25);
    const second = shapeAnswer(all, { maxChars: 20_000, text, paging: gatewayPaging(wholeOperation, { agent_id: 1 }, first.next_cursor as string, 'key') });
    expect((second.items as { id: number }[]).map((item) => item.id)).toEqual([26, 27, 28, 29, 30]);
    expect(second.next_cursor).toBeNull();
  });

  it('says when Halo did not count the whole list, and reads on while its pages are full', () => {
    const shaped = shapeAnswer(tickets(25), { maxChars: 20_000, text, paging: gatewayPaging(pagedOperation, {}, undefined, 'key') });
    expect(shaped.total).toBe(25);
    expect(shaped.total_note).toMatch(/Halo did not say how many there are in all/);
    expect(shaped.next_cursor).not.toBeNull();
  });

  it('keeps what else the envelope holds, and an empty list is a list', () => {
    expect(shape({ record_count: 0, tickets: [], columns: ['id'] })).toEqual({ items: [], total: 0, next_cursor: null, envelope: { columns: ['id'] } });
  });

  it("says how many records a POST's list left out to stay within the budget, with no cursor", () => {
    const shaped = shape(tickets(200), 3_000);
    expect((shaped.items as unknown[]).length).toBeLessThan(200);
    expect(shaped).toMatchObject({ total: 200, next_cursor: null, note: expect.stringMatching(/^\d+ of 200 records shown/) as unknown });
  });

  it('leaves a list of values that are not records as it is', () => {
    expect(shape([1, 2, 3])).toEqual({ result: [1, 2, 3] });
    expect(shape('done')).toEqual({ result: 'done' });
  });
});
