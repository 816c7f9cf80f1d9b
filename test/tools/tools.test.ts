/** Every core tool, through an MCP client, against the sandbox. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp } from '../helpers/mcp.js';
import { startSandboxMcp, useSandboxMcp } from '../helpers/setup.js';
import { fenced } from '../../src/toolkit/untrusted.js';

type Json = Record<string, unknown>;
type Ref = { id: number; name: string } | null;

// Every test checks that its own requests kept to what Halo documents and the sandbox emulates.
const { sandbox, mcp } = useSandboxMcp({ conformance: true });
afterEach(async () => {
  await sandbox.clearFaults();
});

const items = (data: Json) => data.items as Json[];

async function ticketTotal(): Promise<number> {
  return (await mcp.halo.list('/Tickets', { count: 0 })).total;
}

/** A contact of a client who is not its General User. */
async function contactOf(clientId: number): Promise<Json> {
  const { items: users } = await mcp.halo.list('/Users', { client_id: clientId });
  const contact = users.find((user) => user.name !== 'General User');
  if (!contact) throw new Error(`client ${clientId} has no contacts`);
  return contact;
}

describe('halo_search_tickets', () => {
  it('finds tickets by text', async () => {
    const { isError, data } = await mcp.call('halo_search_tickets', { query: 'vpn' });
    expect(isError).toBe(false);
    expect(items(data).length).toBeGreaterThan(0);
    expect(items(data).every((ticket) => /vpn/i.test(String(ticket.summary)))).toBe(true);
    expect(data.total).toBe(items(data).length);
  });

  it('resolves a client name and the word "open"', async () => {
    const { data } = await mcp.call('halo_search_tickets', { client: 'acme manufacturing', status: 'open', limit: 100 });
    const tickets = items(data);
    expect(tickets.length).toBeGreaterThan(0);
    expect(tickets.every((ticket) => (ticket.client as Ref)?.id === 2)).toBe(true);
    expect(tickets.every((ticket) => !['Closed', 'Cancelled'].includes(String((ticket.status as Ref)?.name)))).toBe(true);
  });

  it('resolves a status by name and the agent "me"', async () => {
    const byStatus = await mcp.call('halo_search_tickets', { status: 'Waiting on Customer' });
    expect(items(byStatus.data).every((ticket) => (ticket.status as Ref)?.name === 'Waiting on Customer')).toBe(true);
    await sandbox.clearRequests();
    await mcp.call('halo_search_tickets', { agent: 'me' });
    const [request] = await sandbox.apiRequests('GET', /tickets$/i);
    expect(request?.query.agent_id).toBe('10');
  });

  it('lists the candidates when a name is ambiguous, and the closest when it matches nothing', async () => {
    const ambiguous = await mcp.call('halo_search_tickets', { client: 'Acme' });
    expect(ambiguous.isError).toBe(true);
    expect(ambiguous.text).toContain('Acme Manufacturing (id 2)');
    expect(ambiguous.text).toContain('Acme Marketing Group (id 3)');
    const unknown = await mcp.call('halo_search_tickets', { client: 'Acmee Manufactoring' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/^No client matches "Acmee Manufactoring"\. Closest: Acme Manufacturing \(id 2\)/);
    const unknownStatus = await mcp.call('halo_search_tickets', { status: 'Wating on customer' });
    expect(unknownStatus.text).toMatch(/No status matches "Wating on customer"\. Closest: Waiting on Customer \(id 3\)/);
  });

  it('quotes a huge argument in an error only in part, keeping the advice after it', async () => {
    const huge = await mcp.call('halo_search_tickets', { status: `Waiting ${'on customer '.repeat(16_000)}` });
    expect(huge.isError).toBe(true);
    expect(huge.text).toMatch(/^No status matches "Waiting on customer on customer .{150,}…" \(192007 characters\)\. Closest: /);
    expect(huge.text.length).toBeLessThan(1_000);
  });

  it('pages with a cursor that only fits its own search', async () => {
    const first = await mcp.call('halo_search_tickets', { status: 'closed', limit: 5 });
    expect(items(first.data)).toHaveLength(5);
    expect(typeof first.data.next_cursor).toBe('string');
    const second = await mcp.call('halo_search_tickets', { status: 'closed', limit: 5, cursor: first.data.next_cursor });
    const ids = (page: Json) => items(page).map((ticket) => ticket.id);
    expect(ids(second.data)).toHaveLength(5);
    expect(ids(second.data).some((id) => ids(first.data).includes(id))).toBe(false);
    expect(second.data.total).toBe(first.data.total);
    const misused = await mcp.call('halo_search_tickets', { status: 'open', cursor: first.data.next_cursor });
    expect(misused.isError).toBe(true);
    expect(misused.text).toMatch(/cursor belongs to a search with other arguments/);
  });

  it('cuts a page to the size budget and continues where it stopped', async () => {
    const small = await connectMcp(sandbox, { maxResultChars: 2_000 });
    try {
      const first = await small.call('halo_search_tickets', { limit: 20 });
      expect(first.text.length).toBeLessThanOrEqual(2_000);
      const shown = items(first.data).length;
      expect(shown).toBeLessThan(20);
      const second = await small.call('halo_search_tickets', { limit: 20, cursor: first.data.next_cursor });
      const all = await mcp.call('halo_search_tickets', { limit: 40 });
      const expected = items(all.data).map((ticket) => ticket.id);
      expect([...items(first.data), ...items(second.data)].map((ticket) => ticket.id)).toEqual(expected.slice(0, shown + items(second.data).length));
    } finally {
      await small.close();
    }
  });

  it('lists the newest first by opening date, asking Halo for that order rather than relying on its own', async () => {
    await sandbox.clearRequests();
    const { data } = await mcp.call('halo_search_tickets', { limit: 30 });
    const [request] = await sandbox.apiRequests('GET', /tickets$/i);
    expect(request?.query).toMatchObject({ order: 'dateoccurred', orderdesc: 'true' });
    const opened = items(data).map((ticket) => Date.parse(String(ticket.opened)));
    expect(opened.length).toBe(30);
    expect(opened).toEqual([...opened].sort((a, b) => b - a));
  });

  it('reads relative dates and refuses two date filters at once', async () => {
    const week = await mcp.call('halo_search_tickets', { created: 'last 7 days', sort: 'oldest', limit: 100 });
    const opened = items(week.data).map((ticket) => Date.parse(String(ticket.opened)));
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.every((time) => time >= Date.now() - 8 * 86_400_000)).toBe(true);
    expect(opened).toEqual([...opened].sort((a, b) => a - b));
    const both = await mcp.call('halo_search_tickets', { created: 'today', closed: 'today' });
    expect(both.isError).toBe(true);
    expect(both.text).toMatch(/one date at a time/);
    const nonsense = await mcp.call('halo_search_tickets', { created: 'the other day' });
    expect(nonsense.text).toMatch(/is not a date/);
  });

  it('adds raw fields on request', async () => {
    const { data, text } = await mcp.call('halo_search_tickets', { limit: 3, fields: ['sla_id', 'no_such_field'] });
    expect(items(data)).toHaveLength(3);
    expect(items(data).every((ticket) => 'sla_id' in ticket && !('missing_fields' in ticket))).toBe(true);
    // Missing from every ticket, so said once for the page rather than on each row.
    expect(data.missing_fields).toEqual(['no_such_field']);
    expect(text.match(/no_such_field/g)).toHaveLength(1);
    const clients = await mcp.call('halo_search_clients', { limit: 3, fields: ['no_such_field'] });
    expect(items(clients.data)).toHaveLength(3);
    expect(clients.data.missing_fields).toEqual(['no_such_field']);
    expect(items(clients.data).some((client) => 'missing_fields' in client)).toBe(false);
  });

  it('refuses more raw fields than a record has, before looking any up', async () => {
    const names = Array.from({ length: 100_000 }, (_, index) => `field_${index}`).join(',');
    const started = performance.now();
    const { isError, text } = await mcp.call('halo_search_tickets', { fields: names });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(isError).toBe(true);
    expect(text).toMatch(/fields: at most 100 fields/);
    expect((await mcp.call('halo_search_tickets', { limit: 1, fields: 'x'.repeat(101) })).text).toMatch(/field names have at most 100 characters/);
  });

  it('answers a bad argument with a clear error and keeps serving', async () => {
    const bad = await mcp.call('halo_search_tickets', { limit: 0, colour: 'red' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^Invalid arguments:/);
    expect(bad.text).toMatch(/limit/);
    expect(bad.text).toMatch(/unknown argument "colour"/);
    expect((await mcp.call('halo_search_tickets', { limit: 1 })).isError).toBe(false);
  });
});

describe('halo_get_ticket', () => {
  it("leaves a customer's confidentiality footer out of the details and notes, saying so", async () => {
    const footer = 'This email and any attachments are confidential and intended solely for the addressee. If you have received this email in error please notify the sender.';
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Footer', client_id: 2, details_html: `<p>The scanner jams.</p><p>Thanks, Ann</p><p>${footer}</p>` });
    await mcp.halo.request({ method: 'POST', path: '/Actions', body: [{ ticket_id: ticket.id, outcome: 'Private Note', note_html: `<p>It still jams.</p><p>${footer}</p>` }] });
    const { data } = await mcp.call('halo_get_ticket', { id: ticket.id });
    expect(data.details).toBe(fenced('The scanner jams.\n\nThanks, Ann\n\n[disclaimer left out]'));
    expect((data.actions as Json[])[0]?.note).toBe(fenced('It still jams.\n\n[disclaimer left out]'));
  });

  it('returns a compact ticket with names, plain text and its latest actions', async () => {
    const { isError, data } = await mcp.call('halo_get_ticket', { id: 1 });
    expect(isError).toBe(false);
    expect(data.id).toBe(1);
    expect((data.status as Ref)?.name).toBeTruthy();
    expect((data.client as Ref)?.name).toBeTruthy();
    expect(String(data.details)).not.toMatch(/<[a-z]/i);
    expect((data.actions as Json[]).length).toBeLessThanOrEqual(3);
    expect(typeof data.actions_total).toBe('number');
  });

  it('returns raw fields with format "full" and named fields on request', async () => {
    await sandbox.clearRequests();
    const full = await mcp.call('halo_get_ticket', { id: 2, format: 'full' });
    expect(Object.keys(full.data).length).toBeGreaterThan(100);
    // The raw record is the ticket alone: no actions, no name lookups.
    expect((await sandbox.apiRequests()).map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/Tickets/2']);
    const withField = await mcp.call('halo_get_ticket', { id: 2, fields: ['sla_id'], actions: 0 });
    expect(withField.data).toHaveProperty('sla_id');
    expect(withField.data).not.toHaveProperty('actions');
  });

  it("explains a ticket that does not exist, and a number that is not one", async () => {
    const missing = await mcp.call('halo_get_ticket', { id: 999_999 });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/404/);
    expect(missing.text).toMatch(/Check the id/);
    const notANumber = await mcp.call('halo_get_ticket', { id: 'twelve' });
    expect(notANumber.isError).toBe(true);
    expect(notANumber.text).toMatch(/id/);
  });
});

describe('halo_create_ticket', () => {
  it('sends nothing on a dry run and shows the resolved request', async () => {
    const contact = await contactOf(2);
    await sandbox.clearRequests();
    const { data } = await mcp.call('halo_create_ticket', {
      summary: 'Dry run ticket',
      client: 'Acme Manufacturing',
      user: String(contact.name),
      priority: 'High',
      dry_run: true,
    });
    expect(data.dry_run).toBe(true);
    const body = ((data.request as Json).body as Json[])[0] as Json;
    expect(body).toMatchObject({ summary: 'Dry run ticket', client_id: 2, user_id: contact.id, site_id: contact.site_id, priority_id: 2 });
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });

  it('creates one ticket with every reference given by name', async () => {
    const before = await ticketTotal();
    const contact = await contactOf(6);
    await sandbox.clearRequests();
    const { isError, data, text } = await mcp.call('halo_create_ticket', {
      summary: 'New starter laptop',
      details: 'Please prepare a laptop.\n\nStarts Monday.',
      client: 'Fabrikam',
      user: String(contact.name),
      ticket_type: 'Service Request',
      priority: 'Low',
      agent: 'Jane Doe',
      team: 'infrastructure',
      category: 'Hardware',
    });
    expect(isError, text).toBe(false);
    const ticket = data.ticket as Json;
    expect(ticket).toMatchObject({
      summary: 'New starter laptop',
      client: { id: 6, name: 'Fabrikam Logistics' },
      type: { id: 2, name: 'Service Request' },
      priority: { id: 4, name: 'Low' },
      agent: { id: 1, name: 'Jane Doe' },
      team: 'Infrastructure',
      category: 'Hardware',
    });
    expect(ticket.details).toBe(fenced('Please prepare a laptop.\n\nStarts Monday.'));
    expect(await sandbox.apiRequests('POST')).toHaveLength(1);
    expect(await ticketTotal()).toBe(before + 1);
  });

  it("passes on Halo's refusal", async () => {
    const otherClientsUser = await contactOf(3);
    const { isError, text } = await mcp.call('halo_create_ticket', { summary: 'Mismatch', client: 2, user: Number(otherClientsUser.id) });
    expect(isError).toBe(true);
    expect(text).toMatch(/^Halo rejected POST \/Tickets \(400\): Site \d+ does not belong to Client 2\./);
  });

  it('requires a summary', async () => {
    const { isError, text } = await mcp.call('halo_create_ticket', { client: 2 });
    expect(isError).toBe(true);
    expect(text).toMatch(/summary/);
  });
});

describe('halo_update_ticket', () => {
  it('changes only the given fields of the existing ticket and never creates one', async () => {
    const before = await ticketTotal();
    await sandbox.clearRequests();
    const { data, isError, text } = await mcp.call('halo_update_ticket', { id: 7, status: 'In Progress', agent: 'me', priority: 'Critical' });
    expect(isError, text).toBe(false);
    expect((data.ticket as Json).status).toEqual({ id: 2, name: 'In Progress' });
    expect((data.ticket as Json).priority).toEqual({ id: 1, name: 'Critical' });
    const posts = await sandbox.apiRequests('POST');
    expect(posts).toHaveLength(1);
    expect((posts[0]?.body as Json[])[0]).toMatchObject({ id: 7, status_id: 2, agent_id: 10, priority_id: 1 });
    expect(await ticketTotal()).toBe(before);
  });

  it('names each change by its field and its values, keeping the ids', async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Named changes', client_id: 2, status_id: 9, priority_id: 3, agent_id: 1 });
    const wanted = { id: ticket.id, status: 'In Progress', priority: 'Critical', agent: 'me', details: 'New details' };
    const expected = [
      { field: 'details', from: '', to: 'New details' },
      { field: 'status', from: { id: 9, name: 'Closed' }, to: { id: 2, name: 'In Progress' } },
      { field: 'priority', from: { id: 3, name: 'Medium' }, to: { id: 1, name: 'Critical' } },
      { field: 'agent', from: { id: 1, name: 'Jane Doe' }, to: { id: 10, name: 'API Integration' } },
    ];
    expect((await mcp.call('halo_update_ticket', { ...wanted, dry_run: true })).data.changes).toEqual(expected);
    expect((await mcp.call('halo_update_ticket', wanted)).data.changes).toEqual(expected);
  });

  it("names a changed client, user and the user's site, before and after", async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Moved', client_id: 2 });
    const contact = await contactOf(4);
    const { data } = await mcp.call('halo_update_ticket', { id: ticket.id, client: 4, user: contact.name, dry_run: true });
    const changes = data.changes as Json[];
    expect(changes.find((change) => change.field === 'client')).toEqual({ field: 'client', from: { id: 2, name: 'Acme Manufacturing' }, to: { id: 4, name: '' } });
    expect(changes.find((change) => change.field === 'user')?.to).toEqual({ id: contact.id, name: contact.name });
    expect(changes.find((change) => change.field === 'site')?.to).toEqual({ id: contact.site_id, name: contact.site_name });
    const written = await mcp.call('halo_update_ticket', { id: ticket.id, client: 4, user: contact.name });
    expect((written.data.changes as Json[]).find((change) => change.field === 'client')?.to).toEqual({ id: 4, name: 'Brightwater Dental' });
  });

  it('names the custom fields it sets by label, with the values they held, not the whole list', async () => {
    const held = [
      { id: 12, name: 'CFBackupChecked', label: 'Backup checked', value: 'No', type: 1, usage: 1 },
      { id: 13, name: 'CFSerial', label: 'Serial', value: 'A1', type: 0, usage: 1 },
    ];
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Custom fields', client_id: 2, customfields: held });
    const { data } = await mcp.call('halo_update_ticket', { id: ticket.id, custom_fields: { '12': 'Yes' }, dry_run: true });
    expect(data.changes).toEqual([{ field: 'custom_fields', from: { 'Backup checked': 'No' }, to: { 'Backup checked': 'Yes' } }]);
  });

  it('shows the changes on a dry run and sends nothing', async () => {
    await sandbox.clearRequests();
    const { data } = await mcp.call('halo_update_ticket', { id: 8, summary: 'Renamed by a dry run', dry_run: true });
    expect(data.dry_run).toBe(true);
    expect(data.changes).toEqual([{ field: 'summary', from: expect.any(String) as string, to: 'Renamed by a dry run' }]);
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });

  it('refuses a ticket that does not exist without posting anything', async () => {
    await sandbox.clearRequests();
    const { isError, text } = await mcp.call('halo_update_ticket', { id: 888_888, summary: 'Ghost' });
    expect(isError).toBe(true);
    expect(text).toMatch(/404/);
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });

  it('asks for something to change, before any request', async () => {
    await sandbox.clearRequests();
    const { isError, text } = await mcp.call('halo_update_ticket', { id: 8 });
    expect(isError).toBe(true);
    expect(text).toMatch(/Nothing to change/);
    expect(await sandbox.apiRequests()).toEqual([]);
  });
});

/** The sandbox's outcome ids by name, read as any client would: they are not 1, 2, 3... */
async function outcomeIds(): Promise<Map<string, number>> {
  const { items: outcomes } = await mcp.halo.list('/Outcome');
  return new Map(outcomes.map((outcome) => [String(outcome.outcome), outcome.id as number]));
}

/** The body of the one action the last call posted. */
async function postedAction(): Promise<Json | undefined> {
  const posts = await sandbox.apiRequests('POST', /actions$/i);
  expect(posts).toHaveLength(1);
  return (posts[0]?.body as Json[] | undefined)?.[0];
}

/** A new ticket whose history is the given actions, posted in one request. */
async function ticketWithActions(actions: Json[]): Promise<number> {
  const ticket = await mcp.halo.upsert('/Tickets', { summary: 'History test', client_id: 2 });
  const id = ticket.id as number;
  if (actions.length > 0) {
    await mcp.halo.request({ method: 'POST', path: '/Actions', body: actions.map((action) => ({ ticket_id: id, outcome: 'Private Note', ...action })) });
  }
  return id;
}

describe('halo_add_note', () => {
  it("adds a private note with the tenant's private note outcome, emailing no one, by default", async () => {
    const emailsSent = await sandbox.watchEmails();
    await sandbox.clearRequests();
    const ids = await outcomeIds();
    const { data, isError, text } = await mcp.call('halo_add_note', { ticket_id: 9, note: 'Checked the logs.' });
    expect(isError, text).toBe(false);
    expect(data.outcome).toEqual({ id: ids.get('Private Note'), name: 'Private Note' });
    expect(data.action).toMatchObject({ private: true, outcome: 'Private Note' });
    expect(await postedAction()).toMatchObject({ ticket_id: 9, outcome_id: ids.get('Private Note'), hiddenfromuser: true, sendemail: false });
    expect(await emailsSent()).toEqual([]);
  });

  it('adds a public note with a visible outcome that sends nothing', async () => {
    const emailsSent = await sandbox.watchEmails();
    await sandbox.clearRequests();
    const { data } = await mcp.call('halo_add_note', { ticket_id: 9, note: 'The engineer is on the way.', private: false });
    expect(data.outcome).toEqual({ id: (await outcomeIds()).get('Note'), name: 'Note' });
    expect(data.action).toMatchObject({ private: false, outcome: 'Note' });
    expect(await postedAction()).toMatchObject({ hiddenfromuser: false, sendemail: false });
    expect(await emailsSent()).toEqual([]);
  });

  it('refuses to email a private note, and sends nothing', async () => {
    await sandbox.clearRequests();
    const { isError, text } = await mcp.call('halo_add_note', { ticket_id: 9, note: 'Hello', send_email: true });
    expect(isError).toBe(true);
    expect(text).toMatch(/private note is never emailed/);
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });

  it('emails a public note only when asked, with the email outcome, and logs time and a status', async () => {
    const emailsSent = await sandbox.watchEmails();
    const { data } = await mcp.call('halo_add_note', {
      ticket_id: 10,
      note: 'We have replaced the cable.',
      private: false,
      send_email: true,
      time_taken_hours: 0.5,
      new_status: 'Waiting on Customer',
    });
    expect(data.outcome).toMatchObject({ name: 'Email User' });
    expect((data.action as Json).private).toBe(false);
    expect(await emailsSent()).toEqual([expect.objectContaining({ ticket_id: 10 })]);
    const ticket = await mcp.call('halo_get_ticket', { id: 10, actions: 1 });
    expect(ticket.data.status).toEqual({ id: 3, name: 'Waiting on Customer' });
    expect((ticket.data.actions as Json[])[0]?.note).toBe(fenced('We have replaced the cable.'));
  });

  it.each([
    ['a public note', { private: false }],
    ['a private note', {}],
  ])('refuses %s with an outcome that emails the customer unasked, before anything is sent', async (_kind, note) => {
    await sandbox.clearRequests();
    const emailsSent = await sandbox.watchEmails();
    const { isError, text } = await mcp.call('halo_add_note', { ticket_id: 16, note: 'Just so you know.', outcome: 'email user', ...note });
    expect(isError).toBe(true);
    expect(text).toMatch(/^The outcome "Email User" \(id \d+\) emails the ticket's end user \(the customer\) whenever it is used, and this call did not ask to email them, so nothing was sent\./);
    expect(text).toMatch(/To email the customer, call again with private: false and send_email: true\./);
    expect(await sandbox.apiRequests('POST')).toEqual([]);
    expect(await emailsSent()).toEqual([]);
  });

  it('refuses an emailing outcome named for a closure as well, and one that never emails for an emailed note', async () => {
    await sandbox.clearRequests();
    const closed = await mcp.call('halo_close_ticket', { ticket_id: 16, note: 'Done.', outcome: 'Resolve Ticket' });
    expect(closed.text).toMatch(/^The outcome "Resolve Ticket" \(id 7\) emails the ticket's end user/);
    const silent = await mcp.call('halo_add_note', { ticket_id: 16, note: 'Hello', private: false, send_email: true, outcome: 'Private Note' });
    expect(silent.isError).toBe(true);
    expect(silent.text).toMatch(/^The outcome "Private Note" \(id \d+\) never emails anyone .* so send_email: true would send nothing; nothing was sent\./);
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });

  it('says on a dry run who would be emailed: no one, the ticket\'s user, or the address given', async () => {
    const { items: tickets } = await mcp.halo.list('/Tickets', { domain: 'reqs', open_only: true, count: 50 });
    const ticket = tickets.find((candidate) => /@/.test(String(candidate.user_email))) as Json;
    const id = ticket.id as number;
    await sandbox.clearRequests();
    const quiet = await mcp.call('halo_add_note', { ticket_id: id, note: 'Draft', private: false, dry_run: true });
    expect(quiet.data.would_email).toEqual([]);
    const emailed = await mcp.call('halo_add_note', { ticket_id: id, note: 'Draft', private: false, send_email: true, dry_run: true });
    expect(emailed.data.would_email).toEqual([`${String(ticket.user_name)} <${String(ticket.user_email)}>`]);
    const elsewhere = await mcp.call('halo_close_ticket', { ticket_id: id, note: 'Done', private: false, send_email: true, email_to: 'boss@example.com', dry_run: true });
    expect(elsewhere.data.would_email).toEqual(['boss@example.com']);
    const several = await mcp.call('halo_add_note', { ticket_id: id, note: 'Draft', private: false, send_email: true, email_to: `boss@example.com; ${String(ticket.user_email)}`, dry_run: true });
    expect(several.data.would_email).toEqual(['boss@example.com', `${String(ticket.user_name)} <${String(ticket.user_email)}>`]);
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });

  it('answers with the status it would set on a dry run, by name', async () => {
    const { data } = await mcp.call('halo_add_note', { ticket_id: 9, note: 'Draft', new_status: 'waiting on customer', dry_run: true });
    expect(data.status).toEqual({ id: 3, name: 'Waiting on Customer' });
  });

  it("answers with the ticket's summary, its status by name and its time total as Halo holds them after the note", async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Read back', client_id: 2, timetaken: 1 });
    const { data, isError, text } = await mcp.call('halo_add_note', { ticket_id: ticket.id, note: 'Rebooted.', time_taken_hours: 0.5, new_status: 'Waiting on Customer' });
    expect(isError, text).toBe(false);
    expect(data.ticket).toEqual({ id: ticket.id, summary: 'Read back', status: { id: 3, name: 'Waiting on Customer' }, time_taken_hours: 1.5 });
    expect(data.emailed).toEqual([]);
    expect(data).not.toHaveProperty('warning');
  });

  it('shows the status Halo kept, not the one sent, and says so', async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'A rule keeps it open', client_id: 2 });
    const stored = await mcp.halo.get('/Tickets', ticket.id as number);
    // A tenant's rule that puts the ticket back to In Progress: Halo answers the read with the status it kept.
    await sandbox.faults([{ method: 'GET', path: `/tickets/${String(ticket.id)}$`, status: 200, body: JSON.stringify({ ...stored, status_id: 2 }), times: 1 }]);
    const { data } = await mcp.call('halo_add_note', { ticket_id: ticket.id, note: 'Waiting for the customer.', new_status: 'Waiting on Customer' });
    expect((data.ticket as Json).status).toEqual({ id: 2, name: 'In Progress' });
    expect(data.warning).toMatch(/^The ticket's status is "In Progress" \(2\), not "Waiting on Customer" \(3\) as the action set/);
  });

  it('answers with the note it wrote when the ticket cannot be read back, so that nobody sends it twice', async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Unreadable afterwards', client_id: 2 });
    await sandbox.faults([{ method: 'GET', path: `/tickets/${String(ticket.id)}$`, status: 404, body: '{"ClassName":"System.Exception","Message":"Gone"}' }]);
    const { data, isError, text } = await mcp.call('halo_add_note', { ticket_id: ticket.id, note: 'Written anyway.', private: false, send_email: true });
    expect(isError, text).toBe(false);
    expect(data.action).toMatchObject({ note: fenced('Written anyway.') });
    expect(data.warning).toMatch(/^The action was written, but the ticket could not be read back .* It emails the ticket's end user, or the address given, as asked\.$/);
    expect((await mcp.halo.list('/Actions', { ticket_id: ticket.id as number })).items).toHaveLength(1);
  });

  it('names whom it emailed: the address Halo sent to', async () => {
    const { items: tickets } = await mcp.halo.list('/Tickets', { domain: 'reqs', open_only: true, count: 50 });
    const ticket = tickets.find((candidate) => /@/.test(String(candidate.user_email))) as Json;
    const emailsSent = await sandbox.watchEmails();
    const { data } = await mcp.call('halo_add_note', { ticket_id: ticket.id, note: 'We are on it.', private: false, send_email: true });
    expect(data.emailed).toEqual([`${String(ticket.user_name)} <${String(ticket.user_email)}>`]);
    const elsewhere = await mcp.call('halo_add_note', { ticket_id: ticket.id, note: 'Escalated.', private: false, send_email: true, email_to: 'boss@example.com' });
    expect(elsewhere.data.emailed).toEqual(['boss@example.com']);
    expect((await emailsSent()).map((email) => email.to)).toEqual([ticket.user_email, 'boss@example.com']);
  });

  it('uses an outcome the call names as given, by name or id', async () => {
    const ids = await outcomeIds();
    await sandbox.clearRequests();
    const byName = await mcp.call('halo_add_note', { ticket_id: 11, note: 'Went on site.', outcome: 'site visit' });
    expect(byName.data.outcome).toEqual({ id: ids.get('Site Visit'), name: 'Site Visit' });
    expect(byName.data.action).toMatchObject({ outcome: 'Site Visit', private: true });
    expect(await postedAction()).toMatchObject({ outcome_id: ids.get('Site Visit'), hiddenfromuser: true });
    const byId = await mcp.call('halo_add_note', { ticket_id: 11, note: 'Called back.', outcome: String(ids.get('Phone Call')) });
    expect(byId.data.outcome).toEqual({ id: ids.get('Phone Call'), name: 'Phone Call' });
  });

  it('sends nothing on a dry run, and names the outcome it would use', async () => {
    const ids = await outcomeIds();
    await sandbox.clearRequests();
    const { data } = await mcp.call('halo_add_note', { ticket_id: 9, note: 'Draft', dry_run: true, outcome: 'Phone Call' });
    expect(data.outcome).toEqual({ id: ids.get('Phone Call'), name: 'Phone Call' });
    expect(((data.request as Json).body as Json[])[0]).toMatchObject({ outcome_id: ids.get('Phone Call'), hiddenfromuser: true });
    const chosen = await mcp.call('halo_add_note', { ticket_id: 9, note: 'Draft', dry_run: true });
    expect(chosen.data.outcome).toEqual({ id: ids.get('Private Note'), name: 'Private Note' });
    expect(((chosen.data.request as Json).body as Json[])[0]).toMatchObject({ outcome_id: ids.get('Private Note') });
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });
});

describe('halo_list_ticket_actions', () => {
  it('pages a ticket history newest first, with or without private notes', async () => {
    for (const note of ['one', 'two', 'three']) await mcp.call('halo_add_note', { ticket_id: 12, note, private: note !== 'two' });
    const first = await mcp.call('halo_list_ticket_actions', { ticket_id: 12, limit: 2 });
    expect(items(first.data).map((action) => action.note)).toEqual([fenced('three'), fenced('two')]);
    const second = await mcp.call('halo_list_ticket_actions', { ticket_id: 12, limit: 2, cursor: first.data.next_cursor });
    expect(items(second.data)[0]?.note).toBe(fenced('one'));
    const publicOnly = await mcp.call('halo_list_ticket_actions', { ticket_id: 12, include_private: false });
    expect(items(publicOnly.data).some((action) => action.note === fenced('two'))).toBe(true);
    expect(items(publicOnly.data).every((action) => action.private === false)).toBe(true);
  });

  it("shows a note's paragraphs from its HTML, though Halo's plain note runs them together", async () => {
    await mcp.call('halo_add_note', { ticket_id: 13, note: 'First paragraph.\n\nSecond paragraph.\nA new line.' });
    const [raw] = (await mcp.halo.list('/Actions', { ticket_id: 13, count: 1 })).items;
    expect(raw?.note).toBe('First paragraph.Second paragraph.A new line.');
    const { data } = await mcp.call('halo_list_ticket_actions', { ticket_id: 13, limit: 1 });
    expect(items(data)[0]?.note).toBe(fenced('First paragraph.\n\nSecond paragraph.\nA new line.'));
  });

  it('reads a 60-action history whole, newest first, though Halo answers 50 without a count', async () => {
    const id = await ticketWithActions(Array.from({ length: 60 }, (_, n) => ({ note: `step ${n + 1}` })));
    await sandbox.clearRequests();
    const { data } = await mcp.call('halo_list_ticket_actions', { ticket_id: id, limit: 100 });
    expect(data.total).toBe(60);
    expect(items(data)).toHaveLength(60);
    expect(items(data)[0]?.note).toBe(fenced('step 60'));
    expect(items(data).at(-1)?.note).toBe(fenced('step 1'));
    expect(data).not.toHaveProperty('history_cut');
    const [read] = await sandbox.apiRequests('GET', /actions$/i);
    expect(Number(read?.query.count)).toBeGreaterThanOrEqual(60);
  });

  it('says so when Halo holds more actions than one read answers', async () => {
    const id = await ticketWithActions(Array.from({ length: 1001 }, (_, n) => ({ note: `entry ${n + 1}` })));
    const list = await mcp.call('halo_list_ticket_actions', { ticket_id: id, limit: 5 });
    expect(list.data.total).toBe(1001);
    expect(String(list.data.history_cut)).toMatch(/holds 1001 actions here and answered 1000; the other 1 were not read and may include the newest/);
    const ticket = await mcp.call('halo_get_ticket', { id, actions: 1 });
    expect(ticket.data).toMatchObject({ actions_total: 1001, history_cut: list.data.history_cut });
  });
});

describe.each(['newest', 'oldest'] as const)('the latest actions, whatever order Halo lists them in (%s first)', (order) => {
  const { mcp: listingMcp } = useSandboxMcp({ sandbox: { actionOrder: order } });

  it('are the newest by date, with dates written with or without a zone', async () => {
    // Added in an order that is not the order they happened, so neither of Halo's orders is the order by date.
    const ticket = await listingMcp.halo.upsert('/Tickets', { summary: 'History test', client_id: 2 });
    const id = ticket.id as number;
    const added = [
      { note: 'middle', datetime: '2026-03-02T10:00:00' },
      { note: 'latest', datetime: '2026-03-03T09:00:00+00:00' },
      { note: 'earliest', datetime: '2026-03-01T08:00:00Z' },
    ];
    await listingMcp.halo.request({ method: 'POST', path: '/Actions', body: added.map((action) => ({ ticket_id: id, outcome: 'Private Note', ...action })) });
    const listed = (await listingMcp.halo.list('/Actions', { ticket_id: id })).items.map((action) => action.note);
    expect(listed).toEqual(order === 'newest' ? ['earliest', 'latest', 'middle'] : ['middle', 'latest', 'earliest']);
    const detail = await listingMcp.call('halo_get_ticket', { id, actions: 2 });
    expect((detail.data.actions as Json[]).map((action) => action.note)).toEqual(['latest', 'middle'].map(fenced));
    expect(detail.data.actions_total).toBe(3);
    const list = await listingMcp.call('halo_list_ticket_actions', { ticket_id: id });
    expect(items(list.data).map((action) => action.note)).toEqual(['latest', 'middle', 'earliest'].map(fenced));
  });

  it(`of a seeded ticket are its last by date, though Halo lists the ${order} first`, async () => {
    const { items: listed } = await listingMcp.halo.list('/Actions', { ticket_id: 1, count: 100 });
    expect(listed.length).toBeGreaterThan(1);
    const byDate = [...listed].sort((a, b) => Date.parse(String(b.datetime)) - Date.parse(String(a.datetime)));
    expect(listed[0]?.id).toBe((order === 'newest' ? byDate[0] : byDate.at(-1))?.id);
    const { data } = await listingMcp.call('halo_get_ticket', { id: 1, actions: 1 });
    expect((data.actions as Json[])[0]?.id).toBe(byDate[0]?.id);
  });
});

describe('halo_close_ticket', () => {
  it('closes with a private resolution note in one call, with the private note outcome', async () => {
    await sandbox.clearRequests();
    const { data, isError, text } = await mcp.call('halo_close_ticket', { ticket_id: 14, note: 'Replaced the toner.' });
    expect(isError, text).toBe(false);
    expect(data.ticket).toMatchObject({ id: 14, status: { id: 9, name: 'Closed' } });
    expect(data.emailed).toEqual([]);
    expect(data.outcome).toEqual({ id: (await outcomeIds()).get('Private Note'), name: 'Private Note' });
    expect(data.action).toMatchObject({ private: true, outcome: 'Private Note' });
    expect(await sandbox.apiRequests('POST')).toHaveLength(1);
    expect((await mcp.call('halo_get_ticket', { id: 14 })).data.status).toEqual({ id: 9, name: 'Closed' });
  });

  it('takes another closing status by name, and a dry run sends nothing', async () => {
    await sandbox.clearRequests();
    const { data } = await mcp.call('halo_close_ticket', { ticket_id: 15, note: 'Duplicate', status: 'cancelled', dry_run: true });
    expect(((data.request as Json).body as Json[])[0]).toMatchObject({ new_status: 8, outcome_id: (await outcomeIds()).get('Private Note') });
    expect(data.status).toEqual({ id: 8, name: 'Cancelled' });
    expect(data.outcome).toMatchObject({ name: 'Private Note' });
    expect(await sandbox.apiRequests('POST')).toEqual([]);
    const unknown = await mcp.call('halo_close_ticket', { ticket_id: 15, note: 'x', status: 'Finished' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/No status matches "Finished"/);
  });
});

describe('a tenant with no outcome that fits a note', () => {
  const { sandbox: bare, mcp: bareMcp } = useSandboxMcp({ settings: { toolsets: ['all'] } });

  beforeAll(async () => {
    // Left with an outcome that emails and one that closes the ticket: neither may carry a quiet note.
    const { items: outcomes } = await bareMcp.halo.list('/Outcome', { showhidden: true });
    for (const outcome of outcomes) if (!['Email User', 'Resolve Ticket'].includes(String(outcome.outcome))) await bareMcp.halo.remove('/Outcome', outcome.id as number);
  });

  it.each([
    ['halo_add_note', { ticket_id: 9, note: 'Checked.' }],
    ['halo_add_note', { ticket_id: 9, note: 'On our way.', private: false }],
    ['halo_close_ticket', { ticket_id: 9, note: 'Done.' }],
    ['halo_log_time', { ticket_id: 9, hours: 1, note: 'Worked on it.' }],
  ])('%s says which outcomes there are and how to name one, and sends nothing', async (tool, args) => {
    await bare.clearRequests();
    const { isError, text } = await bareMcp.call(tool, args);
    expect(isError).toBe(true);
    expect(text).toMatch(/Halo needs an outcome for every action, and none of this tenant's fits a (private|public) note/);
    expect(text).toMatch(/Its outcomes: .*Email User \(id 11\)/);
    expect(text).toMatch(/Its outcomes: .*Resolve Ticket \(id 7\)/);
    expect(text).toMatch(/with the outcome argument/);
    expect(await bare.apiRequests('POST')).toEqual([]);
  });

  it('still emails with the outcome that emails, when the call asks for an email, but never writes a quiet note with it', async () => {
    const { isError, data } = await bareMcp.call('halo_add_note', { ticket_id: 9, note: 'Replied.', private: false, send_email: true });
    expect(isError).toBe(false);
    expect(data.outcome).toEqual({ id: 11, name: 'Email User' });
    const named = await bareMcp.call('halo_add_note', { ticket_id: 9, note: 'Replied again.', outcome: 'Email User', private: false, send_email: true });
    expect(named.data.action).toMatchObject({ outcome: 'Email User', private: false });
    await bare.clearRequests();
    const quiet = await bareMcp.call('halo_add_note', { ticket_id: 9, note: 'Closing note.', outcome: 'Email User' });
    expect(quiet.isError).toBe(true);
    expect(quiet.text).toMatch(/^The outcome "Email User" \(id 11\) emails the ticket's end user/);
    expect(await bare.apiRequests('POST')).toEqual([]);
  });
});

describe('agents by name, disabled ones included', () => {
  const { sandbox: staffed, mcp: staffedMcp } = useSandboxMcp();
  let chloe: Json;
  let former: Json;

  beforeAll(async () => {
    const { items: agents } = await staffedMcp.halo.list('/Agent', { includedisabled: true });
    chloe = agents.find((agent) => agent.name === 'Chloe Martin') as Json;
    expect(chloe).toMatchObject({ isdisabled: true });
    // A former agent whose name begins like a current one's.
    former = await staffedMcp.halo.upsert('/Agent', { name: 'Sam Patterson', isdisabled: true });
  });

  it("names the disabled agent a ticket is still assigned to, and finds that agent's tickets by name", async () => {
    const ticket = await staffedMcp.halo.upsert('/Tickets', { summary: 'Left with a leaver', client_id: 2, agent_id: chloe.id as number });
    // A connection of its own, whose name cache is empty, so that it reads the agents.
    const fresh = await connectMcp(staffed);
    try {
      await staffed.clearRequests();
      const { data } = await fresh.call('halo_get_ticket', { id: ticket.id, actions: 0 });
      expect(data.agent).toEqual({ id: chloe.id, name: 'Chloe Martin' });
      const [lookup] = await staffed.apiRequests('GET', /agent$/i);
      expect(lookup?.query).toMatchObject({ includedisabled: 'true' });
      const found = await fresh.call('halo_search_tickets', { agent: 'Chloe Martin' });
      expect(items(found.data).map((entry) => entry.id)).toContain(ticket.id);
    } finally {
      await fresh.close();
    }
  });

  it('assigns a ticket by name to the active agent a former one shares it with, and finds a former agent by full name', async () => {
    await staffed.clearRequests();
    const { isError, text, data } = await staffedMcp.call('halo_update_ticket', { id: 7, agent: 'Sam' });
    expect(isError, text).toBe(false);
    expect((data.ticket as Json).agent).toEqual({ id: 2, name: 'Sam Patel' });
    const [post] = await staffed.apiRequests('POST', /tickets$/i);
    expect((post?.body as Json[])[0]).toMatchObject({ id: 7, agent_id: 2 });
    // Hidden from Halo's default list, the former agent's full name still means that agent.
    expect((await staffedMcp.halo.list('/Agent')).items.map((agent) => agent.id)).not.toContain(former.id);
    const exact = await staffedMcp.call('halo_search_tickets', { agent: 'Sam Patterson' });
    expect(exact.isError, exact.text).toBe(false);
    const [search] = (await staffed.apiRequests('GET', /tickets$/i)).slice(-1);
    expect(search?.query.agent_id).toBe(String(former.id));
  });
});

describe('clients and users', () => {
  it('searches and pages clients', async () => {
    const acme = await mcp.call('halo_search_clients', { query: 'acme' });
    expect(items(acme.data).map((client) => client.name)).toEqual(['Acme Manufacturing', 'Acme Marketing Group']);
    const page = await mcp.call('halo_search_clients', { limit: 10 });
    const next = await mcp.call('halo_search_clients', { limit: 10, cursor: page.data.next_cursor });
    expect(items(next.data).length).toBeGreaterThan(0);
    const inactive = await mcp.call('halo_search_clients', { include_inactive: true, limit: 100 });
    expect(items(inactive.data).some((client) => client.inactive === true)).toBe(true);
  });

  it('reads a client by name or id', async () => {
    const byName = await mcp.call('halo_get_client', { id: 'Brightwater Dental' });
    expect(byName.data).toMatchObject({ id: 4, name: 'Brightwater Dental' });
    expect((await mcp.call('halo_get_client', { id: 4 })).data.name).toBe('Brightwater Dental');
    expect((await mcp.call('halo_get_client', { id: 'Nobody Ltd' })).isError).toBe(true);
  });

  it("searches a client's users and reads one", async () => {
    const { data } = await mcp.call('halo_search_users', { client: 'Acme Manufacturing' });
    expect(items(data).length).toBeGreaterThan(1);
    expect(items(data).every((user) => (user.client as Ref)?.id === 2)).toBe(true);
    const someone = items(data).find((user) => user.email);
    const byEmail = await mcp.call('halo_search_users', { query: String(someone?.email) });
    expect(items(byEmail.data).map((user) => user.id)).toContain(someone?.id);
    const user = await mcp.call('halo_get_user', { id: someone?.id });
    expect(user.data).toMatchObject({ id: someone?.id, email: someone?.email });
  });
});

describe('assets and knowledge base', () => {
  it('finds assets by client and type, and reads one with its fields', async () => {
    const { data } = await mcp.call('halo_search_assets', { client: 'Acme Manufacturing', limit: 100 });
    expect(items(data).length).toBeGreaterThan(0);
    const type = (items(data)[0]?.type as Ref)?.name ?? '';
    const typed = await mcp.call('halo_search_assets', { client: 2, asset_type: type });
    expect(items(typed.data).every((asset) => (asset.type as Ref)?.name === type)).toBe(true);
    const asset = await mcp.call('halo_get_asset', { id: items(data)[0]?.id });
    expect(asset.data.fields).toHaveProperty('Serial Number');
    const byTag = await mcp.call('halo_search_assets', { query: String(items(data)[0]?.tag) });
    expect(items(byTag.data).map((found) => found.id)).toContain(items(data)[0]?.id);
  });

  it('shows when each warranty ends, and finds those ending within a number of days, soonest first', async () => {
    const { data } = await mcp.call('halo_search_assets', { client: 'Acme Manufacturing', limit: 100 });
    const [first] = await mcp.halo.list('/Asset', { client_id: 2, pageinate: true, page_size: 1, page_no: 1 }).then((answer) => answer.items);
    expect(items(data).find((asset) => asset.id === first?.id)?.warranty_end).toBe(new Date(String(first?.warranty_end)).toISOString().slice(0, 19) + 'Z');

    const now = Date.now();
    const within = (days: number) => (asset: Json) => {
      const ends = Date.parse(String(asset.warranty_end));
      return ends >= now - 60_000 && ends <= now + days * 86_400_000 + 60_000;
    };
    const every: Json[] = [];
    for (let page = 1; ; page++) {
      const answer = await mcp.halo.list('/Asset', { pageinate: true, page_size: 100, page_no: page });
      every.push(...answer.items.map((asset) => ({ id: asset.id, warranty_end: asset.warranty_end })));
      if (answer.items.length === 0 || every.length >= answer.total) break;
    }
    const expected = every.filter(within(90));
    expect(expected.length).toBeGreaterThan(1);
    const ending = await mcp.call('halo_search_assets', { warranty_within_days: 90, limit: 100 });
    expect(ending.isError, ending.text).toBe(false);
    expect(new Set(items(ending.data).map((asset) => asset.id))).toEqual(new Set(expected.map((asset) => asset.id)));
    expect(ending.data).toMatchObject({ total: expected.length, next_cursor: null });
    const ends = items(ending.data).map((asset) => Date.parse(String(asset.warranty_end)));
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    const acme = await mcp.call('halo_search_assets', { client: 'Acme Manufacturing', warranty_within_days: 900, limit: 100 });
    expect(items(acme.data).every((asset) => (asset.client as Ref)?.id === 2)).toBe(true);
    expect(items(acme.data).length).toBeGreaterThan(0);
    // A raw field no asset has is named once for the list, as every list names it.
    const unknown = await mcp.call('halo_search_assets', { warranty_within_days: 90, fields: 'no_such_field' });
    expect(unknown.data.missing_fields).toEqual(['no_such_field']);
    expect(items(unknown.data).every((asset) => !('missing_fields' in asset))).toBe(true);
  });

  it('says so when a tenant has more assets than a warranty search reads', async () => {
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const page = Array.from({ length: 100 }, (_, index) => ({ id: index + 1, inventory_number: `T-${String(index)}`, client_id: 2, warranty_end: soon }));
    await sandbox.faults([{ method: 'GET', path: '^/api/asset$', status: 200, body: JSON.stringify({ record_count: 5000, assets: page }) }]);
    await sandbox.clearRequests();
    const answer = await mcp.call('halo_search_assets', { warranty_within_days: 30, limit: 5 });
    expect(answer.isError, answer.text).toBe(false);
    expect(answer.data.warranty_scan_cut).toMatch(/first 2000 of 5000 assets were checked/);
    expect(await sandbox.apiRequests('GET', /\/asset$/i)).toHaveLength(20);
  });

  it('searches articles and reads one as plain text', async () => {
    const { data } = await mcp.call('halo_search_kb', { query: 'vpn' });
    expect(items(data).length).toBeGreaterThanOrEqual(2);
    const article = await mcp.call('halo_get_kb_article', { id: items(data)[0]?.id });
    expect(String(article.data.resolution)).not.toMatch(/<[a-z]/i);
    expect(String(article.data.title)).toMatch(/VPN/i);
  });
});

describe('halo_lookup and halo_whoami', () => {
  it('lists reference data, once per priority, and the sites of a client', async () => {
    const statuses = await mcp.call('halo_lookup', { kind: 'statuses' });
    expect(items(statuses.data).map((status) => status.name)).toContain('Waiting on Customer');
    // Halo documents no meaning for a status's type number: it is shown under a name that claims none, with a word on it.
    expect(items(statuses.data).every((status) => 'type_code' in status && !('type' in status))).toBe(true);
    expect(statuses.data.note).toMatch(/^type_code is Halo's status type number, whose meaning Halo does not document/);
    const priorities = await mcp.call('halo_lookup', { kind: 'priorities' });
    expect(items(priorities.data).map((priority) => priority.name)).toEqual(['Critical', 'High', 'Medium', 'Low']);
    const agents = await mcp.call('halo_lookup', { kind: 'agents', query: 'jane' });
    expect(items(agents.data)).toEqual([expect.objectContaining({ id: 1, name: 'Jane Doe' })]);
    const noClient = await mcp.call('halo_lookup', { kind: 'sites' });
    expect(noClient.text).toMatch(/give client/);
    const sites = await mcp.call('halo_lookup', { kind: 'sites', client: 'Acme Manufacturing' });
    expect(items(sites.data).map((site) => site.name)).toContain('Head Office');
  });

  it('serves repeated lookups from the cache', async () => {
    const lookUp = async () => {
      await mcp.call('halo_lookup', { kind: 'teams' });
      await mcp.call('halo_search_tickets', { team: 'Infrastructure', status: 'New' });
    };
    await lookUp();
    await sandbox.clearRequests();
    await lookUp();
    const lookups = (await sandbox.apiRequests('GET')).filter((request) => !/tickets$/i.test(request.path));
    expect(lookups).toEqual([]);
  });

  it('shows who the API is and what this server may do', async () => {
    const { data } = await mcp.call('halo_whoami');
    expect(data).toMatchObject({ connected: true, agent: { id: 10, name: 'API Integration' }, scopes_granted: 'all', read_only: false, writes_allowed: true, toolsets: ['core', 'api'] });
  });

  it('reports a connection that fails as an error that still shows the settings it used', async () => {
    const badCredentials = { ...sandbox, config: () => ({ ...sandbox.config(), clientSecret: 'wrong-secret' }) };
    const broken = await connectMcp(badCredentials);
    try {
      const { isError, data } = await broken.call('halo_whoami');
      // An error result, so that a client (and `halopsa-mcp call`'s exit status) sees the failure.
      expect(isError).toBe(true);
      expect(data.connected).toBe(false);
      expect(data.url).toBe(sandbox.url);
      expect(String(data.error)).toMatch(/invalid_client/);
      expect(JSON.stringify(data)).not.toContain('wrong-secret');
    } finally {
      await broken.close();
    }
  });
});

describe('tools/list and tools/call as protocol requests', () => {
  it('refuses a cursor it never gave, rather than answer the first page again', async () => {
    await expect(mcp.client.listTools({ cursor: 'bogus' })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('the cursor "bogus" is not one it gave') as unknown });
  });

  it('says once, in words a client shows as they are, that a tool does not exist', async () => {
    const refused = await mcp.client.callTool({ name: 'halo_nope', arguments: {} }).then(
      () => undefined,
      (error: unknown) => error as { code: number; message: string },
    );
    expect(refused).toMatchObject({ code: -32602, message: 'Unknown tool "halo_nope". Call tools/list for the tools this server offers.' });
  });

  it('names the setting that hides a tool the server has, rather than call it unknown', async () => {
    const readOnly = await startSandboxMcp({ settings: { readOnly: true } });
    try {
      await expect(readOnly.mcp.client.callTool({ name: 'halo_update_ticket', arguments: { id: 1, summary: 'x' } })).rejects.toMatchObject({
        code: -32602,
        message: 'The tool "halo_update_ticket" is not offered by this server: read-only mode (--read-only, HALO_READ_ONLY) hides every tool that changes Halo. Call tools/list for the tools it offers.',
      });
      await expect(readOnly.mcp.client.callTool({ name: 'halo_list_webhooks', arguments: {} })).rejects.toThrow(/toolset "admin", which is not enabled: add it with --toolsets \(HALO_TOOLSETS\)/);
    } finally {
      await readOnly.close();
    }
  });
});
