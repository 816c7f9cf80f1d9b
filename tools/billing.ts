/** Billing: invoices and recurring invoices, contracts, items, quotations, sales and purchase orders. */
import { z } from 'zod';
import { dryRun, nameOrId, recordId } from '../src/toolkit/inputs.js';
import { writeOutput } from '../src/toolkit/outputs.js';
import { boolArg, dateArg, htmlArg, idArg, numberArg, refArg, resourceTools, textArg, type ResourceToolsSpec } from '../src/toolkit/resource-tools.js';
import { isoUtc, optionalText, ref } from '../src/toolkit/values.js';
import { ToolInputError } from '../src/toolkit/errors.js';
import { defineTool, type ToolContext, type AnyTool } from '../src/mcp/tool.js';

import type { HaloRecord, RecordOf } from '../src/halo/client.js';

function money(value: unknown): number | null {
  if (typeof value !== 'number') return null;
  const cents = Math.round(value * 100);
  // Beyond about 1e306 the cents overflow to Infinity, which JSON writes as null; so large a sum has no cents to round.
  return Number.isFinite(cents) ? cents / 100 : value;
}

interface Line {
  description?: unknown;
  item_shortdescription?: unknown;
  qty_order?: unknown;
  unit_price?: unknown;
}

function lines(record: HaloRecord) {
  return (Array.isArray(record.lines) ? (record.lines as Line[]) : []).map((line) => ({
    description: optionalText(line.item_shortdescription) ?? optionalText(line.description),
    quantity: typeof line.qty_order === 'number' ? line.qty_order : null,
    unit_price: money(line.unit_price),
  }));
}

function invoiceSummary(invoice: HaloRecord) {
  return {
    id: invoice.id,
    number: optionalText(invoice.invoicenumber),
    client: ref(invoice.client_id, invoice.client_name),
    date: isoUtc(invoice.invoice_date),
    due: isoUtc(invoice.duedate),
    total: money(invoice.total),
    posted: invoice.posted === true,
  };
}

/**
 * What an invoice still owes, worked out from its total and what was paid rather than read from
 * `amountdue`: report authors on live tenants work it out so too, as Halo zeroes the amount due of
 * a paid invoice and one report computes the due of an unpaid one from its lines.
 */
function amountDue(invoice: HaloRecord): number | null {
  if (typeof invoice.total !== 'number') return null;
  return money(Math.max(0, invoice.total - (typeof invoice.amountpaid === 'number' ? invoice.amountpaid : 0)));
}

const invoiceFilters = {
  client: refArg('client', 'client_id'),
  ticket_id: idArg('ticket_id', 'Ticket number'),
};

export const invoiceTools = resourceTools({
  toolset: 'billing',
  noun: 'invoice',
  label: 'invoice',
  path: '/Invoice',
  tools: {
    list: { name: 'halo_search_invoices', title: 'Search invoices' },
    get: { name: 'halo_get_invoice', title: 'Get an invoice' },
  },
  search: true,
  filters: { ...invoiceFilters, posted_only: boolArg('postedonly', 'Only posted'), unposted_only: boolArg('notpostedonly', 'Only drafts') },
  project: (invoice) => ({ ...invoiceSummary(invoice), amount_due: amountDue(invoice) }),
  detail: (invoice) => ({ ...invoiceSummary(invoice), amount_paid: money(invoice.amountpaid), amount_due: amountDue(invoice), lines: lines(invoice) }),
});

export const recurringInvoiceTools = resourceTools({
  toolset: 'billing',
  noun: 'recurring_invoice',
  label: 'recurring invoice',
  path: '/RecurringInvoice',
  tools: {
    list: { name: 'halo_list_recurring_invoices', title: 'List recurring invoices' },
    get: { name: 'halo_get_recurring_invoice', title: 'Get a recurring invoice' },
  },
  filters: { client: refArg('client', 'client_id') },
  project: invoiceSummary,
  detail: (invoice) => ({ ...invoiceSummary(invoice), lines: lines(invoice) }),
});

const lineInput = z
  .array(
    z.strictObject({
      description: z.string().describe('What is charged'),
      quantity: z.number().positive().describe('Quantity'),
      unit_price: z.number().describe('Price each'),
    }),
  )
  .describe('Invoice lines');

function haloLines(given: { description: string; quantity: number; unit_price: number }[]) {
  return given.map((line) => ({ item_shortdescription: line.description, qty_order: line.quantity, unit_price: line.unit_price }));
}

export const createInvoice = defineTool({
  name: 'halo_create_invoice',
  title: 'Create a draft invoice',
  description: 'Create a draft (unposted) invoice for a client, with its lines.',
  toolset: 'billing',
  access: 'write',
  input: z.strictObject({
    client: nameOrId('Name or id'),
    lines: lineInput,
    date: z.string().optional().describe('Invoice date: ISO date'),
    ticket_id: recordId('Ticket it bills').optional(),
    dry_run: dryRun,
  }),
  output: writeOutput,
  handler: async (args, context) => {
    const clientId = await context.resolver.resolve('client', args.client, { signal: context.signal });
    const body = {
      client_id: clientId,
      posted: false,
      lines: haloLines(args.lines),
      ...(args.date ? { invoice_date: args.date } : {}),
      ...(args.ticket_id ? { ticket_id: args.ticket_id } : {}),
    };
    if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: '/Invoice', body: [body] } };
    const created = await context.halo.upsert('/Invoice', body, { signal: context.signal });
    return { dry_run: false, invoice: { ...invoiceSummary(created), lines: lines(created) } };
  },
});

async function draftInvoice(id: number, context: ToolContext): Promise<RecordOf<'/Invoice'>> {
  // Fetch first: the id must name an invoice that exists, or Halo's upsert would create one.
  const invoice = await context.halo.get('/Invoice', id, { includedetails: true }, { signal: context.signal });
  if (invoice.posted === true) throw new ToolInputError(`Invoice ${id} is posted; posted invoices cannot be changed.`);
  return invoice;
}

export const addInvoiceLines = defineTool({
  name: 'halo_add_invoice_lines',
  title: 'Add lines to a draft invoice',
  description: 'Add lines to an invoice that is not posted yet.',
  toolset: 'billing',
  access: 'write',
  input: z.strictObject({ id: recordId('Invoice id'), lines: lineInput, dry_run: dryRun }),
  output: writeOutput,
  handler: async (args, context) => {
    const invoice = await draftInvoice(args.id, context);
    const body = { id: args.id, lines: [...(Array.isArray(invoice.lines) ? invoice.lines : []), ...haloLines(args.lines)] };
    if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: '/Invoice', body: [body] } };
    const updated = await context.halo.upsert('/Invoice', body, { signal: context.signal });
    return { dry_run: false, invoice: { ...invoiceSummary(updated), lines: lines(updated) } };
  },
});

export const contractTools = resourceTools({
  toolset: 'billing',
  noun: 'contract',
  label: 'contract',
  path: '/ClientContract',
  tools: {
    list: { name: 'halo_search_contracts', title: 'Search contracts' },
    get: { name: 'halo_get_contract', title: 'Get a contract' },
    create: { name: 'halo_create_contract', title: 'Create a contract' },
    update: { name: 'halo_update_contract', title: 'Update a contract' },
  },
  search: true,
  filters: { client: refArg('client', 'client_id') },
  fields: {
    client: refArg('client', 'client_id'),
    ref: textArg('ref', 'Contract reference'),
    type: textArg('contracttype_name', 'Contract type'),
    start: dateArg('start_date', 'Start'),
    end: dateArg('end_date', 'End'),
    period_charge: numberArg('periodchargeamount', 'Charge per period'),
    note: textArg('note', 'Note'),
  },
  required: ['client', 'ref'],
  project: (contract) => ({
    id: contract.id,
    ref: optionalText(contract.ref),
    client: ref(contract.client_id, contract.client_name),
    type: optionalText(contract.contracttype_name),
    start: isoUtc(contract.start_date),
    end: isoUtc(contract.end_date),
    charge: money(contract.periodchargeamount),
  }),
});

export const itemTools = resourceTools({
  toolset: 'billing',
  noun: 'item',
  label: 'item',
  path: '/Item',
  tools: {
    list: { name: 'halo_search_items', title: 'Search items' },
    get: { name: 'halo_get_item', title: 'Get an item' },
  },
  search: true,
  inactive: true,
  project: (item) => ({
    id: item.id,
    name: optionalText(item.name) ?? '',
    price: money(item.baseprice),
    cost: money(item.costprice),
    recurring: item.isrecurringitem === true,
    supplier: ref(item.supplier_id, item.supplier_name),
  }),
});

export const quotationTools = resourceTools({
  toolset: 'billing',
  noun: 'quotation',
  label: 'quotation',
  path: '/Quotation',
  tools: {
    list: { name: 'halo_search_quotations', title: 'Search quotations' },
    get: { name: 'halo_get_quotation', title: 'Get a quotation' },
    create: { name: 'halo_create_quotation', title: 'Create a quotation' },
  },
  search: true,
  filters: { client: refArg('client', 'client_id') },
  fields: {
    title: textArg('title', 'Title'),
    client: refArg('client', 'client_id'),
    note: htmlArg('note', 'Note, plain text'),
    expiry: dateArg('expiry_date', 'Valid until'),
  },
  required: ['title', 'client'],
  project: (quote) => ({
    id: quote.id,
    title: optionalText(quote.title) ?? '',
    client: ref(quote.client_id, quote.client_name),
    date: isoUtc(quote.date),
    expires: isoUtc(quote.expiry_date),
    total: money(quote.total),
  }),
  detail: (quote) => ({ id: quote.id, title: optionalText(quote.title) ?? '', client: ref(quote.client_id, quote.client_name), date: isoUtc(quote.date), expires: isoUtc(quote.expiry_date), total: money(quote.total), lines: lines(quote) }),
});

function orderTools(spec: Pick<ResourceToolsSpec, 'noun' | 'label' | 'path' | 'tools'>, filters: ResourceToolsSpec['filters'] = {}) {
  return resourceTools({
    ...spec,
    toolset: 'billing',
    filters: { client: refArg('client', 'client_id'), open: boolArg('open', 'Only open'), closed: boolArg('closed', 'Only closed'), ...filters },
    project: (order) => ({
      id: order.id,
      title: optionalText(order.title) ?? optionalText(order.po_ref),
      client: ref(order.client_id, order.client_name),
      ...(order.supplier_id ? { supplier: ref(order.supplier_id, order.supplier_name) } : {}),
      date: isoUtc(order.date),
      total: money(order.total),
      closed: order.closed === true,
    }),
  });
}

export const salesOrderTools = orderTools({
  noun: 'sales_order',
  label: 'sales order',
  path: '/SalesOrder',
  tools: {
    list: { name: 'halo_list_sales_orders', title: 'List sales orders' },
    get: { name: 'halo_get_sales_order', title: 'Get a sales order' },
  },
});
export const purchaseOrderTools = orderTools(
  {
    noun: 'purchase_order',
    label: 'purchase order',
    path: '/PurchaseOrder',
    tools: {
      list: { name: 'halo_list_purchase_orders', title: 'List purchase orders' },
      get: { name: 'halo_get_purchase_order', title: 'Get a purchase order' },
    },
  },
  { supplier_id: idArg('supplier_id', 'Supplier id') },
);

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [
  ...invoiceTools,
  createInvoice,
  addInvoiceLines,
  ...recurringInvoiceTools,
  ...contractTools,
  ...itemTools,
  ...quotationTools,
  ...salesOrderTools,
  ...purchaseOrderTools,
];
