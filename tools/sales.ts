/** Sales: opportunities (Halo keeps them as tickets of an opportunity type). */
import { ticketDetail, ticketSummary } from './tickets/projections.js';
import { htmlArg, numberArg, refArg, resourceTools, textArg } from '../src/toolkit/resource-tools.js';
import { ticketAreaFilters } from './projects.js';
import { optionalText } from '../src/toolkit/values.js';
import type { AnyTool } from '../src/mcp/tool.js';

export const opportunityTools = resourceTools({
  toolset: 'sales',
  noun: 'opportunity',
  label: 'opportunity',
  path: '/Opportunities',
  tools: {
    list: { name: 'halo_search_opportunities', title: 'Search opportunities' },
    get: { name: 'halo_get_opportunity', title: 'Get an opportunity' },
    create: { name: 'halo_create_opportunity', title: 'Create an opportunity' },
    update: { name: 'halo_update_opportunity', title: 'Update an opportunity' },
  },
  search: true,
  names: true,
  filters: ticketAreaFilters,
  fields: {
    summary: textArg('summary', 'What is being sold'),
    details: htmlArg('details_html', 'Details, plain text'),
    client: refArg('client', 'client_id'),
    agent: refArg('agent', 'agent_id', 'Owner: name, id or "me"'),
    status: refArg('status', 'status_id'),
    value: numberArg('oppvalue', 'Value'),
    probability: numberArg('oppconversionprobability', 'Chance of winning, percent'),
    contact: textArg('oppcontactname', 'Contact name'),
    email: textArg('oppemailaddress', 'Contact email'),
  },
  required: ['summary', 'client'],
  project: (opportunity, _text, names) => ({
    ...ticketSummary(opportunity, names),
    value: typeof opportunity.oppvalue === 'number' ? opportunity.oppvalue : null,
    probability: typeof opportunity.oppconversionprobability === 'number' ? opportunity.oppconversionprobability : null,
  }),
  detail: (opportunity, text, names) => ({
    ...ticketDetail(opportunity, names, text),
    value: typeof opportunity.oppvalue === 'number' ? opportunity.oppvalue : null,
    probability: typeof opportunity.oppconversionprobability === 'number' ? opportunity.oppconversionprobability : null,
    contact: optionalText(opportunity.oppcontactname),
    email: optionalText(opportunity.oppemailaddress),
  }),
});

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [...opportunityTools];
