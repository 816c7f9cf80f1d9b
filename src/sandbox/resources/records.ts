/**
 * Every resource besides tickets and actions: customers, configuration, assets, knowledge base,
 * billing, sales, calendar, time and reports. Each is declared once with its table, its list shape
 * (envelope key per Halo's evidence, or a bare array), its filters and its write rules.
 */
import {
  activeFilters,
  containsText,
  equalsInt,
  inIntList,
  notInIntList,
  parseIntList,
  whenTrue,
  type FilterBuilder,
  type Predicate,
  type RequestContext,
  type ResourceDefinition,
  type WriteResult,
} from '../resource.js';
import type { ScopeArea } from '../scopes.js';
import { textOf } from '../../util/text.js';
import type { HaloRecord } from '../store.js';
import { STATUS_TYPE, checkReferences, htmlToPlain, iso, nameOf, parseHaloDate, withoutControlFlags } from './shared.js';

interface Reference {
  collection: string;
  label: string;
  /** The field that receives the referenced record's name. */
  nameField?: string;
  allowZero?: boolean;
}

interface SimpleResource {
  path: string;
  collection: string;
  schema: string;
  listKey?: string;
  scope: ScopeArea;
  filters?: Record<string, FilterBuilder>;
  /** The field that marks a record inactive; lists hide such records unless asked for them. */
  activeField?: string;
  /** Fields matched by `search`. */
  searchFields?: string[];
  /** Fields a new record must have, with the message Halo gives when one is missing. */
  required?: Record<string, string>;
  references?: Record<string, Reference>;
  /** Defaults and derived fields for a record about to be stored. */
  complete?: (record: Record<string, unknown>, context: RequestContext, existing: HaloRecord | undefined) => string | undefined;
  outputParams?: string[];
}

function define(resource: SimpleResource): ResourceDefinition {
  const references = resource.references ?? {};
  // Halo behaviour: docs/halo-behaviour.md#validation-rules
  const write = (rawInput: Record<string, unknown>, existing: HaloRecord | undefined, context: RequestContext): WriteResult => {
    const input = withoutControlFlags(rawInput);
    for (const [field, message] of Object.entries(resource.required ?? {})) {
      const value = field in input ? input[field] : existing?.[field];
      if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return { error: message };
    }
    const referenceError = checkReferences(context.store, input, references);
    if (referenceError) return { error: referenceError };
    const record: Record<string, unknown> = { ...(existing ?? {}), ...input };
    for (const [field, reference] of Object.entries(references)) {
      if (reference.nameField) record[reference.nameField] = nameOf(context.store, reference.collection, record[field]);
    }
    const error = resource.complete?.(record, context, existing);
    return error ? { error } : { record };
  };
  const searchFields = resource.searchFields ?? ['name'];
  return {
    path: resource.path,
    collection: resource.collection,
    schema: resource.schema,
    // Halo behaviour: docs/halo-behaviour.md#list-envelopes
    ...(resource.listKey ? { listKey: resource.listKey } : {}),
    scope: resource.scope,
    // Halo behaviour: docs/halo-behaviour.md#client-inactive-hidden
    ...(resource.activeField ? { defaultFilters: activeFilters(resource.activeField) } : {}),
    filters: {
      ...(resource.filters ?? {}),
      ...(resource.activeField ? { includeinactive: () => undefined, includeactive: () => undefined } : {}),
    },
    ...(resource.outputParams ? { outputParams: resource.outputParams } : {}),
    searchText: (record) => searchFields.map((field) => textOf(record[field])).join(' '),
    write,
  };
}

// Halo behaviour: docs/halo-behaviour.md#list-parameter-meanings
/** Records of one client; unlike equalsInt, a client_id that is not a number matches nothing. */
const clientOf: FilterBuilder = (value) => {
  const wanted = Number(value);
  return (record) => record.client_id === wanted;
};

/** Records whose client sits under the given top level. */
const toplevelOf: FilterBuilder = (value, { store }) => {
  const wanted = Number(value);
  return (record) => {
    const clientId = 'toplevel_id' in record ? undefined : record.client_id;
    const toplevel = clientId === undefined ? record.toplevel_id : store.collection('clients').get(clientId as number)?.toplevel_id;
    return toplevel === wanted;
  };
};

/** Records whose date span overlaps `start_date`..`end_date`; a record without dates overlaps nothing. */
function overlapping(startField: string, endField: string): FilterBuilder {
  return (_value, { query }) => {
    const from = parseHaloDate(query.get('start_date'));
    const to = parseHaloDate(query.get('end_date'));
    return (record) => {
      const start = parseHaloDate(record[startField]);
      const end = parseHaloDate(record[endField]) ?? start;
      if (start === undefined || end === undefined) return false;
      return (to === undefined || start <= to) && (from === undefined || end >= from);
    };
  };
}

// Halo behaviour: docs/halo-behaviour.md#ticket-types-need-showall
/**
 * `showall=true` on a list whose records the sandbox restricts for no agent: the whole list it
 * always answers is what the switch asks for.
 */
const showAllOfUnrestricted: FilterBuilder = () => undefined;

/** Hours from one Halo date to another, or undefined when either is not a date. */
function hoursBetween(from: unknown, to: unknown): number | undefined {
  const start = parseHaloDate(from);
  const end = parseHaloDate(to);
  return start === undefined || end === undefined ? undefined : (end - start) / 3_600_000;
}

export const clients = define({
  path: 'Client',
  collection: 'clients',
  schema: 'Area',
  listKey: 'clients',
  scope: 'customers',
  activeField: 'inactive',
  filters: {
    toplevel_id: equalsInt('toplevel_id'),
    search_name_only: containsText('name'),
  },
  required: { name: 'Please enter a name for the Client.' },
  references: { toplevel_id: { collection: 'toplevels', label: 'Top Level', nameField: 'toplevel_name' } },
  complete: (record, { now }, existing) => {
    if (!existing) record.datecreated = iso(now);
    record.inactive ??= false;
    return undefined;
  },
});

export const sites = define({
  path: 'Site',
  collection: 'sites',
  schema: 'Site',
  listKey: 'sites',
  scope: 'customers',
  activeField: 'inactive',
  filters: { client_id: clientOf, site_id: equalsInt('id'), toplevel_id: toplevelOf },
  searchFields: ['name', 'client_name'],
  required: { name: 'Please enter a name for the Site.', client_id: 'Please select a Client for the Site.' },
  references: { client_id: { collection: 'clients', label: 'Client', nameField: 'client_name' } },
  complete: (record) => {
    record.clientsite_name = `${String(record.client_name)} / ${String(record.name)}`;
    record.inactive ??= false;
    return undefined;
  },
});

export const users = define({
  path: 'Users',
  collection: 'users',
  schema: 'Users',
  listKey: 'users',
  scope: 'customers',
  activeField: 'inactive',
  filters: { client_id: clientOf, site_id: equalsInt('site_id'), toplevel_id: toplevelOf },
  searchFields: ['name', 'emailaddress', 'login', 'phonenumber', 'mobilenumber'],
  // Halo behaviour: docs/halo-behaviour.md#site-required-with-user
  required: { name: 'Please enter a name for the User.', site_id: 'Please select a Site for the User.' },
  references: { site_id: { collection: 'sites', label: 'Site', nameField: 'site_name' } },
  complete: (record, { store }) => {
    const site = store.collection('sites').get(record.site_id as number);
    record.client_id = site?.client_id;
    record.client_name = nameOf(store, 'clients', site?.client_id);
    record.inactive ??= false;
    return undefined;
  },
});

const includeFlag = (field: string, wanted: boolean): FilterBuilder => (value) =>
  value.toLowerCase() === 'false' ? (record) => (record[field] === true) !== wanted : undefined;

export const agents: ResourceDefinition = {
  ...define({
    path: 'Agent',
    collection: 'agents',
    schema: 'Uname',
    scope: 'config',
    filters: {
      team: containsText('team'),
      team_id: (value, { store }) => {
        const team = nameOf(store, 'teams', Number(value)).toLowerCase();
        return (record) => textOf(record.team).toLowerCase() === team;
      },
      includeenabled: includeFlag('isdisabled', false),
      includedisabled: () => undefined,
      thisagentonly: whenTrue(({ agentId }) => (record) => record.id === agentId),
      includeapiagents: () => undefined,
      showall: showAllOfUnrestricted,
    },
    searchFields: ['name', 'email'],
    required: { name: 'Please enter a name for the Agent.' },
  }),
  // Halo behaviour: docs/halo-behaviour.md#agent-list-defaults
  // Halo leaves API-only agents and disabled agents out of the list unless asked for each.
  defaultFilters: ({ query }) => [
    ...(query.flag('includeapiagents') ? [] : [(record: HaloRecord) => record.isapiagent !== true]),
    ...(query.flag('includedisabled') ? [] : [(record: HaloRecord) => record.isdisabled !== true]),
  ],
};

export const teams = define({
  path: 'Team',
  collection: 'teams',
  schema: 'SectionDetail',
  scope: 'config',
  activeField: 'inactive',
  filters: { department_id: equalsInt('department_id'), showall: showAllOfUnrestricted },
  required: { name: 'Please enter a name for the Team.' },
});

export const statuses = define({
  path: 'Status',
  collection: 'statuses',
  schema: 'TStatus',
  scope: 'config',
  filters: {
    excludeclosed: whenTrue(() => (record) => record.type !== STATUS_TYPE.closed),
    excludepending: whenTrue(() => (record) => record.type !== STATUS_TYPE.onHold),
    type: inIntList('type'),
    showall: showAllOfUnrestricted,
  },
  required: { name: 'Please enter a name for the Status.' },
});

// Halo behaviour: docs/halo-behaviour.md#api-agent-visibility
/**
 * Whether the calling agent may use a ticket type: one without access restrictions is for everyone,
 * one with them only for the agents and teams its `access_control` entries name.
 */
function agentMayUse(type: HaloRecord, { store, agentId }: RequestContext): boolean {
  const entries = (type.access_control as { agent_id?: unknown; team_id?: unknown }[] | undefined) ?? [];
  if (Number(type.access_control_level ?? 0) === 0 || entries.length === 0) return true;
  const agentTeam = textOf(store.collection('agents').get(agentId)?.team).toLowerCase();
  const teamIds = new Set(store.collection('teams').all().filter((team) => textOf(team.name).toLowerCase() === agentTeam).map((team) => team.id));
  return entries.some((entry) => entry.agent_id === agentId || teamIds.has(entry.team_id as number));
}

export const ticketTypes: ResourceDefinition = {
  ...define({
    path: 'TicketType',
    collection: 'tickettypes',
    schema: 'RequestType',
    scope: 'config',
    filters: {
      domain: () => undefined,
      showinactive: () => undefined,
      showall: () => undefined,
      can_create_only: whenTrue(() => (record) => record.cancreate !== false),
    },
    required: { name: 'Please enter a name for the Ticket Type.' },
  }),
  defaultFilters: (context) => {
    const { query } = context;
    const filters: Predicate[] = [];
    if (!query.flag('showinactive')) filters.push((record) => record.inactive !== true);
    const domain = query.get('domain')?.toLowerCase();
    if (domain) filters.push((record) => record.use === domain);
    // Halo behaviour: docs/halo-behaviour.md#ticket-types-need-showall
    if (!query.flag('showall')) filters.push((record) => agentMayUse(record, context));
    return filters;
  },
};

export const priorities = define({
  path: 'Priority',
  collection: 'priorities',
  schema: 'Policy',
  scope: 'config',
  // Halo behaviour: docs/halo-behaviour.md#priority-per-sla
  filters: { slaid: equalsInt('slaid') },
  required: { name: 'Please enter a name for the Priority.', slaid: 'Please select an SLA for the Priority.' },
  references: { slaid: { collection: 'slas', label: 'SLA' } },
});

export const slas = define({
  path: 'SLA',
  collection: 'slas',
  schema: 'SlaHead',
  scope: 'config',
  required: { name: 'Please enter a name for the SLA.' },
});

export const categories = define({
  path: 'Category',
  collection: 'categories',
  schema: 'CategoryDetail',
  scope: 'config',
  filters: { type_id: equalsInt('type_id') },
  searchFields: ['value'],
  required: { value: 'Please enter a value for the Category.' },
});

export const outcomes: ResourceDefinition = {
  ...define({
    path: 'Outcome',
    collection: 'outcomes',
    schema: 'TOutcome',
    scope: 'config',
    filters: { showhidden: () => undefined },
    searchFields: ['outcome', 'buttonname'],
    required: { outcome: 'Please enter a name for the Outcome.' },
  }),
  // Halo behaviour: docs/halo-behaviour.md#outcomes-per-tenant
  defaultFilters: ({ query }) => (query.flag('showhidden') ? [] : [(record: HaloRecord) => record.hidden !== true]),
};

export const lookups = define({
  path: 'Lookup',
  collection: 'lookups',
  schema: 'Lookup',
  scope: 'config',
  filters: { lookupid: equalsInt('lookupid') },
  required: { name: 'Please enter a name.', lookupid: 'Please specify the lookupid.' },
});

export const toplevels = define({
  path: 'TopLevel',
  collection: 'toplevels',
  schema: 'Tree',
  listKey: 'tree',
  scope: 'customers',
  required: { name: 'Please enter a name for the Top Level.' },
});

export const assets = define({
  path: 'Asset',
  collection: 'assets',
  schema: 'Device',
  listKey: 'assets',
  scope: 'assets',
  activeField: 'inactive',
  filters: {
    client_id: clientOf,
    site_id: equalsInt('site_id'),
    assettype_id: equalsInt('assettype_id'),
    assettypes: inIntList('assettype_id'),
    assetgroup_id: equalsInt('assetgroup_id'),
    username: containsText('username'),
    inventory_number: containsText('inventory_number'),
    toplevel_id: toplevelOf,
    excludethese: notInIntList('id'),
  },
  searchFields: ['inventory_number', 'key_field', 'key_field2', 'username', 'client_name', 'assettype_name'],
  required: { assettype_id: 'Please select an Asset Type.', client_id: 'Please select a Client for the Asset.' },
  references: {
    assettype_id: { collection: 'assettypes', label: 'Asset Type', nameField: 'assettype_name' },
    client_id: { collection: 'clients', label: 'Client', nameField: 'client_name' },
    site_id: { collection: 'sites', label: 'Site', nameField: 'site_name' },
  },
  complete: (record, { store }) => {
    record.assetgroup_id = store.collection('assettypes').get(record.assettype_id as number)?.assetgroup_id;
    record.inactive ??= false;
    return undefined;
  },
});

export const assetTypes = define({
  path: 'AssetType',
  collection: 'assettypes',
  schema: 'Xtype',
  scope: 'assets',
  filters: { assetgroup_id: equalsInt('assetgroup_id') },
  required: { name: 'Please enter a name for the Asset Type.' },
  references: { assetgroup_id: { collection: 'assetgroups', label: 'Asset Group', nameField: 'assetgroup_name' } },
});

export const assetGroups = define({
  path: 'AssetGroup',
  collection: 'assetgroups',
  schema: 'Generic',
  scope: 'assets',
  required: { name: 'Please enter a name for the Asset Group.' },
});

export const kbArticles = define({
  path: 'KBArticle',
  collection: 'kb',
  schema: 'KBEntry',
  listKey: 'articles',
  scope: 'kb',
  activeField: 'inactive',
  filters: {
    type: equalsInt('type'),
    faqlists: (value) => {
      const wanted = new Set(parseIntList(value));
      return (record) => ((record.faqlists as { id: number }[] | undefined) ?? []).some((list) => wanted.has(list.id));
    },
  },
  searchFields: ['name', 'description', 'resolution', 'tag_string'],
  required: { name: 'Please enter a title for the Article.' },
  complete: (record, { now }, existing) => {
    // Halo behaviour: docs/halo-behaviour.md#html-fields
    if (typeof record.description_html === 'string') record.description = htmlToPlain(record.description_html);
    if (typeof record.resolution_html === 'string') record.resolution = htmlToPlain(record.resolution_html);
    if (!existing) {
      record.date_created = iso(now);
      record.view_count ??= 0;
    }
    record.date_edited = iso(now);
    record.inactive ??= false;
    return undefined;
  },
});

export const faqLists = define({
  path: 'FAQLists',
  collection: 'faqlists',
  schema: 'FAQListHead',
  scope: 'kb',
  required: { name: 'Please enter a name for the FAQ List.' },
});

const billingFilters: Record<string, FilterBuilder> = {
  client_id: clientOf,
  site_id: equalsInt('site_id'),
  user_id: equalsInt('user_id'),
  ticket_id: equalsInt('ticket_id'),
};

const clientReference: Record<string, Reference> = {
  client_id: { collection: 'clients', label: 'Client', nameField: 'client_name' },
};

export const quotations = define({
  path: 'Quotation',
  collection: 'quotations',
  schema: 'QuotationHeader',
  listKey: 'quotes',
  scope: 'quotes',
  filters: billingFilters,
  searchFields: ['title', 'client_name'],
  required: { client_id: 'Please select a Client for the Quotation.' },
  references: clientReference,
});

/** What is still owed on an invoice: its total less what was paid, so a paid one owes 0. */
function amountDue(record: Record<string, unknown>): number {
  return Math.max(0, Number(record.total ?? 0) - Number(record.amountpaid ?? 0));
}

function invoiceResource(path: string, collection: string, schema: string, owes: boolean): ResourceDefinition {
  return define({
    path,
    collection,
    schema,
    listKey: 'invoices',
    scope: 'invoices',
    filters: {
      ...billingFilters,
      contract_id: equalsInt('contract_id'),
      postedonly: whenTrue(() => (record) => record.posted === true),
      notpostedonly: whenTrue(() => (record) => record.posted !== true),
    },
    searchFields: ['invoicenumber', 'client_name'],
    required: { client_id: 'Please select a Client for the Invoice.' },
    references: clientReference,
    // Halo behaviour: docs/halo-behaviour.md#recurring-invoice-lines
    outputParams: ['includelines'],
    complete: (record, { now }, existing) => {
      if (!existing) {
        record.invoice_date ??= iso(now);
        record.posted ??= false;
      }
      const lines = (record.lines as { qty_order?: unknown; unit_price?: unknown }[] | undefined) ?? [];
      record.total = lines.reduce((sum, line) => sum + Number(line.qty_order ?? 0) * Number(line.unit_price ?? 0), 0);
      // Halo behaviour: docs/halo-behaviour.md#invoice-amount-due
      if (owes) record.amountdue = amountDue(record);
      return undefined;
    },
  });
}

export const invoices = invoiceResource('Invoice', 'invoices', 'InvoiceHeader', true);
// A recurring invoice is a template: what is owed is on the invoices it raises.
export const recurringInvoices = invoiceResource('RecurringInvoice', 'recurringinvoices', 'RecurringInvoiceHeader', false);

export const contracts = define({
  path: 'ClientContract',
  collection: 'contracts',
  schema: 'ContractHeader',
  listKey: 'contracts',
  scope: 'contracts',
  filters: { client_id: clientOf, site_id: equalsInt('site_id'), includeinactive: () => undefined },
  searchFields: ['ref', 'client_name', 'contracttype_name'],
  required: { client_id: 'Please select a Client for the Contract.' },
  references: clientReference,
});

export const suppliers = define({
  path: 'Supplier',
  collection: 'suppliers',
  schema: 'Company',
  listKey: 'suppliers',
  scope: 'suppliers',
  activeField: 'inactive',
  filters: { toplevel_id: equalsInt('toplevel_id') },
  required: { name: 'Please enter a name for the Supplier.' },
});

export const items = define({
  path: 'Item',
  collection: 'items',
  schema: 'Item',
  listKey: 'items',
  scope: 'items',
  activeField: 'inactive',
  filters: { supplier_id: equalsInt('supplier_id'), recurringonly: whenTrue(() => (record) => record.isrecurringitem === true) },
  searchFields: ['name', 'description', 'supplier_name'],
  required: { name: 'Please enter a name for the Item.' },
  references: { supplier_id: { collection: 'suppliers', label: 'Supplier', nameField: 'supplier_name', allowZero: true } },
});

export const appointments = define({
  path: 'Appointment',
  collection: 'appointments',
  schema: 'Appointment',
  // Halo behaviour: docs/halo-behaviour.md#bare-arrays
  listKey: 'appointments',
  scope: 'calendar',
  filters: {
    start_date: overlapping('start_date', 'end_date'),
    end_date: (_value, context) => (context.query.get('start_date') ? undefined : overlapping('start_date', 'end_date')(_value, context)),
    agents: inIntList('agent_id'),
    ticket_id: equalsInt('ticket_id'),
    client_id: clientOf,
    appointmentsonly: whenTrue(() => (record) => record.is_task !== true),
    tasksonly: whenTrue(() => (record) => record.is_task === true),
    hidecompleted: whenTrue(() => (record) => record.complete_status !== 1),
    showall: showAllOfUnrestricted,
  },
  searchFields: ['subject', 'client_name'],
  required: {
    subject: 'Please enter a subject for the Appointment.',
    start_date: 'Please enter a start date.',
    end_date: 'Please enter an end date.',
  },
  references: {
    agent_id: { collection: 'agents', label: 'Agent', nameField: 'agent_name' },
    client_id: { collection: 'clients', label: 'Client', nameField: 'client_name' },
    ticket_id: { collection: 'faults', label: 'Ticket', allowZero: true },
  },
  complete: (record) => ((hoursBetween(record.start_date, record.end_date) ?? 0) < 0 ? 'The end date must be after the start date.' : undefined),
});

// Halo behaviour: docs/halo-behaviour.md#timesheet-events-for-reports
export const timesheetEvents = define({
  path: 'TimesheetEvent',
  collection: 'timesheetevents',
  schema: 'TimesheetEvent',
  scope: 'timesheets',
  filters: {
    agent_id: equalsInt('agent_id'),
    agents: inIntList('agent_id'),
    start_date: overlapping('start_date', 'end_date'),
    end_date: (_value, context) => (context.query.get('start_date') ? undefined : overlapping('start_date', 'end_date')(_value, context)),
  },
  searchFields: ['subject', 'note'],
  required: { start_date: 'Please enter a start date.', end_date: 'Please enter an end date.' },
  references: {
    agent_id: { collection: 'agents', label: 'Agent' },
    ticket_id: { collection: 'faults', label: 'Ticket', allowZero: true },
  },
  // Halo behaviour: docs/halo-behaviour.md#validation-rules
  complete: (record, { agentId }) => {
    record.agent_id ??= agentId;
    const hours = hoursBetween(record.start_date, record.end_date);
    if (hours === undefined || hours < 0) return 'The end date must be after the start date.';
    record.timetaken = Math.round(hours * 100) / 100;
    return undefined;
  },
});

export const reports = define({
  path: 'Report',
  collection: 'reports',
  schema: 'AnalyzerProfile',
  listKey: 'reports',
  scope: 'reporting',
  filters: { reportgroup_id: equalsInt('reportgroup_id'), type: equalsInt('type') },
  required: { name: 'Please enter a name for the Report.' },
});

export const crmNotes = define({
  path: 'CRMNote',
  collection: 'crmnotes',
  schema: 'AreaNote',
  scope: 'crm',
  filters: { client_id: clientOf, supplier_id: equalsInt('supplier_id'), toplevel_id: toplevelOf },
  searchFields: ['note'],
  required: { client_id: 'Please select a Client.', note: 'Please enter a note.' },
  references: { client_id: { collection: 'clients', label: 'Client' } },
  complete: (record, { now, agentId }) => {
    record.datetime ??= iso(now);
    // Halo behaviour: docs/halo-behaviour.md#login-as-agent
    record.who_agentid ??= agentId;
    return undefined;
  },
});

export const softwareLicences = define({
  path: 'SoftwareLicence',
  collection: 'licences',
  schema: 'Licence_List',
  listKey: 'licences',
  scope: 'softwarelicensing',
  filters: { client_id: clientOf, site_id: equalsInt('site_id'), includeinactive: () => undefined },
  required: { name: 'Please enter a name for the Licence.' },
  references: clientReference,
});

const orderFilters: Record<string, FilterBuilder> = {
  client_id: clientOf,
  open: whenTrue(() => (record) => record.closed !== true),
  closed: whenTrue(() => (record) => record.closed === true),
};

export const salesOrders = define({
  path: 'SalesOrder',
  collection: 'salesorders',
  schema: 'OrderHead',
  listKey: 'salesorders',
  scope: 'sos',
  filters: orderFilters,
  searchFields: ['title', 'client_name'],
  required: { client_id: 'Please select a Client for the Sales Order.' },
  references: clientReference,
  complete: (record, { now }, existing) => {
    if (!existing) record.date ??= iso(now);
    record.closed ??= false;
    return undefined;
  },
});

export const purchaseOrders = define({
  path: 'PurchaseOrder',
  collection: 'purchaseorders',
  schema: 'SupplierOrderHeader',
  listKey: 'purchaseorders',
  scope: 'pos',
  filters: { ...orderFilters, salesorder_id: equalsInt('salesorder_id'), supplier_id: equalsInt('supplier_id') },
  searchFields: ['title', 'supplier_name', 'po_ref'],
  required: { supplier_id: 'Please select a Supplier for the Purchase Order.' },
  references: { supplier_id: { collection: 'suppliers', label: 'Supplier', nameField: 'supplier_name' } },
  complete: (record, { now }, existing) => {
    if (!existing) record.date ??= iso(now);
    record.closed ??= false;
    return undefined;
  },
});

export const itemStock = define({
  path: 'ItemStock',
  collection: 'itemstock',
  schema: 'ItemStock',
  scope: 'items',
  filters: { item_id: equalsInt('item_id') },
  searchFields: ['item_name'],
  required: { item_id: 'Please select an Item.' },
  references: { item_id: { collection: 'items', label: 'Item', nameField: 'item_name' } },
});

export const toDos = define({
  path: 'ToDo',
  collection: 'todos',
  schema: 'FaultToDo',
  scope: 'tickets',
  filters: { ticket_id: equalsInt('ticket_id') },
  searchFields: ['text'],
  required: { ticket_id: 'Please specify the ticket.', text: 'Please enter the to-do.' },
  references: { ticket_id: { collection: 'faults', label: 'Ticket' } },
  complete: (record) => {
    record.done ??= false;
    return undefined;
  },
});

export const attachments = define({
  path: 'Attachment',
  collection: 'attachments',
  schema: 'Attachment',
  listKey: 'attachments',
  scope: 'tickets',
  filters: { ticket_id: equalsInt('ticket_id'), action_id: equalsInt('action_id') },
  searchFields: ['filename', 'note'],
  required: { ticket_id: 'Please specify the ticket.', filename: 'Please give the file a name.', data_base64: 'Please include the file (data_base64).' },
  references: { ticket_id: { collection: 'faults', label: 'Ticket' } },
  complete: (record, { now }, existing) => {
    const data = typeof record.data_base64 === 'string' ? record.data_base64 : '';
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return 'The file is not valid base64.';
    record.filesize = Buffer.from(data, 'base64').length;
    if (!existing) record.datecreated = iso(now);
    return undefined;
  },
});

export const webhooks = define({
  path: 'Webhook',
  collection: 'webhooks',
  schema: 'Webhook',
  scope: 'config',
  required: { name: 'Please enter a name for the Webhook.', url: 'Please enter the URL the Webhook calls.' },
  complete: (record) => {
    record.active ??= true;
    return /^https?:\/\//.test(String(record.url)) ? undefined : 'The URL must start with http:// or https://.';
  },
});

export const webhookEvents = define({
  path: 'WebhookEvent',
  collection: 'webhookevents',
  schema: 'WebhookEvent',
  scope: 'config',
  filters: { webhook_id: (value) => (record) => String(record.webhook_id) === value },
});

export const customFields = define({
  path: 'FieldInfo',
  collection: 'fieldinfo',
  schema: 'FieldInfo',
  scope: 'config',
  searchFields: ['name', 'label'],
  required: { name: 'Please enter a name for the Field.' },
});

export const workflows = define({
  path: 'Workflow',
  collection: 'workflows',
  schema: 'FlowHeader',
  scope: 'config',
  filters: { includeinactive: () => undefined },
  required: { name: 'Please enter a name for the Workflow.' },
});

export const roles = define({
  path: 'Roles',
  collection: 'roles',
  schema: 'NHD_Roles',
  scope: 'config',
  required: { name: 'Please enter a name for the Role.' },
});

export const organisations = define({
  path: 'Organisation',
  collection: 'organisations',
  schema: 'Organisation',
  scope: 'customers',
  required: { name: 'Please enter a name for the Organisation.' },
});

export const audits = define({
  path: 'Audit',
  collection: 'audit',
  schema: 'Audit',
  scope: 'config',
});

// Halo behaviour: docs/halo-behaviour.md#approvals
/** Approvals of a ticket, keyed by the ticket and the approver's sequence; an answer is a post of `result` (1 approve, 2 reject). */
export const ticketApprovals: ResourceDefinition = {
  ...define({
    path: 'TicketApproval',
    collection: 'approvals',
    schema: 'FaultApproval',
    scope: 'tickets',
    filters: { ticket_id: equalsInt('ticket_id') },
    searchFields: ['name'],
    required: { ticket_id: 'Please specify the ticket.' },
    references: { ticket_id: { collection: 'faults', label: 'Ticket' } },
    complete: (record, { now }) => {
      if (record.result !== undefined && ![0, 1, 2].includes(Number(record.result))) return 'The result must be 1 (approve) or 2 (reject).';
      if (record.result === 1 || record.result === 2) record.datetime = iso(now);
      return undefined;
    },
  }),
  identify: (input, { store }) =>
    store
      .collection('approvals')
      .all()
      .find((approval) => approval.ticket_id === input.ticket_id && approval.seq === input.seq)?.id,
};
