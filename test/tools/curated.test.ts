/**
 * Every curated tool (the toolsets beyond core and api), through an MCP client, against the
 * sandbox: lists and gets, creates that a dry run first proves would send nothing, updates that
 * never create, deletes that ask first, and the tools that do more than one thing.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../tools/index.js';
import { LOG_LEVEL_KEY, connectMcp, type McpHarness, type ToolAnswer } from '../helpers/mcp.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { fenced } from '../../src/toolkit/untrusted.js';

type Json = Record<string, unknown>;

let sandbox: TestSandbox;
let mcp: McpHarness;
const called = new Set<string>();

beforeAll(async () => {
  sandbox = await startTestSandbox();
  mcp = await connectMcp(sandbox, { toolsets: ['all'], allowDestructive: true, allowSql: true });
});
afterAll(async () => {
  await mcp.close();
  await sandbox.close();
});

async function call(name: string, args: Json = {}): Promise<ToolAnswer> {
  called.add(name);
  return mcp.call(name, args);
}

async function ok(name: string, args: Json = {}): Promise<Json> {
  const answer = await call(name, args);
  expect(answer.isError, `${name}: ${answer.text}`).toBe(false);
  return answer.data;
}

const items = (data: Json) => data.items as Json[];
const curated = catalog.filter((tool) => tool.toolset !== 'core' && tool.toolset !== 'api');

/** Lists that need an argument to mean anything. */
const LIST_ARGS: Record<string, Json> = {
  halo_list_child_tickets: { ticket_id: 1 },
  halo_list_linked_tickets: { ticket_id: 1 },
  halo_list_ticket_approvals: { ticket_id: 1 },
  halo_list_attachments: { ticket_id: 1 },
  halo_list_project_tasks: { project_id: 241 },
  halo_ticket_timeline: { ticket_id: 1 },
};

describe('every list and search', () => {
  // Halo's SQL tables are names, not records: that list has its own test below.
  const lists = curated.filter((tool) => tool.access === 'read' && /^halo_(list|search)_/.test(tool.name) && tool.name !== 'halo_list_sql_tables');
  it.each(lists.map((tool) => [tool.name]))('%s answers a page of records with ids', async (name) => {
    const data = await ok(name, { ...(LIST_ARGS[name] ?? {}), limit: 3 });
    expect(items(data).length).toBeLessThanOrEqual(3);
    expect(typeof data.total).toBe('number');
    for (const item of items(data)) expect(item).toHaveProperty(name === 'halo_list_ticket_approvals' ? 'seq' : 'id');
  });
});

describe('every get', () => {
  const gets = curated.filter((tool) => /^halo_get_/.test(tool.name) && !['halo_get_timesheet', 'halo_get_attachment'].includes(tool.name));
  it.each(gets.map((tool) => [tool.name]))('%s reads the record a list names', async (name) => {
    const noun = name.replace('halo_get_', '');
    const plurals = [`${noun}s`, `${noun}es`, noun.replace(/y$/, 'ies')];
    const list = curated.find((tool) => plurals.some((plural) => tool.name === `halo_list_${plural}` || tool.name === `halo_search_${plural}`));
    expect(list, `a list tool for ${noun}`).toBeDefined();
    const first = items(await ok(list?.name ?? '', { limit: 1 }))[0];
    expect(first, `${list?.name ?? ''} returned a record`).toBeDefined();
    const record = await ok(name, { id: first?.id });
    expect(record.id).toBe(first?.id);
    const missing = await call(name, { id: 999_999 });
    expect(missing.isError).toBe(true);
  });
});

/** A record for each create, and a change for each update. */
const EXAMPLES: Record<string, { create: Json; update?: Json }> = {
  client: { create: { name: 'Test Client Ltd' }, update: { website: 'https://test-client.example' } },
  site: { create: { name: 'Annex', client: 'Brightwater Dental' }, update: { phone: '0100 000000' } },
  user: { create: { name: 'Pat Tester', client: 'Brightwater Dental', site: 'Head Office' }, update: { title: 'Practice Manager' } },
  crm_note: { create: { client: 'Brightwater Dental', note: 'Called about the renewal.' } },
  asset: { create: { client: 'Acme Manufacturing', asset_type: 'Laptop', tag: 'ACM-LT-999', name: 'acm-lt-999' }, update: { user: 'Pat Tester' } },
  software_licence: { create: { name: 'Adobe Acrobat', client: 'Acme Manufacturing', count: 5 }, update: { count: 6 } },
  kb_article: { create: { title: 'Reset a jammed printer', body: 'Open tray 2.\nRemove the paper.' }, update: { tags: 'printing' } },
  project: { create: { summary: 'Test migration', client: 'Acme Manufacturing', budget_hours: 10 }, update: { budget_hours: 12 } },
  appointment: { create: { subject: 'Site visit', start: '2026-12-01T10:00', end: '2026-12-01T11:00', agent: 'Jane Doe' }, update: { subject: 'Site visit (moved)' } },
  timesheet_event: { create: { start: '2026-11-20T09:00', end: '2026-11-20T10:30', subject: 'Admin', agent: 'me' } },
  todo: { create: { ticket_id: 20, text: 'Call the user back' } },
  contract: { create: { client: 'Acme Manufacturing', ref: 'ACM-TEST-1', start: '2026-01-01', end: '2026-12-31' }, update: { period_charge: 500 } },
  quotation: { create: { title: 'Five new laptops', client: 'Acme Manufacturing' } },
  opportunity: { create: { summary: 'Firewall upgrade', client: 'Acme Manufacturing', value: 5000 }, update: { probability: 50 } },
  supplier: { create: { name: 'Test Distribution' }, update: { phone: '0800 000 000' } },
  webhook: { create: { name: 'Test hook', url: 'https://example.com/test-hook' } },
};

const created = new Map<string, number>();

describe('every create, update and delete of a resource', () => {
  const creates = curated.filter((tool) => /^halo_create_/.test(tool.name) && EXAMPLES[tool.name.replace('halo_create_', '')]);
  it.each(creates.map((tool) => [tool.name]))('%s sends nothing on a dry run, then creates one record', async (name) => {
    const noun = name.replace('halo_create_', '');
    const example = EXAMPLES[noun]?.create ?? {};
    await sandbox.clearRequests();
    const dry = await ok(name, { ...example, dry_run: true });
    expect(dry.dry_run).toBe(true);
    expect(await sandbox.apiRequests('POST')).toEqual([]);
    const result = await ok(name, example);
    const record = result[noun] as Json;
    expect(typeof record.id).toBe('number');
    expect(await sandbox.apiRequests('POST')).toHaveLength(1);
    created.set(noun, record.id as number);
  });

  const updates = curated.filter((tool) => /^halo_update_/.test(tool.name) && EXAMPLES[tool.name.replace('halo_update_', '')]?.update);
  it.each(updates.map((tool) => [tool.name]))('%s changes the record it names and creates none', async (name) => {
    const noun = name.replace('halo_update_', '');
    const id = created.get(noun);
    expect(id, `${noun} created first`).toBeDefined();
    await sandbox.clearRequests();
    const result = await ok(name, { id, ...EXAMPLES[noun]?.update });
    expect((result.changes as Json[]).length).toBeGreaterThan(0);
    const posts = await sandbox.apiRequests('POST');
    expect(posts).toHaveLength(1);
    expect((posts[0]?.body as Json[])[0]?.id).toBe(id);
    expect((await call(name, { id: 999_999, ...EXAMPLES[noun]?.update })).isError).toBe(true);
  });

  const deletes = curated.filter((tool) => /^halo_delete_/.test(tool.name) && tool.name !== 'halo_delete_ticket');
  it.each(deletes.map((tool) => [tool.name]))('%s asks, then deletes', async (name) => {
    const noun = name.replace('halo_delete_', '');
    const id = created.get(noun);
    expect(id, `${noun} created first`).toBeDefined();
    const unconfirmed = await call(name, { id });
    expect(unconfirmed.isError).toBe(true);
    expect(unconfirmed.text).toMatch(/confirm: true/);
    await ok(name, { id, confirm: true });
    expect((await call(`halo_get_${noun}`, { id })).isError || !curated.some((tool) => tool.name === `halo_get_${noun}`)).toBe(true);
  });
});

describe('tickets toolset', () => {
  it('deletes a ticket after confirmation and restores it', async () => {
    const ticket = (await ok('halo_create_ticket', { summary: 'To be deleted', client: 2 })).ticket as Json;
    const refused = await call('halo_delete_ticket', { id: ticket.id, reason: 'test' });
    expect(refused.text).toMatch(/Delete ticket #\d+ "To be deleted"\?/);
    await ok('halo_delete_ticket', { id: ticket.id, reason: 'test', confirm: true });
    expect((await call('halo_get_ticket', { id: ticket.id })).isError).toBe(true);
    await ok('halo_restore_ticket', { id: ticket.id });
    expect((await ok('halo_get_ticket', { id: ticket.id })).summary).toBe('To be deleted');
  });

  it('creates a child ticket with the parent’s client and lists it', async () => {
    const child = (await ok('halo_create_child_ticket', { parent_id: 30, summary: 'Follow-up' })).ticket as Json;
    const parent = await ok('halo_get_ticket', { id: 30 });
    expect(child.client).toEqual(parent.client);
    expect(items(await ok('halo_list_child_tickets', { ticket_id: 30 })).map((ticket) => ticket.id)).toContain(child.id);
  });

  it('links, lists and unlinks tickets both ways', async () => {
    expect((await ok('halo_link_tickets', { ticket_id: 31, other_id: 32 })).linked_to).toEqual([32]);
    expect(items(await ok('halo_list_linked_tickets', { ticket_id: 32 })).map((ticket) => ticket.id)).toEqual([31]);
    await ok('halo_link_tickets', { ticket_id: 31, other_id: 32, unlink: true });
    expect(items(await ok('halo_list_linked_tickets', { ticket_id: 32 }))).toEqual([]);
  });

  it('merges a duplicate into another after confirmation', async () => {
    const refused = await call('halo_merge_tickets', { ticket_id: 33, into_id: 34 });
    expect(refused.text).toMatch(/Merge ticket #33 into #34\?/);
    await ok('halo_merge_tickets', { ticket_id: 33, into_id: 34, confirm: true });
    expect(((await ok('halo_get_ticket', { id: 33 })).status as Json).name).toBe('Closed');
    const timeline = await ok('halo_ticket_timeline', { ticket_id: 34 });
    expect(items(timeline).some((event) => String(event.note).includes('#33'))).toBe(true);
  });

  it('lists approvals and records an answer', async () => {
    const { items: approvals } = await mcp.halo.list('/TicketApproval');
    const ticketId = approvals[0]?.ticket_id as number;
    const before = items(await ok('halo_list_ticket_approvals', { ticket_id: ticketId }));
    expect(before.map((approval) => approval.result)).toEqual(['pending', 'pending']);
    await ok('halo_answer_ticket_approval', { ticket_id: ticketId, seq: 1, approve: true, note: 'Looks fine' });
    const after = items(await ok('halo_list_ticket_approvals', { ticket_id: ticketId }));
    expect(after[0]).toMatchObject({ seq: 1, result: 'approved', note: fenced('Looks fine') });
    expect((await call('halo_answer_ticket_approval', { ticket_id: ticketId, seq: 9, approve: false })).text).toMatch(/no approver with seq 9/);
  });

  it('uploads, lists and downloads attachments', async () => {
    const content = Buffer.from('printer log line\n').toString('base64');
    const uploaded = (await ok('halo_upload_attachment', { ticket_id: 40, filename: 'printer.log', data_base64: content })).attachment as Json;
    expect(items(await ok('halo_list_attachments', { ticket_id: 40 })).map((file) => file.filename)).toContain('printer.log');
    expect((await ok('halo_get_attachment', { id: uploaded.id })).data_base64).toBe(content);
    const resource = await mcp.client.readResource({ uri: `halo://attachments/${String(uploaded.id)}` });
    expect((resource.contents[0] as { blob: string }).blob).toBe(content);
    expect((await call('halo_upload_attachment', { ticket_id: 40, filename: 'x.bin', data_base64: 'not base64!' })).isError).toBe(true);
  });

  it("ranks an agent's queue by urgency", async () => {
    const queue = await ok('halo_my_queue', { agent: 'Jane Doe', limit: 100 });
    const sla = items(queue).map((ticket) => ticket.sla);
    expect(sla.length).toBeGreaterThan(0);
    const order = sla.map((state) => ['overdue', 'due soon', 'ok'].indexOf(String(state)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(queue.overdue).toBe(sla.filter((state) => state === 'overdue').length);
  });

  it('sends log messages at or above the level the client asked for', async () => {
    const logged: string[] = [];
    mcp.client.setNotificationHandler('notifications/message', (notification) => {
      logged.push(`${notification.params.level}: ${String(notification.params.data)}`);
    });
    const ranked: unknown = expect.stringMatching(/^info: Ranked \d+ open tickets of agent 2\.$/);
    const queue = (level?: string) => mcp.client.callTool({ name: 'halo_my_queue', arguments: { agent: 'Sam Patel' }, ...(level ? { _meta: { [LOG_LEVEL_KEY]: level } } : {}) });
    if (mcp.revision === '2026-07-28') {
      // From 2026-07-28 a request that names no level receives no log message at all.
      await queue();
      expect(logged).toEqual([]);
      await queue('info');
      expect(logged).toEqual([ranked]);
      await queue('warning');
      expect(logged).toHaveLength(1);
      return;
    }
    // Before 2026-07-28 every message is sent until the client sets a level for the connection.
    await queue();
    expect(logged).toEqual([ranked]);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the connection-wide level of the revisions before 2026-07-28
    await mcp.client.setLoggingLevel('warning');
    await queue();
    expect(logged).toHaveLength(1);
  });

  it("tells a ticket's story oldest first", async () => {
    const timeline = await ok('halo_ticket_timeline', { ticket_id: 2 });
    const when = items(timeline).map((event) => String(event.when));
    expect(when).toEqual([...when].sort());
    expect((timeline.ticket as Json).id).toBe(2);
  });

  it.each(['newest', 'oldest'] as const)("tells the whole story of a long history by date, not in Halo's order (%s first)", async (order) => {
    // The shared sandbox lists newest first; another lists in the order actions were added.
    const listing = order === 'newest' ? undefined : await startTestSandbox({ actionOrder: order });
    const harness = listing ? await connectMcp(listing, { toolsets: ['all'] }) : mcp;
    try {
      const ticket = await harness.halo.upsert('/Tickets', { summary: 'Long story', client_id: 2 });
      // Posted latest first, with dates written without a zone, as Halo often writes them: 55 is more than Halo answers unasked.
      const actions = Array.from({ length: 55 }, (_, n) => ({
        ticket_id: ticket.id,
        outcome: 'Note',
        note: `day ${55 - n}`,
        datetime: new Date(Date.UTC(2026, 0, 55 - n, 9)).toISOString().replace('Z', ''),
      }));
      await harness.halo.request({ method: 'POST', path: '/Actions', body: actions });
      called.add('halo_ticket_timeline');
      const answer = await harness.call('halo_ticket_timeline', { ticket_id: ticket.id, limit: 100 });
      expect(answer.isError, answer.text).toBe(false);
      const timeline = answer.data;
      expect(timeline.total).toBe(55);
      expect(items(timeline)).toHaveLength(55);
      expect(items(timeline).map((event) => event.note)).toEqual(Array.from({ length: 55 }, (_, n) => fenced(`day ${n + 1}`)));
      expect(timeline).not.toHaveProperty('history_cut');
    } finally {
      if (listing) {
        await harness.close();
        await listing.close();
      }
    }
  });
});

describe('the other toolsets', () => {
  it('gives a client overview in one call', async () => {
    const overview = await ok('halo_client_overview', { client: 'Acme Manufacturing' });
    expect((overview.client as Json).name).toBe('Acme Manufacturing');
    expect(overview.contacts).toBeGreaterThan(1);
    expect((overview.sites as string[]).length).toBeGreaterThan(0);
    expect(typeof (overview.open_tickets as Json).total).toBe('number');
  });

  it('archives and restores a knowledge base article', async () => {
    expect((await ok('halo_archive_kb_article', { id: 2 })).inactive).toBe(true);
    expect(items(await ok('halo_search_kb', { query: 'network drive' }))).toEqual([]);
    expect((await ok('halo_archive_kb_article', { id: 2, restore: true })).inactive).toBe(false);
  });

  it("sums a project's time against its budget, and creates a task under it", async () => {
    const projectId = items(await ok('halo_search_projects', { limit: 1 }))[0]?.id as number;
    const task = (await ok('halo_create_child_ticket', { parent_id: projectId, summary: 'Extra task' })).ticket as Json;
    await ok('halo_log_time', { ticket_id: task.id, hours: 2, note: 'Configured the switch' });
    const summary = await ok('halo_project_time_summary', { project_id: projectId });
    expect(summary.logged_hours).toBeGreaterThanOrEqual(2);
    expect(items(await ok('halo_list_project_tasks', { project_id: projectId, limit: 100 })).map((ticket) => ticket.id)).toContain(task.id);
  });

  it('lists the active agents, and the disabled ones too when asked', async () => {
    const active = items(await ok('halo_list_agents', { limit: 100 }));
    expect(active.map((agent) => agent.name)).toContain('Jane Doe');
    expect(active.every((agent) => agent.disabled === false)).toBe(true);
    const everyone = items(await ok('halo_list_agents', { include_disabled: true, limit: 100 }));
    expect(everyone).toContainEqual(expect.objectContaining({ name: 'Chloe Martin', disabled: true }));
  });

  it("reads an agent's timesheet for a day", async () => {
    const sheet = await ok('halo_get_timesheet', { agent: 'Jane Doe', date: 'yesterday' });
    expect(sheet.agent).toEqual({ id: 1, name: 'Jane Doe' });
    expect(sheet.target_hours).toBe(7.5);
    expect((sheet.entries as Json[]).reduce((sum, entry) => sum + Number(entry.hours), 0)).toBe(sheet.logged_hours);
  });

  it('logs time privately, and never emails unless asked', async () => {
    await sandbox.clearRequests();
    const logged = await ok('halo_log_time', { ticket_id: 21, hours: 0.75, note: 'Remote session' });
    const { items: outcomes } = await mcp.halo.list('/Outcome');
    const privateNote = outcomes.find((outcome) => outcome.outcome === 'Private Note');
    expect(logged.outcome).toEqual({ id: privateNote?.id, name: 'Private Note' });
    expect(logged.action).toMatchObject({ private: true, time_taken_hours: 0.75, outcome: 'Private Note' });
    const posted = ((await sandbox.apiRequests('POST'))[0]?.body as Json[])[0];
    expect(posted).toMatchObject({ timetaken: 0.75, hiddenfromuser: true, sendemail: false, outcome_id: privateNote?.id });
    const named = await ok('halo_log_time', { ticket_id: 21, hours: 0.25, note: 'Call', outcome: 'Phone Call', dry_run: true });
    expect(named.outcome).toMatchObject({ name: 'Phone Call' });
  });

  it('creates a draft invoice with lines, adds lines, and refuses a posted one', async () => {
    const invoice = (await ok('halo_create_invoice', { client: 'Acme Manufacturing', lines: [{ description: 'Remote support', quantity: 2, unit_price: 85 }] })).invoice as Json;
    expect(invoice).toMatchObject({ posted: false, total: 170 });
    const grown = (await ok('halo_add_invoice_lines', { id: invoice.id, lines: [{ description: 'Cable', quantity: 1, unit_price: 10 }] })).invoice as Json;
    expect(grown.total).toBe(180);
    expect((grown.lines as Json[]).length).toBe(2);
    const posted = items(await ok('halo_search_invoices', { posted_only: true, limit: 1 }))[0];
    expect((await call('halo_add_invoice_lines', { id: posted?.id, lines: [{ description: 'x', quantity: 1, unit_price: 1 }] })).text).toMatch(/is posted/);
  });

  it('runs a saved report and pages its rows', async () => {
    const report = items(await ok('halo_search_reports', { query: 'open tickets by client' }))[0];
    const rows = await ok('halo_run_report', { id: report?.id, limit: 5 });
    expect(items(rows)).toHaveLength(5);
    expect(items(rows)[0]).toHaveProperty('open_tickets');
    expect(typeof rows.next_cursor).toBe('string');
  });

  it('says why a saved report does not run instead of answering no rows', async () => {
    const saved = (await mcp.halo.request({ method: 'POST', path: '/Report', body: [{ name: 'Broken report', sql: 'SELECT Closeddate FROM FAULTS' }] })) as Json;
    const answer = await call('halo_run_report', { id: saved.id });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain(`Halo could not run saved report ${String(saved.id)}: Invalid column name 'Closeddate'.`);
    expect(answer.text).toMatch(/report designer/);
  });

  it('runs only a single read-only SELECT', async () => {
    const rows = await ok('halo_run_sql', { sql: 'SELECT TOP 3 Faultid, Symptom FROM FAULTS WHERE Status <> 9 ORDER BY Faultid;' });
    expect(items(rows)).toHaveLength(3);
    expect(Object.keys(items(rows)[0] ?? {})).toEqual(['Faultid', 'Symptom']);
    await sandbox.clearRequests();
    for (const [sql, reason] of [
      ['DELETE FROM faults', /Only a SELECT can be run; this is a DELETE statement/],
      ['SELECT 1; DROP TABLE faults', /one statement/],
      ['SELECT * INTO copy FROM faults', /SELECT INTO/],
      ["SELECT * FROM OPENROWSET('SQLNCLI', 'x', 'SELECT 1')", /OPENROWSET/],
      ['SELECT symptom FROM faults -- a note', /-- comments/],
      ['SELEKT nonsense', /Only a SELECT can be run; this is something that starts with "SELEKT"/],
    ] as const) {
      const answer = await call('halo_run_sql', { sql });
      expect(answer.isError, sql).toBe(true);
      expect(answer.text, sql).toMatch(reason);
    }
    // A keyword inside a string is data, not a statement.
    expect(items(await ok('halo_run_sql', { sql: "SELECT Faultid FROM FAULTS WHERE Symptom = 'DROP TABLE x'" }))).toEqual([]);
    expect((await sandbox.apiRequests('POST')).length).toBe(1);
  });

  it("gives SQL Server's reason when a query fails, and what to try", async () => {
    const unknownColumn = await call('halo_run_sql', { sql: 'SELECT Faultid, Closeddate FROM FAULTS' });
    expect(unknownColumn.isError).toBe(true);
    expect(unknownColumn.text).toContain("Halo could not run the query: Invalid column name 'Closeddate'.");
    expect(unknownColumn.text).toMatch(/halo_describe_sql_table/);
    const unknownTable = await call('halo_run_sql', { sql: 'SELECT * FROM Tickets' });
    expect(unknownTable.text).toContain("Invalid object name 'Tickets'.");
    const unordered = await call('halo_run_sql', { sql: 'SELECT Faultid FROM FAULTS ORDER BY Faultid' });
    expect(unordered.isError).toBe(true);
    expect(unordered.text).toMatch(/ORDER BY clause is invalid.*add TOP n/);
  });

  it('lists the tables of Halo\'s database, filtered by part of a name', async () => {
    const all = items(await ok('halo_list_sql_tables'));
    expect(all.map((table) => table.name)).toEqual(expect.arrayContaining(['ACTIONS', 'AREA', 'FAULTS', 'INVOICEHEADER', 'UNAME']));
    expect(all.map((table) => table.name)).toEqual([...all.map((table) => table.name)].sort());
    expect(items(await ok('halo_list_sql_tables', { filter: 'fault' }))).toEqual([{ name: 'FAULTS' }]);
    // LIKE's wildcards in a filter are text: no table has a % in its name.
    expect(items(await ok('halo_list_sql_tables', { filter: "%' OR 'a' = 'a" }))).toEqual([]);
  });

  it('describes a table: its columns in order, with their SQL types', async () => {
    const columns = items(await ok('halo_describe_sql_table', { table: 'faults' }));
    expect(columns.slice(0, 2)).toEqual([
      { name: 'Faultid', type: 'int' },
      { name: 'Symptom', type: 'nvarchar(4000)' },
    ]);
    expect(columns).toContainEqual({ name: 'dateoccured', type: 'datetime' });
    expect(items(await ok('halo_describe_sql_table', { table: '[dbo].[AREA]' }))).toContainEqual({ name: 'Atreeid', type: 'int' });
    const missing = await call('halo_describe_sql_table', { table: 'Tickets' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/no table named "Tickets".*halo_list_sql_tables/);
  });

  it('keeps the SQL tools hidden unless switched on', async () => {
    const plain = await connectMcp(sandbox, { toolsets: ['all'] });
    try {
      const names = (await plain.client.listTools()).tools.map((tool) => tool.name);
      for (const name of ['halo_run_sql', 'halo_list_sql_tables', 'halo_describe_sql_table']) expect(names).not.toContain(name);
    } finally {
      await plain.close();
    }
  });
});

describe('coverage', () => {
  // Runs last.
  it('called every curated tool, and every call kept to what Halo documents', async () => {
    expect(curated.map((tool) => tool.name).filter((name) => !called.has(name))).toEqual([]);
    expect(await sandbox.violations()).toEqual([]);
    expect(await sandbox.gaps()).toEqual([]);
  });
});
