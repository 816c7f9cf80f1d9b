/** Assets (configuration items): devices and other equipment of a client. */
import { dateArg, htmlArg, idArg, numberArg, refArg, resourceTools, textArg } from '../src/toolkit/resource-tools.js';
import { customFields, type CustomField } from '../src/toolkit/custom-fields.js';
import { isoUtc, optionalText, ref } from '../src/toolkit/values.js';
import type { AnyTool } from '../src/mcp/tool.js';
import type { RecordOf } from '../src/halo/client.js';

export function assetSummary(asset: RecordOf<'/Asset'>) {
  return {
    id: asset.id as number,
    tag: optionalText(asset.inventory_number),
    name: optionalText(asset.key_field),
    type: ref(asset.assettype_id, asset.assettype_name),
    client: ref(asset.client_id, asset.client_name),
    site: ref(asset.site_id, asset.site_name),
    user: optionalText(asset.username),
    inactive: asset.inactive === true,
  };
}

export function assetDetail(asset: RecordOf<'/Asset'>) {
  const fields: Record<string, unknown> = {};
  for (const field of Array.isArray(asset.fields) ? (asset.fields as CustomField[]) : []) {
    if (field.value !== undefined && field.value !== null && field.value !== '') fields[String(field.name ?? field.id)] = field.value;
  }
  const custom = customFields(asset.customfields);
  return {
    ...assetSummary(asset),
    warranty_end: isoUtc(asset.warranty_end),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    ...(custom ? { custom_fields: custom } : {}),
  };
}

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

export const assetTools = resourceTools({
  toolset: 'assets',
  noun: 'asset',
  label: 'asset',
  path: '/Asset',
  tools: {
    list: { name: 'halo_search_assets', title: 'Search assets', description: 'Find assets (devices) by tag, name or user.', toolset: 'core' },
    get: { name: 'halo_get_asset', title: 'Get an asset', description: 'One asset with its fields (model, serial...).', toolset: 'core' },
    create: { name: 'halo_create_asset', title: 'Create an asset' },
    update: { name: 'halo_update_asset', title: 'Update an asset' },
    delete: { name: 'halo_delete_asset', title: 'Delete an asset' },
  },
  search: true,
  searchDescription: 'Asset tag, hostname, user or type',
  inactive: true,
  filters: { client: refArg('client', 'client_id'), site: refArg('site', 'site_id'), asset_type: refArg('asset_type', 'assettype_id') },
  fields: assetFields,
  required: ['client', 'asset_type'],
  project: (asset) => assetSummary(asset),
  detail: (asset) => assetDetail(asset),
});

export const assetTypeTools = resourceTools({
  toolset: 'assets',
  noun: 'asset_type',
  label: 'asset type',
  path: '/AssetType',
  tools: {
    list: { name: 'halo_list_asset_types', title: 'List asset types' },
    get: { name: 'halo_get_asset_type', title: 'Get an asset type' },
  },
  paged: false,
  filters: { asset_group_id: idArg('assetgroup_id', 'Asset group id') },
  project: (type) => ({ id: type.id, name: optionalText(type.name) ?? '', group: ref(type.assetgroup_id, type.assetgroup_name) }),
});

export const assetGroupTools = resourceTools({
  toolset: 'assets',
  noun: 'asset_group',
  label: 'asset group',
  path: '/AssetGroup',
  tools: {
    list: { name: 'halo_list_asset_groups', title: 'List asset groups' },
  },
  paged: false,
  project: (group) => ({ id: group.id, name: optionalText(group.name) ?? '' }),
});

export const licenceTools = resourceTools({
  toolset: 'assets',
  noun: 'software_licence',
  label: 'software licence',
  path: '/SoftwareLicence',
  tools: {
    list: { name: 'halo_search_software_licences', title: 'Search software licences' },
    get: { name: 'halo_get_software_licence', title: 'Get a software licence' },
    create: { name: 'halo_create_software_licence', title: 'Create a software licence' },
    update: { name: 'halo_update_software_licence', title: 'Update a software licence' },
  },
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

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [...assetTools, ...assetTypeTools, ...assetGroupTools, ...licenceTools];
