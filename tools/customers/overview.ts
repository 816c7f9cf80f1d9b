/** A client at a glance, in one call where a model would otherwise make six. */
import { z } from 'zod';
import { nameOrId } from '../../src/toolkit/inputs.js';
import { anyRecord } from '../../src/toolkit/outputs.js';
import { loadNameBook } from '../../src/toolkit/names.js';
import { ticketSummary } from '../tickets/projections.js';
import { clientDetail } from './projections.js';
import { isoUtc, optionalText } from '../../src/toolkit/values.js';
import { defineTool } from '../../src/mcp/tool.js';

const overviewOutput = z.looseObject({
  client: anyRecord,
  contacts: z.number().int(),
  sites: z.array(z.string().nullable()),
  open_tickets: z.object({ total: z.number().int(), most_urgent: z.array(anyRecord) }),
  contracts: z.array(anyRecord),
  assets: z.number().int(),
});

export const clientOverview = defineTool({
  name: 'halo_client_overview',
  title: 'Client overview',
  description: 'A client at a glance: contacts, sites, open tickets, contracts and assets.',
  toolset: 'crm',
  access: 'read',
  input: z.strictObject({ client: nameOrId('Name or id') }),
  output: overviewOutput,
  handler: async (args, context) => {
    const { halo, resolver, signal } = context;
    const id = await resolver.resolve('client', args.client, { signal });
    // Totals come from a page's record_count, which live tenants report across pages; what it says beside `count` nobody has seen.
    const firstPage = (size: number) => ({ pageinate: true, page_size: size, page_no: 1 });
    const [client, users, sites, tickets, contracts, assets, names] = await Promise.all([
      halo.get('/Client', id, { includedetails: true }, { signal }),
      halo.list('/Users', { client_id: id, ...firstPage(1) }, { signal }),
      halo.list('/Site', { client_id: id }, { signal }),
      halo.list('/Tickets', { client_id: id, open_only: true, domain: 'reqs', order: 'priority_id', ...firstPage(5) }, { signal }),
      halo.list('/ClientContract', { client_id: id }, { signal }),
      halo.list('/Asset', { client_id: id, ...firstPage(1) }, { signal }),
      loadNameBook(resolver, { signal }),
    ]);
    return {
      client: clientDetail(client, context.text),
      contacts: users.total,
      sites: sites.items.map((site) => optionalText(site.name)),
      open_tickets: { total: tickets.total, most_urgent: tickets.items.map((ticket) => ticketSummary(ticket, names)) },
      contracts: contracts.items.map((contract) => ({ id: contract.id, ref: optionalText(contract.ref), end: isoUtc(contract.end_date) })),
      assets: assets.total,
    };
  },
});
