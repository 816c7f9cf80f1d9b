/** Clients (customers) and their users (contacts). */
import { z } from 'zod';
import { cursor, fields, format, limit, listOutput, nameOrId, recordId, recordOutput } from '../src/toolkit/inputs.js';
import { clientDetail, clientSummary, userDetail, userSummary } from '../src/toolkit/projections.js';
import { pagedList, recordAnswer, withFields } from '../src/toolkit/shape.js';
import { defineTool } from '../src/mcp/tool.js';

export const searchClients = defineTool({
  name: 'halo_search_clients',
  title: 'Search clients',
  description: 'Find clients (customers) by name.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    query: z.string().optional().describe('Text in the client name'),
    include_inactive: z.boolean().default(false).describe('Include inactive ones'),
    limit,
    cursor,
    fields,
  }),
  output: listOutput,
  handler: (args, context) =>
    pagedList(context, {
      tool: 'halo_search_clients',
      args,
      path: '/Client',
      query: { search: args.query, includeinactive: args.include_inactive || undefined, order: 'name' },
      project: (client) => withFields(clientSummary(client), client, args.fields),
    }),
});

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

export const searchUsers = defineTool({
  name: 'halo_search_users',
  title: 'Search users',
  description: "Find end users (a client's contacts) by name, email or phone.",
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    query: z.string().optional().describe('Name, email, login or phone'),
    client: nameOrId('Name or id').optional(),
    site: nameOrId('Name or id').optional(),
    include_inactive: z.boolean().default(false).describe('Include inactive ones'),
    limit,
    cursor,
    fields,
  }),
  output: listOutput,
  handler: async (args, context) => {
    const ids = await context.resolver.resolveMany({ client: ['client', args.client], site: ['site', args.site] }, { signal: context.signal });
    return pagedList(context, {
      tool: 'halo_search_users',
      args,
      path: '/Users',
      query: { search: args.query, client_id: ids.client, site_id: ids.site, includeinactive: args.include_inactive || undefined, order: 'name' },
      project: (user) => withFields(userSummary(user), user, args.fields),
    });
  },
});

export const getUser = defineTool({
  name: 'halo_get_user',
  title: 'Get a user',
  description: 'Read one end user by id.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({ id: recordId('User id'), fields, format }),
  output: recordOutput,
  handler: async (args, context) => {
    const user = await context.halo.get('/Users', args.id, { includedetails: true }, { signal: context.signal });
    return recordAnswer(user, args, () => userDetail(user), context.settings.maxResultChars);
  },
});
