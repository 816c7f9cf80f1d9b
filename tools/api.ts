/**
 * The gateway to every operation of Halo's API, for what no curated tool covers: find an
 * operation, read its parameters, call it. Calls are checked against Halo's OpenAPI document and
 * follow the same rules as the curated tools: reads in read-only mode, deletes only when allowed
 * and confirmed, the same size budget.
 */
import { z } from 'zod';
import type { Query } from '../src/halo/client.js';
import { cursor, dryRun, limit, listOutput, recordOutput, requiredText, writeOutput } from '../src/mcp/inputs.js';
import { checkBody, checkQuery, findOperation, loadOperationCatalog, parameterNames } from '../src/mcp/operations.js';
import { confirmArg } from '../src/mcp/resource-tools.js';
import { arrayPage, recordWithinBudget } from '../src/mcp/shape.js';
import { defineTool, type AnyTool, type ToolContext } from '../src/mcp/tool.js';
import { ToolInputError } from '../src/mcp/errors.js';

export const findOperations = defineTool({
  name: 'halo_find_operations',
  title: 'Find Halo API operations',
  description: "Search all 1,216 operations of Halo's API, for what no other tool does.",
  toolset: 'api',
  access: 'read',
  input: z.strictObject({
    query: requiredText('Words, e.g. "list webhooks"'),
    limit: limit.default(10),
    cursor,
  }),
  output: listOutput,
  handler: async (args, context) => {
    const catalogue = await loadOperationCatalog();
    const found = catalogue.search(args.query).map((operation) => {
      const { names, more } = parameterNames(operation, 12);
      return {
        method: operation.method,
        path: operation.path,
        summary: operation.summary ?? null,
        params: more > 0 ? [...names, `+${more} more`] : names,
      };
    });
    return arrayPage(found, context, { tool: 'halo_find_operations', args });
  },
});

/** Keeps a list under the budget by dropping descriptions first, then entries. */
function fitList<T extends { name: string; description?: string }>(entries: T[], budget: number): { entries: (T | Omit<T, "description">)[]; omitted: number } {
  if (JSON.stringify(entries).length <= budget) return { entries, omitted: 0 };
  const bare = entries.map(({ description: _description, ...rest }) => rest);
  let kept = bare.length;
  while (kept > 0 && JSON.stringify(bare.slice(0, kept)).length > budget) kept = Math.floor(kept * 0.8);
  return { entries: bare.slice(0, kept), omitted: bare.length - kept };
}

export const describeOperation = defineTool({
  name: 'halo_describe_operation',
  title: 'Describe a Halo API operation',
  description: 'The parameters and body fields of one Halo API operation.',
  toolset: 'api',
  access: 'read',
  input: z.strictObject({
    method: z.enum(['GET', 'POST', 'DELETE']).describe('HTTP method'),
    path: requiredText('e.g. /Tickets/{id}'),
    match: z.string().optional().describe('Only names containing this'),
  }),
  output: recordOutput,
  handler: async (args, context) => {
    const catalogue = await loadOperationCatalog();
    const { operation } = findOperation(catalogue, args.method, args.path);
    const needle = args.match?.toLowerCase();
    const keep = (name: string) => !needle || name.toLowerCase().includes(needle);
    const budget = context.settings.maxResultChars / 2;
    const query = fitList(
      operation.query.filter((param) => keep(param.name)),
      budget,
    );
    const properties = operation.body?.schema ? (catalogue.schema(operation.body.schema) ?? {}) : {};
    const fieldEntries = Object.entries(properties).filter(([name]) => keep(name));
    const fields = fitList(
      fieldEntries.map(([name, type]) => ({ name, type })),
      budget,
    );
    return {
      method: operation.method,
      path: operation.path,
      summary: operation.summary ?? null,
      path_params: operation.pathParams.map((param) => param.name),
      query: query.entries,
      ...(query.omitted > 0 ? { query_omitted: query.omitted } : {}),
      ...(operation.body
        ? {
            body: {
              schema: operation.body.schema ?? operation.body.type ?? null,
              array: operation.body.array,
              fields: Object.fromEntries(fields.entries.map((field) => [field.name, field.type])),
              ...(fields.omitted > 0 ? { fields_omitted: fields.omitted, hint: 'Narrow with match.' } : {}),
            },
          }
        : {}),
    };
  },
});

/**
 * An answer within the budget: as it is when it fits; a list cut to what fits, saying how many
 * there were; a record cut to the fields that fit.
 */
function fitAnswer(answer: unknown, budget: number): Record<string, unknown> {
  if (JSON.stringify(answer ?? null).length <= budget) return { result: answer ?? null };
  const list = Array.isArray(answer)
    ? { key: undefined, items: answer as unknown[] }
    : (() => {
        const record = answer as Record<string, unknown>;
        const key = Object.keys(record).find((name) => Array.isArray(record[name]));
        return key ? { key, items: record[key] as unknown[] } : undefined;
      })();
  if (!list) return { result: recordWithinBudget(answer as Record<string, unknown>, budget) };
  let kept = list.items.length;
  while (kept > 1 && JSON.stringify(list.items.slice(0, kept)).length > budget - 300) kept = Math.floor(kept * 0.8);
  const items = list.items.slice(0, kept);
  const note = `${kept} of ${list.items.length} records shown to stay within the size budget; page with pageinate, page_size and page_no, or narrow the query.`;
  if (!list.key) return { result: items, note };
  const { [list.key]: _all, ...rest } = answer as Record<string, unknown>;
  return { result: recordWithinBudget({ ...rest, [list.key]: items }, budget), note };
}

const METHODS = { read: ['GET'], write: ['GET', 'POST'], destructive: ['GET', 'POST', 'DELETE'] } as const;

interface CheckedRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
}

/** The call as it will be sent, checked against Halo's document; a ToolInputError names what is wrong. */
async function checkedRequest(args: Record<string, unknown>): Promise<CheckedRequest> {
  const method = args.method as CheckedRequest['method'];
  const catalogue = await loadOperationCatalog();
  const { operation, match } = findOperation(catalogue, method, String(args.path));
  if (match.route.template.includes('{') && Object.values(match.pathParams).some((value) => /^\{\w+\}$/.test(value))) {
    throw new ToolInputError(`Fill in the path parameters of ${operation.path} (for example /Tickets/12, not /Tickets/{id}).`);
  }
  // A URL resolves "." and ".." (also as %2e), so the request would go to another path than the one checked.
  if (Object.values(match.pathParams).some((value) => value === '.' || value === '..')) {
    throw new ToolInputError(`"." and ".." are not values of the path parameters of ${operation.path}; give real ones (for example /Tickets/12).`);
  }
  const query = checkQuery(operation, (args.query as Record<string, unknown> | undefined) ?? {}) as Query;
  const body = checkBody(catalogue, operation, args.body);
  const path = String(args.path).trim().replace(/^\/?(api\/)?/i, '/').replace(/\?.*$/, '');
  return { method, path, ...(Object.keys(query).length > 0 ? { query } : {}), ...(body !== undefined ? { body } : {}) };
}

/** The call tool in three variants by access kind; the server shows the most capable one the settings allow. */
function callOperation(access: keyof typeof METHODS): AnyTool {
  const methods = METHODS[access];
  return defineTool({
    name: 'halo_call_operation',
    title: 'Call a Halo API operation',
    description: `Call a Halo API operation; arguments are checked against Halo's document.${access === 'read' ? ' Reads only.' : ''}`,
    toolset: 'api',
    access,
    input: z.strictObject({
      method: z.enum(methods as unknown as [string, ...string[]]).describe('HTTP method'),
      path: requiredText('With ids filled in, e.g. /Tickets/12'),
      query: z.record(z.string(), z.unknown()).optional().describe('Query parameters'),
      body: z.unknown().optional().describe('JSON body (POST)'),
      ...(access === 'read' ? {} : { dry_run: dryRun }),
      ...(access === 'destructive' ? { confirm: confirmArg } : {}),
    }),
    output: access === 'read' ? recordOutput : writeOutput,
    ...(access === 'destructive'
      ? {
          // The request is checked first, so that nobody is asked to confirm a call that would be refused anyway.
          confirm: async (args: Record<string, unknown>) => {
            const { method, path } = await checkedRequest(args);
            return method === 'DELETE' ? `Call DELETE ${path} in Halo? This deletes and cannot be undone.` : undefined;
          },
        }
      : {}),
    handler: async (args: Record<string, unknown>, context: ToolContext) => {
      const request = await checkedRequest(args);
      const { method, path, query = {}, body } = request;
      if (method !== 'GET' && args.dry_run === true) return { dry_run: true, request };
      const answer = await context.halo.request({ method, path, query, body, signal: context.signal });
      const fitted = fitAnswer(answer, context.settings.maxResultChars - 200);
      return access === 'read' ? fitted : { dry_run: false, ...fitted };
    },
  }) as AnyTool;
}

/** In catalog order, least capable first: the server keeps the last variant the settings allow. */
export const callOperationVariants: AnyTool[] = [callOperation('read'), callOperation('write'), callOperation('destructive')];
