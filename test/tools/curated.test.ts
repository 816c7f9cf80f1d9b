/**
 * Every curated tool (the toolsets beyond core and api), through an MCP client, against the
 * sandbox: lists and gets, creates that a dry run first proves would send nothing, updates that
 * never create, deletes that ask first, and the tools that do more than one thing.
 */

import { beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../tools/index.js';
import { listArguments } from '../helpers/lists.js';
import { LOG_LEVEL_KEY, connectMcp, type ToolAnswer } from '../helpers/mcp.js';
import { startSandboxMcp, useSandboxMcp } from '../helpers/setup.js';
import type { ServerSettings } from '../../src/mcp/settings.js';
import { fenced } from '../../src/toolkit/untrusted.js';
import { haloTime } from '../../src/toolkit/values.js';

type Json = Record<string, unknown>;
type Ref = { id: number; name: string } | null;

const SETTINGS: Partial<ServerSettings> = { toolsets: ['all'], allowDestructive: true, allowSql: true };
// Every test checks that its own requests kept to what Halo documents and the sandbox emulates.
const { sandbox, mcp } = useSandboxMcp({ settings: SETTINGS, conformance: true });

/** The tools the running test has called, to hold it to the tools it says it covers. */
let calledByThisTest = new Set<string>();
beforeEach(() => {
  calledByThisTest = new Set();
});

async function call(name: string, args: Json = {}): Promise<ToolAnswer> {
  calledByThisTest.add(name);
  return mcp.call(name, args);
}

async function ok(name: string, args: Json = {}): Promise<Json> {
  const answer = await call(name, args);
  expect(answer.isError, `${name}: ${answer.text}`).toBe(false);
  return answer.data;
}

const items = (data: Json) => data.items as Json[];
const curated = catalog.filter((tool) => tool.toolset !== 'core' && tool.toolset !== 'api');
const named = (pattern: RegExp) => curated.filter((tool) => pattern.test(tool.name));

/** A record for each create, and a change for each update. */
const EXAMPLES: Record<string, { create: Json; update?: Json }> = {
  client: { create: { name: 'Test Client Ltd' }, update: { website: 'https://test-client.example' } },
  site: { create: { name: 'Annex', client: 'Brightwater Dental' }, update: { phone: '0100 000000' } },
  user: { create: { name: 'Pat Tester', client: 'Brightwater Dental', site: 'Head Office' }, update: { title: 'Practice Manager' } },
  crm_note: { create: { client: 'Brightwater Dental', note: 'Called about the renewal.' } },
  asset: { create: { client: 'Acme Manufacturing', asset_type: 'Laptop', tag: 'ACM-LT-999', name: 'acm-lt-999' }, update: { user: 'Keira Price' } },
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

/** The tools the tables below test, each derived from the catalog. */
// Halo's SQL tables are names, not records: that list has its own test below.
const lists = curated.filter((tool) => tool.access === 'read' && /^halo_(list|search)_/.test(tool.name) && tool.name !== 'halo_list_sql_tables');
const gets = named(/^halo_get_/).filter((tool) => !['halo_get_timesheet', 'halo_get_attachment'].includes(tool.name));
const creates = named(/^halo_create_/).filter((tool) => EXAMPLES[tool.name.replace('halo_create_', '')]);
const updates = named(/^halo_update_/).filter((tool) => EXAMPLES[tool.name.replace('halo_update_', '')]?.update);
const deletes = named(/^halo_delete_/).filter((tool) => tool.name !== 'halo_delete_ticket');

/** The tools the other tests say they call; each test is held to its word when it runs (see `calling`). */
const declared = new Set<string>();

/** A test that calls these tools: it fails if it did not call each of them, and the coverage test counts them as tested. */
function calling<A extends unknown[]>(tools: string[], test: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  for (const tool of tools) declared.add(tool);
  return async (...args) => {
    await test(...args);
    expect(
      tools.filter((tool) => !calledByThisTest.has(tool)),
      'tools this test says it calls and did not',
    ).toEqual([]);
  };
}

describe('every list and search', () => {
  it.each(lists.map((tool) => [tool.name]))('%s answers a page of records with ids', async (name) => {
    const data = await ok(name, { ...(await listArguments(mcp, name)), limit: 3 });
    // Each list is pointed at records the tenant holds: an empty page would prove nothing.
    expect(items(data).length).toBeGreaterThan(0);
    expect(items(data).length).toBeLessThanOrEqual(3);
    expect(typeof data.total).toBe('number');
    for (const item of items(data)) expect(item).toHaveProperty(name === 'halo_list_ticket_approvals' ? 'seq' : 'id');
  });
});

describe('every get', () => {
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

/** Makes a record with its create tool, for a test that changes or deletes one. */
async function createOne(noun: string): Promise<number> {
  const record = (await ok(`halo_create_${noun}`, EXAMPLES[noun]?.create ?? {}))[noun] as Json;
  expect(typeof record.id, `halo_create_${noun} answered the record`).toBe('number');
  return record.id as number;
}

describe('every create, update and delete of a resource', () => {
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
  });

  it.each(updates.map((tool) => [tool.name]))('%s changes the record it names and creates none', async (name) => {
    const noun = name.replace('halo_update_', '');
    const id = await createOne(noun);
    await sandbox.clearRequests();
    const result = await ok(name, { id, ...EXAMPLES[noun]?.update });
    expect((result.changes as Json[]).length).toBeGreaterThan(0);
    const posts = await sandbox.apiRequests('POST');
    expect(posts).toHaveLength(1);
    expect((posts[0]?.body as Json[])[0]?.id).toBe(id);
    expect((await call(name, { id: 999_999, ...EXAMPLES[noun]?.update })).isError).toBe(true);
  });

  it.each(deletes.map((tool) => [tool.name]))('%s asks, then deletes', async (name) => {
    const noun = name.replace('halo_delete_', '');
    const id = await createOne(noun);
    const unconfirmed = await call(name, { id });
    expect(unconfirmed.isError).toBe(true);
    expect(unconfirmed.text).toMatch(/confirm: true/);
    await ok(name, { id, confirm: true });
    expect((await call(`halo_get_${noun}`, { id })).isError || !curated.some((tool) => tool.name === `halo_get_${noun}`)).toBe(true);
  });
});

describe('tickets toolset', () => {
  it('deletes a ticket after confirmation and restores it', calling(['halo_delete_ticket', 'halo_restore_ticket'], async () => {
    const ticket = (await ok('halo_create_ticket', { summary: 'To be deleted', client: 2 })).ticket as Json;
    const refused = await call('halo_delete_ticket', { id: ticket.id, reason: 'test' });
    expect(refused.text).toMatch(/Delete ticket #\d+ "To be deleted"\?/);
    await ok('halo_delete_ticket', { id: ticket.id, reason: 'test', confirm: true });
    expect((await call('halo_get_ticket', { id: ticket.id })).isError).toBe(true);
    await ok('halo_restore_ticket', { id: ticket.id });
    expect((await ok('halo_get_ticket', { id: ticket.id })).summary).toBe('To be deleted');
  }));

  it('creates a child ticket with the parent’s client and lists it', calling(['halo_create_child_ticket', 'halo_list_child_tickets'], async () => {
    const parent = await mcp.halo.upsert('/Tickets', { summary: 'Printer keeps jamming', client_id: 4 });
    const child = (await ok('halo_create_child_ticket', { parent_id: parent.id, summary: 'Follow-up' })).ticket as Json;
    expect(child.client).toEqual((await ok('halo_get_ticket', { id: parent.id })).client);
    expect(items(await ok('halo_list_child_tickets', { ticket_id: parent.id })).map((ticket) => ticket.id)).toEqual([child.id]);
  }));

  it('links, lists and unlinks tickets both ways', calling(['halo_link_tickets', 'halo_list_linked_tickets'], async () => {
    const [one, other] = await Promise.all(['Outage at the annex', 'Annex switch down'].map((summary) => mcp.halo.upsert('/Tickets', { summary, client_id: 2 })));
    expect((await ok('halo_link_tickets', { ticket_id: one?.id, other_id: other?.id })).linked_to).toEqual([other?.id]);
    expect(items(await ok('halo_list_linked_tickets', { ticket_id: other?.id })).map((ticket) => ticket.id)).toEqual([one?.id]);
    await ok('halo_link_tickets', { ticket_id: one?.id, other_id: other?.id, unlink: true });
    expect(items(await ok('halo_list_linked_tickets', { ticket_id: other?.id }))).toEqual([]);
  }));

  it('merges a duplicate into another after confirmation', calling(['halo_merge_tickets', 'halo_ticket_timeline'], async () => {
    const duplicate = await mcp.halo.upsert('/Tickets', { summary: 'Cannot print (again)', client_id: 2 });
    const original = await mcp.halo.upsert('/Tickets', { summary: 'Cannot print', client_id: 2 });
    const refused = await call('halo_merge_tickets', { ticket_id: duplicate.id, into_id: original.id });
    expect(refused.text).toContain(`Merge ticket #${String(duplicate.id)} into #${String(original.id)}?`);
    await ok('halo_merge_tickets', { ticket_id: duplicate.id, into_id: original.id, confirm: true });
    expect(((await ok('halo_get_ticket', { id: duplicate.id })).status as Json).name).toBe('Closed');
    const timeline = await ok('halo_ticket_timeline', { ticket_id: original.id });
    expect(items(timeline).some((event) => String(event.note).includes(`#${String(duplicate.id)}`))).toBe(true);
  }));

  it('lists approvals and records an answer', calling(['halo_list_ticket_approvals', 'halo_answer_ticket_approval'], async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Replace the core switch', client_id: 2 });
    const ticketId = ticket.id as number;
    await mcp.halo.request({
      method: 'POST',
      path: '/TicketApproval',
      body: [
        { ticket_id: ticketId, seq: 1, name: 'Jane Doe', agent_id: 1, result: 0 },
        { ticket_id: ticketId, seq: 2, name: 'Olivia Grant', agent_id: 5, result: 0 },
      ],
    });
    const before = items(await ok('halo_list_ticket_approvals', { ticket_id: ticketId }));
    expect(before.map((approval) => approval.result)).toEqual(['pending', 'pending']);
    await ok('halo_answer_ticket_approval', { ticket_id: ticketId, seq: 1, approve: true, note: 'Looks fine' });
    const after = items(await ok('halo_list_ticket_approvals', { ticket_id: ticketId }));
    expect(after[0]).toMatchObject({ seq: 1, result: 'approved', note: fenced('Looks fine') });
    expect((await call('halo_answer_ticket_approval', { ticket_id: ticketId, seq: 9, approve: false })).text).toMatch(/no approver with seq 9/);
  }));

  it('uploads, lists and downloads attachments', calling(['halo_upload_attachment', 'halo_list_attachments', 'halo_get_attachment'], async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Printer errors', client_id: 2 });
    const content = Buffer.from('printer log line\n').toString('base64');
    const uploaded = (await ok('halo_upload_attachment', { ticket_id: ticket.id, filename: 'printer.log', data_base64: content })).attachment as Json;
    expect(items(await ok('halo_list_attachments', { ticket_id: ticket.id })).map((file) => file.filename)).toEqual(['printer.log']);
    expect((await ok('halo_get_attachment', { id: uploaded.id })).data_base64).toBe(content);
    const resource = await mcp.client.readResource({ uri: `halo://attachments/${String(uploaded.id)}` });
    expect((resource.contents[0] as { blob: string }).blob).toBe(content);
    expect((await call('halo_upload_attachment', { ticket_id: ticket.id, filename: 'x.bin', data_base64: 'not base64!' })).isError).toBe(true);
  }));

  it("ranks an agent's queue by urgency", calling(['halo_my_queue'], async () => {
    const queue = await ok('halo_my_queue', { agent: 'Jane Doe', limit: 100 });
    const sla = items(queue).map((ticket) => ticket.sla);
    expect(sla.length).toBeGreaterThan(0);
    const order = sla.map((state) => ['overdue', 'due soon', 'ok'].indexOf(String(state)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(queue.overdue).toBe(sla.filter((state) => state === 'overdue').length);
  }));

  it("ranks a team's unassigned tickets for dispatch, and everyone's overdue ones", calling(['halo_my_queue'], async () => {
    const open = (await mcp.halo.list('/Tickets', { open_only: true, domain: 'reqs', pageinate: true, page_size: 500 })).items;
    const unassigned = open.filter((ticket) => ticket.team === 'Service Desk' && !(Number(ticket.agent_id) > 0)).map((ticket) => ticket.id);
    expect(unassigned.length).toBeGreaterThan(0);
    const dispatch = await ok('halo_my_queue', { team: 'Service Desk', agent: 'none', limit: 100 });
    expect(items(dispatch).map((ticket) => ticket.id).sort()).toEqual(unassigned.sort());
    expect(dispatch.me).toBeUndefined();
    expect(dispatch.team).toMatchObject({ name: 'Service Desk' });
    const fixBy = (value: unknown) => Date.parse(/Z|[+-]\d\d:\d\d$/.test(String(value)) ? String(value) : `${String(value)}Z`);
    const overdue = open.filter((ticket) => fixBy(ticket.fixbydate) < Date.now()).map((ticket) => ticket.id);
    const breaches = await ok('halo_my_queue', { agent: 'any', sla: 'overdue', limit: 100 });
    expect(items(breaches).every((ticket) => ticket.sla === 'overdue' && typeof ticket.fix_by === 'string')).toBe(true);
    // The count covers every ranked ticket; the page holds what fits the size budget.
    expect(breaches.overdue).toBe(overdue.length);
    expect(items(breaches).length).toBeGreaterThan(0);
    expect(items(breaches).every((ticket) => overdue.includes(ticket.id as number))).toBe(true);
    // "today" is read in the tests' time zone.
    const day = (when: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(when);
    const breachedToday = open.filter((ticket) => overdue.includes(ticket.id) && day(fixBy(ticket.fixbydate)) === day(Date.now())).map((ticket) => ticket.id);
    const today = await ok('halo_my_queue', { agent: 'any', sla: 'overdue', fix_by: 'today', limit: 100 });
    expect(items(today).map((ticket) => ticket.id).sort()).toEqual(breachedToday.sort());
  }));

  it('sends log messages at or above the level the client asked for', async () => {
    // A connection of its own: before 2026-07-28 the level this test sets holds for the whole connection.
    const listening = await connectMcp(sandbox, SETTINGS);
    try {
      const logged: string[] = [];
      listening.client.setNotificationHandler('notifications/message', (notification) => {
        logged.push(`${notification.params.level}: ${String(notification.params.data)}`);
      });
      const ranked: unknown = expect.stringMatching(/^info: Ranked \d+ open tickets of agent 2\.$/);
      const queue = (level?: string) => listening.client.callTool({ name: 'halo_my_queue', arguments: { agent: 'Sam Patel' }, ...(level ? { _meta: { [LOG_LEVEL_KEY]: level } } : {}) });
      if (listening.revision === '2026-07-28') {
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
      await listening.client.setLoggingLevel('warning');
      await queue();
      expect(logged).toHaveLength(1);
    } finally {
      await listening.close();
    }
  });

  it("tells a ticket's story oldest first", calling(['halo_ticket_timeline'], async () => {
    const timeline = await ok('halo_ticket_timeline', { ticket_id: 2 });
    const when = items(timeline).map((event) => String(event.when));
    expect(when).toEqual([...when].sort());
    expect((timeline.ticket as Json).id).toBe(2);
  }));

  it.each(['newest', 'oldest'] as const)("tells the whole story of a long history by date, not in Halo's order (%s first)", async (order) => {
    // The shared sandbox lists newest first; another lists in the order actions were added.
    const listing = order === 'newest' ? undefined : await startSandboxMcp({ sandbox: { actionOrder: order }, settings: { toolsets: ['all'] } });
    const harness = listing?.mcp ?? mcp;
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
      const answer = await harness.call('halo_ticket_timeline', { ticket_id: ticket.id, limit: 100 });
      expect(answer.isError, answer.text).toBe(false);
      const timeline = answer.data;
      expect(timeline.total).toBe(55);
      expect(items(timeline)).toHaveLength(55);
      expect(items(timeline).map((event) => event.note)).toEqual(Array.from({ length: 55 }, (_, n) => fenced(`day ${n + 1}`)));
      expect(timeline).not.toHaveProperty('history_cut');
    } finally {
      await listing?.close();
    }
  });
});

describe('the other toolsets', () => {
  it('gives a client overview in one call', calling(['halo_client_overview'], async () => {
    const overview = await ok('halo_client_overview', { client: 'Acme Manufacturing' });
    expect((overview.client as Json).name).toBe('Acme Manufacturing');
    expect(overview.contacts).toBeGreaterThan(1);
    expect((overview.sites as string[]).length).toBeGreaterThan(0);
    expect(typeof (overview.open_tickets as Json).total).toBe('number');
  }));

  it('archives and restores a knowledge base article', calling(['halo_archive_kb_article', 'halo_search_kb'], async () => {
    const article = (await ok('halo_create_kb_article', { title: 'Clear a stuck plotter queue', body: 'Restart the spooler.' })).kb_article as Json;
    const found = async () => items(await ok('halo_search_kb', { query: 'stuck plotter queue' })).map((entry) => entry.id);
    expect(await found()).toEqual([article.id]);
    expect((await ok('halo_archive_kb_article', { id: article.id })).inactive).toBe(true);
    // Other articles holding some of the words may answer; the archived one is not among them.
    expect(await found()).not.toContain(article.id);
    expect((await ok('halo_archive_kb_article', { id: article.id, restore: true })).inactive).toBe(false);
    expect(await found()).toEqual([article.id]);
  }));

  it("sums a project's time against its budget, and creates a task under it", calling(['halo_project_time_summary', 'halo_list_project_tasks', 'halo_log_time'], async () => {
    const project = (await ok('halo_create_project', { summary: 'Network refresh', client: 'Acme Manufacturing', budget_hours: 10 })).project as Json;
    const task = (await ok('halo_create_child_ticket', { parent_id: project.id, summary: 'Extra task' })).ticket as Json;
    await ok('halo_log_time', { ticket_id: task.id, hours: 2, note: 'Configured the switch' });
    const summary = await ok('halo_project_time_summary', { project_id: project.id });
    expect(summary.logged_hours).toBe(2);
    expect(items(await ok('halo_list_project_tasks', { project_id: project.id, limit: 100 })).map((ticket) => ticket.id)).toEqual([task.id]);
  }));

  it('lists the active agents, and the disabled ones too when asked', calling(['halo_list_agents'], async () => {
    const active = items(await ok('halo_list_agents', { limit: 100 }));
    expect(active.map((agent) => agent.name)).toContain('Jane Doe');
    expect(active.every((agent) => agent.disabled === false)).toBe(true);
    const everyone = items(await ok('halo_list_agents', { include_disabled: true, limit: 100 }));
    expect(everyone).toContainEqual(expect.objectContaining({ name: 'Chloe Martin', disabled: true }));
  }));

  it("reads an agent's timesheet for a day", calling(['halo_get_timesheet'], async () => {
    const sheet = await ok('halo_get_timesheet', { agent: 'Jane Doe', date: 'yesterday' });
    expect(sheet.agent).toEqual({ id: 1, name: 'Jane Doe' });
    expect(sheet.target_hours).toBe(7.5);
    expect((sheet.entries as Json[]).reduce((sum, entry) => sum + Number(entry.hours), 0)).toBe(sheet.logged_hours);
  }));

  it("shows time logged on a ticket's action on the agent's timesheet", calling(['halo_get_timesheet'], async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Backup failing', client_id: 2 });
    await mcp.halo.upsert('/Actions', { ticket_id: ticket.id, outcome: 'Private Note', note: 'Reran the job', timetaken: 0.75, datetime: '2026-02-11T12:00:00Z' });
    const sheet = await ok('halo_get_timesheet', { agent: 'me', date: '2026-02-11' });
    expect(sheet.entries).toContainEqual(expect.objectContaining({ ticket_id: ticket.id, hours: 0.75, start: '2026-02-11T11:15:00Z', end: '2026-02-11T12:00:00Z' }));
    expect(sheet.logged_hours).toBeGreaterThanOrEqual(0.75);
  }));

  it('logs time privately, and never emails unless asked', calling(['halo_log_time'], async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Slow laptop', client_id: 2 });
    await sandbox.clearRequests();
    const logged = await ok('halo_log_time', { ticket_id: ticket.id, hours: 0.75, note: 'Remote session' });
    const { items: outcomes } = await mcp.halo.list('/Outcome');
    const privateNote = outcomes.find((outcome) => outcome.outcome === 'Private Note');
    expect(logged.outcome).toEqual({ id: privateNote?.id, name: 'Private Note' });
    expect(logged.action).toMatchObject({ private: true, time_taken_hours: 0.75, outcome: 'Private Note' });
    // The ticket's total as Halo holds it after the entry, and no one emailed.
    expect(logged.ticket).toMatchObject({ id: ticket.id, time_taken_hours: 0.75 });
    expect(logged.emailed).toEqual([]);
    const posted = ((await sandbox.apiRequests('POST'))[0]?.body as Json[])[0];
    expect(posted).toMatchObject({ timetaken: 0.75, hiddenfromuser: true, sendemail: false, outcome_id: privateNote?.id });
    const named = await ok('halo_log_time', { ticket_id: ticket.id, hours: 0.25, note: 'Call', outcome: 'Phone Call', dry_run: true });
    expect(named.outcome).toMatchObject({ name: 'Phone Call' });
  }));

  it('creates a draft invoice with lines, adds lines, and refuses a posted one', calling(['halo_create_invoice', 'halo_add_invoice_lines'], async () => {
    const invoice = (await ok('halo_create_invoice', { client: 'Acme Manufacturing', lines: [{ description: 'Remote support', quantity: 2, unit_price: 85 }] })).invoice as Json;
    expect(invoice).toMatchObject({ posted: false, total: 170 });
    const grown = (await ok('halo_add_invoice_lines', { id: invoice.id, lines: [{ description: 'Cable', quantity: 1, unit_price: 10 }] })).invoice as Json;
    expect(grown.total).toBe(180);
    expect((grown.lines as Json[]).length).toBe(2);
    const posted = items(await ok('halo_search_invoices', { posted_only: true, limit: 1 }))[0];
    expect((await call('halo_add_invoice_lines', { id: posted?.id, lines: [{ description: 'x', quantity: 1, unit_price: 1 }] })).text).toMatch(/is posted/);
  }));

  it("shows what an invoice still owes, and one supplier's purchase orders", calling(['halo_search_invoices', 'halo_get_invoice', 'halo_list_purchase_orders'], async () => {
    const created = await mcp.halo.upsert('/Invoice', { client_id: 2, lines: [{ item_shortdescription: 'Labour', qty_order: 3, unit_price: 100 }] });
    await mcp.halo.upsert('/Invoice', { id: created.id, amountpaid: 120 });
    const found = items(await ok('halo_search_invoices', { client: 'Acme Manufacturing', limit: 100 })).find((invoice) => invoice.id === created.id);
    expect(found).toMatchObject({ total: 300, amount_due: 180 });
    expect(await ok('halo_get_invoice', { id: created.id })).toMatchObject({ amount_paid: 120, amount_due: 180 });

    const { items: orders } = await mcp.halo.list('/PurchaseOrder');
    const supplier = orders[0]?.supplier_id;
    const theirs = items(await ok('halo_list_purchase_orders', { supplier_id: supplier, limit: 100 }));
    expect(theirs.length).toBe(orders.filter((order) => order.supplier_id === supplier).length);
    expect(theirs.every((order) => (order.supplier as { id: number }).id === supplier)).toBe(true);
    expect(orders.some((order) => order.supplier_id !== supplier)).toBe(true);
  }));

  it('runs a saved report and pages its rows', calling(['halo_run_report'], async () => {
    const report = items(await ok('halo_search_reports', { query: 'open tickets by client' }))[0];
    const rows = await ok('halo_run_report', { id: report?.id, limit: 5 });
    expect(items(rows)).toHaveLength(5);
    expect(items(rows)[0]).toHaveProperty('open_tickets');
    expect(typeof rows.next_cursor).toBe('string');
  }));

  it('says why a saved report does not run instead of answering no rows', calling(['halo_run_report'], async () => {
    const saved = await mcp.halo.upsert('/Report', { name: 'Broken report', sql: 'SELECT Closeddate FROM FAULTS' });
    const answer = await call('halo_run_report', { id: saved.id });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain(`Halo could not run saved report ${String(saved.id)}: Invalid column name 'Closeddate'.`);
    expect(answer.text).toMatch(/report designer/);
  }));

  it('runs only a single read-only SELECT', calling(['halo_run_sql'], async () => {
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
  }));

  it("gives SQL Server's reason when a query fails, and what to try", calling(['halo_run_sql'], async () => {
    const unknownColumn = await call('halo_run_sql', { sql: 'SELECT Faultid, Closeddate FROM FAULTS' });
    expect(unknownColumn.isError).toBe(true);
    expect(unknownColumn.text).toContain("Halo could not run the query: Invalid column name 'Closeddate'.");
    expect(unknownColumn.text).toMatch(/halo_describe_sql_table/);
    const unknownTable = await call('halo_run_sql', { sql: 'SELECT * FROM Tickets' });
    expect(unknownTable.text).toContain("Invalid object name 'Tickets'.");
    const unordered = await call('halo_run_sql', { sql: 'SELECT Faultid FROM FAULTS ORDER BY Faultid' });
    expect(unordered.isError).toBe(true);
    expect(unordered.text).toMatch(/ORDER BY clause is invalid.*add TOP n/);
  }));

  it('lists the tables of Halo\'s database, filtered by part of a name', calling(['halo_list_sql_tables'], async () => {
    const all = items(await ok('halo_list_sql_tables'));
    expect(all.map((table) => table.name)).toEqual(expect.arrayContaining(['ACTIONS', 'AREA', 'FAULTS', 'INVOICEHEADER', 'UNAME']));
    expect(all.map((table) => table.name)).toEqual([...all.map((table) => table.name)].sort());
    expect(items(await ok('halo_list_sql_tables', { filter: 'fault' }))).toEqual([{ name: 'FAULTS' }]);
    // LIKE's wildcards in a filter are text: no table has a % in its name.
    expect(items(await ok('halo_list_sql_tables', { filter: "%' OR 'a' = 'a" }))).toEqual([]);
  }));

  it('describes a table: its columns in order, with their SQL types', calling(['halo_describe_sql_table'], async () => {
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
  }));

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

describe('halo_time_report', () => {
  /** Every timesheet entry Halo holds over a span, to add up by hand. */
  async function entriesBetween(from: string, to: string): Promise<Json[]> {
    return (await mcp.halo.list('/TimesheetEvent', { start_date: from, end_date: to })).items;
  }

  it('adds up the hours each agent logged over a period, most first, as the timesheet entries say', calling(['halo_time_report'], async () => {
    const report = await call('halo_time_report', { period: 'last 14 days' });
    expect(report.isError, report.text).toBe(false);
    const from = Date.parse(String(report.data.from));
    const to = Date.parse(String(report.data.to));
    const byAgent = new Map<number, number>();
    for (const entry of await entriesBetween(String(report.data.from), String(report.data.to))) {
      const start = haloTime(entry.start_date) ?? Number.NaN;
      // Breaks and leave are not time worked.
      if (Number.isNaN(start) || start < from || start > to || Number(entry.break_type ?? 0) > 0 || Number(entry.holiday_id ?? 0) > 0) continue;
      byAgent.set(Number(entry.agent_id), (byAgent.get(Number(entry.agent_id)) ?? 0) + Number(entry.timetaken));
    }
    const agents = report.data.agents as Json[];
    expect(agents.length).toBe(byAgent.size);
    for (const row of agents) expect(row.hours).toBeCloseTo(byAgent.get((row.agent as { id: number }).id) ?? -1, 5);
    expect(agents.map((row) => row.hours)).toEqual(agents.map((row) => row.hours).sort((a, b) => Number(b) - Number(a)));
    expect(agents.find((row) => (row.agent as Ref)?.id === 1)?.agent).toEqual({ id: 1, name: 'Jane Doe' });
    expect(report.data.total_hours).toBeCloseTo(agents.reduce((sum, row) => sum + Number(row.hours), 0), 5);
    const jane = agents.find((row) => (row.agent as Ref)?.id === 1);
    expect((jane?.by_client as Json[]).length).toBeGreaterThan(0);
    expect((jane?.by_client as Json[]).every((entry) => typeof entry.hours === 'number')).toBe(true);
    // Each client is named as the entries name it.
    expect((jane?.by_client as Json[]).filter((entry) => entry.client !== null).every((entry) => (entry.client as Ref)?.name !== '')).toBe(true);
  }));

  it('counts the time logged on a ticket, for one agent and one client, and leaves breaks and leave apart', calling(['halo_time_report', 'halo_add_note'], async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Printer jam', client_id: 3 });
    const logged = await call('halo_add_note', { ticket_id: ticket.id, note: 'Cleared the jam', time_taken_hours: 1.25 });
    expect(logged.isError, logged.text).toBe(false);
    // The note is the API agent's, "me" to the tools.
    const agentId = Number((await mcp.halo.list('/Actions', { ticket_id: Number(ticket.id) })).items[0]?.who_agentid);
    const start = new Date(Date.now() - 3 * 3_600_000).toISOString();
    await mcp.halo.upsert('/TimesheetEvent', { agent_id: agentId, start_date: start, end_date: new Date(Date.now() - 2 * 3_600_000).toISOString(), break_type: 1, subject: 'Lunch' });

    const report = await call('halo_time_report', { period: 'last 2 days', agent: 'me', client: 3 });
    expect(report.isError, report.text).toBe(false);
    const agents = report.data.agents as Json[];
    expect(agents).toHaveLength(1);
    const [row] = agents;
    expect((row?.agent as Ref)?.id).toBe(agentId);
    expect(row?.by_client).toEqual([{ client: { id: 3, name: 'Acme Marketing Group' }, hours: expect.any(Number) as number }]);
    expect(Number(row?.hours)).toBeGreaterThanOrEqual(1.25);
    // A break belongs to no client: the agent's own report shows it, apart from the hours.
    const mine = ((await call('halo_time_report', { period: 'last 2 days', agent: 'me' })).data.agents as Json[])[0];
    expect(mine?.breaks_and_leave_hours).toBe(1);
    expect(Number(mine?.hours)).toBeGreaterThanOrEqual(Number(row?.hours));
    const requests = await sandbox.apiRequests('GET', /timesheetevent/i);
    expect(requests.at(-1)?.query).toMatchObject({ agent_id: String(agentId) });
    expect(report.data.total_hours).toBe(row?.hours);
  }));

  it('refuses a period with no start, or longer than a year', calling(['halo_time_report'], async () => {
    expect((await call('halo_time_report', { period: '..2026-03-01' })).text).toMatch(/has no start/);
    expect((await call('halo_time_report', { period: '2024-01-01..2026-03-01' })).text).toMatch(/longer than 366 days/);
  }));
});

describe('coverage', () => {
  it('has a test for every curated tool', () => {
    // The tables derive their tools from the catalog; every other test is held to the tools it declares when it runs.
    const tested = new Set([...[...lists, ...gets, ...creates, ...updates, ...deletes].map((tool) => tool.name), ...declared]);
    expect(curated.map((tool) => tool.name).filter((name) => !tested.has(name))).toEqual([]);
  });
});
