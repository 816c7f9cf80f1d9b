/**
 * The `tickets` toolset: what a service desk does to tickets beyond the core. Delete and restore,
 * child and linked tickets, merging, approvals, and attachments.
 */
import { z } from 'zod';
import { ToolInputError } from '../../src/toolkit/errors.js';
import { cursor, dryRun, limit, nameOrId, recordId, requiredText } from '../../src/toolkit/inputs.js';
import { listOutput, recordOutput, writeOutput } from '../../src/toolkit/outputs.js';
import { loadNameBook } from '../../src/toolkit/names.js';
import { ticketDetail, ticketSummary } from './projections.js';
import { confirmArg } from '../../src/toolkit/resource-tools.js';
import { plainToHtml } from '../../src/toolkit/html-text.js';
import { arrayPage, pagedList } from '../../src/toolkit/paging.js';
import { isoUtc, optionalText } from '../../src/toolkit/values.js';
import { fenced } from '../../src/toolkit/untrusted.js';
import { defineTool } from '../../src/mcp/tool.js';
import { withMandatoryFieldHint } from './tickets.js';
import type { BodyOf, HaloRecord } from '../../src/halo/client.js';

export const deleteTicket = defineTool({
  name: 'halo_delete_ticket',
  title: 'Delete a ticket',
  description: 'Delete a ticket (it can be restored with halo_restore_ticket). Asks for confirmation.',
  toolset: 'tickets',
  access: 'destructive',
  input: z.strictObject({ id: recordId('Ticket number'), reason: z.string().optional().describe('Why, for the audit trail'), confirm: confirmArg, dry_run: dryRun }),
  output: writeOutput,
  confirm: async (args, context) => {
    const ticket = await context.halo.get('/Tickets', args.id, {}, { signal: context.signal });
    return `Delete ticket #${args.id} "${optionalText(ticket.summary) ?? ''}"?`;
  },
  handler: async (args, context) => {
    const query = args.reason ? { reason: args.reason } : {};
    if (args.dry_run) return { dry_run: true, request: { method: 'DELETE', path: `/Tickets/${args.id}`, query } };
    await context.halo.remove('/Tickets', args.id, query, { signal: context.signal });
    return { dry_run: false, deleted: { id: args.id, type: 'ticket' } };
  },
});

export const restoreTicket = defineTool({
  name: 'halo_restore_ticket',
  title: 'Restore a deleted ticket',
  description: 'Bring back a deleted ticket.',
  toolset: 'tickets',
  access: 'write',
  input: z.strictObject({ id: recordId('Ticket number'), dry_run: dryRun }),
  output: writeOutput,
  handler: async (args, context) => {
    const body = { id: args.id, _recover: true, _validate_updates: true };
    if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: '/Tickets', body: [body] } };
    const [restored, names] = await Promise.all([
      context.halo.upsert('/Tickets', body, { signal: context.signal }),
      loadNameBook(context.resolver, { signal: context.signal }),
    ]);
    return { dry_run: false, ticket: ticketSummary(restored, names) };
  },
});

/** A list of tickets related to one: its children, or the tickets linked to it. */
function relatedTickets(name: string, description: string, filter: 'parent_id' | 'related_id') {
  return defineTool({
    name,
    title: description,
    description: `${description}.`,
    toolset: 'tickets',
    access: 'read',
    input: z.strictObject({ ticket_id: recordId('Ticket number'), limit, cursor }),
    output: listOutput,
    handler: async (args, context) => {
      const names = await loadNameBook(context.resolver, { signal: context.signal });
      return pagedList(context, { tool: name, args, path: '/Tickets', query: { [filter]: args.ticket_id }, project: (ticket) => ticketSummary(ticket, names) });
    },
  });
}

export const listChildTickets = relatedTickets('halo_list_child_tickets', "A ticket's child tickets", 'parent_id');
export const listLinkedTickets = relatedTickets('halo_list_linked_tickets', 'Tickets linked to a ticket', 'related_id');

export const createChildTicket = defineTool({
  name: 'halo_create_child_ticket',
  title: 'Create a child ticket',
  description: "Log a child ticket under another, with the parent's client, site and user.",
  toolset: 'tickets',
  access: 'write',
  input: z.strictObject({
    parent_id: recordId('Parent ticket number'),
    summary: requiredText('One-line subject'),
    details: z.string().optional().describe('Description, plain text'),
    agent: nameOrId('Name, id or "me"').optional(),
    dry_run: dryRun,
  }),
  output: writeOutput,
  handler: async (args, context) => {
    const { halo, resolver, signal } = context;
    const [parent, agent] = await Promise.all([
      halo.get('/Tickets', args.parent_id, {}, { signal }),
      args.agent === undefined ? undefined : resolver.resolve('agent', args.agent, { signal }),
    ]);
    const body: BodyOf<'/Tickets'> = {
      summary: args.summary,
      parent_id: args.parent_id,
      client_id: parent.client_id,
      site_id: parent.site_id,
      user_id: parent.user_id,
      tickettype_id: parent.tickettype_id,
      ...(args.details ? { details_html: plainToHtml(args.details) } : {}),
      ...(agent !== undefined ? { agent_id: agent } : {}),
    };
    if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: '/Tickets', body: [body] } };
    const [created, names] = await Promise.all([withMandatoryFieldHint(halo.upsert('/Tickets', body, { signal })), loadNameBook(resolver, { signal })]);
    return { dry_run: false, ticket: ticketDetail(created, names, context.text) };
  },
});

export const linkTickets = defineTool({
  name: 'halo_link_tickets',
  title: 'Link or unlink tickets',
  description: 'Relate two tickets to each other, or undo that with unlink.',
  toolset: 'tickets',
  access: 'write',
  input: z.strictObject({
    ticket_id: recordId('Ticket number'),
    other_id: recordId('The other ticket'),
    unlink: z.boolean().default(false).describe('Remove the link instead'),
    dry_run: dryRun,
  }),
  output: writeOutput,
  handler: async (args, context) => {
    if (args.ticket_id === args.other_id) throw new ToolInputError('A ticket cannot be linked to itself.');
    const body = args.unlink ? { id: args.ticket_id, unrelate_from_ticket_id: args.other_id } : { id: args.ticket_id, new_related_tickets: [{ id: args.other_id }] };
    if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: '/Tickets', body: [body] } };
    const updated = await context.halo.upsert('/Tickets', body, { signal: context.signal });
    const related = Array.isArray(updated.related_tickets) ? (updated.related_tickets as { id: number }[]).map((ticket) => ticket.id) : [];
    return { dry_run: false, ticket_id: args.ticket_id, linked_to: related };
  },
});

export const mergeTickets = defineTool({
  name: 'halo_merge_tickets',
  title: 'Merge a ticket into another',
  description: 'Merge a duplicate ticket into another: the duplicate is closed. Asks for confirmation.',
  toolset: 'tickets',
  access: 'destructive',
  input: z.strictObject({ ticket_id: recordId('The duplicate, to close'), into_id: recordId('The ticket to keep'), confirm: confirmArg, dry_run: dryRun }),
  output: writeOutput,
  confirm: (args) => Promise.resolve(`Merge ticket #${args.ticket_id} into #${args.into_id}? #${args.ticket_id} will be closed.`),
  handler: async (args, context) => {
    if (args.ticket_id === args.into_id) throw new ToolInputError('A ticket cannot be merged into itself.');
    // Fetch both first: an update must name tickets that exist, or Halo's upsert would create one.
    await Promise.all([args.ticket_id, args.into_id].map((id) => context.halo.get('/Tickets', id, {}, { signal: context.signal })));
    const body = { id: args.ticket_id, domerge: true, merged_into_id: args.into_id };
    if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: '/Tickets', body: [body] } };
    await context.halo.upsert('/Tickets', body, { signal: context.signal });
    return { dry_run: false, merged: { from: args.ticket_id, into: args.into_id } };
  },
});

const APPROVAL_RESULTS: Record<number, string> = { 0: 'pending', 1: 'approved', 2: 'rejected' };

export const listTicketApprovals = defineTool({
  name: 'halo_list_ticket_approvals',
  title: 'List ticket approvals',
  description: 'Who must approve a ticket, and what each answered.',
  toolset: 'tickets',
  access: 'read',
  input: z.strictObject({ ticket_id: recordId('Ticket number'), limit, cursor }),
  output: listOutput,
  handler: async (args, context) => {
    const { items } = await context.halo.list('/TicketApproval', { ticket_id: args.ticket_id }, { signal: context.signal });
    const approvals = items.map((approval) => ({
      seq: approval.seq,
      approver: optionalText(approval.name) ?? optionalText(approval.emailaddress),
      result: APPROVAL_RESULTS[approval.result ?? 0] ?? 'pending',
      when: isoUtc(approval.datetime),
      note: fenced(optionalText(approval.approver_note) ?? '') || null,
    }));
    return arrayPage(approvals, context, { tool: 'halo_list_ticket_approvals', args });
  },
});

export const answerTicketApproval = defineTool({
  name: 'halo_answer_ticket_approval',
  title: 'Approve or reject a ticket',
  description: 'Record an approval or a rejection for one approver of a ticket.',
  toolset: 'tickets',
  access: 'write',
  input: z.strictObject({
    ticket_id: recordId('Ticket number'),
    seq: z.number().int().describe('The approver, as seq from halo_list_ticket_approvals'),
    approve: z.boolean().describe('true approves, false rejects'),
    note: z.string().optional().describe('Reason'),
    dry_run: dryRun,
  }),
  output: writeOutput,
  handler: async (args, context) => {
    const body = { ticket_id: args.ticket_id, seq: args.seq, result: args.approve ? 1 : 2, ...(args.note ? { approver_note: args.note } : {}) };
    if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: '/TicketApproval', body: [body] } };
    const { items } = await context.halo.list('/TicketApproval', { ticket_id: args.ticket_id }, { signal: context.signal });
    if (!items.some((approval) => approval.seq === args.seq)) {
      throw new ToolInputError(`Ticket ${args.ticket_id} has no approver with seq ${args.seq}; see halo_list_ticket_approvals.`);
    }
    await context.halo.request({ method: 'POST', path: '/TicketApproval', body: [body], effect: 'repeatable', signal: context.signal });
    return { dry_run: false, ticket_id: args.ticket_id, seq: args.seq, result: APPROVAL_RESULTS[body.result] };
  },
});

function attachmentSummary(attachment: HaloRecord) {
  return {
    id: attachment.id as number,
    filename: optionalText(attachment.filename) ?? '',
    bytes: typeof attachment.filesize === 'number' ? attachment.filesize : null,
    image: attachment.isimage === true,
    created: isoUtc(attachment.datecreated),
  };
}

export const listAttachments = defineTool({
  name: 'halo_list_attachments',
  title: 'List ticket attachments',
  description: 'The files attached to a ticket.',
  toolset: 'tickets',
  access: 'read',
  input: z.strictObject({ ticket_id: recordId('Ticket number'), limit, cursor }),
  output: listOutput,
  handler: async (args, context) => {
    const { items } = await context.halo.list('/Attachment', { ticket_id: args.ticket_id }, { signal: context.signal });
    return arrayPage(items.map(attachmentSummary), context, { tool: 'halo_list_attachments', args });
  },
});

export const getAttachment = defineTool({
  name: 'halo_get_attachment',
  title: 'Get an attachment',
  description: 'A file attached to a ticket: its content as base64 when small, otherwise a resource to read.',
  toolset: 'tickets',
  access: 'read',
  input: z.strictObject({ id: recordId('Attachment id') }),
  output: recordOutput,
  handler: async (args, context) => {
    const attachment = await context.halo.get('/Attachment', args.id, { includedetails: true }, { signal: context.signal });
    const data = optionalText(attachment.data_base64) ?? '';
    const fits = data.length > 0 && data.length <= context.settings.maxResultChars - 500;
    return {
      ...attachmentSummary(attachment),
      ...(fits ? { data_base64: data } : { resource: `halo://attachments/${args.id}`, note: 'Too large for a tool result: read the resource for its content.' }),
    };
  },
});

export const uploadAttachment = defineTool({
  name: 'halo_upload_attachment',
  title: 'Attach a file to a ticket',
  description: 'Attach a file, given as base64, to a ticket.',
  toolset: 'tickets',
  access: 'write',
  input: z.strictObject({
    ticket_id: recordId('Ticket number'),
    filename: requiredText('File name with extension'),
    data_base64: requiredText('The file, base64'),
    dry_run: dryRun,
  }),
  output: writeOutput,
  handler: async (args, context) => {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(args.data_base64.replace(/\s+/g, ''))) throw new ToolInputError('data_base64 is not valid base64.');
    const body = { ticket_id: args.ticket_id, filename: args.filename, data_base64: args.data_base64.replace(/\s+/g, '') };
    if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: '/Attachment', body: [{ ...body, data_base64: `(${body.data_base64.length} base64 characters)` }] } };
    const stored = await context.halo.upsert('/Attachment', body, { signal: context.signal });
    return { dry_run: false, attachment: attachmentSummary(stored) };
  },
});
