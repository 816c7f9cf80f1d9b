/** Assets (configuration items): devices and other equipment of a client. */
import { z } from 'zod';
import { cursor, fields, format, limit, listOutput, nameOrId, recordId, recordOutput } from '../src/toolkit/inputs.js';
import { assetDetail, assetSummary } from '../src/toolkit/projections.js';
import { dateArg, htmlArg, idArg, numberArg, refArg, resourceTools, textArg } from '../src/toolkit/resource-tools.js';
import { isoUtc, optionalText, pagedList, recordAnswer, ref, withFields } from '../src/toolkit/shape.js';
import { defineTool } from '../src/mcp/tool.js';

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
    const asset = await context.halo.get('/Asset', args.id, { includedetails: true }, { signal: context.signal });
    return recordAnswer(asset, args, () => assetDetail(asset), context.settings.maxResultChars);
  },
});

const assetFields = {
  tag: textArg('inventory_number', 'Asset tag'),
  name: textArg('key_field', 'Name or hostname'),
  client: refArg('client', 'client_id'),
  site: refArg('site', 'site_id'),
  asset_type: refArg('asset_type', 'assettype_id'),
  user: textArg('username', 'User of the asset'),
  warranty_end: dateArg('warranty_end', 'Warranty end'),
  notes: htmlArg('notes', 'Notes, plain text'),
};

export const assetWriteTools = resourceTools({
  toolset: 'assets',
  noun: 'asset',
  plural: 'assets',
  label: 'asset',
  path: '/Asset',
  ops: ['create', 'update', 'delete'],
  fields: assetFields,
  required: ['client', 'asset_type'],
  project: (asset) => assetDetail(asset),
});

export const assetTypeTools = resourceTools({
  toolset: 'assets',
  noun: 'asset_type',
  plural: 'asset_types',
  label: 'asset type',
  path: '/AssetType',
  ops: ['list', 'get'],
  paged: false,
  filters: { asset_group_id: idArg('assetgroup_id', 'Asset group id') },
  project: (type) => ({ id: type.id, name: optionalText(type.name) ?? '', group: ref(type.assetgroup_id, type.assetgroup_name) }),
});

export const assetGroupTools = resourceTools({
  toolset: 'assets',
  noun: 'asset_group',
  plural: 'asset_groups',
  label: 'asset group',
  path: '/AssetGroup',
  ops: ['list'],
  paged: false,
  project: (group) => ({ id: group.id, name: optionalText(group.name) ?? '' }),
});

export const licenceTools = resourceTools({
  toolset: 'assets',
  noun: 'software_licence',
  plural: 'software_licences',
  label: 'software licence',
  path: '/SoftwareLicence',
  ops: ['list', 'get', 'create', 'update'],
  search: true,
  filters: { client: refArg('client', 'client_id') },
  fields: {
    name: textArg('name', 'Product'),
    client: refArg('client', 'client_id'),
    count: numberArg('count', 'Seats'),
    vendor: textArg('vendor', 'Vendor'),
    start_date: dateArg('start_date', 'Start'),
    end_date: dateArg('end_date', 'Renewal or end'),
  },
  required: ['name', 'client'],
  project: (licence) => ({
    id: licence.id,
    name: optionalText(licence.name) ?? '',
    client: ref(licence.client_id, licence.client_name),
    seats: typeof licence.count === 'number' ? licence.count : null,
    ends: isoUtc(licence.end_date),
  }),
});
