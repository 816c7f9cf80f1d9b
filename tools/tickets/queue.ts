/**
 * Answers that would otherwise take a model many calls: a queue ordered by urgency, and a
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
import { inDateRange, parseDateRange } from '../../src/toolkit/dates.js';
import { defineTool } from '../../src/mcp/tool.js';
import type { HaloRecord } from '../../src/halo/client.js';

/** Open tickets beyond this many are not ranked: a queue that long needs a search, not a list. */
const QUEUE_CAP = 500;
const DUE_SOON_MS = 4 * 3_600_000;
/** A timeline shows the start of each note: the whole of one is a halo_list_ticket_actions away. */
const TIMELINE_NOTE_CHARS = 300;

/** How an unassigned ticket names its agent: no agent at all, or Halo's own "Unassigned" agent. */
function isUnassigned(agentId: unknown, agentName: string | undefined): boolean {
  // Halo behaviour: docs/halo-behaviour.md#unassigned-agent-1
  return !(Number(agentId) > 0) || agentName?.trim().toLowerCase() === 'unassigned';
}

export const myQueue = defineTool({
  name: 'halo_my_queue',
  title: 'A queue of open tickets',
  description: 'Open tickets, most urgent first (past fix-by, due within 4 h, then priority): "my queue", a team\'s, dispatch, SLA breaches.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    agent: nameOrId('Name, id, "me" (default), "none" (unassigned), "any"').optional(),
    team: nameOrId('Name or id').optional(),
    sla: z.enum(['overdue', 'due soon']).optional().describe('Past fix-by, or due within 4 h'),
    fix_by: z.string().optional().describe('Fix-by in: date, A..B, "today"...'),
    limit,
    cursor,
  }),
  output: listOutput,
  handler: async (args, context) => {
    const { halo, resolver, signal } = context;
    const agentArg = args.agent ?? (args.team === undefined ? 'me' : 'any');
    const everyAgent = ['any', 'none'].includes(agentArg.toLowerCase());
    const fixByRange = args.fix_by === undefined ? undefined : parseDateRange(args.fix_by, context.settings.timezone);
    const [agent, team, names] = await Promise.all([
      everyAgent ? undefined : resolver.resolveReference('agent', agentArg, { signal }),
      args.team === undefined ? undefined : resolver.resolveReference('team', args.team, { signal }),
      loadNameBook(resolver, { signal }),
    ]);
    const query = { agent_id: agent?.id, team: team === undefined ? undefined : [team.id], open_only: true, domain: 'reqs' };
    const open: HaloRecord[] = [];
    let cut: string | undefined;
    for await (const page of halo.pages('/Tickets', query, { signal })) {
      open.push(...page);
      await context.progress(open.length, undefined, `Read ${open.length} open tickets`);
      if (open.length >= QUEUE_CAP) {
        cut = `More than ${QUEUE_CAP} open tickets: only the first ${QUEUE_CAP} Halo listed were ranked; narrow by agent or team.`;
        await context.log('warning', cut);
        break;
      }
    }
    const now = Date.now();
    const ranked = open
      // The filters are checked here too, whatever Halo made of them: unassigned has no query parameter of its own.
      .filter((ticket) => agentArg.toLowerCase() !== 'none' || isUnassigned(ticket.agent_id, names.agent(ticket.agent_id)?.name))
      .map((ticket) => {
        const fixBy = haloTime(ticket.fixbydate);
        const due = fixBy === undefined ? Number.POSITIVE_INFINITY : fixBy - now;
        const sla = due < 0 ? 'overdue' : due < DUE_SOON_MS ? 'due soon' : 'ok';
        return { ticket, due, sla, fixBy };
      })
      .filter((entry) => (args.sla === undefined || entry.sla === args.sla) && (fixByRange === undefined || inDateRange(fixByRange, entry.fixBy)))
      .sort((a, b) => {
        const urgency = (entry: { sla: string }) => (entry.sla === 'overdue' ? 0 : entry.sla === 'due soon' ? 1 : 2);
        return urgency(a) - urgency(b) || Number(a.ticket.priority_id ?? 9) - Number(b.ticket.priority_id ?? 9) || a.due - b.due;
      })
      .map(({ ticket, sla }) => ({ ...ticketSummary(ticket, names), fix_by: isoUtc(ticket.fixbydate), sla }));
    await context.log('info', `Ranked ${ranked.length} open tickets${agent ? ` of agent ${agent.id}` : ''}.`);
    return {
      ...(agent ? { agent: { id: agent.id, name: agent.name || (names.agent(agent.id)?.name ?? '') } } : {}),
      // Said so that an empty queue is plainly the team asked for, not a name that matched another.
      ...(team ? { team: { id: team.id, name: team.name } } : {}),
      overdue: ranked.filter((entry) => entry.sla === 'overdue').length,
      due_soon: ranked.filter((entry) => entry.sla === 'due soon').length,
      ...(cut ? { cut } : {}),
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
