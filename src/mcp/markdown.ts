/** Records as Markdown, for people browsing resources in a client. */
import { textOf } from '../util/text.js';
import type { actionSummary, clientDetail, kbDetail, ticketDetail } from './projections.js';

type Ticket = ReturnType<typeof ticketDetail>;
type Action = ReturnType<typeof actionSummary>;

function line(label: string, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const shown = typeof value === 'object' && 'name' in value ? (value as { name: string }).name : textOf(value);
  return `- **${label}:** ${shown}`;
}

/** The latest actions of a ticket, and how many it has (with a word when Halo answered fewer). */
export function ticketMarkdown(ticket: Ticket, actions: Action[], history: { total: number; cut?: string }): string {
  const facts = [
    line('Status', ticket.status),
    line('Type', ticket.type),
    line('Priority', ticket.priority),
    line('Client', ticket.client),
    line('Site', ticket.site),
    line('User', ticket.user),
    line('Agent', ticket.agent ?? 'unassigned'),
    line('Team', ticket.team),
    line('Category', ticket.category),
    line('Opened', ticket.opened),
    line('Fix by', ticket.fix_by),
    line('Closed', ticket.closed),
  ].filter((fact) => fact !== undefined);
  const entries = actions.map(
    (action) => `### ${action.when ?? ''} · ${action.who ?? 'unknown'}${action.outcome ? ` · ${action.outcome}` : ''}${action.private ? ' (private)' : ''}\n\n${action.note}`,
  );
  const shown = actions.length < history.total ? [`_${actions.length} of ${history.total} actions, newest first._`] : [];
  const cut = history.cut ? [`_${history.cut}_`] : [];
  return [
    `# Ticket #${ticket.id}: ${ticket.summary}`,
    facts.join('\n'),
    '## Details',
    ticket.details || '_No details._',
    ...(entries.length > 0 ? ['## Latest actions', ...shown, ...cut, ...entries] : []),
  ].join('\n\n');
}

export function clientMarkdown(client: ReturnType<typeof clientDetail>, openTickets: { id: number; summary: string }[]): string {
  const facts = [line('Top level', client.top_level), line('Website', client.website), line('Phone', client.phone), line('Inactive', client.inactive ? 'yes' : undefined)].filter(
    (fact) => fact !== undefined,
  );
  const tickets = openTickets.map((ticket) => `- #${ticket.id} ${ticket.summary}`);
  return [`# ${client.name}`, facts.join('\n'), ...(client.notes ? ['## Notes', client.notes] : []), '## Open tickets', tickets.length > 0 ? tickets.join('\n') : '_None._'].join('\n\n');
}

export function kbMarkdown(article: ReturnType<typeof kbDetail>): string {
  return [`# ${article.title}`, article.tags ? `_Tags: ${article.tags}_` : undefined, article.body, ...(article.resolution ? ['## Resolution', article.resolution] : [])]
    .filter((part) => part !== undefined && part !== '')
    .join('\n\n');
}
