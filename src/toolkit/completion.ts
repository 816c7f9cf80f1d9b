/** Completion of a record's id or name as a person types it, for resource templates and prompt arguments. */
import type { HaloClient, HaloRecord, RecordPath } from '../halo/client.js';
import { textOf } from '../util/text.js';
import { singleLine } from './untrusted.js';

const COMPLETIONS = 10;

/** Ids of records whose text matches what has been typed so far. */
export async function completeIds(halo: HaloClient, path: RecordPath, value: string, query: Record<string, string | boolean> = {}): Promise<string[]> {
  if (value.trim() === '') return [];
  const { items } = await halo.list(path, { ...query, search: value, count: COMPLETIONS });
  return items.map((item: HaloRecord) => String(item.id));
}

/** Names of records that match what has been typed so far. */
export async function completeNames(halo: HaloClient, path: RecordPath, value: string): Promise<string[]> {
  if (value.trim() === '') return [];
  const { items } = await halo.list(path, { search: value, count: COMPLETIONS });
  return items.map((item: HaloRecord) => singleLine(textOf(item.name))).filter(Boolean);
}
