/**
 * The gateway to every operation of Halo's API, for what no curated tool covers: find an
 * operation, read its parameters, call it. Calls are checked against Halo's OpenAPI document (a
 * name it lacks is sent all the same, as live tenants take newer ones, and the answer says so) and
 * follow the same rules as the curated tools, by what a call does rather than its method: reads in
 * read-only mode (a GET that changes Halo is a write), deletes and bodies that delete, merge or
 * grant access only when allowed and confirmed, nothing that emails the end user or shows them a
 * note unless the call says so, the same size budget. Operations that hand out stored secrets are
 * not called at all, and fields named like secrets in any answer are replaced (see secrets.ts).
 * Answers read as the curated tools' do (a list as a page with a cursor, records without their
 * empty fields, references by name; see operation-answers.ts), and name the curated tool that does
 * what an operation does, with the setting that shows it where it is hidden.
 */
import { z } from 'zod';
import type { Query } from '../src/halo/client.js';
import type { Operation } from '../src/openapi/types.js';
import { cursor, dryRun, limit, requiredText } from '../src/toolkit/inputs.js';
import { listOutput, writeOutput } from '../src/toolkit/outputs.js';
import { actionReach, newActionsWithoutOutcome } from '../src/toolkit/action-reach.js';
import { customerReach, destruction, secretReason, stateChanges } from '../src/toolkit/operation-risks.js';
import { checkBody, checkQuery, findOperation, knownNames, loadOperationCatalog, operationSummary, parameterNames, unknownNames } from '../src/toolkit/operations.js';
import { confirmArg } from '../src/toolkit/resource-tools.js';
import { withoutSecrets } from '../src/toolkit/secrets.js';
import { gatewayPaging, shapeAnswer } from '../src/toolkit/operation-answers.js';
import { queryKey } from '../src/toolkit/cursor.js';
import { arrayPage } from '../src/toolkit/paging.js';
import { defineTool, type AnyTool, type ToolContext } from '../src/mcp/tool.js';
import type { ServerSettings } from '../src/mcp/settings.js';
import { toolAllowed, whyHidden } from '../src/mcp/select.js';
import { ToolInputError } from '../src/toolkit/errors.js';

/** What the gateway answers: a page of Halo's list (`items`), Halo's other answer (`result`), or with `dry_run` the request it would send. */
const gatewayOutput = z
  .looseObject({ result: z.unknown().optional() })
  .refine((answer) => 'result' in answer || listOutput.safeParse(answer).success || answer.dry_run === true, "the gateway answers with Halo's result or a page of its list");

/** An operation as halo_describe_operation tells it. */
const operationOutput = z.looseObject({ method: z.enum(['GET', 'POST', 'DELETE']), path: z.string().startsWith('/'), path_params: z.array(z.string()), query: z.array(z.object({ name: z.string() })) });

/**
 * The curated tools that do what an operation does, by the path's first segment: the list (GET
 * /X), the record (GET /X/{id}), the write (POST /X) and the delete (DELETE /X/{id}). A curated
 * tool answers in fewer tokens, resolves names and guards its writes, so the gateway points to it,
 * and says how to switch it on where the configuration hides it.
 */
export const CURATED: Readonly<Record<string, { list?: string; get?: string; write?: string; delete?: string }>> = {
  actions: { list: 'halo_list_ticket_actions', write: 'halo_add_note' },
  agent: { list: 'halo_list_agents', get: 'halo_get_agent' },
  appointment: { list: 'halo_search_appointments', get: 'halo_get_appointment', write: 'halo_create_appointment', delete: 'halo_delete_appointment' },
  asset: { list: 'halo_search_assets', get: 'halo_get_asset', write: 'halo_create_asset', delete: 'halo_delete_asset' },
  assetgroup: { list: 'halo_list_asset_groups' },
  assettype: { list: 'halo_list_asset_types', get: 'halo_get_asset_type' },
  attachment: { list: 'halo_list_attachments', get: 'halo_get_attachment', write: 'halo_upload_attachment' },
  audit: { list: 'halo_list_audit_entries' },
  category: { list: 'halo_list_categories', get: 'halo_get_category' },
  client: { list: 'halo_search_clients', get: 'halo_client_overview', write: 'halo_create_client', delete: 'halo_delete_client' },
  clientcontract: { list: 'halo_search_contracts', get: 'halo_get_contract', write: 'halo_create_contract' },
  crmnote: { list: 'halo_list_crm_notes', write: 'halo_create_crm_note' },
  faqlists: { list: 'halo_list_faq_lists' },
  fieldinfo: { list: 'halo_list_custom_fields', get: 'halo_get_custom_field' },
  invoice: { list: 'halo_search_invoices', get: 'halo_get_invoice', write: 'halo_create_invoice' },
  item: { list: 'halo_search_items', get: 'halo_get_item' },
  itemstock: { list: 'halo_list_item_stock' },
  kbarticle: { list: 'halo_search_kb', get: 'halo_get_kb_article', write: 'halo_create_kb_article' },
  opportunities: { list: 'halo_search_opportunities', get: 'halo_get_opportunity', write: 'halo_create_opportunity' },
  organisation: { list: 'halo_list_organisations' },
  outcome: { list: 'halo_list_outcomes', get: 'halo_get_outcome' },
  priority: { list: 'halo_list_priorities', get: 'halo_get_priority' },
  projects: { list: 'halo_search_projects', get: 'halo_get_project', write: 'halo_create_project' },
  purchaseorder: { list: 'halo_list_purchase_orders', get: 'halo_get_purchase_order' },
  quotation: { list: 'halo_search_quotations', get: 'halo_get_quotation', write: 'halo_create_quotation' },
  recurringinvoice: { list: 'halo_list_recurring_invoices', get: 'halo_get_recurring_invoice' },
  report: { list: 'halo_search_reports', get: 'halo_run_report' },
  roles: { list: 'halo_list_roles', get: 'halo_get_role' },
  salesorder: { list: 'halo_list_sales_orders', get: 'halo_get_sales_order' },
  site: { list: 'halo_search_sites', get: 'halo_get_site', write: 'halo_create_site', delete: 'halo_delete_site' },
  sla: { list: 'halo_list_slas', get: 'halo_get_sla' },
  softwarelicence: { list: 'halo_search_software_licences', get: 'halo_get_software_licence', write: 'halo_create_software_licence' },
  status: { list: 'halo_list_statuses', get: 'halo_get_status' },
  supplier: { list: 'halo_search_suppliers', get: 'halo_get_supplier', write: 'halo_create_supplier' },
  team: { list: 'halo_list_teams', get: 'halo_get_team' },
  ticketapproval: { list: 'halo_list_ticket_approvals' },
  tickets: { list: 'halo_search_tickets', get: 'halo_get_ticket', write: 'halo_create_ticket', delete: 'halo_delete_ticket' },
  tickettype: { list: 'halo_list_ticket_types', get: 'halo_get_ticket_type' },
  timesheet: { get: 'halo_get_timesheet' },
  timesheetevent: { list: 'halo_list_timesheet_events', write: 'halo_create_timesheet_event' },
  todo: { list: 'halo_list_todos', write: 'halo_create_todo' },
  toplevel: { list: 'halo_search_top_levels' },
  users: { list: 'halo_search_users', get: 'halo_get_user', write: 'halo_create_user', delete: 'halo_delete_user' },
  webhook: { list: 'halo_list_webhooks', get: 'halo_get_webhook', write: 'halo_create_webhook', delete: 'halo_delete_webhook' },
  webhookevent: { list: 'halo_list_webhook_events' },
  workflow: { list: 'halo_list_workflows', get: 'halo_get_workflow' },
};

/** The curated tool named for an operation, or undefined: by its method and whether its path is the list's or a record's. */
export function curatedToolName(operation: Pick<Operation, 'method' | 'path'>): string | undefined {
  const [segment, ...rest] = operation.path.split('/').filter(Boolean);
  const tools = CURATED[(segment ?? '').toLowerCase()];
  if (!tools) return undefined;
  const byId = rest.length === 1 && /^\{\w+\}$/.test(rest[0] ?? '');
  if (rest.length === 0) return operation.method === 'GET' ? tools.list : operation.method === 'POST' ? tools.write : undefined;
  if (!byId) return undefined;
  return operation.method === 'GET' ? tools.get : operation.method === 'DELETE' ? tools.delete : undefined;
}

/**
 * How results name the curated tool for an operation: its name, and where this configuration hides
 * it, why and which setting shows it (as the server says of a hidden tool called by name). The
 * catalog is read when first needed, as it holds this file.
 */
async function curatedTools(settings: ServerSettings): Promise<(operation: Pick<Operation, 'method' | 'path'>) => string | undefined> {
  const { catalog } = await import('./index.js');
  const everyToolset: ServerSettings = { ...settings, toolsets: ['all'] };
  return (operation) => {
    const name = curatedToolName(operation);
    if (!name) return undefined;
    const hidden = whyHidden(catalog, name, settings);
    if (!hidden) return name;
    // The toolset alone hides most: said short, as a search's every line may say it.
    const tool = catalog.find((entry) => entry.name === name && toolAllowed(entry, everyToolset));
    return tool ? `${name} (toolset ${tool.toolset} is off: add it to HALO_TOOLSETS)` : `${name} (hidden: ${hidden})`;
  };
}

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
    // The search first: it refuses a query too long to split into words cheaply.
    const found = catalogue.search(args.query);
    const filterWords = catalogue.filterWords(args.query);
    const curated = await curatedTools(context.settings);
    const shown = (operation: Operation) => {
      const { names, more } = parameterNames(operation, 12, filterWords);
      const tool = curated(operation);
      return {
        method: operation.method,
        path: operation.path,
        summary: operationSummary(operation),
        params: more > 0 ? [...names, `+${more} more`] : names,
        ...(tool ? { curated: tool } : {}),
      };
    };
    return arrayPage(found, context, { tool: 'halo_find_operations', args, project: shown });
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
    const curated = (await curatedTools(context.settings))(operation);
    return {
      method: operation.method,
      path: operation.path,
      summary: operationSummary(operation),
      ...(curated ? { curated } : {}),
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
  operation: Operation;
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
  if (args.cursor !== undefined && method !== 'GET') throw new ToolInputError(`A cursor reads on in the list of a GET; a ${method} is not sent again for a next page.`);
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
    throw new ToolInputError(`${capitalised(READ_ONLY)}, and this GET changes Halo: ${changes.join('; ')}. Leave that out, or ask for a server started without it.`);
  }
  // Halo's document describes almost none of its parameters: one it does not even name may act, as update_shown does.
  if (access === 'read' && checkedQuery.unknown.length > 0) {
    const names = checkedQuery.unknown.map((name) => JSON.stringify(name)).join(', ');
    throw new ToolInputError(
      `${capitalised(READ_ONLY)}, and Halo's document does not declare ${names} for GET ${operation.path}; a parameter nobody has described may change Halo, so nothing was sent. Leave it out (halo_describe_operation lists the parameters it takes).`,
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
    operation,
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

/** Read-only mode as the server names it where it hides a tool that changes Halo, with its setting. */
const READ_ONLY = 'the server is in read-only mode (--read-only, HALO_READ_ONLY)';
const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** What a method the variant does not offer is told: which setting offers it, as the schema alone cannot say. */
const METHOD_REFUSALS: Record<keyof typeof METHODS, string> = {
  read: `${READ_ONLY}, so the gateway calls GET only; a server started without it may POST`,
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
      // In read-only mode the schema says why it offers GET alone: a client that checks arguments against it answers before the server can.
      method: z.enum(methods as unknown as [string, ...string[]], { error: () => METHOD_REFUSALS[access] }).describe(access === 'read' ? 'HTTP method; GET only: read-only mode (HALO_READ_ONLY)' : 'HTTP method'),
      path: requiredText('With ids filled in, e.g. /Tickets/12'),
      query: z.record(z.string(), z.unknown()).optional().describe('Query parameters'),
      body: z.unknown().optional().describe('JSON body (POST)'),
      cursor,
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
      const { request, unknown, operation } = await checkedCall(args, access, context);
      const { method, path, query = {}, body } = request;
      const tool = (await curatedTools(context.settings))(operation);
      const note = { ...unknownNote(unknown), ...(tool ? { curated: tool } : {}) };
      const budget = context.settings.maxResultChars - 200 - JSON.stringify(note).length;
      // A dry run sends nothing, a GET included: some GETs change Halo.
      // The names Halo may not know come first, where they are read before a long answer.
      if (args.dry_run === true) return { dry_run: true, ...note, ...shownRequest(request, budget) };
      // Only a GET is paged: asking again for a POST's next page would post again.
      const paging = method === 'GET' ? gatewayPaging(operation, query, args.cursor as string | undefined, queryKey('halo_call_operation', { path, query })) : undefined;
      // Halo's answer is raw records, with whatever secrets they hold: those are replaced before the budget is measured.
      const answer = withoutSecrets(await context.halo.requestAny({ method, path, query: paging?.query ?? query, body, signal: context.signal }));
      const shaped = { ...note, ...shapeAnswer(answer, { maxChars: budget, text: context.text, ...(paging ? { paging } : {}) }) };
      return access === 'read' ? shaped : { dry_run: false, ...shaped };
    },
  }) as AnyTool;
}

/** In catalog order, least capable first: the server keeps the last variant the settings allow. */
export const callOperationVariants: AnyTool[] = [callOperation('read'), callOperation('write'), callOperation('destructive')];

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [findOperations, describeOperation, ...callOperationVariants];
