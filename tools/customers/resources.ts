/** Clients as resources: `halo://clients/{id}`, Markdown with the client's open tickets. */
import type { ResourceSpec } from '../../src/mcp/resources.js';
import { completeIds } from '../../src/toolkit/completion.js';
import { fact, inline } from '../../src/toolkit/markdown.js';
import { loadTextShaper } from '../../src/toolkit/html-text.js';
import { singleLine } from '../../src/toolkit/untrusted.js';
import { textOf } from '../../src/util/text.js';
import { clientDetail } from './projections.js';

function clientMarkdown(client: ReturnType<typeof clientDetail>, openTickets: { id: number; summary: string }[]): string {
  const facts = [fact('Top level', client.top_level), fact('Website', client.website), fact('Phone', client.phone), fact('Inactive', client.inactive ? 'yes' : undefined)].filter(
    (fact) => fact !== undefined,
  );
  const tickets = openTickets.map((ticket) => `- #${ticket.id} ${inline(ticket.summary)}`);
  return [`# ${inline(client.name)}`, facts.join('\n'), ...(client.notes ? ['## Notes', client.notes] : []), '## Open tickets', tickets.length > 0 ? tickets.join('\n') : '_None._'].join('\n\n');
}

export const clientResource: ResourceSpec = {
  name: 'client',
  uriTemplate: 'halo://clients/{id}',
  title: 'Client',
  description: 'A Halo client with its open tickets',
  markdown: true,
  list: async ({ halo, signal }, limit) => {
    const { items } = await halo.list('/Client', { count: limit, order: 'name' }, { signal });
    return items.map((client) => ({ id: Number(client.id), name: singleLine(textOf(client.name)) }));
  },
  complete: (halo, value) => completeIds(halo, '/Client', value),
  read: async (id, { halo, signal }) => {
    const [client, tickets, text] = await Promise.all([
      halo.get('/Client', id, { includedetails: true }, { signal }),
      halo.list('/Tickets', { client_id: id, open_only: true, domain: 'reqs', count: 20, order: 'lastactiondate', orderdesc: true }, { signal }),
      loadTextShaper(),
    ]);
    return {
      markdown: clientMarkdown(
        clientDetail(client, text),
        tickets.items.map((ticket) => ({ id: Number(ticket.id), summary: textOf(ticket.summary) })),
      ),
    };
  },
};
