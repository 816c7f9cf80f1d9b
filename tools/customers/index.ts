/** Customers: clients, sites and users (the core reads and the CRM writes), CRM notes, top levels, organisations and the client overview. */
import type { AnyTool } from '../../src/mcp/tool.js';
import { crmNoteTools, organisationTools, siteTools, topLevelTools } from './crm.js';
import { clientTools, getClient, userTools } from './customers.js';
import { clientOverview } from './overview.js';
import { clientResource } from './resources.js';

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [
  ...clientTools,
  getClient,
  ...userTools,
  ...siteTools,
  ...crmNoteTools,
  ...topLevelTools,
  ...organisationTools,
  clientOverview,
];

export const resources = [clientResource];
