/**
 * Text search that finds a ticket or an article from a vague request, whether Halo's `search`
 * matches several words as one phrase (as the sandbox does) or word by word.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_WORD_SEARCHES, queryWords, searchOrder, stemOf } from '../../src/toolkit/word-search.js';
import { useSandboxMcp } from '../helpers/setup.js';

type Json = Record<string, unknown>;
type Ref = { id: number; name: string } | null;

const { sandbox, mcp } = useSandboxMcp();
beforeEach(async () => {
  // Names are looked up once and cached, so the first call's lookups do not count against a search.
  await mcp.call('halo_search_tickets', { limit: 1 });
  await sandbox.clearRequests();
});

async function search(tool: string, query: string): Promise<{ data: Json; items: Json[]; searches: (string | undefined)[] }> {
  const { isError, data, text } = await mcp.call(tool, { query });
  expect(isError, text).toBe(false);
  const path = tool === 'halo_search_kb' ? /^\/api\/kbarticle$/i : /^\/api\/tickets$/i;
  const searches = (await sandbox.apiRequests('GET', path)).map((request) => request.query.search);
  return { data, items: data.items as Json[], searches };
}

describe('a search whose words are not one phrase in Halo', () => {
  it('finds the ticket by a person and a topic, whether the person is its user or its agent', async () => {
    const { data, items, searches } = await search('halo_search_tickets', 'Olivia VPN');
    expect(items.length).toBeGreaterThan(0);
    for (const ticket of items) {
      expect(String(ticket.summary)).toMatch(/vpn/i);
      expect(`${(ticket.user as Ref)?.name ?? ''} ${(ticket.agent as Ref)?.name ?? ''}`).toMatch(/olivia/i);
    }
    expect(items.some((ticket) => /olivia/i.test(String((ticket.agent as Ref)?.name)))).toBe(true);
    expect(items.some((ticket) => /olivia/i.test(String((ticket.user as Ref)?.name)))).toBe(true);
    expect(data.matched).toMatch(/no tickets contain "Olivia VPN" as written; these contain every word/i);
    expect(data.next_cursor).toBeNull();
    expect(searches).toEqual(['Olivia VPN', 'olivia', 'vpn']);
  });

  it('finds "Scan to email not working" from "scan email", every one of them', async () => {
    const { items } = await search('halo_search_tickets', 'scan email');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((ticket) => ticket.summary === 'Scan to email not working')).toBe(true);
    const { total } = await mcp.halo.list('/Tickets', { domain: 'reqs', search: 'Scan to email', count: 0 });
    expect(items).toHaveLength(total);
  });

  it('finds a ticket by an error number and a word, the number asked for first', async () => {
    const { items, searches } = await search('halo_search_tickets', '809 VPN');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((ticket) => ticket.summary === 'VPN connection fails with error 809')).toBe(true);
    expect(searches[1]).toBe('809');
  });

  it('keeps the sort asked for across the words searched', async () => {
    const { items } = await search('halo_search_tickets', 'scan email');
    const ids = items.map((ticket) => ticket.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const { data } = await mcp.call('halo_search_tickets', { query: 'scan email', sort: 'oldest' });
    const opened = (data.items as Json[]).map((ticket) => String(ticket.opened));
    expect(opened).toEqual([...opened].sort());
  });

  it('finds the article "Clearing a stuck print queue" from "print queue stuck"', async () => {
    const { data, items } = await search('halo_search_kb', 'print queue stuck');
    expect(items.map((article) => article.title)).toEqual(['Clearing a stuck print queue']);
    expect(data.matched).toMatch(/no articles contain "print queue stuck" as written/i);
  });

  it('ignores case and punctuation in the words', async () => {
    const { items } = await search('halo_search_tickets', 'SCAN-email!');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((ticket) => ticket.summary === 'Scan to email not working')).toBe(true);
  });

  it('gives the tickets that hold some of the words when none holds them all, and says which words were found', async () => {
    for (const word of ['vpn', 'printer']) expect((await mcp.halo.list('/Tickets', { search: word, count: 0 })).total).toBeGreaterThan(0);
    await sandbox.clearRequests();
    const { data, items } = await search('halo_search_tickets', 'vpn printer');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((ticket) => /vpn|printer/i.test(String(ticket.summary)))).toBe(true);
    expect(items.some((ticket) => /vpn/i.test(String(ticket.summary)))).toBe(true);
    expect(items.some((ticket) => /printer/i.test(String(ticket.summary)))).toBe(true);
    expect(data.matched).toMatch(/^No tickets contain "vpn printer" as written; none contains every word; these contain some, most first\. Found: "vpn", "printer"\.$/);
  });

  it('puts the tickets that hold the most words first, and names the words no ticket holds', async () => {
    const { data, items } = await search('halo_search_tickets', 'printer offline second floor upstairs');
    expect(items.length).toBeGreaterThan(0);
    expect(items[0]?.summary).toBe('Printer offline on second floor');
    const firstOther = items.findIndex((ticket) => ticket.summary !== 'Printer offline on second floor');
    if (firstOther >= 0) expect(items.slice(firstOther).every((ticket) => ticket.summary !== 'Printer offline on second floor')).toBe(true);
    expect(data.matched).toMatch(/Found: "printer", "offline", "second", "floor"; not found: "upstairs" \(as "upstair"\)/);
  });

  it(`asks Halo for at most ${MAX_WORD_SEARCHES} words beyond the phrase, and for the stems of those that found nothing`, async () => {
    const { data, items, searches } = await search('halo_search_tickets', 'zzyzxing qxqxers wvwved xxxxes');
    expect(items).toEqual([]);
    expect(searches).toEqual(['zzyzxing qxqxers wvwved xxxxes', 'zzyzxing', 'qxqxers', 'wvwved', 'zzyzx', 'qxqx', 'wvwv']);
    expect(searches).toHaveLength(1 + 2 * MAX_WORD_SEARCHES);
    expect(data.matched).toMatch(/nor any of its words \(also as "zzyzx", "qxqx", "wvwv"\)/);
  });

  it('keeps the other filters on the words searched', async () => {
    const { data } = await mcp.call('halo_search_tickets', { query: '809 VPN', status: 'closed' });
    const closedOnly = (await sandbox.apiRequests('GET', /^\/api\/tickets$/i)).filter((request) => request.query.search !== undefined);
    expect(closedOnly.every((request) => request.query.closed_only === 'true')).toBe(true);
    expect((data.items as Json[]).every((ticket) => ticket.summary === 'VPN connection fails with error 809')).toBe(true);
  });
});

describe('a search that Halo answers as asked', () => {
  it('makes no request beyond the one search when the phrase matched', async () => {
    const { data, items, searches } = await search('halo_search_tickets', 'Scan to email');
    expect(items.length).toBeGreaterThan(0);
    expect(searches).toEqual(['Scan to email']);
    expect(data).not.toHaveProperty('matched');
    const kb = await search('halo_search_kb', 'stuck print queue');
    expect(kb.items.map((article) => article.title)).toEqual(['Clearing a stuck print queue']);
    expect(kb.searches).toEqual(['stuck print queue']);
  });

  it('asks for one word by its stem, which finds its other forms too, and says so', async () => {
    const { data, items, searches } = await search('halo_search_tickets', 'printer');
    expect(searches).toEqual(['print']);
    const summaries = items.map((ticket) => String(ticket.summary));
    expect(summaries).toContain('Print jobs stuck in queue');
    expect(summaries).toContain('Printer offline on second floor');
    expect(summaries.every((summary) => /print/i.test(summary))).toBe(true);
    expect(data.matched).toBe('Looked for "printer" by its stem "print", which its other forms share.');
  });

  it('asks for one word as written when its stem finds nothing, for a Halo that matches whole words', async () => {
    const { items, searches } = await search('halo_search_tickets', 'zzyzxing');
    expect(items).toEqual([]);
    expect(searches).toEqual(['zzyzx', 'zzyzxing']);
  });

  it('holds a word found by its stem alongside the others', async () => {
    const { data, items, searches } = await search('halo_search_tickets', 'printing stuck');
    expect(searches).toEqual(['printing stuck', 'printing', 'stuck', 'print']);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((ticket) => ticket.summary === 'Print jobs stuck in queue')).toBe(true);
    expect(data.matched).toMatch(/these contain every word: "printing" \(as "print"\), "stuck"/);
  });

  it('gives the article that holds most of the words first', async () => {
    const { data, items } = await search('halo_search_kb', 'reset MFA yubikey');
    expect(items[0]?.title).toBe("How to reset a user's MFA registration");
    expect(data.matched).toMatch(/Found: "reset", "mfa"; not found: "yubikey"/);
  });

  it('makes no further request for one word that matches nothing', async () => {
    const { items, searches } = await search('halo_search_tickets', 'zzyzx');
    expect(items).toEqual([]);
    expect(searches).toEqual(['zzyzx']);
  });
});

describe('a ticket number written with #', () => {
  it('is read as the number', async () => {
    for (const query of ['#142', '# 142']) {
      const { items, searches } = await search('halo_search_tickets', query);
      expect(items.map((ticket) => ticket.id)).toEqual([142]);
      expect(searches).toEqual(['142']);
      await sandbox.clearRequests();
    }
  });
});

describe('the words of a query', () => {
  it('are lower case, without punctuation, each once', () => {
    expect(queryWords('Scan-to-email: SCAN!')).toEqual(['scan', 'to', 'email']);
  });

  it('are asked for numbers first, then the longest, in the order written among equals', () => {
    expect(searchOrder(['print', 'queue', 'stuck', 'vpn', '809'])).toEqual(['809', 'print', 'queue', 'stuck', 'vpn']);
  });

  it('have a stem that their other forms share, where they end as English words commonly do', () => {
    for (const word of ['printer', 'printers', 'printing', 'prints', 'printed']) expect(stemOf(word), word).toBe('print');
    expect(stemOf('queries')).toBe('quer');
    expect(stemOf('stopped')).toBe('stop');
    expect(stemOf('emails')).toBe('email');
    for (const word of ['access', 'user', 'vpn', 'mfa', '809', 'email', 'its']) expect(stemOf(word), word).toBeUndefined();
  });
});
