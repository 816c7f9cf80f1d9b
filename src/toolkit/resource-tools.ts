/**
 * Tools for a Halo resource from one declaration: list (or search), get, create, update and delete,
 * with the same contract as the hand-written tools. Each tool's name and title are written out in
 * the declaration, so that a name can be found with grep and a title reads as English. Names are
 * resolved, plain text becomes Halo's HTML, updates fetch the record first and post only the
 * changes with its id, deletes ask for confirmation, and writes take `dry_run`. Adding a Halo
 * resource is one declaration in `tools/`.
 */
import { z } from 'zod';
import type { HaloRecord, Query, RecordPath } from '../halo/client.js';
import { ToolInputError } from './errors.js';
import { parseDateRange } from './dates.js';
import { cursor, dryRun, fields, format, limit, nameOrId, recordId } from './inputs.js';
import { listOutput, recordOutput, writeOutput } from './outputs.js';
import type { ReferenceKind } from './resolve.js';
import { loadNameBook, type NameBook } from './names.js';
import { missingFieldsOnce, recordAnswer, withFields } from './budget.js';
import { plainToHtml, type TextShaper } from './html-text.js';
import { arrayPage, pagedList } from './paging.js';
import { ref } from './values.js';
import { showAllQuery } from './show-all.js';
import { defineTool, type AnyTool, type ToolContext, type Toolset } from '../mcp/tool.js';

/** One argument of a generated tool, and what it becomes on Halo's side. */
export interface ArgSpec {
  /** The Halo field (writes) or query parameter (filters) it sets. */
  to: string;
  schema: z.ZodType;
  /** The argument names a record; its name or id is resolved to the id. */
  ref?: ReferenceKind;
  /** Plain text, stored as Halo's HTML. */
  html?: boolean;
  /** Sent as a one-element list (Halo's "array of int" filters). */
  list?: boolean;
  /** A date or time a person writes, sent as ISO 8601 UTC (read in the configured time zone). */
  date?: boolean;
}

/** A reference by name or id. */
export const refArg = (kind: ReferenceKind, to: string, description = 'Name or id'): ArgSpec => ({ to, ref: kind, schema: nameOrId(description) });
/** Plain text as it is. */
export const textArg = (to: string, description: string): ArgSpec => ({ to, schema: z.string().describe(description) });
/** Plain text that Halo keeps as HTML. */
export const htmlArg = (to: string, description: string): ArgSpec => ({ to, html: true, schema: z.string().describe(description) });
export const numberArg = (to: string, description: string): ArgSpec => ({ to, schema: z.number().describe(description) });
export const idArg = (to: string, description: string): ArgSpec => ({ to, schema: recordId(description) });
export const boolArg = (to: string, description: string): ArgSpec => ({ to, schema: z.boolean().describe(description) });
export const dateArg = (to: string, description: string): ArgSpec => ({ to, date: true, schema: z.string().describe(`${description}: ISO date or time`) });

export type ResourceOp = 'list' | 'get' | 'create' | 'update' | 'delete';

/**
 * One generated tool as a model meets it. The description, when not given, is made from the title
 * and the label ("Find sites by text and filters.", "Read one site by id.").
 */
export interface ToolNaming {
  /** `halo_<verb>_<noun>`, written out. */
  name: string;
  title: string;
  description?: string;
  /** The tool's toolset, where it is not the resource's (the reads of clients, users and assets are core). */
  toolset?: Toolset;
}

export interface ResourceToolsSpec {
  toolset: Toolset;
  /** The key a write's answer gives the record under: `site`, `sales_order`. */
  noun: string;
  /** What a person calls one, for messages: "site", "sales order". */
  label: string;
  path: RecordPath;
  /** The tools to make, each named in full. */
  tools: Partial<Record<ResourceOp, ToolNaming>>;
  /** The list takes free text (Halo's `search`); its name then starts `halo_search_`. */
  search?: boolean;
  /** What the free text is matched against, for its argument's description. */
  searchDescription?: string;
  /** The Halo field the list is ordered by, where Halo's own order would make no sense to a person. */
  order?: string;
  /** Halo pages the list with `pageinate`; otherwise it comes whole and is paged here. */
  paged?: boolean;
  /** The list hides inactive records unless `include_inactive` is set. */
  inactive?: boolean;
  filters?: Record<string, ArgSpec>;
  /** Fields create and update set. */
  fields?: Record<string, ArgSpec>;
  /** Arguments a create must have. */
  required?: string[];
  /** The projections show status, ticket type, priority or agent names (tickets, projects, opportunities). */
  names?: boolean;
  project: (record: HaloRecord, text: TextShaper, names: NameBook) => Record<string, unknown>;
  detail?: (record: HaloRecord, text: TextShaper, names: NameBook) => Record<string, unknown>;
}

/** A NameBook that knows no names, for projections that do not ask for them. */
const NO_NAMES: NameBook = { status: (id) => ref(id, ''), ticketType: (id) => ref(id, ''), priority: (id) => ref(id, ''), agent: (id) => ref(id, '') };

function namesFor(spec: ResourceToolsSpec, context: ToolContext): Promise<NameBook> {
  return spec.names ? loadNameBook(context.resolver, { signal: context.signal }) : Promise.resolve(NO_NAMES);
}

/** Resolves the arguments given into Halo's query parameters or record fields. */
async function translate(specs: Record<string, ArgSpec>, args: Record<string, unknown>, context: ToolContext): Promise<HaloRecord> {
  const given = Object.entries(specs).filter(([name]) => args[name] !== undefined);
  const references = Object.fromEntries(given.filter(([, spec]) => spec.ref).map(([name, spec]) => [name, [spec.ref, String(args[name])] as const]));
  const ids = await context.resolver.resolveMany(references as Record<string, readonly [ReferenceKind, string]>, { signal: context.signal });
  const out: HaloRecord = {};
  for (const [name, spec] of given) {
    let value: unknown = spec.ref ? ids[name] : args[name];
    if (spec.html && typeof value === 'string') value = plainToHtml(value);
    if (spec.date && typeof value === 'string') value = parseDateRange(value, context.settings.timezone).from?.toISOString() ?? value;
    out[spec.to] = spec.list ? [value] : value;
  }
  return out;
}

/** The query a resource's list sends for the arguments given: its filters resolved, its text, inactive records and order. */
export async function listQuery(spec: ResourceToolsSpec, values: Record<string, unknown>, context: ToolContext): Promise<Query> {
  const filters = await translate(spec.filters ?? {}, values, context);
  return {
    ...showAllQuery(spec.path),
    ...(filters as Query),
    ...(spec.search && typeof values.query === 'string' ? { search: values.query } : {}),
    ...(values.include_inactive === true ? { includeinactive: true } : {}),
    ...(spec.order ? { order: spec.order } : {}),
  };
}

function argsSchema(specs: Record<string, ArgSpec> | undefined, required: readonly string[] = []): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(specs ?? {}).map(([name, spec]) => [name, required.includes(name) ? spec.schema : spec.schema.optional()]));
}

/** "Search sites" says "Find sites by text and filters."; "List teams" says "List the teams.". */
function listDescription(title: string): string {
  return title.startsWith('Search ') ? `Find ${title.slice('Search '.length)} by text and filters.` : `${title.replace(/^List /, 'List the ')}.`;
}

export function resourceTools(spec: ResourceToolsSpec): AnyTool[] {
  const tools: AnyTool[] = [];
  const detail = spec.detail ?? spec.project;
  const { list, get, create, update } = spec.tools;

  if (list) {
    const name = list.name;
    // The verb tells a model whether the list takes words to find; a declaration cannot contradict it.
    if ((spec.search === true) !== name.startsWith('halo_search_')) throw new Error(`${name}: a list that takes free text is named halo_search_..., and only such a list`);
    tools.push(
      defineTool({
        name,
        title: list.title,
        description: list.description ?? listDescription(list.title),
        toolset: list.toolset ?? spec.toolset,
        access: 'read',
        input: z.strictObject({
          ...(spec.search ? { query: z.string().optional().describe(spec.searchDescription ?? 'Words to find') } : {}),
          ...argsSchema(spec.filters),
          ...(spec.inactive ? { include_inactive: z.boolean().default(false).describe('Include inactive ones') } : {}),
          limit,
          cursor,
          fields,
        }),
        output: listOutput,
        handler: async (args, context) => {
          const values = args as Record<string, unknown> & { limit: number; cursor?: string; fields?: string[] };
          const [query, names] = await Promise.all([listQuery(spec, values, context), namesFor(spec, context)]);
          const project = (record: HaloRecord) => withFields(spec.project(record, context.text, names), record, values.fields);
          if (spec.paged !== false) return missingFieldsOnce(await pagedList(context, { tool: name, args: values, path: spec.path, query, project }));
          const { items } = await context.halo.list(spec.path, query, { signal: context.signal });
          return missingFieldsOnce(arrayPage(items.map(project), context, { tool: name, args: values }));
        },
      }),
    );
  }

  if (get) {
    tools.push(
      defineTool({
        name: get.name,
        title: get.title,
        description: get.description ?? `Read one ${spec.label} by id.`,
        toolset: get.toolset ?? spec.toolset,
        access: 'read',
        input: z.strictObject({ id: recordId('Id'), fields, format }),
        output: recordOutput,
        handler: async (args, context) => {
          const [record, names] = await Promise.all([
            context.halo.get(spec.path, args.id, { includedetails: true }, { signal: context.signal }),
            namesFor(spec, context),
          ]);
          return recordAnswer(record, args, () => detail(record, context.text, names), context.settings.maxResultChars);
        },
      }),
    );
  }

  if (create) {
    tools.push(
      defineTool({
        name: create.name,
        title: create.title,
        description: create.description ?? `${create.title}.`,
        toolset: create.toolset ?? spec.toolset,
        access: 'write',
        input: z.strictObject({ ...argsSchema(spec.fields, spec.required), dry_run: dryRun }),
        output: writeOutput,
        handler: async (args, context) => {
          const body = await translate(spec.fields ?? {}, args, context);
          if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: spec.path, body: [body] } };
          const [created, names] = await Promise.all([context.halo.upsert(spec.path, body, { signal: context.signal }), namesFor(spec, context)]);
          return { dry_run: false, [spec.noun]: detail(created, context.text, names) };
        },
      }),
    );
  }

  if (update) {
    tools.push(
      defineTool({
        name: update.name,
        title: update.title,
        description: update.description ?? `Change fields of an existing ${spec.label}; only the fields given change.`,
        toolset: update.toolset ?? spec.toolset,
        access: 'write',
        input: z.strictObject({ id: recordId('Id'), ...argsSchema(spec.fields), dry_run: dryRun }),
        output: writeOutput,
        handler: async (args, context) => {
          const { id, dry_run: dry, ...rest } = args as { id: number; dry_run: boolean } & Record<string, unknown>;
          return applyUpdate(context, { id, dry, body: translate(spec.fields ?? {}, rest, context) }, {
            path: spec.path,
            noun: spec.noun,
            label: spec.label,
            names: () => namesFor(spec, context),
            detail: (record, names) => detail(record, context.text, names),
          });
        },
      }),
    );
  }

  if (spec.tools.delete) {
    tools.push(deleteTool(spec, spec.tools.delete));
  }
  return tools;
}

/** The record an update tool changes, and how its answer shows it. */
export interface UpdateTarget {
  path: RecordPath;
  /** The answer's key for the updated record: `ticket`, `sales_order`. */
  noun: string;
  /** What messages call it: "ticket", "sales order". */
  label: string;
  names: () => Promise<NameBook>;
  detail: (record: HaloRecord, names: NameBook) => Record<string, unknown>;
  /**
   * The changes as a person reads them (`status: Closed → In Progress` rather than `status_id: 9 → 2`),
   * from the record before and, once written, as Halo stored it; as Halo's fields where not given.
   */
  describeChanges?: (changes: FieldChange[], current: HaloRecord, updated?: HaloRecord) => Promise<unknown[]>;
}

/** One field an update changes, as Halo names and holds it. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * An update as every update tool makes it. A call that changes nothing is refused before any
 * request; then the record is fetched, as the id must name one that exists or Halo's upsert would
 * create it. Only the fields that differ are sent; a dry run shows the request and each change.
 */
export async function applyUpdate(
  context: ToolContext,
  update: { id: number; dry: boolean; body: HaloRecord | Promise<HaloRecord> },
  target: UpdateTarget,
): Promise<{ dry_run: boolean; [key: string]: unknown }> {
  const { id } = update;
  const body = await update.body;
  if (Object.keys(body).length === 0) throw new ToolInputError(`Nothing to change: give at least one field of the ${target.label} to update.`);
  const current: HaloRecord = await context.halo.get(target.path, id, {}, { signal: context.signal });
  const changes: FieldChange[] = Object.entries(body)
    .filter(([field, value]) => JSON.stringify(current[field]) !== JSON.stringify(value))
    .map(([field, value]) => ({ field, from: current[field] ?? null, to: value }));
  const described = (updated?: HaloRecord) => (target.describeChanges ? target.describeChanges(changes, current, updated) : Promise.resolve(changes));
  if (update.dry) return { dry_run: true, request: { method: 'POST', path: target.path, body: [{ id, ...body }] }, changes: await described() };
  if (changes.length === 0) return { dry_run: false, changes, note: `The ${target.label} already has these values; nothing was sent.` };
  const [updated, names] = await Promise.all([
    context.halo.upsert(target.path, { id, ...Object.fromEntries(changes.map(({ field, to }) => [field, to])) }, { signal: context.signal }),
    target.names(),
  ]);
  return { dry_run: false, changes: await described(updated), [target.noun]: target.detail(updated, names) };
}

export const confirmArg = z.boolean().optional().describe('true once the person has agreed');

/** A delete that names what it deletes when it asks for confirmation. */
function deleteTool(spec: ResourceToolsSpec, naming: ToolNaming): AnyTool {
  return defineTool({
    name: naming.name,
    title: naming.title,
    description: naming.description ?? `${naming.title}. Asks for confirmation.`,
    toolset: naming.toolset ?? spec.toolset,
    access: 'destructive',
    input: z.strictObject({ id: recordId('Id'), confirm: confirmArg, dry_run: dryRun }),
    output: writeOutput,
    confirm: async (args, context) => {
      const record = await context.halo.get(spec.path, args.id, {}, { signal: context.signal });
      const projected = spec.project(record, context.text, NO_NAMES);
      const name = projected.name ?? projected.title;
      return `Delete ${spec.label} ${args.id}${typeof name === 'string' && name ? ` "${name}"` : ''}? This cannot be undone.`;
    },
    handler: async (args, context) => {
      const request = { method: 'DELETE', path: `${spec.path}/${args.id}` };
      if (args.dry_run) return { dry_run: true, request };
      await context.halo.remove(spec.path, args.id, {}, { signal: context.signal });
      return { dry_run: false, deleted: { id: args.id, type: spec.label } };
    },
  });
}
