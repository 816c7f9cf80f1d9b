/**
 * Records as Markdown, for people browsing resources in a client. Free text comes fenced from the
 * projections; every other field from Halo is written with `inline`, so that no name or summary
 * can add a heading, a list item, a link, an image or HTML to the page.
 */
import { textOf } from '../util/text.js';
import type { actionSummary, clientDetail, kbDetail, ticketDetail } from './projections.js';
import { singleLine } from './untrusted.js';

type Ticket = ReturnType<typeof ticketDetail>;
type Action = ReturnType<typeof actionSummary>;

/**
 * A field as Markdown text on one line: the characters that open a code span, emphasis, a link or
 * an image, HTML, a heading, a table cell or an entity (`&#x202E;` would bring back a bidi control)
 * are escaped, so the field reads as the characters it holds.
 */
export function inline(text: string): string {
  return singleLine(text).replace(/[\\`*_[\]<>#|~&]/g, '\\$&');
}

function line(label: string, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const shown = typeof value === 'object' && 'name' in value ? (value as { name: string }).name : textOf(value);
  return `- **${label}:** ${inline(shown)}`;
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

export function clientMarkdown(client: ReturnType<typeof clientDetail>, openTickets: { id: number; summary: string }[]): string {
  const facts = [line('Top level', client.top_level), line('Website', client.website), line('Phone', client.phone), line('Inactive', client.inactive ? 'yes' : undefined)].filter(
    (fact) => fact !== undefined,
  );
  const tickets = openTickets.map((ticket) => `- #${ticket.id} ${inline(ticket.summary)}`);
  return [`# ${inline(client.name)}`, facts.join('\n'), ...(client.notes ? ['## Notes', client.notes] : []), '## Open tickets', tickets.length > 0 ? tickets.join('\n') : '_None._'].join('\n\n');
}

export function kbMarkdown(article: ReturnType<typeof kbDetail>): string {
  return [`# ${inline(article.title)}`, article.tags ? `_Tags: ${inline(article.tags)}_` : undefined, article.body, ...(article.resolution ? ['## Resolution', article.resolution] : [])]
    .filter((part) => part !== undefined && part !== '')
    .join('\n\n');
}
