/**
 * The tools against what a live tenant enforces and the sandbox now emulates: lists shortened for
 * the API's agent without showall, dates in Halo's mixed forms, timesheets read as an agent's day,
 * Halo's error bodies, mandatory fields per ticket type, and a priority outside the SLA.
 */
import { afterEach, describe, expect, it } from 'vitest';
import operationsDocument from '../../src/openapi/operations.json' with { type: 'json' };
import { haloTime } from '../../src/toolkit/values.js';
import { catalog } from '../../tools/index.js';
import { listArguments } from '../helpers/lists.js';
import { useSandboxMcp } from '../helpers/setup.js';

type Json = Record<string, unknown>;

// Every test checks that its own requests kept to what Halo documents or live clients send, and the sandbox emulates.
const { sandbox, mcp } = useSandboxMcp({ settings: { toolsets: ['all'] }, conformance: true });
afterEach(async () => {
  await sandbox.clearFaults();
});

const items = (data: Json) => data.items as Json[];

async function ok(name: string, args: Json = {}): Promise<Json> {
  const answer = await mcp.call(name, args);
  expect(answer.isError, `${name}: ${answer.text}`).toBe(false);
  return answer.data;
}

/** The lists (paths without an id) whose GET the document says takes `showall`. */
const LISTS_WITH_SHOWALL = new Set(
  operationsDocument.operations
    .filter((operation) => operation.method === 'GET' && !operation.path.includes('{') && operation.query.some((param) => param.name.toLowerCase() === 'showall'))
    .map((operation) => operation.path.toLowerCase()),
);

describe('lists Halo shortens for the API agent', () => {
  it('are read with showall=true by every tool, wherever the document declares it', async () => {
    // Every list the server offers (tools behind a setting, such as the SQL ones, are not offered here).
    const offered = new Set((await mcp.client.listTools()).tools.map((tool) => tool.name));
    const lists = catalog.filter((tool) => offered.has(tool.name) && tool.access === 'read' && /^halo_(list|search)_/.test(tool.name) && tool.toolset !== 'api');
    // Each pointed at records, found or made before the log is cleared, so that the log holds the lists' own reads.
    const args = new Map<string, Json>();
    for (const tool of lists) args.set(tool.name, await listArguments(mcp, tool.name));
    await sandbox.clearRequests();
    for (const tool of lists) {
      // A list that answered nothing could not show what it does with records.
      expect(items(await ok(tool.name, { ...args.get(tool.name), limit: 1 })), tool.name).toHaveLength(1);
    }
    for (const kind of ['statuses', 'ticket_types', 'priorities', 'categories', 'outcomes', 'teams', 'agents', 'asset_types']) await ok('halo_lookup', { kind });
    const reads = (await sandbox.apiRequests('GET')).map((request) => ({ path: request.path.replace(/^\/api/i, '').toLowerCase(), query: request.query }));
    const restricted = reads.filter((read) => LISTS_WITH_SHOWALL.has(read.path));
    expect(new Set(restricted.map((read) => read.path))).toEqual(new Set(['/agent', '/appointment', '/status', '/team', '/tickettype']));
    expect(restricted.filter((read) => read.query.showall !== 'true')).toEqual([]);
    expect(reads.filter((read) => !LISTS_WITH_SHOWALL.has(read.path) && 'showall' in read.query)).toEqual([]);
  });

  it('name and offer the ticket types restricted to other agents', async () => {
    const types = items(await ok('halo_lookup', { kind: 'ticket_types', limit: 50 })).map((type) => type.name);
    expect(types).toEqual(expect.arrayContaining(['Security Incident', 'HR Request', 'Board Escalation']));
    expect(items(await ok('halo_list_ticket_types', { limit: 50 })).map((type) => type.name)).toContain('HR Request');
    const { items: restricted } = await mcp.halo.list('/Tickets', { requesttype: [8], count: 1 });
    const ticket = await ok('halo_get_ticket', { id: restricted[0]?.id, actions: 0 });
    expect(ticket.type).toEqual({ id: 8, name: 'Security Incident' });
    const created = await ok('halo_create_ticket', { summary: 'Suspicious sign-in', client: 'Acme Manufacturing', ticket_type: 'Security Incident' });
    expect((created.ticket as Json).type).toEqual({ id: 8, name: 'Security Incident' });
  });
});

describe('rules a ticket type sets', () => {
  it("refuses a ticket without its type's mandatory fields in Halo's words, and says what to do", async () => {
    await sandbox.clearRequests();
    const refused = await mcp.call('halo_create_ticket', { summary: 'Replace the firewall', client: 'Acme Manufacturing', ticket_type: 'Change Request' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toBe(
      'Halo rejected POST /Tickets (400): Details and Category are required for a Change Request ticket. The ticket\'s type makes those fields mandatory: give a value for each and call again.',
    );
    const created = await ok('halo_create_ticket', {
      summary: 'Replace the firewall',
      client: 'Acme Manufacturing',
      ticket_type: 'Change Request',
      details: 'Out of hours, Saturday.',
      category: 'Network',
    });
    expect((created.ticket as Json).category).toBe('Network');
  });

  it("says so when Halo stores the SLA's default instead of a priority the SLA does not have", async () => {
    const created = await ok('halo_create_ticket', { summary: 'New starter forms', client: 'Acme Manufacturing', ticket_type: 'HR Request', priority: 'Critical' });
    expect((created.ticket as Json).priority).toEqual({ id: 4, name: 'Low' });
    expect(created.warning).toBe(
      'Halo set priority "Low" (4), not "Critical" (1) asked for: the ticket\'s SLA has no such priority, so Halo used its default. halo_lookup kind "priorities" lists each priority\'s SLA.',
    );
    const ticketId = (created.ticket as Json).id;
    const kept = await ok('halo_update_ticket', { id: ticketId, priority: 'Medium' });
    expect((kept.ticket as Json).priority).toEqual({ id: 3, name: 'Medium' });
    expect(kept).not.toHaveProperty('warning');
    const downgraded = await ok('halo_update_ticket', { id: ticketId, priority: 'High' });
    expect(String(downgraded.warning)).toMatch(/^Halo set priority "Low" \(4\), not "High" \(2\)/);
  });

  it("passes on Halo's refusal of a priority where a tenant refuses rather than falls back", async () => {
    await sandbox.faults([{ method: 'POST', path: '^/api/tickets$', status: 400, body: '{"ClassName":"System.Exception","Message":"Priority 1 is not valid for this Ticket Type."}', times: 1 }]);
    const refused = await mcp.call('halo_create_ticket', { summary: 'x', client: 'Acme Manufacturing', priority: 'Critical' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toBe('Halo rejected POST /Tickets (400): Priority 1 is not valid for this Ticket Type.');
  });
});

describe("Halo's error bodies", () => {
  it('tell a missing record whatever its body: none, an exception, or a problem', async () => {
    const none = await mcp.call('halo_get_client', { id: 999_999 });
    expect(none.text).toBe('Halo found nothing for GET /Client/999999 (404). Check the id, or search for the record first.');
    const bodies = ['{"ClassName":"System.Exception","Message":"Client not found."}', '{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not Found","status":404}'];
    const texts: string[] = [];
    for (const body of bodies) {
      await sandbox.faults([{ method: 'GET', path: '^/api/client/2$', status: 404, body, times: 1 }]);
      const answer = await mcp.call('halo_get_client', { id: 2 });
      expect(answer.isError).toBe(true);
      texts.push(answer.text);
    }
    expect(texts).toEqual([
      'Halo found nothing for GET /Client/2 (404): Client not found. Check the id, or search for the record first.',
      'Halo found nothing for GET /Client/2 (404): Not Found. Check the id, or search for the record first.',
    ]);
  });
});

describe('dates in the forms Halo writes', () => {
  it('narrow a closing-date search to closed tickets, which 1900-01-01 would otherwise let in', async () => {
    await sandbox.clearRequests();
    const closed = await ok('halo_search_tickets', { closed: '..2100-01-01', limit: 100 });
    expect(items(closed).length).toBeGreaterThan(0);
    expect(items(closed).every((ticket) => ['Closed', 'Cancelled'].includes(String((ticket.status as Json).name)))).toBe(true);
    const [request] = await sandbox.apiRequests('GET', /tickets$/i);
    expect(request?.query).toMatchObject({ closed_only: 'true', datesearch: 'datecleared' });
    const conflict = await mcp.call('halo_search_tickets', { closed: 'last month', status: 'open' });
    expect(conflict.text).toBe('A ticket closed in a date range is not open: give closed or status "open", not both.');
  });

  it('count a task whose closing date is 1900-01-01 as open', async () => {
    const { items: projects } = await mcp.halo.list('/Projects', {});
    for (const project of projects) {
      const tasks = (await mcp.halo.list('/Tickets', { parent_id: Number(project.id) })).items;
      const open = tasks.filter((task) => task.dateclosed === '1900-01-01T00:00:00').length;
      if (open === 0 || open === tasks.length) continue;
      expect(tasks.filter((task) => ![8, 9].includes(Number(task.status_id)))).toHaveLength(open);
      const summary = await ok('halo_project_time_summary', { project_id: project.id });
      expect(summary.tasks).toEqual({ total: tasks.length, open, closed: tasks.length - open });
      return;
    }
    expect.fail('no project has both open and closed tasks');
  });

  it("put a ticket's timeline in the order of its actions' times, whatever their form", async () => {
    const timeline = await ok('halo_ticket_timeline', { ticket_id: 3 });
    const times = items(timeline).map((event) => haloTime(event.when) ?? 0);
    expect(times.length).toBeGreaterThan(1);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(items(timeline).every((event) => /Z$/.test(String(event.when)))).toBe(true);
  });
});

describe('halo_get_timesheet', () => {
  it("reads the agent's day as live clients do, timesheet 0 with agent_id and date", async () => {
    await sandbox.clearRequests();
    const sheet = await ok('halo_get_timesheet', { agent: 'Jane Doe', date: '2026-03-03' });
    const reads = (await sandbox.apiRequests('GET', /timesheet/i)).map((request) => `${request.path} ${JSON.stringify(request.query)}`);
    expect(reads).toEqual(['/api/Timesheet/0 {"agent_id":"1","date":"2026-03-03"}']);
    // The same day as the list of timesheets tells it, with the sheet's own number.
    const { items: rows } = await mcp.halo.list('/Timesheet', { start_date: '2026-03-03', end_date: '2026-03-03' });
    const row = rows.find((candidate) => candidate.agent_id === 1);
    expect(sheet).toMatchObject({ agent: { id: 1, name: 'Jane Doe' }, date: '2026-03-03', target_hours: 7.5, timesheet_id: row?.id, logged_hours: row?.actual_hours });
    expect((sheet.entries as Json[]).reduce((sum, entry) => sum + Number(entry.hours), 0)).toBe(row?.actual_hours);
  });

  it('refuses a range where it needs one day', async () => {
    const openEnded = await mcp.call('halo_get_timesheet', { agent: 'Jane Doe', date: '..2026-03-03' });
    expect(openEnded.text).toBe('"..2026-03-03" does not name a day; give one day, such as 2026-11-03 or "yesterday".');
  });
});
