/** Tickets and their attachments as resources: `halo://tickets/{id}` (Markdown, with the latest actions) and `halo://attachments/{id}` (the file). */
import type { ResourceSpec } from '../../src/mcp/resources.js';
import { completeIds } from '../../src/toolkit/completion.js';
import { readHistory } from '../../src/toolkit/history.js';
import { fact, inline } from '../../src/toolkit/markdown.js';
import { loadNameBook } from '../../src/toolkit/names.js';
import { loadTextShaper } from '../../src/toolkit/html-text.js';
import { singleLine } from '../../src/toolkit/untrusted.js';
import { textOf } from '../../src/util/text.js';
import { actionSummary, ticketDetail } from './projections.js';

/** Actions a ticket resource shows, newest first. */
const LATEST_ACTIONS = 5;

/** The latest actions of a ticket, and how many it has (with a word when Halo answered fewer). */
export function ticketMarkdown(ticket: ReturnType<typeof ticketDetail>, actions: ReturnType<typeof actionSummary>[], history: { total: number; cut?: string }): string {
  const facts = [
    fact('Status', ticket.status),
    fact('Type', ticket.type),
    fact('Priority', ticket.priority),
    fact('Client', ticket.client),
    fact('Site', ticket.site),
    fact('User', ticket.user),
    fact('Agent', ticket.agent ?? 'unassigned'),
    fact('Team', ticket.team),
    fact('Category', ticket.category),
    fact('Opened', ticket.opened),
    fact('Fix by', ticket.fix_by),
    fact('Closed', ticket.closed),
  ].filter((fact) => fact !== undefined);
  const entries = actions.map(
    (action) => `### ${action.when ?? ''} · ${inline(action.who ?? 'unknown')}${action.outcome ? ` · ${inline(action.outcome)}` : ''}${action.private ? ' (private)' : ''}\n\n${action.note}`,
  );
  const shown = actions.length < history.total ? [`_${actions.length} of ${history.total} actions, newest first._`] : [];
  const cut = history.cut ? [`_${history.cut}_`] : [];
  return [
    `# Ticket #${ticket.id}: ${inline(ticket.summary)}`,
    facts.join('\n'),
    '## Details',
    ticket.details || '_No details._',
    ...(entries.length > 0 ? ['## Latest actions', ...shown, ...cut, ...entries] : []),
  ].join('\n\n');
}

export const ticketResource: ResourceSpec = {
  name: 'ticket',
  uriTemplate: 'halo://tickets/{id}',
  title: 'Ticket',
  description: 'A Halo ticket with its latest actions',
  markdown: true,
  list: async ({ halo, signal }, limit) => {
    const { items } = await halo.list('/Tickets', { domain: 'reqs', open_only: true, count: limit, order: 'lastactiondate', orderdesc: true }, { signal });
    return items.map((ticket) => ({ id: Number(ticket.id), name: `#${String(ticket.id)} ${singleLine(textOf(ticket.summary))}` }));
  },
  complete: (halo, value) => completeIds(halo, '/Tickets', value, { domain: 'reqs' }),
  read: async (id, { halo, resolver, signal }) => {
    const [ticket, history, names, text] = await Promise.all([
      halo.get('/Tickets', id, { includedetails: true }, { signal }),
      readHistory(halo, id, {}, { signal }),
      loadNameBook(resolver, { signal }),
      loadTextShaper(),
    ]);
    const latest = history.actions.slice(0, LATEST_ACTIONS).map((action) => actionSummary(action, text));
    return { markdown: ticketMarkdown(ticketDetail(ticket, names, text), latest, history) };
  },
};

export const attachmentResource: ResourceSpec = {
  name: 'attachment',
  uriTemplate: 'halo://attachments/{id}',
  title: 'Attachment',
  description: 'A file attached to a Halo ticket',
  read: async (id, { halo, signal }) => {
    const attachment = await halo.get('/Attachment', id, { includedetails: true }, { signal });
    const mimeType = textOf(attachment.content_type) || (attachment.isimage === true ? 'image/png' : 'application/octet-stream');
    return { blob: textOf(attachment.data_base64), mimeType };
  },
};
