/** The gateway: every operation of Halo's API, found, described and called through three tools. */
import { describe, expect, it } from 'vitest';
import operationsDocument from '../../src/openapi/operations.json' with { type: 'json' };
import { connectMcp } from '../helpers/mcp.js';
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
});

describe('halo_call_operation', () => {
  it('calls a GET and returns its answer', async () => {
    const { data } = await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets/5' });
    expect((data.result as Json).id).toBe(5);
    const statuses = await mcp.call('halo_call_operation', { method: 'GET', path: '/api/Status', query: { excludeclosed: true } });
    expect((statuses.data.result as Json[]).every((status) => status.name !== 'Closed')).toBe(true);
  });

  it('sends a parameter the document does not declare, naming it and the closest it has', async () => {
    await sandbox.clearRequests();
    const { isError, data } = await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets', query: { clientid: 2, count: 1 } });
    expect(isError).toBe(false);
    expect(data.not_in_document).toEqual([{ name: 'clientid', in: 'query', closest: expect.arrayContaining(['client_id']) as unknown }]);
    expect(String(data.unknown_note)).toMatch(/Sent, though Halo's API document does not have these names/);
    expect((await sandbox.apiRequests('GET', /\/api\/Tickets$/))[0]?.query).toEqual({ clientid: '2', count: '1' });
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

  it('cuts a large answer to the budget and says so', async () => {
    const { data, text } = await mcp.call('halo_call_operation', { method: 'GET', path: '/Tickets' });
    expect(text.length).toBeLessThanOrEqual(20_000);
    expect(String(data.note)).toMatch(/of \d+ records shown/);
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
    expect(keys.indexOf('not_in_document')).toBeLessThan(keys.indexOf('result'));
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
      expect(post.text).toMatch(/the server is read-only \(HALO_READ_ONLY\), so only GET is called/);
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
