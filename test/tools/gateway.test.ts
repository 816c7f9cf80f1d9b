/** The gateway: every operation of Halo's API, found, described and called through three tools. */
import { describe, expect, it } from 'vitest';
import operationsDocument from '../../src/openapi/operations.json' with { type: 'json' };
import { connectMcp } from '../helpers/mcp.js';
import { catalog } from '../../tools/index.js';
import { CURATED, curatedToolName } from '../../tools/api.js';
import type { Operation } from '../../src/openapi/types.js';
import { useSandboxMcp } from '../helpers/setup.js';

type Json = Record<string, unknown>;

const { sandbox, mcp } = useSandboxMcp();

const items = (data: Json) => data.items as Json[];

describe('halo_find_operations', () => {
  it('finds operations by words and verbs', async () => {
    const webhooks = await mcp.call('halo_find_operations', { query: 'list webhooks' });
    expect(items(webhooks.data)[0]).toMatchObject({ method: 'GET', path: '/Webhook' });
    const approvals = await mcp.call('halo_find_operations', { query: 'ticket approval' });
    expect(items(approvals.data).map((operation) => operation.path)).toContain('/TicketApproval');
    const deleteClient = await mcp.call('halo_find_operations', { query: 'delete customer' });
    expect(items(deleteClient.data)[0]).toMatchObject({ method: 'DELETE', path: '/Client/{id}' });
  });

  it('names the common parameters first and pages the matches', async () => {
    const first = await mcp.call('halo_find_operations', { query: 'tickets', limit: 3 });
    const tickets = items(first.data).find((operation) => operation.path === '/Tickets' && operation.method === 'GET');
    expect((tickets?.params as string[]).slice(0, 4)).toEqual(['search', 'pageinate', 'page_size', 'page_no']);
    expect((tickets?.params as string[]).at(-1)).toMatch(/^\+\d+ more$/);
    const second = await mcp.call('halo_find_operations', { query: 'tickets', limit: 3, cursor: first.data.next_cursor });
    expect(items(second.data)).toHaveLength(3);
    expect(items(second.data)[0]).not.toEqual(items(first.data)[0]);
  });
});

describe('halo_find_operations in the words of a person', () => {
  it("names records as a person does, not by Halo's schema names", async () => {
    const clients = await mcp.call('halo_find_operations', { query: 'list clients', limit: 3 });
    expect(items(clients.data)[0]).toMatchObject({ method: 'GET', path: '/Client', summary: 'List clients' });
    const agents = await mcp.call('halo_find_operations', { query: 'agents', limit: 50 });
    expect(items(agents.data).find((operation) => operation.path === '/Agent/{id}' && operation.method === 'GET')?.summary).toBe('Get one agent');
    const tickets = await mcp.call('halo_find_operations', { query: 'tickets', limit: 50 });
    expect(items(tickets.data).find((operation) => operation.path === '/Tickets' && operation.method === 'POST')?.summary).toBe('Create or update tickets');
    for (const answer of [clients, agents, tickets]) expect(answer.text).not.toMatch(/List of|Get one (Area|Uname|Faults)/);
  });

  it('ranks the operation an everyday search means first, with the filter it names', async () => {
    const timesheet = await mcp.call('halo_find_operations', { query: 'timesheet', limit: 5 });
    expect(items(timesheet.data).map((operation) => operation.path)).toEqual(expect.arrayContaining(['/Timesheet', '/TimesheetEvent']));
    const unpaid = await mcp.call('halo_find_operations', { query: 'invoice unpaid', limit: 3 });
    expect(items(unpaid.data)[0]).toMatchObject({ method: 'GET', path: '/Invoice' });
    expect((items(unpaid.data)[0]?.params as string[])[0]).toBe('paymentstatuses');
    const contracts = await mcp.call('halo_find_operations', { query: 'client contracts', limit: 3 });
    expect(items(contracts.data)[0]).toMatchObject({ method: 'GET', path: '/ClientContract', summary: 'List client contracts' });
  });

  it('points to the curated tool, and to the setting that shows it when this configuration hides it', async () => {
    const found = await mcp.call('halo_find_operations', { query: 'timesheet events', limit: 3 });
    const list = items(found.data).find((operation) => operation.path === '/TimesheetEvent' && operation.method === 'GET');
    expect(list?.curated).toBe('halo_list_timesheet_events (toolset time is off: add it to HALO_TOOLSETS)');
    const clients = await mcp.call('halo_find_operations', { query: 'list clients', limit: 1 });
    expect(items(clients.data)[0]?.curated).toBe('halo_search_clients');
    const described = await mcp.call('halo_describe_operation', { method: 'GET', path: '/Client' });
    expect(described.data).toMatchObject({ summary: 'List clients', curated: 'halo_search_clients' });
    const called = await mcp.call('halo_call_operation', { method: 'GET', path: '/TimesheetEvent' });
    expect(called.data.curated).toBe('halo_list_timesheet_events (toolset time is off: add it to HALO_TOOLSETS)');
    // Where more than the toolset hides it, the reason is the server's own.
    const readOnly = await connectMcp(sandbox, { readOnly: true, toolsets: ['core', 'api', 'time'] });
    try {
      const write = await readOnly.call('halo_describe_operation', { method: 'POST', path: '/TimesheetEvent' });
      expect(write.data.curated).toBe('halo_create_timesheet_event (hidden: read-only mode (--read-only, HALO_READ_ONLY) hides every tool that changes Halo)');
    } finally {
      await readOnly.close();
    }
    const all = await connectMcp(sandbox, { toolsets: ['all'] });
    try {
      const shown = await all.call('halo_call_operation', { method: 'GET', path: '/TimesheetEvent' });
      expect(shown.data.curated).toBe('halo_list_timesheet_events');
    } finally {
      await all.close();
    }
  });
});

describe('the curated tools the gateway points to', () => {
  it('are tools of the catalog, each named for an operation of the document that does what it does', () => {
    const catalogNames = new Set(catalog.map((tool) => tool.name));
    const segments = new Set(operationsDocument.operations.map((operation) => operation.path.split('/')[1]?.toLowerCase()));
    for (const [segment, tools] of Object.entries(CURATED)) {
      expect(segments.has(segment), segment).toBe(true);
      for (const name of Object.values(tools)) expect(catalogNames.has(name), name).toBe(true);
    }
    const named = new Set(operationsDocument.operations.map((operation) => curatedToolName(operation as Pick<Operation, 'method' | 'path'>)).filter(Boolean));
    expect(named).toEqual(new Set(Object.values(CURATED).flatMap((tools) => Object.values(tools))));
    expect(curatedToolName({ method: 'GET', path: '/Client' })).toBe('halo_search_clients');
    expect(curatedToolName({ method: 'GET', path: '/Client/{id}' })).toBe('halo_client_overview');
    expect(curatedToolName({ method: 'POST', path: '/Client/NewAccountsId' })).toBeUndefined();
  });
});

describe('halo_describe_operation', () => {
  it('lists the parameters and body fields of an operation, narrowed on request', async () => {
    const { data } = await mcp.call('halo_describe_operation', { method: 'GET', path: '/Tickets', match: 'client' });
    expect((data.query as Json[]).map((param) => param.name)).toEqual(expect.arrayContaining(['client_id', 'client_ids']));
    expect((data.query as Json[]).every((param) => String(param.name).includes('client'))).toBe(true);
    const post = await mcp.call('halo_describe_operation', { method: 'POST', path: '/tickets', match: 'summary' });
    expect(post.data.body).toMatchObject({ schema: 'Faults', array: true, fields: { summary: 'string?' } });
  });

  it('stays within the budget for the largest operation, saying what it left out', async () => {
    const { data, text } = await mcp.call('halo_describe_operation', { method: 'POST', path: '/Tickets' });
    expect(text.length).toBeLessThan(20_000);
    expect((data.body as Json).fields_omitted).toBeGreaterThan(0);
  });

  it('points to the search for a path that does not exist', async () => {
    const { isError, text } = await mcp.call('halo_describe_operation', { method: 'GET', path: '/Tickets/12/Actions' });
    expect(isError).toBe(true);
    expect(text).toMatch(/no path \/Tickets\/12\/Actions.*halo_find_operations/);
  });

  it('names the closest paths to one Halo lacks, and none when nothing is close', async () => {
    const typo = await mcp.call('halo_call_operation', { method: 'GET', path: '/Webhooks/3' });
    expect(typo.text).toMatch(/Halo's API has no path \/Webhooks\/3\. The closest it has: GET \/Webhook\/\{id\}/);
    const singular = await mcp.call('halo_describe_operation', { method: 'GET', path: '/Ticket' });
    expect(singular.text).toMatch(/The closest it has: GET \/Tickets[,.]/);
    const far = await mcp.call('halo_describe_operation', { method: 'GET', path: '/Qwertyuiopasdfghjkl/Zxcvbnm' });
    expect(far.text).not.toMatch(/closest/);
  });
});

describe('halo_call_operation', () => {
  it('calls a GET and returns its answer', async () => {
    const { data } = await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets/5' });
    expect((data.result as Json).id).toBe(5);
    const statuses = await mcp.call('halo_call_operation', { method: 'GET', path: '/api/Status', query: { excludeclosed: true } });
    expect(items(statuses.data).length).toBeGreaterThan(0);
    expect(items(statuses.data).every((status) => status.name !== 'Closed')).toBe(true);
  });

  it('sends a parameter the document does not declare, naming it and the closest it has', async () => {
    await sandbox.clearRequests();
    const { isError, data } = await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets', query: { clientid: 2, count: 1 } });
    expect(isError).toBe(false);
    expect(data.not_in_document).toEqual([{ name: 'clientid', in: 'query', closest: expect.arrayContaining(['client_id']) as unknown }]);
    expect(String(data.unknown_note)).toMatch(/Sent, though Halo's API document does not have these names/);
    expect((await sandbox.apiRequests('GET', /\/api\/Tickets$/))[0]?.query).toEqual({ clientid: '2', count: '1', pageinate: 'true', page_size: '25', page_no: '1' });
    // The sandbox, built from the same document, reports the name Halo would ignore.
    expect((await sandbox.violations()).map((violation) => violation.name)).toEqual(['clientid']);
    await sandbox.clearViolations();
    await sandbox.clearRequests();
    const typed = await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets', query: { client_id: 'Acme' } });
    expect(typed.text).toMatch(/client_id takes a whole number/);
    const unfilled = await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets/{id}' });
    expect(unfilled.text).toMatch(/Fill in the path parameters/);
    const nested = await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets', query: { unheard_of: { a: 1 } } });
    expect(nested.text).toMatch(/unheard_of takes a single value/);
    expect(await sandbox.apiRequests()).toEqual([]);
  });

  it('sends a body field the schema does not have, naming it and the closest it has', async () => {
    const { isError, data } = await mcp.call('halo_call_operation', { method: 'POST', path: '/Tickets', body: { summary: 'x', stauts_id: 2 }, dry_run: true });
    expect(isError).toBe(false);
    expect(data.request).toMatchObject({ body: [{ summary: 'x', stauts_id: 2 }] });
    expect(data.not_in_document).toEqual([{ name: 'stauts_id', in: 'body', closest: expect.arrayContaining(['status_id']) as unknown }]);
    await sandbox.clearRequests();
    for (const nameless of ['', ' ']) {
      const refused = await mcp.call('halo_call_operation', { method: 'POST', path: '/Tickets', body: { summary: 'x', [nameless]: null } });
      expect(refused.text).toMatch(/A field of the body has no name/);
    }
    expect(await sandbox.apiRequests()).toEqual([]);
  });

  it('knows the names live tenants take from the overlay, and says where each was seen', async () => {
    await sandbox.clearRequests();
    const { isError, data } = await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets', query: { team_id: 1, include_custom_fields: '3,4', count: 1 } });
    expect(isError).toBe(false);
    expect(data).not.toHaveProperty('not_in_document');
    expect(await sandbox.violations()).toEqual([]);
    const tickets = await mcp.call('halo_describe_operation', { method: 'GET', path: '/Tickets', match: 'team_id' });
    expect(tickets.data.query).toEqual([{ name: 'team_id', type: 'integer', evidence: [expect.stringMatching(/HaloPSA-MCP-Server src\/tools\/tickets\.ts/)] }]);
    const deleteAction = await mcp.call('halo_describe_operation', { method: 'DELETE', path: '/Actions/{id}' });
    expect(deleteAction.data.query).toEqual([{ name: 'ticket_id', type: 'integer', required: true, evidence: expect.arrayContaining([expect.stringMatching(/Remove-HaloAction\.ps1/)]) as unknown }]);
    const postAction = await mcp.call('halo_describe_operation', { method: 'POST', path: '/Actions', match: 'return' });
    expect(postAction.data.query).toEqual([expect.objectContaining({ name: 'returnall', type: 'boolean' })]);
    const who = await mcp.call('halo_describe_operation', { method: 'POST', path: '/Actions', match: 'who' });
    expect(who.data.body).toMatchObject({ fields: { who: 'string?' }, fields_from_evidence: { who: [expect.stringMatching(/Data\/Action\.json/), expect.any(String)] } });
  });

  it("sends ticket_id with every action it deletes, which Halo requires", async () => {
    const destructive = await connectMcp(sandbox, { allowDestructive: true });
    try {
      await sandbox.clearRequests();
      const without = await destructive.call('halo_call_operation', { method: 'DELETE', path: '/Actions/1', confirm: true });
      expect(without.text).toMatch(/ticket_id is required: Halo refuses DELETE \/Actions\/\{id\} without it/);
      expect(await sandbox.apiRequests()).toEqual([]);
      const { items } = await destructive.halo.list('/Actions', { ticket_id: 2 });
      const id = items[0]?.id as number;
      const deleted = await destructive.call('halo_call_operation', { method: 'DELETE', path: `/Actions/${id}`, query: { ticket_id: 2 }, confirm: true });
      expect(deleted.isError).toBe(false);
      expect((await sandbox.apiRequests('DELETE')).map((request) => request.query)).toEqual([{ ticket_id: '2' }]);
      expect((await destructive.halo.list('/Actions', { ticket_id: 2 })).items.map((action) => action.id)).not.toContain(id);
    } finally {
      await destructive.close();
    }
  });

  it('posts records, wrapping one in the array Halo takes, and sends nothing on a dry run', async () => {
    await sandbox.clearRequests();
    const dry = await mcp.call('halo_call_operation', { method: 'POST', path: '/Webhook', body: { name: 'Dry', url: 'https://example.com/hook' }, dry_run: true });
    expect(dry.data).toMatchObject({ dry_run: true, request: { method: 'POST', path: '/Webhook', body: [{ name: 'Dry' }] } });
    expect(await sandbox.apiRequests('POST')).toEqual([]);
    const created = await mcp.call('halo_call_operation', { method: 'POST', path: '/Webhook', body: { name: 'Ticket updates', url: 'https://example.com/hook' } });
    expect((created.data.result as Json).name).toBe('Ticket updates');
  });

  it('answers a list as a page of tidied records with its total and a cursor, names where Halo sends them', async () => {
    const first = await mcp.call('halo_call_operation', { method: 'GET', path: '/Invoice' });
    const invoices = items(first.data);
    expect(first.data).toMatchObject({ total: 30, next_cursor: expect.any(String) as unknown });
    expect(invoices).toHaveLength(25);
    expect(invoices[0]).toMatchObject({ client: { id: expect.any(Number) as unknown, name: expect.any(String) as unknown } });
    expect(invoices[0]).not.toHaveProperty('client_name');
    // The model reads a table: a header, then one line per invoice, the client by name.
    const [, header, row] = first.text.split('\n');
    expect(header?.split('|')).toContain('client');
    expect(row).toContain(`|${String((invoices[0]?.client as Json).name)}|`);
    const second = await mcp.call('halo_call_operation', { method: 'GET', path: '/Invoice', cursor: first.data.next_cursor });
    expect(items(second.data).map((invoice) => invoice.id)).toHaveLength(5);
    expect(second.data.next_cursor).toBeNull();
    const other = await mcp.call('halo_call_operation', { method: 'GET', path: '/Invoice', query: { client_id: 3 }, cursor: first.data.next_cursor });
    expect(other.text).toMatch(/The cursor belongs to a search with other arguments/);
    const posted = await mcp.call('halo_call_operation', { method: 'POST', path: '/Webhook', body: { name: 'x', url: 'https://example.com/hook' }, cursor: first.data.next_cursor });
    expect(posted.text).toMatch(/a POST is not sent again for a next page/);
  });

  it('pages a list Halo sends whole, and shows a record without its empty fields, its HTML as text', async () => {
    const events = await mcp.call('halo_call_operation', { method: 'GET', path: '/TimesheetEvent' });
    expect(items(events.data)).toHaveLength(25);
    expect(events.data.total).toBeGreaterThan(25);
    const ticket = await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets/5' });
    const record = ticket.data.result as Json;
    expect(Object.values(record).some((value) => value === null || value === '')).toBe(false);
    expect(String(ticket.data.left_out)).toMatch(/^\d+ fields without a value/);
    expect(String(record.details)).toMatch(/^```untrusted\n/);
    expect(String(record.details)).not.toMatch(/<p>|<br/);
    expect(record.client).toEqual({ id: expect.any(Number) as unknown, name: expect.any(String) as unknown });
    expect(String(record.dateoccurred)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('cuts a page to the budget, and the cursor reads on where it stopped', async () => {
    const small = await connectMcp(sandbox, { maxResultChars: 4_000 });
    try {
      const first = await small.call('halo_call_operation', { method: 'GET', path: '/Tickets' });
      expect(first.text.length).toBeLessThanOrEqual(4_000);
      const shown = items(first.data).map((ticket) => ticket.id);
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.length).toBeLessThan(25);
      const second = await small.call('halo_call_operation', { method: 'GET', path: '/Tickets', cursor: first.data.next_cursor });
      const next = items(second.data).map((ticket) => ticket.id);
      expect(next[0]).not.toBe(shown.at(-1));
      expect(next.some((id) => shown.includes(id))).toBe(false);
    } finally {
      await small.close();
    }
  });

  it('offers DELETE only when destructive tools are allowed', async () => {
    const { isError, text } = await mcp.call('halo_call_operation', { method: 'DELETE', path: '/Webhook/1' });
    expect(isError).toBe(true);
    expect(text).toMatch(/method: GET or POST; DELETE needs a server started with --allow-destructive \(HALO_ALLOW_DESTRUCTIVE\)/);
  });

  it('says a new action needs an outcome before anything else, and sends nothing', async () => {
    await sandbox.clearRequests();
    const { isError, text } = await mcp.call('halo_call_operation', { method: 'POST', path: '/Actions', body: [{ ticket_id: 3, note: 'Called her', hiddenfromuser: false }] });
    expect(isError).toBe(true);
    expect(text).toMatch(/Halo refuses a new action without an outcome .* a record names none\. Add outcome_id/);
    expect(text).not.toMatch(/customer_facing/);
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });

  it('cuts one big record to its fields, not as a list of none, and asks for no fields argument it lacks', async () => {
    const small = await connectMcp(sandbox, { maxResultChars: 1_500 });
    try {
      const { isError, data } = await small.call('halo_call_operation', { method: 'GET', path: '/Tickets/3' });
      expect(isError).toBe(false);
      const result = data.result as Json;
      expect(result.id).toBe(3);
      expect((result.omitted_fields as string[]).length).toBeGreaterThan(0);
      expect(String(result.note)).toMatch(/the fields in omitted_fields were left out/);
      expect(JSON.stringify(data)).not.toMatch(/records shown|with "fields"/);
    } finally {
      await small.close();
    }
  });

  it('puts the names Halo may not know before its answer', async () => {
    const { data } = await mcp.call('halo_call_operation', { method: 'GET', path: '/Status', query: { excludeclosed: true, clientid: 2 } });
    const keys = Object.keys(data);
    expect(keys.indexOf('not_in_document')).toBeLessThan(keys.indexOf('items'));
    // The sandbox noted the unknown name as Halo would ignore it; later tests count what they cause.
    await sandbox.clearViolations();
  });

  it('reads only, in read-only mode', async () => {
    const readOnly = await connectMcp(sandbox, { readOnly: true });
    try {
      const { tools } = await readOnly.client.listTools();
      const call = tools.find((tool) => tool.name === 'halo_call_operation');
      expect(call?.annotations?.readOnlyHint).toBe(true);
      expect((call?.inputSchema.properties?.method as { enum: string[] }).enum).toEqual(['GET']);
      const post = await readOnly.call('halo_call_operation', { method: 'POST', path: '/Webhook', body: {} });
      expect(post.isError).toBe(true);
      // As the server says of a tool that read-only mode hides: the mode, and the setting that changes it.
      expect(post.text).toMatch(/read-only mode \(--read-only, HALO_READ_ONLY\), so the gateway calls GET only/);
      expect((call?.inputSchema.properties?.method as { description: string }).description).toMatch(/GET only: read-only mode \(HALO_READ_ONLY\)/);
      const hidden = await readOnly.call('halo_create_ticket', { summary: 'x' }).catch((error: unknown) => ({ text: String(error) }));
      expect(hidden.text).toMatch(/read-only mode \(--read-only, HALO_READ_ONLY\)/);
    } finally {
      await readOnly.close();
    }
  });
});

describe('deletes through the gateway', () => {
  async function webhook(name: string): Promise<number> {
    const created = await mcp.call('halo_call_operation', { method: 'POST', path: '/Webhook', body: { name, url: 'https://example.com/hook' } });
    return (created.data.result as Json).id as number;
  }
  const exists = async (id: number) => !(await mcp.call('halo_call_operation', { method: 'GET', path: `/Webhook/${id}` })).isError;

  it('asks for confirm: true when the client cannot be asked', async () => {
    const destructive = await connectMcp(sandbox, { allowDestructive: true });
    try {
      const id = await webhook('Confirm by argument');
      const unconfirmed = await destructive.call('halo_call_operation', { method: 'DELETE', path: `/Webhook/${id}` });
      expect(unconfirmed.isError).toBe(true);
      expect(unconfirmed.text).toMatch(/Call DELETE \/Webhook\/\d+ in Halo\?.*confirm: true/);
      expect(await exists(id)).toBe(true);
      const confirmed = await destructive.call('halo_call_operation', { method: 'DELETE', path: `/Webhook/${id}`, confirm: true });
      expect(confirmed.isError).toBe(false);
      expect(await exists(id)).toBe(false);
    } finally {
      await destructive.close();
    }
  });

  it('asks the person through elicitation when the client supports it', async () => {
    const questions: string[] = [];
    const accepting = await connectMcp(sandbox, { allowDestructive: true }, { elicit: (message) => (questions.push(message), { action: 'accept', content: { confirm: true } }) });
    const declining = await connectMcp(sandbox, { allowDestructive: true }, { elicit: () => ({ action: 'decline' }) });
    try {
      const kept = await webhook('Declined');
      const refused = await declining.call('halo_call_operation', { method: 'DELETE', path: `/Webhook/${kept}` });
      expect(refused.text).toMatch(/Not confirmed, so nothing was done/);
      expect(await exists(kept)).toBe(true);
      const gone = await webhook('Accepted');
      expect((await accepting.call('halo_call_operation', { method: 'DELETE', path: `/Webhook/${gone}` })).isError).toBe(false);
      expect(questions).toEqual([`Call DELETE /Webhook/${gone} in Halo? This deletes and cannot be undone.`]);
      expect(await exists(gone)).toBe(false);
    } finally {
      await accepting.close();
      await declining.close();
    }
  });

  it('refuses a delete the document does not allow before asking anyone to confirm it', async () => {
    const questions: string[] = [];
    const asking = await connectMcp(sandbox, { allowDestructive: true }, { elicit: (message) => (questions.push(message), { action: 'accept', content: { confirm: true } }) });
    try {
      const unfilled = await asking.call('halo_call_operation', { method: 'DELETE', path: '/Webhook/{id}' });
      expect(unfilled.text).toMatch(/Fill in the path parameters of \/Webhook\/\{id\}/);
      const unknown = await asking.call('halo_call_operation', { method: 'DELETE', path: '/Webhooks/3' });
      expect(unknown.isError).toBe(true);
      expect(unknown.text).not.toMatch(/Call DELETE/);
      expect(questions).toEqual([]);
    } finally {
      await asking.close();
    }
  });
});

describe('the whole catalog', () => {
  it('reaches every GET operation of the document, with a result or a clear error', async () => {
    const gets = operationsDocument.operations.filter((operation) => operation.method === 'GET');
    expect(gets.length).toBe(648);
    const unclear: string[] = [];
    for (const operation of gets) {
      const path = operation.path.replace(/\{\w+\}/g, '1');
      const { isError, text } = await mcp.call('halo_call_operation', { method: 'GET', path });
      if (isError && (!/^Halo |^The |^Could not/.test(text) || /\n\s+at /.test(text))) unclear.push(`${path}: ${text}`);
    }
    expect(unclear).toEqual([]);
    expect(await sandbox.violations()).toEqual([]);
  });
});
