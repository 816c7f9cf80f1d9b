/**
 * Answers that would otherwise take a model many calls: an agent's queue ordered by urgency, and a
 * ticket's whole story in one view.
 */
import { z } from 'zod';
import { cursor, limit, nameOrId, recordId } from '../../src/toolkit/inputs.js';
import { listOutput } from '../../src/toolkit/outputs.js';
import { readHistory } from '../../src/toolkit/history.js';
import { loadNameBook } from '../../src/toolkit/names.js';
import { actionSummary, ticketSummary } from './projections.js';
import { arrayPage } from '../../src/toolkit/paging.js';
import { haloTime, hours, isoUtc } from '../../src/toolkit/values.js';
import { defineTool } from '../../src/mcp/tool.js';
import type { HaloRecord } from '../../src/halo/client.js';

/** Open tickets beyond this many are not ranked: a queue that long needs a search, not a list. */
const QUEUE_CAP = 500;
const DUE_SOON_MS = 4 * 3_600_000;
/** A timeline shows the start of each note: the whole of one is a halo_list_ticket_actions away. */
const TIMELINE_NOTE_CHARS = 300;

export const myQueue = defineTool({
  name: 'halo_my_queue',
  title: "An agent's queue",
  description: "An agent's open tickets, most urgent first: past their fix-by time, then due within 4 hours, then by priority.",
  toolset: 'core',
  access: 'read',
  input: z.strictObject({ agent: nameOrId('Name, id or "me"').default('me'), limit, cursor }),
  output: listOutput,
  handler: async (args, context) => {
    const { halo, resolver, signal } = context;
    const [agent, names] = await Promise.all([resolver.resolveReference('agent', args.agent, { signal }), loadNameBook(resolver, { signal })]);
    const open: HaloRecord[] = [];
    for await (const page of halo.pages('/Tickets', { agent_id: agent.id, open_only: true, domain: 'reqs' }, { signal })) {
      open.push(...page);
      await context.progress(open.length, undefined, `Read ${open.length} open tickets`);
      if (open.length >= QUEUE_CAP) {
        await context.log('warning', `More than ${QUEUE_CAP} open tickets: only the first ${QUEUE_CAP} were ranked.`);
        break;
      }
    }
    const now = Date.now();
    const ranked = open
      .map((ticket) => {
        const fixBy = haloTime(ticket.fixbydate);
        const due = fixBy === undefined ? Number.POSITIVE_INFINITY : fixBy - now;
        const sla = due < 0 ? 'overdue' : due < DUE_SOON_MS ? 'due soon' : 'ok';
        return { ticket, due, sla };
      })
      .sort((a, b) => {
        const urgency = (entry: { sla: string }) => (entry.sla === 'overdue' ? 0 : entry.sla === 'due soon' ? 1 : 2);
        return urgency(a) - urgency(b) || Number(a.ticket.priority_id ?? 9) - Number(b.ticket.priority_id ?? 9) || a.due - b.due;
      })
      .map(({ ticket, sla }) => ({ ...ticketSummary(ticket, names), fix_by: isoUtc(ticket.fixbydate), sla }));
    await context.log('info', `Ranked ${ranked.length} open tickets of agent ${agent.id}.`);
    return {
      agent: { id: agent.id, name: agent.name || (names.agent(agent.id)?.name ?? '') },
      overdue: ranked.filter((entry) => entry.sla === 'overdue').length,
      due_soon: ranked.filter((entry) => entry.sla === 'due soon').length,
      ...arrayPage(ranked, context, { tool: 'halo_my_queue', args }),
    };
  },
});

export const ticketTimeline = defineTool({
  name: 'halo_ticket_timeline',
  title: "A ticket's timeline",
  description: "A ticket's whole story in one view: the ticket, then every action oldest first.",
  toolset: 'tickets',
  access: 'read',
  input: z.strictObject({ ticket_id: recordId('Ticket number'), limit: limit.default(50), cursor }),
  output: listOutput,
  handler: async (args, context) => {
    const { halo, resolver, signal } = context;
    const [ticket, history, names] = await Promise.all([
      halo.get('/Tickets', args.ticket_id, {}, { signal }),
      readHistory(halo, args.ticket_id, {}, { signal }),
      loadNameBook(resolver, { signal }),
    ]);
    const event = (action: HaloRecord) => {
      const { id: _id, ...rest } = actionSummary(action, context.text, TIMELINE_NOTE_CHARS);
      return rest;
    };
    return {
      ticket: { ...ticketSummary(ticket, names), closed: isoUtc(ticket.dateclosed), time_taken_hours: hours(ticket.timetaken) },
      ...arrayPage([...history.actions].reverse(), context, { tool: 'halo_ticket_timeline', args, project: event }),
      total: history.total,
      ...(history.cut ? { history_cut: history.cut } : {}),
    };
  },
});
