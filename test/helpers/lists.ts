/**
 * Arguments that make each list and search tool answer records in the sandbox, for the tests that
 * run every list and check each answer: a list that answers nothing proves nothing, so each one is
 * pointed at records the demo tenant holds, or at records made for the purpose where it holds none
 * (no list is left empty, so those tests require every page to hold a record).
 */
import type { RecordPath } from '../../src/halo/client.js';
import type { McpHarness } from './mcp.js';

type Json = Record<string, unknown>;

async function first(mcp: McpHarness, path: RecordPath): Promise<Json> {
  const { items } = await mcp.halo.list(path);
  const record = items[0];
  if (!record) throw new Error(`the sandbox holds no ${path}`);
  return record;
}

/** A project with a task of its own (a task is a child ticket too): which seeded project comes first depends on what other tests made. */
async function projectWithTask(mcp: McpHarness): Promise<number> {
  const project = await mcp.halo.upsert('/Projects', { summary: 'Office move', client_id: 2 });
  await mcp.halo.upsert('/Tickets', { summary: 'Move the printers', client_id: 2, parent_id: project.id });
  return Number(project.id);
}

/**
 * What each list needs to answer records, made or found before the test's own calls (so that their
 * requests come first in the sandbox's log); lists that need no argument are absent.
 */
const ARGUMENTS: Record<string, (mcp: McpHarness) => Promise<Json>> = {
  halo_list_ticket_actions: () => Promise.resolve({ ticket_id: 1 }),
  halo_ticket_timeline: () => Promise.resolve({ ticket_id: 1 }),
  halo_list_child_tickets: async (mcp) => ({ ticket_id: await projectWithTask(mcp) }),
  halo_list_project_tasks: async (mcp) => ({ project_id: await projectWithTask(mcp) }),
  halo_list_ticket_approvals: async (mcp) => ({ ticket_id: (await first(mcp, '/TicketApproval')).ticket_id }),
  halo_list_attachments: async (mcp) => ({ ticket_id: (await first(mcp, '/Attachment')).ticket_id }),
  // The demo tenant links no tickets: two are made and linked for the list to find.
  halo_list_linked_tickets: async (mcp) => {
    const one = await mcp.halo.upsert('/Tickets', { summary: 'Linked from', client_id: 2 });
    const other = await mcp.halo.upsert('/Tickets', { summary: 'Linked to', client_id: 2 });
    await mcp.halo.upsert('/Tickets', { id: one.id, new_related_tickets: [{ id: other.id }] });
    return { ticket_id: other.id };
  },
};

export function listArguments(mcp: McpHarness, name: string): Promise<Json> {
  return ARGUMENTS[name]?.(mcp) ?? Promise.resolve({});
}
