/** Assets (configuration items): devices and other equipment of a client. */
import { z } from 'zod';
import { cursor, fields, format, limit, listOutput, nameOrId, recordId, recordOutput } from '../src/mcp/inputs.js';
import { assetDetail, assetSummary } from '../src/mcp/projections.js';
import { pagedList, recordWithinBudget, withFields } from '../src/mcp/shape.js';
import { defineTool } from '../src/mcp/tool.js';

type HaloRecord = Record<string, unknown>;

export const searchAssets = defineTool({
  name: 'halo_search_assets',
  title: 'Search assets',
  description: 'Find assets (devices) by tag, name or user.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    query: z.string().optional().describe('Asset tag, hostname, user or type'),
    client: nameOrId('Name or id').optional(),
    site: nameOrId('Name or id').optional(),
    asset_type: nameOrId('Name or id').optional(),
    include_inactive: z.boolean().default(false).describe('Include inactive ones'),
    limit,
    cursor,
    fields,
  }),
  output: listOutput,
  handler: async (args, context) => {
    const ids = await context.resolver.resolveMany(
      { client: ['client', args.client], site: ['site', args.site], type: ['asset_type', args.asset_type] },
      { signal: context.signal },
    );
    return pagedList(context, {
      tool: 'halo_search_assets',
      args,
      path: '/Asset',
      query: { search: args.query, client_id: ids.client, site_id: ids.site, assettype_id: ids.type, includeinactive: args.include_inactive || undefined },
      project: (asset) => withFields(assetSummary(asset), asset, args.fields),
    });
  },
});

export const getAsset = defineTool({
  name: 'halo_get_asset',
  title: 'Get an asset',
  description: 'One asset with its fields (model, serial...).',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({ id: recordId('Asset id'), fields, format }),
  output: recordOutput,
  handler: async (args, context) => {
    const asset = await context.halo.get<HaloRecord>('/Asset', args.id, { includedetails: true }, { signal: context.signal });
    const shaped = args.format === 'full' ? asset : assetDetail(asset);
    return recordWithinBudget(withFields(shaped, asset, args.fields), context.settings.maxResultChars);
  },
});
