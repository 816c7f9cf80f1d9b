/** Customers: clients, sites and users (the core reads and the CRM writes), CRM notes, top levels, organisations and the client overview. */
import type { AnyTool } from '../../src/mcp/tool.js';
import { clientTools, crmNoteTools, organisationTools, siteTools, topLevelTools, userTools } from './crm.js';
import { getClient, getUser, searchClients, searchUsers } from './customers.js';
import { clientOverview } from './overview.js';
import { clientResource } from './resources.js';

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [
  searchClients,
  getClient,
  searchUsers,
  getUser,
  ...clientTools,
  ...siteTools,
  ...userTools,
  ...crmNoteTools,
  ...topLevelTools,
  ...organisationTools,
  clientOverview,
];

export const resources = [clientResource];
