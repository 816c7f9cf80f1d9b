/** A page of a list for a tool, within the size budget, with a cursor to the next: from Halo's pages, or from a list held whole. */
import type { Query, RecordPath } from '../halo/client.js';
import type { ToolContext } from '../mcp/tool.js';
import { itemsWithinBudget } from './budget.js';
import { decodeCursor, encodeCursor, queryKey, type PagePosition } from './cursor.js';

// A type rather than an interface, so that a page is assignable to the record its output schema describes.
export type ListPage<T> = {
  items: T[];
  /** All matches in Halo, across pages. */
  total: number;
  /** Pass back as `cursor` for the next page; null on the last one. */
  next_cursor: string | null;
};

export interface PagedListOptions<T> {
  tool: string;
  /** The tool's arguments: they fingerprint the cursor. */
  args: { cursor?: string | undefined; limit: number } & Record<string, unknown>;
  path: RecordPath;
  query: Query;
  project: (record: Record<string, unknown>) => T;
}

/** One page of a Halo list for a tool, with the cursor to the next, within the size budget. */
export async function pagedList<T>(context: ToolContext, options: PagedListOptions<T>): Promise<ListPage<T>> {
  const key = queryKey(options.tool, options.args);
  const position: PagePosition = options.args.cursor ? decodeCursor(options.args.cursor, key) : { page: 1, size: options.args.limit, skip: 0 };
  const { items: records, total } = await context.halo.list(
    options.path,
    { ...options.query, pageinate: true, page_size: position.size, page_no: position.page },
    { signal: context.signal },
  );
  const projected = records.slice(position.skip).map(options.project);
  const shown = projected.slice(0, itemsWithinBudget(projected, context.settings.maxResultChars));
  const consumed = position.skip + shown.length;
  let next: PagePosition | undefined;
  if (consumed < records.length) next = { ...position, skip: consumed };
  else if (position.page * position.size < total) next = { page: position.page + 1, size: position.size, skip: 0 };
  return { items: shown, total, next_cursor: next ? encodeCursor(next, key) : null };
}

/**
 * One page of a list held whole in memory (Halo does not page actions or reference data): the
 * cursor is an offset into it. With `project`, only the page is projected: a history of a
 * thousand actions is not turned into text to show ten of them.
 */
export function arrayPage<Item, Shown = Item>(
  items: readonly Item[],
  context: ToolContext,
  options: { tool: string; args: PagedListOptions<Shown>['args']; project?: (item: Item) => Shown },
): ListPage<Shown> {
  const key = queryKey(options.tool, options.args);
  const offset = options.args.cursor ? decodeCursor(options.args.cursor, key).skip : 0;
  const { project } = options;
  const span = items.slice(offset, offset + options.args.limit);
  // Without `project` the items are shown as they are, so Shown is Item.
  const page = project ? span.map(project) : (span as unknown as Shown[]);
  const shown = page.slice(0, itemsWithinBudget(page, context.settings.maxResultChars));
  const next = offset + shown.length;
  return { items: shown, total: items.length, next_cursor: next < items.length ? encodeCursor({ page: 1, size: options.args.limit, skip: next }, key) : null };
}
