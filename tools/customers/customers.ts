/** Clients (customers) and their users (contacts): the reads are core, the writes CRM. */
import { z } from 'zod';
import { fields, format, nameOrId } from '../../src/toolkit/inputs.js';
import { recordOutput } from '../../src/toolkit/outputs.js';
import { boolArg, htmlArg, idArg, refArg, resourceTools, textArg } from '../../src/toolkit/resource-tools.js';
import { clientDetail, clientSummary, userDetail, userSummary } from './projections.js';
import { recordAnswer } from '../../src/toolkit/budget.js';
import { defineTool } from '../../src/mcp/tool.js';

export const getClient = defineTool({
  name: 'halo_get_client',
  title: 'Get a client',
  description: 'Read one client by id or exact name.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({ id: nameOrId('Client id or name'), fields, format }),
  output: recordOutput,
  handler: async (args, context) => {
    const id = await context.resolver.resolve('client', args.id, { signal: context.signal });
    const client = await context.halo.get('/Client', id, { includedetails: true }, { signal: context.signal });
    return recordAnswer(client, args, () => clientDetail(client, context.text), context.settings.maxResultChars);
  },
});

const clientFields = {
  name: textArg('name', 'Client name'),
  top_level_id: idArg('toplevel_id', 'Top level id'),
  website: textArg('website', 'Website'),
  notes: htmlArg('notes', 'Notes, plain text'),
  inactive: boolArg('inactive', 'Mark inactive'),
};

export const clientTools = resourceTools({
  toolset: 'crm',
  noun: 'client',
  label: 'client',
  path: '/Client',
  tools: {
    list: { name: 'halo_search_clients', title: 'Search clients', description: 'Find clients (customers) by name.', toolset: 'core' },
    create: { name: 'halo_create_client', title: 'Create a client' },
    update: { name: 'halo_update_client', title: 'Update a client' },
    delete: { name: 'halo_delete_client', title: 'Delete a client' },
  },
  search: true,
  searchDescription: 'Text in the client name',
  inactive: true,
  order: 'name',
  fields: clientFields,
  required: ['name'],
  project: (client) => clientSummary(client),
  detail: (client, text) => clientDetail(client, text),
});

export const userTools = resourceTools({
  toolset: 'crm',
  noun: 'user',
  label: 'user',
  path: '/Users',
  tools: {
    list: { name: 'halo_search_users', title: 'Search users', description: "Find end users (a client's contacts) by name, email or phone.", toolset: 'core' },
    get: { name: 'halo_get_user', title: 'Get a user', description: 'Read one end user by id.', toolset: 'core' },
    create: { name: 'halo_create_user', title: 'Create a user' },
    update: { name: 'halo_update_user', title: 'Update a user' },
    delete: { name: 'halo_delete_user', title: 'Delete a user' },
  },
  search: true,
  searchDescription: 'Name, email, login or phone',
  inactive: true,
  order: 'name',
  filters: { client: refArg('client', 'client_id'), site: refArg('site', 'site_id') },
  fields: {
    name: textArg('name', 'Full name'),
    first_name: textArg('firstname', 'First name'),
    last_name: textArg('surname', 'Last name'),
    email: textArg('emailaddress', 'Email'),
    phone: textArg('phonenumber', 'Phone'),
    mobile: textArg('mobilenumber', 'Mobile'),
    title: textArg('title', 'Job title'),
    client: refArg('client', 'client_id'),
    site: refArg('site', 'site_id'),
  },
  required: ['name', 'site'],
  project: (user) => userSummary(user),
  detail: (user) => userDetail(user),
});
