/**
 * The gateway to every operation of Halo's API, for what no curated tool covers: find an
 * operation, read its parameters, call it. Calls are checked against Halo's OpenAPI document (a
 * name it lacks is sent all the same, as live tenants take newer ones, and the answer says so) and
 * follow the same rules as the curated tools, by what a call does rather than its method: reads in
 * read-only mode (a GET that changes Halo is a write), deletes and bodies that delete, merge or
 * grant access only when allowed and confirmed, nothing that emails the end user or shows them a
 * note unless the call says so, the same size budget. Operations that hand out stored secrets are
 * not called at all, and fields named like secrets in any answer are replaced (see secrets.ts).
 */
import { z } from 'zod';
import type { Query } from '../src/halo/client.js';
import { cursor, dryRun, limit, requiredText } from '../src/toolkit/inputs.js';
import { listOutput, writeOutput } from '../src/toolkit/outputs.js';
import { actionReach, newActionsWithoutOutcome } from '../src/toolkit/action-reach.js';
import { customerReach, destruction, secretReason, stateChanges } from '../src/toolkit/operation-risks.js';
import { checkBody, checkQuery, findOperation, knownNames, loadOperationCatalog, parameterNames, unknownNames } from '../src/toolkit/operations.js';
import { confirmArg } from '../src/toolkit/resource-tools.js';
import { withoutSecrets } from '../src/toolkit/secrets.js';
import { itemsWithinBudget, recordWithinBudget } from '../src/toolkit/budget.js';
import { arrayPage } from '../src/toolkit/paging.js';
import { defineTool, type AnyTool, type ToolContext } from '../src/mcp/tool.js';
import { ToolInputError } from '../src/toolkit/errors.js';

/** What the gateway answers: Halo's answer (`result`), or with `dry_run` the request it would send. */
const gatewayOutput = z.looseObject({ result: z.unknown().optional() }).refine((answer) => 'result' in answer || answer.dry_run === true, 'the gateway answers with Halo\'s result');

/** An operation as halo_describe_operation tells it. */
const operationOutput = z.looseObject({ method: z.enum(['GET', 'POST', 'DELETE']), path: z.string().startsWith('/'), path_params: z.array(z.string()), query: z.array(z.object({ name: z.string() })) });

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
  output: operationOutput,
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
    const fieldEvidence = Object.entries(operation.body?.evidence ?? {}).filter(([name]) => keep(name));
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
              ...(fieldEvidence.length > 0 ? { fields_from_evidence: Object.fromEntries(fieldEvidence) } : {}),
            },
          }
        : {}),
    };
  },
});

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a record cut to the budget says, where the gateway has no `fields` to ask for the rest with. */
function gatewayRecord(record: Record<string, unknown>, budget: number): Record<string, unknown> {
  const kept = recordWithinBudget(record, budget);
  return kept === record ? record : { ...kept, note: `The record exceeds the ${budget}-character budget; the fields in omitted_fields were left out.` };
}

/** The array of a list answer (`{record_count, tickets: [...]}`): its longest array, when one holds anything. */
function listKey(answer: Record<string, unknown>): string | undefined {
  const arrays = Object.keys(answer).filter((name) => Array.isArray(answer[name]) && (answer[name] as unknown[]).length > 0);
  return arrays.sort((a, b) => JSON.stringify(answer[b]).length - JSON.stringify(answer[a]).length)[0];
}

/**
 * An answer within the budget: as it is when it fits; a list cut to the records that fit (each cut
 * to its fields that fit), saying how many there were; a record cut to the fields that fit; a
 * text cut to its start. A record's own arrays (a ticket's custom fields) do not make it a list.
 */
function fitAnswer(answer: unknown, budget: number): { result: unknown; note?: string } {
  if (JSON.stringify(answer ?? null).length <= budget) return { result: answer ?? null };
  if (typeof answer === 'string') {
    const shown = answer.slice(0, budget - 300);
    return { result: shown, note: `The answer has ${answer.length} characters; the first ${shown.length} are shown to stay within the size budget.` };
  }
  const key = isRecord(answer) && (Object.hasOwn(answer, 'record_count') || !Object.hasOwn(answer, 'id')) ? listKey(answer) : undefined;
  const items: unknown[] | undefined = Array.isArray(answer) ? answer : isRecord(answer) && key ? (answer[key] as unknown[]) : undefined;
  if (!items) return { result: isRecord(answer) ? gatewayRecord(answer, budget) : answer };
  const kept = items.slice(0, itemsWithinBudget(items, budget - 300)).map((item) => (isRecord(item) ? gatewayRecord(item, budget - 300) : item));
  const note = `${kept.length} of ${items.length} records shown to stay within the size budget; page with pageinate, page_size and page_no, or narrow the query.`;
  if (!key || !isRecord(answer)) return { result: kept, note };
  const { [key]: _all, ...rest } = answer;
  return { result: gatewayRecord({ ...rest, [key]: kept }, budget), note };
}

/** A dry run's request within the budget: a body too large to show is shown as the start of its JSON, though all of it would be sent. */
function shownRequest(request: CheckedRequest, budget: number): Record<string, unknown> {
  const text = request.body === undefined ? '' : JSON.stringify(request.body);
  if (text.length + 200 <= budget) return { request };
  const { body: _body, ...rest } = request;
  const shown = text.slice(0, budget - 500);
  return { request: { ...rest, body_start: shown }, note: `The body's JSON has ${text.length} characters; the first ${shown.length} are shown, and all of it would be sent.` };
}

const METHODS = { read: ['GET'], write: ['GET', 'POST'], destructive: ['GET', 'POST', 'DELETE'] } as const;

interface CheckedRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path as the request will use it, percent-encoded as sent. */
  path: string;
  query?: Query;
  body?: unknown;
}

interface CheckedCall {
  request: CheckedRequest;
  /** What the call destroys (deletes, merges, recovers) or grants, for its confirmation; empty for a plain read or write. */
  destroys: string[];
  /** The names sent that Halo's document lacks, for the result. */
  unknown: ReturnType<typeof unknownNames>;
}

/** The explicit consent a call needs to email the end user or show them a note, as halo_add_note's send_email. */
const customerFacing = z
  .boolean()
  .optional()
  .describe('true to let the call email the end user or show them a note, once the person has agreed; without it such a call is refused');

/**
 * The call as it will be sent, checked against Halo's document and against what the variant may
 * do; a ToolInputError says what is wrong before anything is sent. A GET that changes Halo is a
 * write (in read-only mode, so is a parameter the document does not declare); a call that deletes,
 * merges, grants access or does what nobody has read is destructive; one that reaches the end
 * user needs `customer_facing: true`; an operation that answers secrets is not called at all.
 */
async function checkedCall(args: Record<string, unknown>, access: keyof typeof METHODS, context: ToolContext): Promise<CheckedCall> {
  const method = args.method as CheckedRequest['method'];
  const catalogue = await loadOperationCatalog();
  const { operation, match, path } = findOperation(catalogue, method, String(args.path));
  if (match.route.template.includes('{') && Object.values(match.pathParams).some((value) => /^\{\w+\}$/.test(value))) {
    throw new ToolInputError(`Fill in the path parameters of ${operation.path} (for example /Tickets/12, not /Tickets/{id}).`);
  }
  const givenQuery = (args.query as Record<string, unknown> | undefined) ?? {};
  const secret = secretReason(operation, givenQuery);
  if (secret) {
    throw new ToolInputError(`The gateway does not call ${operation.method} ${operation.path}: ${secret}, and secrets stay out of a conversation. Look it up in Halo itself.`);
  }
  const checkedQuery = checkQuery(operation, givenQuery);
  const checkedBody = checkBody(catalogue, operation, args.body);
  const changes = stateChanges(operation, checkedQuery.query);
  if (access === 'read' && changes.length > 0) {
    throw new ToolInputError(`The server is read-only, and this GET changes Halo: ${changes.join('; ')}. Leave that out, or ask for a server that may write.`);
  }
  // Halo's document describes almost none of its parameters: one it does not even name may act, as update_shown does.
  if (access === 'read' && checkedQuery.unknown.length > 0) {
    const names = checkedQuery.unknown.map((name) => JSON.stringify(name)).join(', ');
    throw new ToolInputError(
      `The server is read-only, and Halo's document does not declare ${names} for GET ${operation.path}; a parameter nobody has described may change Halo, so nothing was sent. Leave it out (halo_describe_operation lists the parameters it takes).`,
    );
  }
  const query = checkedQuery.query as Query;
  const body = checkedBody.body;
  const destroys = destruction(operation, body, query);
  if (access === 'write' && destroys.length > 0) {
    throw new ToolInputError(
      `This ${method} deletes, merges, grants access or does what Halo's document does not describe (${destroys.join('; ')}), which this server does not do: destructive calls need HALO_ALLOW_DESTRUCTIVE=true, and are then confirmed first.`,
    );
  }
  const reaches = customerReach(operation, body, query);
  if (method === 'POST' && operation.body?.schema === 'Actions') {
    const outcomeless = newActionsWithoutOutcome(body);
    if (outcomeless > 0) {
      throw new ToolInputError(
        `Halo refuses a new action without an outcome ("An Outcome must be entered for this Action"), and ${outcomeless === 1 ? 'a record names' : `${outcomeless} records name`} none. Add outcome_id (halo_lookup with kind "outcomes" lists them; one that hides the note and sends no email keeps it private).`,
      );
    }
    reaches.push(...(await actionReach(body, { halo: context.halo, resolver: context.resolver, options: { signal: context.signal } })));
  }
  if (reaches.length > 0 && args.customer_facing !== true) {
    throw new ToolInputError(
      `This ${method} reaches the end user (${reaches.join('; ')}), and the call did not say it may, so nothing was sent. Change it so that it does not (hiddenfromuser: true and an outcome that sends no email keep a note private), or call again with customer_facing: true once the person has agreed.`,
    );
  }
  return {
    request: { method, path, ...(Object.keys(query).length > 0 ? { query } : {}), ...(body !== undefined ? { body } : {}) },
    destroys,
    unknown: unknownNames({ query: checkedQuery.unknown, body: checkedBody.unknown }, knownNames(catalogue, operation)),
  };
}

/** What a result says of names the document lacks: sent all the same, as newer Halo may take them. */
function unknownNote(unknown: CheckedCall['unknown']): Record<string, unknown> {
  if (!unknown) return {};
  return {
    ...unknown,
    unknown_note: "Sent, though Halo's API document does not have these names: a newer Halo may take them, an older one ignores them without a word.",
  };
}

/** What a method the variant does not offer is told: which setting offers it, as the schema alone cannot say. */
const METHOD_REFUSALS: Record<keyof typeof METHODS, string> = {
  read: 'the server is read-only (HALO_READ_ONLY), so only GET is called',
  write: 'GET or POST; DELETE needs a server started with --allow-destructive (HALO_ALLOW_DESTRUCTIVE), and is confirmed first',
  destructive: 'GET, POST or DELETE',
};

/** The call tool in three variants by access kind; the server shows the most capable one the settings allow. */
function callOperation(access: keyof typeof METHODS): AnyTool {
  const methods = METHODS[access];
  return defineTool({
    name: 'halo_call_operation',
    title: 'Call a Halo API operation',
    description: `Call a Halo API operation; arguments are checked against Halo's document.${access === 'read' ? ' Reads only.' : ''}`,
    toolset: 'api',
    access,
    // Its delete variant also POSTs, and a POST without an id creates a record each time.
    ...(access === 'destructive' ? { idempotent: false as const } : {}),
    input: z.strictObject({
      method: z.enum(methods as unknown as [string, ...string[]], { error: () => METHOD_REFUSALS[access] }).describe('HTTP method'),
      path: requiredText('With ids filled in, e.g. /Tickets/12'),
      query: z.record(z.string(), z.unknown()).optional().describe('Query parameters'),
      body: z.unknown().optional().describe('JSON body (POST)'),
      ...(access === 'read' ? {} : { dry_run: dryRun, customer_facing: customerFacing }),
      ...(access === 'destructive' ? { confirm: confirmArg } : {}),
    }),
    output: access === 'read' ? gatewayOutput : writeOutput.and(gatewayOutput),
    ...(access === 'destructive'
      ? {
          // The request is checked first, so that nobody is asked to confirm a call that would be refused anyway.
          confirm: async (args: Record<string, unknown>, context: ToolContext) => {
            const { request, destroys } = await checkedCall(args, access, context);
            if (destroys.length === 0) return undefined;
            return request.method === 'DELETE'
              ? `Call DELETE ${request.path} in Halo? This deletes and cannot be undone.`
              : `Call ${request.method} ${request.path} in Halo? ${destroys.join('; ')}. This may not be undone.`;
          },
        }
      : {}),
    handler: async (args: Record<string, unknown>, context: ToolContext) => {
      const { request, unknown } = await checkedCall(args, access, context);
      const { method, path, query = {}, body } = request;
      const note = unknownNote(unknown);
      const budget = context.settings.maxResultChars - 200 - JSON.stringify(note).length;
      // A dry run sends nothing, a GET included: some GETs change Halo.
      // The names Halo may not know come first, where they are read before a long answer.
      if (args.dry_run === true) return { dry_run: true, ...note, ...shownRequest(request, budget) };
      // Halo's answer is raw records, with whatever secrets they hold: those are replaced before the budget is measured.
      const answer = withoutSecrets(await context.halo.requestAny({ method, path, query, body, signal: context.signal }));
      const fitted = { ...note, ...fitAnswer(answer, budget) };
      return access === 'read' ? fitted : { dry_run: false, ...fitted };
    },
  }) as AnyTool;
}

/** In catalog order, least capable first: the server keeps the last variant the settings allow. */
export const callOperationVariants: AnyTool[] = [callOperation('read'), callOperation('write'), callOperation('destructive')];

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [findOperations, describeOperation, ...callOperationVariants];
