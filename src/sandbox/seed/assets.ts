/** Asset groups and types, and each client's equipment. */
import { ASSET_GROUPS, ASSET_TYPES, MODELS } from '../content.js';
import type { HaloRecord } from '../store.js';
import { DAY, type SeedContext } from './context.js';

export function seedAssetTypes({ store }: SeedContext): void {
  ASSET_GROUPS.forEach((name, index) => store.collection('assetgroups').insert({ id: index + 1, name }));
  ASSET_TYPES.forEach((type, index) =>
    store.collection('assettypes').insert({
      id: index + 1,
      name: type.name,
      assetgroup_id: type.group,
      assetgroup_name: ASSET_GROUPS[type.group - 1],
      tagprefix: type.prefix,
      keyfield_name: 'Hostname',
    }),
  );
}

/** A client's equipment, spread over its sites and owned by its users; `prefix` starts each asset tag. */
export function seedClientAssets(
  { random, store, at }: SeedContext,
  client: HaloRecord,
  prefix: string,
  clientSites: readonly HaloRecord[],
  clientUsers: readonly HaloRecord[],
): HaloRecord[] {
  const clientAssets: HaloRecord[] = [];
  const equipment = random.int(5, 15);
  for (let i = 0; i < equipment; i++) {
    const typeIndex = random.int(0, ASSET_TYPES.length - 1);
    const type = ASSET_TYPES[typeIndex] ?? ASSET_TYPES[0];
    const site = random.pick(clientSites);
    const owner = random.pick(clientUsers);
    const tag = `${prefix}-${type.prefix}-${String(i + 1).padStart(3, '0')}`;
    clientAssets.push(
      store.collection('assets').insert({
        inventory_number: tag,
        key_field: tag.toLowerCase(),
        client_id: client.id,
        client_name: client.name,
        site_id: site.id,
        site_name: site.name,
        assettype_id: typeIndex + 1,
        assettype_name: type.name,
        assetgroup_id: type.group,
        username: owner.name === 'General User' ? '' : owner.name,
        inactive: random.chance(0.04),
        warranty_end: at(random.int(-200, 900) * DAY),
        fields: [
          { id: 1, name: 'Model', value: random.pick(MODELS[type.name] ?? ['Generic']) },
          { id: 2, name: 'Serial Number', value: `SN${random.int(10000000, 99999999)}` },
        ],
      }),
    );
  }
  return clientAssets;
}
