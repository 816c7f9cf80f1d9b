/** Completion of a record's id or name as a person types it, for resource templates and prompt arguments. */
import type { HaloClient } from '../halo/client.js';
import { textOf } from '../util/text.js';
import { singleLine } from './untrusted.js';

type HaloRecord = Record<string, unknown>;

const COMPLETIONS = 10;

/** Ids of records whose text matches what has been typed so far. */
export async function completeIds(halo: HaloClient, path: string, value: string, query: Record<string, string | boolean> = {}): Promise<string[]> {
  if (value.trim() === '') return [];
  const { items } = await halo.list<HaloRecord>(path, { ...query, search: value, count: COMPLETIONS });
  return items.map((item) => String(item.id));
}

/** Names of records that match what has been typed so far. */
export async function completeNames(halo: HaloClient, path: string, value: string): Promise<string[]> {
  if (value.trim() === '') return [];
  const { items } = await halo.list<HaloRecord>(path, { search: value, count: COMPLETIONS });
  return items.map((item) => singleLine(textOf(item.name))).filter(Boolean);
}
