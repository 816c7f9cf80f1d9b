/** Suppliers and the stock held of items. */
import { htmlArg, idArg, resourceTools, textArg } from '../src/toolkit/resource-tools.js';
import { isoUtc, optionalText, ref } from '../src/toolkit/values.js';
import type { AnyTool } from '../src/mcp/tool.js';

export const supplierTools = resourceTools({
  toolset: 'suppliers',
  noun: 'supplier',
  label: 'supplier',
  path: '/Supplier',
  tools: {
    list: { name: 'halo_search_suppliers', title: 'Search suppliers' },
    get: { name: 'halo_get_supplier', title: 'Get a supplier' },
    create: { name: 'halo_create_supplier', title: 'Create a supplier' },
    update: { name: 'halo_update_supplier', title: 'Update a supplier' },
  },
  search: true,
  inactive: true,
  fields: {
    name: textArg('name', 'Supplier name'),
    email: textArg('email_address', 'Email'),
    phone: textArg('phone_number', 'Phone'),
    website: textArg('website', 'Website'),
    contact: textArg('contact_name', 'Contact name'),
    notes: htmlArg('notes', 'Notes, plain text'),
  },
  required: ['name'],
  project: (supplier) => ({
    id: supplier.id,
    name: optionalText(supplier.name) ?? '',
    email: optionalText(supplier.email_address),
    phone: optionalText(supplier.phone_number),
    inactive: supplier.inactive === true,
  }),
});

export const itemStockTools = resourceTools({
  toolset: 'suppliers',
  noun: 'item_stock',
  label: 'stock record',
  path: '/ItemStock',
  tools: {
    list: { name: 'halo_list_item_stock', title: 'List stock records', description: 'List the stock held of items, by location.' },
  },
  filters: { item_id: idArg('item_id', 'Item id') },
  project: (stock) => ({
    id: stock.id,
    item: ref(stock.item_id, stock.item_name),
    location: optionalText(stock.stocklocation_name),
    in_stock: typeof stock.quantity_remaining === 'number' ? stock.quantity_remaining : null,
    date: isoUtc(stock.date),
  }),
});

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [...supplierTools, ...itemStockTools];
