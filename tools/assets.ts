/** Assets (configuration items): devices and other equipment of a client. */
import { z } from 'zod';
import { dateArg, htmlArg, idArg, listQuery, numberArg, refArg, resourceTools, textArg, type ResourceToolsSpec } from '../src/toolkit/resource-tools.js';
import { customFields, type CustomField } from '../src/toolkit/custom-fields.js';
import { haloTime, isoUtc, optionalText, ref } from '../src/toolkit/values.js';
import { missingFieldsOnce, withFields } from '../src/toolkit/budget.js';
import { arrayPage } from '../src/toolkit/paging.js';
import { listOutput } from '../src/toolkit/outputs.js';
import { defineTool, type AnyTool, type ToolContext } from '../src/mcp/tool.js';
import type { HaloRecord, RecordOf } from '../src/halo/client.js';

export function assetSummary(asset: RecordOf<'/Asset'>) {
  return {
    id: asset.id as number,
    tag: optionalText(asset.inventory_number),
    name: optionalText(asset.key_field),
    type: ref(asset.assettype_id, asset.assettype_name),
    client: ref(asset.client_id, asset.client_name),
    site: ref(asset.site_id, asset.site_name),
    user: optionalText(asset.username),
    warranty_end: isoUtc(asset.warranty_end),
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

const assetResource: ResourceToolsSpec = {
  toolset: 'assets',
  noun: 'asset',
  label: 'asset',
  path: '/Asset',
  tools: {
    list: { name: 'halo_search_assets', title: 'Search assets', description: 'Find assets (devices) by tag, name, user or warranty end.', toolset: 'core' },
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
};
const generatedAssetTools = resourceTools(assetResource);

/**
 * Assets read when looking for warranties that end soon. Halo's /Asset has no parameter for the
 * warranty's end, so they are read page by page and picked here; a tenant with more assets is
 * asked to narrow the search by client, site or type.
 */
const WARRANTY_SCAN_CAP = 2_000;
const SCAN_PAGE_SIZE = 100;
const DAY_MS = 86_400_000;

const warrantyWithinDays = z
  .number()
  .int()
  .refine((days) => days >= 1 && days <= 3_650, 'must be from 1 to 3650')
  .optional()
  .describe('Warranty ending within N days, soonest first');

/** The assets whose warranty ends from now to `days` ahead, soonest first, read over Halo's pages up to the cap. */
async function assetsWithWarrantyEnding(
  args: Record<string, unknown> & { warranty_within_days: number; limit: number; cursor?: string; fields?: string[] },
  context: ToolContext,
) {
  const { halo, signal } = context;
  // The same filters, text and inactive switch as the search without a warranty sends.
  const query = await listQuery(assetResource, args, context);
  const now = Date.now();
  const until = now + args.warranty_within_days * DAY_MS;
  const ending: { asset: HaloRecord; ends: number }[] = [];
  let read = 0;
  let total = 0;
  for (let page = 1; read < WARRANTY_SCAN_CAP; page++) {
    const answer = await halo.list('/Asset', { ...query, pageinate: true, page_size: SCAN_PAGE_SIZE, page_no: page }, { signal });
    total = answer.total;
    if (answer.items.length === 0) break;
    read += answer.items.length;
    for (const asset of answer.items) {
      const ends = haloTime(asset.warranty_end);
      if (ends !== undefined && ends >= now && ends <= until) ending.push({ asset, ends });
    }
    await context.progress(read, Math.min(total, WARRANTY_SCAN_CAP), `Read ${read} of ${total} assets`);
    if (read >= total) break;
  }
  const cut = total > read;
  if (cut) await context.log('warning', `More than ${WARRANTY_SCAN_CAP} assets: only the first ${read} of ${total} were checked for their warranty.`);
  ending.sort((a, b) => a.ends - b.ends);
  return {
    ...missingFieldsOnce(arrayPage(ending, context, { tool: 'halo_search_assets', args, project: ({ asset }) => withFields(assetSummary(asset), asset, args.fields) })),
    ...(cut
      ? { warranty_scan_cut: `Only the first ${read} of ${total} assets were checked (Halo cannot filter by warranty). Narrow by client, site or asset type for the rest.` }
      : {}),
  };
}

const [searchAssetsAsGenerated, ...assetRecordTools] = generatedAssetTools;
if (!searchAssetsAsGenerated) throw new Error('halo_search_assets: the asset tools have no list');

/** The asset search, which can also find the warranties that end within a number of days. */
export const searchAssets = defineTool({
  ...searchAssetsAsGenerated,
  input: searchAssetsAsGenerated.input.extend({ warranty_within_days: warrantyWithinDays }),
  output: listOutput,
  handler: async (args, context) => {
    const { warranty_within_days: days, ...rest } = args as Record<string, unknown> & { warranty_within_days?: number; limit: number };
    if (days === undefined) return (await searchAssetsAsGenerated.handler(rest, context)) as z.output<typeof listOutput>;
    return assetsWithWarrantyEnding({ ...rest, warranty_within_days: days }, context);
  },
});

export const assetTools: readonly AnyTool[] = [searchAssets, ...assetRecordTools];

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
