import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { haloTime } from '../../src/toolkit/values.js';
import { call, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

type Json = Record<string, unknown>;

let sandbox: TestSandbox;
/** The same tenant, listing actions in the order they were added rather than newest first. */
let oldestFirst: TestSandbox;
let token: string;

beforeAll(async () => {
  [sandbox, oldestFirst] = await Promise.all([startTestSandbox(), startTestSandbox({ actionOrder: 'oldest' })]);
  token = await sandbox.token();
});
afterAll(async () => {
  await Promise.all([sandbox.close(), oldestFirst.close()]);
});

const get = (path: string) => call(sandbox, token, 'GET', path);
const post = (path: string, body: unknown) => call(sandbox, token, 'POST', path, body);

describe('list shapes', () => {
  it.each([
    ['/Tickets', 'tickets'],
    ['/Projects', 'tickets'],
    ['/Opportunities', 'tickets'],
    ['/Client', 'clients'],
    ['/Site', 'sites'],
    ['/Users', 'users'],
    ['/Asset', 'assets'],
    ['/KBArticle', 'articles'],
    ['/Invoice', 'invoices'],
    ['/Quotation', 'quotes'],
    ['/ClientContract', 'contracts'],
    ['/Supplier', 'suppliers'],
    ['/Item', 'items'],
    ['/Appointment', 'appointments'],
    ['/Report', 'reports'],
  ])('%s answers an envelope keyed %s with record_count', async (path, key) => {
    const { status, body } = await get(path);
    expect(status).toBe(200);
    const envelope = body as Json;
    expect(Array.isArray(envelope[key])).toBe(true);
    expect(envelope.record_count).toBe((envelope[key] as unknown[]).length);
    expect((envelope[key] as unknown[]).length).toBeGreaterThan(0);
  });

  it.each(['/Agent', '/Status', '/Priority', '/TicketType', '/Team', '/Outcome', '/SLA', '/Category', '/Lookup', '/TimesheetEvent', '/AssetType'])(
    '%s answers a bare array',
    async (path) => {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      expect(Array.isArray(body)).toBe(true);
      expect((body as unknown[]).length).toBeGreaterThan(0);
    },
  );

  it('answers actions in an envelope even without pageinate, newest first', async () => {
    const { body } = await get('/Actions?ticket_id=1');
    const envelope = body as { ticket_id: number; record_count: number; actions: Json[] };
    expect(envelope.ticket_id).toBe(1);
    expect(envelope.actions.length).toBeGreaterThan(1);
    expect(envelope.record_count).toBe(envelope.actions.length);
    const ids = envelope.actions.map((action) => action.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const times = envelope.actions.map((action) => Date.parse(String(action.datetime)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(envelope.actions.at(-1)).toMatchObject({ outcome: 'Opened' });
    expect(envelope.actions[0]).not.toHaveProperty('note_html');
    const withHtml = (await get('/Actions?ticket_id=1&includehtmlnote=true')).body as { actions: Json[] };
    expect(withHtml.actions[0]).toHaveProperty('note_html');
  });

  it('lists actions in the order they were added when started with actionOrder oldest', async () => {
    const { body } = await call(oldestFirst, await oldestFirst.token(), 'GET', '/Actions?ticket_id=1');
    const { actions } = body as { actions: Json[] };
    const ids = actions.map((action) => action.id as number);
    expect(ids.length).toBeGreaterThan(1);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(actions[0]).toMatchObject({ outcome: 'Opened' });
  });

  it.each([
    ['newest', ['step 60', 'step 11'], () => sandbox],
    ['oldest', ['step 1', 'step 50'], () => oldestFirst],
  ] as const)('answers at most 50 actions unless the request names a count, with the total in record_count (%s first)', async (_order, [first, last], which) => {
    const target = which();
    const targetToken = await target.token();
    const ticket = (await call(target, targetToken, 'POST', '/Tickets', [{ summary: 'Long history', client_id: 2 }])).body as Json;
    const id = ticket.id as number;
    const steps = Array.from({ length: 60 }, (_, n) => ({ ticket_id: id, note: `step ${n + 1}`, outcome: 'Private Note' }));
    expect((await call(target, targetToken, 'POST', '/Actions', steps)).status).toBe(201);
    const read = async (query: string) => (await call(target, targetToken, 'GET', `/Actions?ticket_id=${id}${query}`)).body as { record_count: number; actions: Json[] };
    const capped = await read('');
    expect(capped.record_count).toBe(60);
    expect(capped.actions).toHaveLength(50);
    expect([capped.actions[0]?.note, capped.actions.at(-1)?.note]).toEqual([first, last]);
    expect((await read('&count=1000')).actions).toHaveLength(60);
    expect((await read('&count=5')).actions).toHaveLength(5);
  });

  it('routes case-insensitively', async () => {
    const lower = await get('/tickets?count=3');
    const mixed = await get('/TICKETS?count=3');
    expect(lower.status).toBe(200);
    expect(mixed.body).toEqual(lower.body);
    expect((await get('/client/2')).status).toBe(200);
  });

  it('returns a single record bare, with every property of its schema', async () => {
    const { status, body } = await get('/Tickets/1');
    expect(status).toBe(200);
    const ticket = body as Json;
    expect(ticket.id).toBe(1);
    expect(Object.keys(ticket).length).toBeGreaterThan(800);
    expect((await get('/Tickets/999999')).status).toBe(404);
  });
});

describe('paging', () => {
  it('ignores page_size and page_no without pageinate', async () => {
    const all = (await get('/Tickets')).body as { record_count: number; tickets: Json[] };
    const ignored = (await get('/Tickets?page_size=5&page_no=2')).body as { record_count: number; tickets: Json[]; page_no?: number };
    expect(ignored.tickets.length).toBe(all.tickets.length);
    expect(ignored.page_no).toBeUndefined();
  });

  it('pages 1-based with pageinate and reports the total across pages', async () => {
    const first = (await get('/Tickets?pageinate=true&page_size=10&page_no=1')).body as { record_count: number; page_no: number; page_size: number; tickets: Json[] };
    const second = (await get('/Tickets?pageinate=true&page_size=10&page_no=2')).body as { tickets: Json[] };
    expect(first.page_no).toBe(1);
    expect(first.page_size).toBe(10);
    expect(first.tickets).toHaveLength(10);
    expect(first.record_count).toBeGreaterThan(200);
    // Without `order`, the highest ticket id first.
    expect(second.tickets[0]?.id).toBe((first.tickets[9]?.id as number) - 1);
  });

  it('lists tickets by id, highest first, unless order says otherwise', async () => {
    const ids = async (query: string) => ((await get(`/Tickets?count=30${query}`)).body as { tickets: Json[] }).tickets.map((ticket) => ticket.id as number);
    const unordered = await ids('');
    expect(unordered).toEqual([...unordered].sort((a, b) => b - a));
    const all = (await get('/Tickets?count=0')).body as { record_count: number };
    expect(unordered[0]).toBeGreaterThanOrEqual(all.record_count);
    const ascending = await ids('&order=id');
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(ascending[0]).toBe(1);
  });

  it('answers at most 1000 tickets to a count, with record_count the total', async () => {
    const big = await startTestSandbox({ scale: 5 });
    try {
      const bigToken = await big.token();
      const { body } = await call(big, bigToken, 'GET', '/Tickets?count=5000');
      const envelope = body as { record_count: number; tickets: Json[] };
      expect(envelope.record_count).toBeGreaterThan(1000);
      expect(envelope.tickets).toHaveLength(1000);
      const under = (await call(big, bigToken, 'GET', '/Tickets?count=999')).body as { tickets: Json[] };
      expect(under.tickets).toHaveLength(999);
    } finally {
      await big.close();
    }
  });

  it('caps ticket pages at 100 but not client pages', async () => {
    const tickets = (await get('/Tickets?pageinate=true&page_size=500')).body as { page_size: number; tickets: Json[] };
    expect(tickets.page_size).toBe(100);
    expect(tickets.tickets).toHaveLength(100);
    const clients = (await get('/Client?pageinate=true&page_size=500')).body as { page_size: number };
    expect(clients.page_size).toBe(500);
  });

  it('limits an unpaged list with count while record_count keeps the total', async () => {
    const { body } = await get('/Tickets?count=7');
    const envelope = body as { record_count: number; tickets: Json[] };
    expect(envelope.tickets).toHaveLength(7);
    expect(envelope.record_count).toBeGreaterThan(7);
  });
});

describe('filters and search', () => {
  it("lists a supplier's purchase orders alone with supplier_id", async () => {
    const all = ((await get('/PurchaseOrder')).body as { purchaseorders: Json[] }).purchaseorders;
    const suppliers = [...new Set(all.map((order) => order.supplier_id))];
    expect(suppliers.length).toBeGreaterThan(1);
    const [supplier] = suppliers;
    const theirs = ((await get(`/PurchaseOrder?supplier_id=${String(supplier)}`)).body as { purchaseorders: Json[]; record_count: number }).purchaseorders;
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((order) => order.supplier_id === supplier)).toBe(true);
    expect(theirs.length).toBe(all.filter((order) => order.supplier_id === supplier).length);
  });

  it('splits tickets into open and closed', async () => {
    const all = (await get('/Tickets?count=0')).body as { record_count: number };
    const open = (await get('/Tickets?open_only=true&count=0')).body as { record_count: number };
    const closed = (await get('/Tickets?closed_only=true&count=0')).body as { record_count: number };
    expect(open.record_count).toBeGreaterThan(0);
    expect(closed.record_count).toBeGreaterThan(0);
    expect(open.record_count + closed.record_count).toBe(all.record_count);
    const sample = (await get('/Tickets?closed_only=true&count=20')).body as { tickets: Json[] };
    expect(sample.tickets.every((ticket) => ticket.status_id === 8 || ticket.status_id === 9)).toBe(true);
  });

  it('filters by client, agent list and status list', async () => {
    const byClient = (await get('/Tickets?client_id=2')).body as { tickets: Json[] };
    expect(byClient.tickets.length).toBeGreaterThan(0);
    expect(byClient.tickets.every((ticket) => ticket.client_id === 2)).toBe(true);
    const byAgents = (await get('/Tickets?agent=1,2')).body as { tickets: Json[] };
    expect(new Set(byAgents.tickets.map((ticket) => ticket.agent_id))).toEqual(new Set([1, 2]));
    const byStatus = (await get('/Tickets?status=3,4')).body as { tickets: Json[] };
    expect(byStatus.tickets.every((ticket) => ticket.status_id === 3 || ticket.status_id === 4)).toBe(true);
  });

  it('searches summaries and orders descending', async () => {
    const { body } = await get('/Tickets?search=vpn&order=dateoccurred&orderdesc=true');
    const tickets = (body as { tickets: Json[] }).tickets;
    expect(tickets.length).toBeGreaterThan(0);
    const times = tickets.map((ticket) => haloTime(ticket.dateoccurred) ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('hides disabled and API-only agents unless asked for each', async () => {
    const names = async (query: string) => ((await get(`/Agent${query}`)).body as Json[]).map((agent) => agent.name);
    const listed = await names('');
    expect(listed).toContain('Jane Doe');
    expect(listed).not.toContain('Chloe Martin');
    expect(listed).not.toContain('API Integration');
    expect(await names('?includedisabled=true')).toEqual(expect.arrayContaining(['Chloe Martin']));
    expect(await names('?includedisabled=true')).not.toContain('API Integration');
    expect(await names('?includeapiagents=true')).not.toContain('Chloe Martin');
    expect(await names('?includedisabled=true&includeapiagents=true')).toEqual(expect.arrayContaining(['Chloe Martin', 'API Integration', 'Jane Doe']));
    expect(await names('?includedisabled=true&includeenabled=false')).toEqual(['Chloe Martin']);
  });

  it('hides inactive clients unless asked', async () => {
    const active = (await get('/Client')).body as { clients: Json[] };
    const everything = (await get('/Client?includeinactive=true')).body as { clients: Json[] };
    expect(active.clients.every((client) => client.inactive === false)).toBe(true);
    expect(everything.clients.length).toBeGreaterThan(active.clients.length);
  });

  it('finds tickets opened in a date window', async () => {
    const start = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const { body } = await get(`/Tickets?datesearch=dateoccured&startdate=${start}`);
    const tickets = (body as { tickets: Json[] }).tickets;
    expect(tickets.length).toBeGreaterThan(0);
    expect(tickets.every((ticket) => (haloTime(ticket.dateoccurred) ?? 0) >= Date.parse(start))).toBe(true);
  });
});

describe('upsert, delete and validation', () => {
  it('creates without an id (201) and updates with one (200) without a second record', async () => {
    const before = ((await get('/Tickets?count=0')).body as { record_count: number }).record_count;
    const created = await post('/Tickets', [{ summary: 'Printer jammed', client_id: 2 }]);
    expect(created.status).toBe(201);
    const ticket = created.body as Json;
    expect(typeof ticket.id).toBe('number');
    expect(ticket.client_name).toBe('Acme Manufacturing');
    const updated = await post('/Tickets', [{ id: ticket.id, summary: 'Printer jammed on floor 2' }]);
    expect(updated.status).toBe(200);
    expect((updated.body as Json).summary).toBe('Printer jammed on floor 2');
    expect((updated.body as Json).client_id).toBe(2);
    const after = ((await get('/Tickets?count=0')).body as { record_count: number }).record_count;
    expect(after).toBe(before + 1);
  });

  it('answers a post of several records with the last one, or all of them with returnall=true', async () => {
    const notes = (n: number) => Array.from({ length: 2 }, (_, index) => ({ ticket_id: 5, outcome: 'Private Note', note: `batch ${n}.${index + 1}` }));
    const last = await post('/Actions', notes(1));
    expect(last.status).toBe(201);
    expect((last.body as Json).note).toBe('batch 1.2');
    const all = await post('/Actions?returnall=true', notes(2));
    expect((all.body as Json[]).map((action) => action.note)).toEqual(['batch 2.1', 'batch 2.2']);
  });

  it("answers Halo's 400 for a ticket without a summary, and stores nothing", async () => {
    const before = ((await get('/Tickets?count=0')).body as { record_count: number }).record_count;
    const { status, body } = await post('/Tickets', [{ details: 'no summary' }]);
    expect(status).toBe(400);
    expect(body).toEqual({ ClassName: 'System.Exception', Message: 'Please enter a Summary.' });
    expect(((await get('/Tickets?count=0')).body as { record_count: number }).record_count).toBe(before);
  });

  it('refuses references that do not exist and a user without a site', async () => {
    expect((await post('/Tickets', [{ summary: 'x', client_id: 9999 }])).status).toBe(400);
    const users = (await get('/Users?client_id=2')).body as { users: Json[] };
    const user = users.users[1] as Json;
    const missingSite = await post('/Tickets', [{ summary: 'x', user_id: user.id }]);
    expect(missingSite.status).toBe(400);
    expect((missingSite.body as Json).Message).toMatch(/Site/);
    const withSite = await post('/Tickets', [{ summary: 'x', user_id: user.id, site_id: user.site_id }]);
    expect(withSite.status).toBe(201);
    expect((withSite.body as Json).client_id).toBe(2);
  });

  it('answers 404 when updating an id that does not exist', async () => {
    expect((await post('/Tickets', [{ id: 987654, summary: 'ghost' }])).status).toBe(404);
  });

  it('soft-deletes tickets and restores them with _recover', async () => {
    const created = (await post('/Tickets', [{ summary: 'To delete', client_id: 3 }])).body as Json;
    const removal = await call(sandbox, token, 'DELETE', `/Tickets/${String(created.id)}?reason=test`);
    expect(removal).toMatchObject({ status: 200, body: { id: created.id, summary: 'To delete', deleted: true } });
    expect((await get(`/Tickets/${String(created.id)}`)).status).toBe(404);
    const deleted = (await get(`/Tickets?deleted=true&ticketids=${String(created.id)}`)).body as { tickets: Json[] };
    expect(deleted.tickets.map((ticket) => ticket.id)).toEqual([created.id]);
    const restored = await post('/Tickets', [{ id: created.id, _recover: true, _validate_updates: true }]);
    expect(restored.status).toBe(200);
    expect((await get(`/Tickets/${String(created.id)}`)).status).toBe(200);
  });

  it('deletes other records for good', async () => {
    const site = (await post('/Site', [{ name: 'Pop-up shop', client_id: 4 }])).body as Json;
    const removal = await call(sandbox, token, 'DELETE', `/Site/${String(site.id)}`);
    expect(removal).toMatchObject({ status: 200, body: { id: site.id, name: 'Pop-up shop' } });
    expect((await get(`/Site/${String(site.id)}`)).status).toBe(404);
  });

  it('answers every delete with the record it deleted, as clients read its id', async () => {
    const tag = (await post('/Tags', [{ name: 'temporary' }])).body as Json;
    expect(await call(sandbox, token, 'DELETE', `/Tags/${String(tag.id)}`)).toMatchObject({ status: 200, body: { id: tag.id, name: 'temporary' } });
    expect(await call(sandbox, token, 'DELETE', '/Attachment/image/42')).toMatchObject({ status: 200, body: { id: 42 } });
    const note = (await post('/Actions', [{ ticket_id: 5, note: 'to remove', outcome: 'Private Note' }])).body as Json;
    expect(await call(sandbox, token, 'DELETE', `/Actions/${String(note.id)}?ticket_id=5`)).toMatchObject({ status: 200, body: { id: note.id, ticket_id: 5, note: 'to remove' } });
    expect((await call(sandbox, token, 'DELETE', `/Tags/${String(tag.id)}`)).status).toBe(404);
  });

  it('adds actions with their side effects: private by outcome, status change, an email where the call sends it', async () => {
    const emailsSent = await sandbox.watchEmails();
    const ticket = (await post('/Tickets', [{ summary: 'Action test', client_id: 2 }])).body as Json;
    const id = ticket.id as number;
    const outcomes = (await get('/Outcome')).body as Json[];
    const outcomeId = (name: string): number => outcomes.find((outcome) => outcome.outcome === name)?.id as number;
    const privateNote = (await post('/Actions', [{ ticket_id: id, note: 'internal', outcome_id: outcomeId('Private Note') }])).body as Json;
    expect(privateNote).toMatchObject({ hiddenfromuser: true, outcome: 'Private Note' });
    const visible = (await post('/Actions', [{ ticket_id: id, note: 'hello', outcome: 'phone call' }])).body as Json;
    expect(visible).toMatchObject({ hiddenfromuser: false, outcome: 'Phone Call', outcome_id: outcomeId('Phone Call') });
    expect(await emailsSent()).toEqual([]);
    await post('/Actions', [{ ticket_id: id, note: 'Fixed', outcome_id: outcomeId('Email User'), new_status: 9, timetaken: 0.5, sendemail: true, emailto: 'user@example.com' }]);
    const closed = (await get(`/Tickets/${id}`)).body as Json;
    expect(closed.status_id).toBe(9);
    expect(closed.timetaken).toBe(0.5);
    expect(typeof closed.dateclosed).toBe('string');
    expect(await emailsSent()).toEqual([expect.objectContaining({ ticket_id: id, to: 'user@example.com' })]);
    const outcomeRefused = await post('/Actions', [{ ticket_id: id, note: 'x', outcome_id: 999 }]);
    expect(outcomeRefused.status).toBe(400);
    expect(outcomeRefused.body).toEqual({ ClassName: 'System.Exception', Message: 'You do not have access to this Action at the moment.' });
  });
});

describe('what an action does, whatever its body says', () => {
  /** A new ticket of a known user, so that an email has someone to go to. */
  async function ticketOfAUser(): Promise<{ id: number; email: string }> {
    const users = (await get('/Users?client_id=2')).body as { users: Json[] };
    const user = users.users.find((candidate) => typeof candidate.emailaddress === 'string' && candidate.emailaddress !== '') as Json;
    const ticket = (await post('/Tickets', [{ summary: 'Email test', user_id: user.id, site_id: user.site_id }])).body as Json;
    return { id: ticket.id as number, email: String(ticket.user_email) };
  }

  it('emails by its outcome: "Email User" always, a hidesendemail outcome never, the rest only when asked', async () => {
    const emailsSent = await sandbox.watchEmails();
    const outcomes = (await get('/Outcome')).body as Json[];
    expect(outcomes.find((outcome) => outcome.outcome === 'Private Note')).toMatchObject({ hidesendemail: true });
    expect(outcomes.find((outcome) => outcome.outcome === 'Email User')).toMatchObject({ hidesendemail: false, sendemail: 1 });
    const { id, email } = await ticketOfAUser();
    expect(email).toMatch(/@/);
    const sentTo = async () => (await emailsSent()).filter((sent) => sent.ticket_id === id).map((sent) => sent.to);
    await post('/Actions', [{ ticket_id: id, note: 'quiet', outcome: 'Private Note', hiddenfromuser: false, sendemail: true }]);
    await post('/Actions', [{ ticket_id: id, note: 'called', outcome: 'Phone Call' }]);
    expect(await sentTo()).toEqual([]);
    await post('/Actions', [{ ticket_id: id, note: 'called, and said so', outcome: 'Phone Call', sendemail: true }]);
    await post('/Actions', [{ ticket_id: id, note: 'a reply', outcome: 'Email User' }]);
    await post('/Actions', [{ ticket_id: id, note: 'a reply marked quiet', outcome: 'Email User', sendemail: false, hiddenfromuser: true }]);
    await post('/Actions', [{ ticket_id: id, note: 'to someone else', outcome: 'Email User', emailto: 'oncall@example.com' }]);
    expect(await sentTo()).toEqual([email, email, email, 'oncall@example.com']);
  });

  it("is the API application's agent's, whoever the body names; an edit keeps its author", async () => {
    const me = (await get('/Agent/me')).body as Json;
    const posted = await post('/Actions', [{ ticket_id: 6, note: 'by whom?', outcome: 'Private Note', who_agentid: 1, who: 'Jane Doe', who_type: 2 }]);
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ who_agentid: me.id, who: me.name, who_type: 1 });
    // An agent that does not exist is ignored like any other.
    expect((await post('/Actions', [{ ticket_id: 6, note: 'again', outcome: 'Private Note', who_agentid: 99_999 }])).body).toMatchObject({ who_agentid: me.id });
    const seeded = ((await get('/Actions?ticket_id=6&count=100')).body as { actions: Json[] }).actions.find((action) => action.who_agentid !== me.id && action.who_type === 1) as Json;
    const edited = (await post('/Actions', [{ ticket_id: 6, id: seeded.id, note: 'edited by the API' }])).body as Json;
    expect(edited).toMatchObject({ who_agentid: seeded.who_agentid, who: seeded.who });
  });

  it("keeps the plain note Halo rebuilds from note_html: tags gone, nothing in their place", async () => {
    const html = '<p>Dear Sam,</p><p>Fixed &amp; tested.<br>Regards</p>';
    const added = (await post('/Actions', [{ ticket_id: 7, note_html: html, outcome: 'Private Note' }])).body as Json;
    expect(added.note).toBe('Dear Sam,Fixed & tested.Regards');
    const read = ((await get('/Actions?ticket_id=7&includehtmlnote=true')).body as { actions: Json[] }).actions.find((action) => action.id === added.id);
    expect(read).toMatchObject({ note: 'Dear Sam,Fixed & tested.Regards', note_html: html });
    // Without HTML, the text stays as it was written.
    const plain = (await post('/Actions', [{ ticket_id: 7, note: 'Line one\nLine two', outcome: 'Private Note' }])).body as Json;
    expect(plain.note).toBe('Line one\nLine two');
    // A ticket's details still search as separate words.
    const found = (await post('/Tickets', [{ summary: 'Searchable', client_id: 2, details: '<p>alphaword</p><p>betaword</p>' }])).body as Json;
    const search = async (text: string) => ((await get(`/Tickets?search=${text}`)).body as { tickets: Json[] }).tickets.map((ticket) => ticket.id);
    expect(await search('betaword')).toEqual([found.id]);
    expect(await search('alphawordbetaword')).toEqual([]);
  });
});

describe('error bodies', () => {
  it('answers a business rule with the exception Halo serialises, and a missing record with a bare 404', async () => {
    const refusedBody = (await post('/Site', [{ client_id: 2 }])).body;
    expect(refusedBody).toEqual({ ClassName: 'System.Exception', Message: 'Please enter a name for the Site.' });
    for (const missing of [await get('/Client/999999'), await post('/Client', [{ id: 999999, name: 'ghost' }]), await get('/Actions/999?ticket_id=1'), await get('/Timesheet/7')]) {
      expect(missing.status).toBe(404);
      expect(missing.body).toBeUndefined();
    }
  });
});

describe('ticket types restricted to other agents', () => {
  it('leaves them out for the API agent unless showall=true asks for every type', async () => {
    const names = (body: unknown) => (body as Json[]).map((type) => type.name);
    const visible = names((await get('/TicketType')).body);
    const all = names((await get('/TicketType?showall=true')).body);
    expect(all).toEqual(expect.arrayContaining(['Security Incident', 'HR Request', 'Board Escalation', 'Incident']));
    expect(visible).toContain('Incident');
    expect(visible).not.toContain('Security Incident');
    expect(all.filter((name) => !visible.includes(name))).toEqual(['Security Incident', 'HR Request', 'Board Escalation']);
  });

  it('puts tickets of those types among the seeded ones', async () => {
    const tickets = ((await get('/Tickets?requesttype=8,9,10')).body as { tickets: Json[] }).tickets;
    expect(new Set(tickets.map((ticket) => ticket.tickettype_id))).toEqual(new Set([8, 9, 10]));
  });
});

describe('rules a ticket type sets', () => {
  it('refuses a new ticket without the fields its type makes mandatory, naming them, unless told not to validate', async () => {
    const refused = await post('/Tickets', [{ summary: 'Swap the core switch', client_id: 2, tickettype_id: 4 }]);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ ClassName: 'System.Exception', Message: 'Details and Category are required for a Change Request ticket.' });
    const halfway = await post('/Tickets', [{ summary: 'Swap the core switch', client_id: 2, tickettype_id: 4, details: '<p>Out of hours.</p>' }]);
    expect((halfway.body as Json).Message).toBe('Category is required for a Change Request ticket.');
    expect((await post('/Tickets', [{ summary: 'Swap the core switch', client_id: 2, tickettype_id: 4, details: 'Out of hours.', categoryid_1: 1 }])).status).toBe(201);
    expect((await post('/Tickets', [{ summary: 'Imported change', client_id: 2, tickettype_id: 4, _novalidate: true }])).status).toBe(201);
  });

  it("falls back to the SLA's default priority for one the SLA does not have", async () => {
    const created = (await post('/Tickets', [{ summary: 'New starter paperwork', client_id: 2, tickettype_id: 9, priority_id: 1 }])).body as Json;
    expect(created).toMatchObject({ sla_id: 3, priority_id: 4 });
    const kept = (await post('/Tickets', [{ summary: 'Payroll query', client_id: 2, tickettype_id: 9, priority_id: 3 }])).body as Json;
    expect(kept.priority_id).toBe(3);
  });
});

describe('dates as Halo writes them', () => {
  const FORMS = {
    utc: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/,
    local: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?\+00:00$/,
    unspecified: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/,
  };

  it('mixes Z, +00:00 and no zone, with fractions of varying length', async () => {
    // The seeded tickets, the first 60 of them: the newest are this file's own and projects, which have no fix-by date.
    const tickets = ((await get('/Tickets?domain=reqs&order=id&count=60')).body as { tickets: Json[] }).tickets;
    const dates = tickets.flatMap((ticket) => [ticket.dateoccurred, ticket.lastactiondate, ticket.fixbydate]).map(String);
    for (const form of Object.values(FORMS)) expect(dates.some((date) => form.test(date) && !date.startsWith('1900'))).toBe(true);
    const fractions = new Set(dates.map((date) => /\.(\d+)/.exec(date)?.[1]?.length ?? 0));
    expect(fractions.size).toBeGreaterThan(2);
    expect(dates.every((date) => haloTime(date) !== undefined)).toBe(true);
  });

  it('writes 1900-01-01 for a date a ticket does not hold, stamps a real one on closing and clears it on reopening', async () => {
    const ticket = (await post('/Tickets', [{ summary: 'Dates', client_id: 2 }])).body as Json;
    expect(ticket).toMatchObject({ dateclosed: '1900-01-01T00:00:00', deadlinedate: '1900-01-01T00:00:00' });
    expect(String(ticket.dateoccurred)).toMatch(FORMS.utc);
    const closed = (await post('/Tickets', [{ id: ticket.id, status_id: 9 }])).body as Json;
    expect(haloTime(closed.dateclosed)).toBeGreaterThan(Date.now() - 60_000);
    const reopened = (await post('/Tickets', [{ id: ticket.id, status_id: 2 }])).body as Json;
    expect(reopened.dateclosed).toBe('1900-01-01T00:00:00');
    const open = ((await get('/Tickets?open_only=true&count=50')).body as { tickets: Json[] }).tickets;
    expect(open.every((entry) => entry.dateclosed === '1900-01-01T00:00:00')).toBe(true);
  });

  it('orders by the instant a date names, whatever its form', async () => {
    const tickets = ((await get('/Tickets?order=lastactiondate&count=100')).body as { tickets: Json[] }).tickets;
    const times = tickets.map((ticket) => haloTime(ticket.lastactiondate) ?? 0);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(tickets.map((ticket) => String(ticket.lastactiondate).slice(-1))).size).toBeGreaterThan(1);
  });

  it('reads a window given without a zone as UTC, and leaves tickets with no closing date out of a closing window', async () => {
    const ticket = ((await get('/Tickets?closed_only=true&count=1')).body as { tickets: Json[] }).tickets[0] as Json;
    const closedAt = haloTime(ticket.dateclosed) ?? 0;
    const utcText = (ms: number) => new Date(ms).toISOString().slice(0, 19);
    const window = `datesearch=datecleared&startdate=${utcText(closedAt - 1_000)}&enddate=${utcText(closedAt + 1_000)}`;
    const found = ((await get(`/Tickets?${window}`)).body as { tickets: Json[] }).tickets;
    expect(found.map((entry) => entry.id)).toContain(ticket.id);
    const everClosed = ((await get('/Tickets?datesearch=datecleared&enddate=2100-01-01&count=0')).body as { record_count: number }).record_count;
    const closedCount = ((await get('/Tickets?closed_only=true&count=0')).body as { record_count: number }).record_count;
    expect(everClosed).toBe(closedCount);
  });
});

describe('timesheets', () => {
  it("puts the time logged on an action on its agent's timesheet, and changes or takes it off with the action", async () => {
    const agent = (await get('/Agent/me')).body as Json;
    const ticket = (await post('/Tickets', [{ summary: 'Time on the timesheet', client_id: 2 }])).body as Json;
    const day = '2026-02-10';
    const action = (await post('/Actions', [{ ticket_id: ticket.id, outcome: 'Private Note', note: 'fixed it', timetaken: 1.5, datetime: `${day}T15:00:00Z` }])).body as Json;
    const entriesOfTheAction = async () =>
      ((await get(`/TimesheetEvent?agent_id=${String(agent.id)}&start_date=${day}T00:00:00Z&end_date=${day}T23:59:59Z`)).body as Json[]).filter(
        (event) => event.ticket_id === ticket.id && event.action_number === action.id,
      );
    const [entry] = await entriesOfTheAction();
    expect(entry).toMatchObject({ agent_id: agent.id, timetaken: 1.5, client_id: 2, subject: 'Time on the timesheet' });
    expect(haloTime(entry?.start_date)).toBe(Date.parse(`${day}T13:30:00Z`));
    expect(haloTime(entry?.end_date)).toBe(Date.parse(`${day}T15:00:00Z`));
    const sheet = (await get(`/Timesheet/0?agent_id=${String(agent.id)}&date=${day}`)).body as Json;
    expect((sheet.events as Json[]).map((event) => event.id)).toContain(entry?.id);
    expect(sheet.actual_hours).toBeGreaterThanOrEqual(1.5);

    await post('/Actions', [{ ticket_id: ticket.id, id: action.id, timetaken: 0.5 }]);
    expect(await entriesOfTheAction()).toEqual([expect.objectContaining({ id: entry?.id, timetaken: 0.5 })]);
    expect((await call(sandbox, token, 'DELETE', `/Actions/${String(action.id)}?ticket_id=${String(ticket.id)}`)).status).toBe(200);
    expect(await entriesOfTheAction()).toEqual([]);
  });

  it("carries the time on the seeded tickets' actions on the agents' timesheets", async () => {
    const timed: Json[] = [];
    // The first tickets seeded, the oldest, have the most history.
    for (let ticketId = 1; ticketId <= 30; ticketId++) {
      const { actions } = (await get(`/Actions?ticket_id=${String(ticketId)}&count=100`)).body as { actions: Json[] };
      timed.push(...actions.filter((action) => Number(action.timetaken) > 0 && Number(action.who_agentid) > 0));
    }
    expect(timed.length).toBeGreaterThan(0);
    const events = (await get('/TimesheetEvent?start_date=2000-01-01&end_date=2100-01-01')).body as Json[];
    for (const action of timed) {
      expect(events.find((event) => event.ticket_id === action.ticket_id && event.action_number === action.id)).toMatchObject({
        agent_id: action.who_agentid,
        timetaken: action.timetaken,
      });
    }
  });

  it('lists one row per working agent per day between start_date and end_date, each with its own id', async () => {
    const rows = (await get('/Timesheet?start_date=2026-03-02&end_date=2026-03-03')).body as Json[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row.date))).toEqual(new Set(['2026-03-02T00:00:00', '2026-03-03T00:00:00']));
    const jane = rows.filter((row) => row.agent_id === 1);
    expect(jane).toHaveLength(2);
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    expect(rows.some((row) => row.id === row.agent_id)).toBe(false);
  });

  it("reads one by the timesheet's id, with the events of its day", async () => {
    // The seed logs time on the working days of the last fortnight.
    const day = [1, 2, 3].map((back) => new Date(Date.now() - back * 86_400_000)).find((date) => date.getUTCDay() % 6 !== 0)?.toISOString().slice(0, 10) ?? '';
    const row = ((await get(`/Timesheet?start_date=${day}&end_date=${day}`)).body as Json[]).find((entry) => entry.agent_id === 1) as Json;
    const sheet = (await get(`/Timesheet/${String(row.id)}`)).body as Json;
    expect(sheet).toMatchObject({ id: row.id, agent_id: 1, date: `${day}T00:00:00`, actual_hours: row.actual_hours });
    const events = sheet.events as Json[];
    expect(events.reduce((sum, event) => sum + Number(event.timetaken), 0)).toBe(sheet.actual_hours);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => new Date(haloTime(event.start_date) ?? 0).toISOString().slice(0, 10) === day)).toBe(true);
    expect((await get('/Timesheet/1')).status).toBe(404);
  });

  it("reads an agent's day as timesheet 0 with agent_id and date, the sheet the list numbers for that day", async () => {
    const day = [1, 2, 3].map((back) => new Date(Date.now() - back * 86_400_000)).find((date) => date.getUTCDay() % 6 !== 0)?.toISOString().slice(0, 10) ?? '';
    const row = ((await get(`/Timesheet?start_date=${day}&end_date=${day}`)).body as Json[]).find((entry) => entry.agent_id === 1) as Json;
    const sheet = (await get(`/Timesheet/0?agent_id=1&date=${day}`)).body as Json;
    expect(sheet).toMatchObject({ id: row.id, agent_id: 1, actual_hours: row.actual_hours });
    expect((sheet.events as Json[]).length).toBeGreaterThan(0);
    expect((await get(`/Timesheet/0?agent_id=999&date=${day}`)).status).toBe(404);
  });

  it("refuses a new action without an outcome with Halo's exception body, and an update keeps its outcome", async () => {
    const ticket = (await post('/Tickets', [{ summary: 'Outcome test', client_id: 2 }])).body as Json;
    const id = ticket.id as number;
    for (const body of [{ ticket_id: id, note: 'no outcome' }, { ticket_id: id, note: 'blank outcome', outcome: ' ' }]) {
      const refused = await post('/Actions', [body]);
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ ClassName: 'System.Exception', Message: 'An Outcome must be entered for this Action' });
    }
    expect(((await get(`/Actions?ticket_id=${id}`)).body as { record_count: number }).record_count).toBe(0);
    const added = (await post('/Actions', [{ ticket_id: id, note: 'first', outcome: 'Private Note' }])).body as Json;
    const updated = await post('/Actions', [{ ticket_id: id, id: added.id, note: 'first, edited' }]);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: added.id, note: 'first, edited', outcome: 'Private Note', outcome_id: added.outcome_id, hiddenfromuser: true });
    const renamed = (await post('/Actions', [{ ticket_id: id, id: added.id, outcome: 'Phone Call' }])).body as Json;
    expect(renamed).toMatchObject({ outcome: 'Phone Call', note: 'first, edited' });
    expect(renamed.outcome_id).not.toBe(added.outcome_id);
  });

  it('seeds outcomes the way a tenant keeps them: flags of its own, and no private note at a guessable id', async () => {
    const outcomes = (await get('/Outcome')).body as Json[];
    const byName = new Map(outcomes.map((outcome) => [outcome.outcome, outcome]));
    expect(byName.get('Private Note')).toMatchObject({ hidefromuser: true, sendemail: 0, newstatus: 0, default_private_note: true });
    expect(byName.get('Email User')).toMatchObject({ hidefromuser: false, sendemail: 1 });
    expect(byName.get('Resolve Ticket')).toMatchObject({ id: 7, newstatus: 9 });
    expect(outcomes.every((outcome) => typeof outcome.systemid === 'number' && outcome.hidden === false)).toBe(true);
    const ids = outcomes.map((outcome) => outcome.id as number);
    expect(ids).not.toEqual(ids.map((_, index) => index + 1));
    const hidden = (await get('/Outcome?showhidden=true')).body as Json[];
    expect(hidden.find((outcome) => outcome.hidden === true)).toMatchObject({ outcome: 'Opened' });
  });
});

describe('report SQL', () => {
  const run = async (sql: string) => {
    const { status, body } = await post('/Report', [{ _loadreportonly: true, sql }]);
    expect(status).toBe(200);
    return (body as { report: { rows?: Json[]; load_error?: string } }).report;
  };

  it('agrees with the invoices on what is unpaid: amountdue is the total less what was paid', async () => {
    const invoices = ((await get('/Invoice?count=1000')).body as { invoices: Json[] }).invoices;
    expect(invoices.some((invoice) => Number(invoice.amountpaid) > 0)).toBe(true);
    for (const invoice of invoices) expect(invoice.amountdue, String(invoice.invoicenumber)).toBe(Number(invoice.total) - Number(invoice.amountpaid));
    const owing = invoices.filter((invoice) => Number(invoice.amountdue) > 0);
    expect(owing.length).toBeGreaterThan(0);
    const unpaid = await run('SELECT IHid, IHAmountDue FROM INVOICEHEADER WHERE IHAmountDue > 0');
    expect(new Set(unpaid.rows?.map((row) => Number(row.IHid)))).toEqual(new Set(owing.map((invoice) => invoice.id)));
    const created = (await post('/Invoice', [{ client_id: 2, lines: [{ item_shortdescription: 'Labour', qty_order: 2, unit_price: 80 }] }])).body as Json;
    expect(created).toMatchObject({ total: 160, amountdue: 160 });
    const paid = (await post('/Invoice', [{ id: created.id, amountpaid: 160 }])).body as Json;
    expect(paid.amountdue).toBe(0);
  });

  it('runs every seeded report', async () => {
    // A tenant of its own: the shared one holds the reports other tests save, broken ones on purpose.
    const seeded = await startTestSandbox();
    try {
      const seededToken = await seeded.token();
      const { body } = await call(seeded, seededToken, 'GET', '/Report');
      const reports = (body as { reports: Json[] }).reports;
      expect(reports.length).toBeGreaterThan(0);
      for (const report of reports) {
        const { body: loaded } = await call(seeded, seededToken, 'GET', `/Report/${String(report.id)}?loadreport=true`);
        const answer = (loaded as { report: { rows?: Json[]; load_error?: string } }).report;
        expect(answer.load_error, String(report.name)).toBeUndefined();
        expect(answer.rows?.length, String(report.name)).toBeGreaterThan(0);
      }
    } finally {
      await seeded.close();
    }
  });

  it("runs a query over Halo's tables, names compared without regard to case", async () => {
    const { rows } = await run('SELECT TOP 2 f.faultid, f.SYMPTOM FROM dbo.faults f WHERE f.status <> 9 ORDER BY f.faultid DESC');
    expect(rows).toHaveLength(2);
    // A column is named as the query writes it.
    expect(Object.keys(rows?.[0] ?? {})).toEqual(['faultid', 'SYMPTOM']);
    expect(Number(rows?.[0]?.faultid)).toBeGreaterThan(Number(rows?.[1]?.faultid));
  });

  it('answers every cell as text, and NULL as null', async () => {
    const { rows } = await run('SELECT TOP 1 Faultid, Symptom, cleartime, FDeleted, NULL AS nothing FROM FAULTS ORDER BY Faultid');
    expect(rows).toHaveLength(1);
    const [row] = rows ?? [];
    expect(row).toMatchObject({ Faultid: '1', FDeleted: '0', nothing: null });
    expect(row?.cleartime).toMatch(/^\d+(\.\d+)?$/);
    expect(Object.values(row ?? {}).every((cell) => typeof cell === 'string' || cell === null)).toBe(true);
    const [count] = (await run('SELECT COUNT(*) AS n FROM FAULTS')).rows ?? [];
    expect(count?.n).toMatch(/^\d+$/);
  });

  it("answers 200 with SQL Server's message in report.load_error when a query fails", async () => {
    expect(await run('SELECT Faultid, Closeddate, nope FROM FAULTS')).toEqual({ load_error: "Invalid column name 'Closeddate'.\nInvalid column name 'nope'." });
    expect(await run('SELECT * FROM Client')).toEqual({ load_error: "Invalid object name 'Client'." });
    expect((await run('SELECT x.Faultid FROM FAULTS f')).load_error).toBe('The multi-part identifier "x.Faultid" could not be bound.');
    expect((await run('SELECT Faultid FROM FAULTS ORDER BY Faultid')).load_error).toMatch(/^The ORDER BY clause is invalid in views, inline functions, derived tables, subqueries/);
    expect((await run('SELECT FROM WHERE')).load_error).toMatch(/^Incorrect syntax near/);
  });

  it('does not hand its parser SQL nested or long enough to hold the process', async () => {
    const nested = `SELECT ${'CAST('.repeat(4)}1${' AS int)'.repeat(4)} AS n`;
    expect((await run(nested)).load_error).toBe('The sandbox does not emulate SQL nested more than 3 parentheses deep.');
    expect((await run("SELECT Faultid FROM FAULTS WHERE Symptom <> '(((('")).load_error).toBeUndefined();
    expect((await run(`SELECT Faultid FROM FAULTS WHERE Symptom <> '${'x'.repeat(4_000)}'`)).load_error).toBe('The sandbox does not emulate queries over 4000 characters.');
  });

  it('answers a saved report that fails the same way', async () => {
    const { body: saved } = await post('/Report', [{ name: 'Broken', sql: 'SELECT Closeddate FROM FAULTS' }]);
    const { status, body } = await get(`/Report/${String((saved as Json).id)}?loadreport=true`);
    expect(status).toBe(200);
    expect((body as Json).report).toEqual({ load_error: "Invalid column name 'Closeddate'." });
  });

  it('lists its tables in sys.tables and their columns in INFORMATION_SCHEMA.COLUMNS', async () => {
    const { rows: tables } = await run("SELECT Name FROM sys.tables WHERE LOWER(Name) LIKE '%fault%'");
    expect(tables).toEqual([{ Name: 'FAULTS' }]);
    const { rows: columns } = await run("SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'faults'");
    expect(columns?.slice(0, 2)).toEqual([
      { COLUMN_NAME: 'Faultid', DATA_TYPE: 'int', CHARACTER_MAXIMUM_LENGTH: null, IS_NULLABLE: 'NO' },
      { COLUMN_NAME: 'Symptom', DATA_TYPE: 'nvarchar', CHARACTER_MAXIMUM_LENGTH: '4000', IS_NULLABLE: 'YES' },
    ]);
  });

  it("refuses to delete an action without its ticket_id, in Halo's words, and deletes it with one", async () => {
    const action = (await post('/Actions', [{ ticket_id: 3, note: 'to delete', outcome_id: 7 }])).body as Json;
    const refused = await call(sandbox, token, 'DELETE', `/Actions/${String(action.id)}`);
    expect(refused).toMatchObject({ status: 400, body: { ClassName: 'System.Exception', Message: 'ticket_id must be included when deleting an Action.' } });
    expect((await get(`/Actions/${String(action.id)}?ticket_id=3`)).status).toBe(200);
    expect((await call(sandbox, token, 'DELETE', `/Actions/${String(action.id)}?ticket_id=3`)).status).toBe(200);
    expect((await get(`/Actions/${String(action.id)}?ticket_id=3`)).status).toBe(404);
    // The overlay taught the sandbox the parameter: sending it is no violation.
    expect((await sandbox.violations()).filter((violation) => violation.name === 'ticket_id')).toEqual([]);
  });
});

describe('authentication and scopes', () => {
  it('requires a bearer token on the API but not on authinfo', async () => {
    expect((await fetch(`${sandbox.url}/api/Tickets`)).status).toBe(401);
    expect((await call(sandbox, 'not-a-token', 'GET', '/Tickets')).status).toBe(401);
    const info = await fetch(`${sandbox.url}/api/authinfo`);
    expect(info.status).toBe(200);
    expect(((await info.json()) as Json).auth_url).toBe(`${sandbox.url}/auth`);
  });

  it('answers invalid_client for a wrong secret', async () => {
    const response = await fetch(`${sandbox.url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: 'wrong', scope: 'all' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client' });
  });

  it('honours scopes, refusing what they do not allow with 401 as live tenants do: read:tickets reads tickets but cannot write them or read customers', async () => {
    const readOnly = await sandbox.token('read:tickets');
    expect((await call(sandbox, readOnly, 'GET', '/Tickets?count=1')).status).toBe(200);
    const write = await call(sandbox, readOnly, 'POST', '/Tickets', [{ summary: 'nope', client_id: 2 }]);
    expect(write.status).toBe(401);
    // Nothing in the answer tells a missing scope from a token Halo does not accept.
    expect(write.headers.get('www-authenticate')).toBe((await call(sandbox, 'not-a-token', 'GET', '/Tickets')).headers.get('www-authenticate'));
    expect((await call(sandbox, readOnly, 'GET', '/Client')).status).toBe(401);
    expect((await call(sandbox, readOnly, 'GET', '/Status')).status).toBe(200);
    const editor = await sandbox.token('edit:tickets');
    expect((await call(sandbox, editor, 'POST', '/Tickets', [{ summary: 'yes', client_id: 2 }])).status).toBe(201);
    expect((await call(sandbox, editor, 'POST', '/Status', [{ name: 'Nope' }])).status).toBe(401);
  });

  it('refuses what the scopes do not allow with 403 when asked to, as some integrations report', async () => {
    const forbidding = await startTestSandbox({ scopeRefusalStatus: 403 });
    try {
      const readOnly = await forbidding.token('read:tickets');
      expect((await call(forbidding, readOnly, 'GET', '/Client')).status).toBe(403);
      expect((await call(forbidding, readOnly, 'GET', '/Tickets?count=1')).status).toBe(200);
    } finally {
      await forbidding.close();
    }
  });

  it('issues a token without scopes, and without a scope field, when the request names none; every call is then refused', async () => {
    for (const form of [{}, { scope: '' }] as Record<string, string>[]) {
      const response = await fetch(`${sandbox.url}/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, ...form }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Json;
      expect(body).not.toHaveProperty('scope');
      const scopeless = String(body.access_token);
      // Even the configuration any scope reads, and the API agent itself.
      for (const path of ['/Tickets?count=1', '/Agent/me', '/Status']) expect((await call(sandbox, scopeless, 'GET', path)).status).toBe(401);
    }
  });

  it('refuses unknown scopes with invalid_scope', async () => {
    const response = await fetch(`${sandbox.url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, scope: 'read:everything' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_scope' });
  });

  it('expires tokens', async () => {
    const shortLived = await startTestSandbox({ tokenTtlSeconds: 1 });
    // Only the clock is faked: the sandbox dates a token by Date, and its sockets keep their real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const expiring = await shortLived.token();
      vi.setSystemTime(Date.now() + 999);
      expect((await call(shortLived, expiring, 'GET', '/Status')).status).toBe(200);
      vi.setSystemTime(Date.now() + 101);
      expect((await call(shortLived, expiring, 'GET', '/Status')).status).toBe(401);
    } finally {
      vi.useRealTimers();
      await shortLived.close();
    }
  });

  it('requires the tenant when one is configured, as a query parameter or a form field', async () => {
    const hosted = await startTestSandbox({ tenant: 'acme' });
    try {
      const form = { grant_type: 'client_credentials', client_id: hosted.clientId, client_secret: hosted.clientSecret, scope: 'all' };
      const withoutTenant = await fetch(`${hosted.url}/auth/token`, { method: 'POST', body: new URLSearchParams(form) });
      expect(withoutTenant.status).toBe(401);
      const inQuery = await fetch(`${hosted.url}/auth/token?tenant=acme`, { method: 'POST', body: new URLSearchParams(form) });
      expect(inQuery.status).toBe(200);
      const inForm = await fetch(`${hosted.url}/auth/token`, { method: 'POST', body: new URLSearchParams({ ...form, tenant: 'acme' }) });
      expect(inForm.status).toBe(200);
    } finally {
      await hosted.close();
    }
  });
});

describe('rate limit', () => {
  it("answers 429 with Halo's message and no Retry-After, as live tenants do, and recovers", async () => {
    const limited = await startTestSandbox({ rateLimit: '5/1' });
    // Only the clock is faked, and frozen, so that the six calls surely fall in one window.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const limitedToken = await limited.token();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await call(limited, limitedToken, 'GET', '/Status')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const refused = await call(limited, limitedToken, 'GET', '/Status');
      expect(refused.body).toBe('Rate Limit Reached - 5 Requests per rolling 1 second window');
      expect(refused.headers.get('retry-after')).toBeNull();
      // The window rolls by Date: moving the clock on a second reopens it without waiting for one.
      vi.setSystemTime(Date.now() + 1_050);
      expect((await call(limited, limitedToken, 'GET', '/Status')).status).toBe(200);
    } finally {
      vi.useRealTimers();
      await limited.close();
    }
  });

  it('sends Retry-After past the window when asked to', async () => {
    const limited = await startTestSandbox({ rateLimit: '2/5', rateLimitRetryAfter: true });
    try {
      const limitedToken = await limited.token();
      await call(limited, limitedToken, 'GET', '/Status');
      await call(limited, limitedToken, 'GET', '/Status');
      const refused = await call(limited, limitedToken, 'GET', '/Status');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(5);
    } finally {
      await limited.close();
    }
  });

  it("uses Halo's published 300 per 5 minutes by default", async () => {
    const standard = await startTestSandbox({ rateLimit: undefined });
    try {
      const standardToken = await standard.token();
      const statuses = await Promise.all(Array.from({ length: 301 }, () => call(standard, standardToken, 'GET', '/Status').then((r) => r.status)));
      expect(statuses.filter((status) => status === 200)).toHaveLength(300);
      const refused = await call(standard, standardToken, 'GET', '/Status');
      expect(refused.body).toBe('Rate Limit Reached - 300 Requests per rolling 5 minute window');
    } finally {
      await standard.close();
    }
  });
});

describe('fault injection', () => {
  it('waits before processing, or with apply after, whatever else the rule does', async () => {
    const timed = async (rule: Record<string, unknown>) => {
      await sandbox.faults([{ method: 'GET', path: '^/api/status$', delay_ms: 300, times: 1, ...rule }]);
      const started = performance.now();
      await fetch(`${sandbox.url}/api/Status`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.text()).catch(() => '');
      return performance.now() - started;
    };
    try {
      for (const rule of [{}, { status: 503 }, { truncate: true }, { apply: true, status: 500 }]) {
        expect(await timed(rule), JSON.stringify(rule)).toBeGreaterThanOrEqual(290);
      }
    } finally {
      await sandbox.clearFaults();
    }
  });
});

describe('fidelity check against the OpenAPI document', () => {
  it('answers 404 to an unknown path and records the violation', async () => {
    const fresh = await startTestSandbox();
    try {
      const freshToken = await fresh.token();
      expect((await call(fresh, freshToken, 'GET', '/Tickets/12/Actions')).status).toBe(404);
      expect((await call(fresh, freshToken, 'GET', '/Tickets?tenant=acme&count=1')).status).toBe(200);
      const created = await call(fresh, freshToken, 'POST', '/Tickets', [{ summary: 'typo', client_id: 2, stauts_id: 2 }]);
      expect(created.status).toBe(201);
      expect(created.body).not.toHaveProperty('stauts_id');
      const violations = await fresh.violations();
      expect(violations.map((violation) => [violation.kind, violation.name ?? violation.path])).toEqual([
        ['unknown_path', '/Tickets/12/Actions'],
        ['unknown_query_parameter', 'tenant'],
        ['unknown_body_field', 'stauts_id'],
      ]);
    } finally {
      await fresh.close();
    }
  });

  it('answers 400 when a numeric parameter gets text, like ASP.NET model binding', async () => {
    const { status, body } = await get('/Tickets?client_id=acme');
    expect(status).toBe(400);
    expect((body as { errors: Json }).errors).toHaveProperty('client_id');
  });

  it('reports parameters it does not emulate instead of pretending to filter', async () => {
    const fresh = await startTestSandbox();
    try {
      await call(fresh, await fresh.token(), 'GET', '/Tickets?billableonly=true&includelastaction=true&count=1');
      expect(await fresh.gaps()).toEqual([{ method: 'GET', path: '/Tickets', name: 'billableonly' }]);
    } finally {
      await fresh.close();
    }
  });

  it('answers any other operation of the document plausibly', async () => {
    expect((await get('/Tags')).body).toEqual([]);
    const created = await post('/Tags', [{ name: 'vip' }]);
    expect(created.status).toBe(200);
    const id = (created.body as Json).id as number;
    expect(((await get(`/Tags/${id}`)).body as Json).name).toBe('vip');
    expect(((await get('/Agent/me')).body as Json).name).toBe('API Integration');
  });
});

describe('seeding', () => {
  it('builds the same tenant from the same seed, and a bigger one with scale', async () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const a = await startTestSandbox({ seed: 'same', now });
    const b = await startTestSandbox({ seed: 'same', now });
    const c = await startTestSandbox({ seed: 'other', now, scale: 2 });
    try {
      const first = async (s: TestSandbox) => (await call(s, await s.token(), 'GET', '/Tickets?domain=reqs&count=20')).body as { record_count: number; tickets: Json[] };
      const [ta, tb, tc] = await Promise.all([first(a), first(b), first(c)]);
      expect(tb.tickets).toEqual(ta.tickets);
      expect(tc.tickets.map((t) => t.summary)).not.toEqual(ta.tickets.map((t) => t.summary));
      expect(ta.record_count).toBe(240);
      expect(tc.record_count).toBe(480);
      const ticket = (await call(a, await a.token(), 'GET', '/Tickets/1')).body as Json;
      expect(String(ticket.details)).toMatch(/<p>/);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('resets to the seeded state through the admin API', async () => {
    const fresh = await startTestSandbox();
    try {
      const freshToken = await fresh.token();
      const count = async () => ((await call(fresh, freshToken, 'GET', '/Tickets?count=0')).body as { record_count: number }).record_count;
      const before = await count();
      await call(fresh, freshToken, 'POST', '/Tickets', [{ summary: 'temporary', client_id: 2 }]);
      expect(await count()).toBe(before + 1);
      await fresh.reset();
      expect(await count()).toBe(before);
      expect(await fresh.requests()).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('keeps client secrets out of its own request log', async () => {
    const log = await sandbox.tokenRequests();
    expect(log.length).toBeGreaterThan(0);
    expect(JSON.stringify(log)).not.toContain(sandbox.clientSecret);
  });
});
