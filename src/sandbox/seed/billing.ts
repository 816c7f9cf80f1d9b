/** Contracts, quotations, invoices (one-off and recurring), and sales orders with their purchase orders. */
import { ITEMS, SUPPLIERS } from '../content.js';
import type { HaloRecord } from '../store.js';
import { DAY, type Customers, type SeedContext } from './context.js';

/** A client's managed-services contract; `prefix` starts its reference. */
export function seedContract({ random, store, now, daysAgo }: SeedContext, client: HaloRecord, prefix: string): void {
  const start = now + daysAgo(500);
  store.collection('contracts').insert({
    client_id: client.id,
    client_name: client.name,
    ref: `${prefix}-MSA-${random.int(100, 999)}`,
    contracttype_name: random.pick(['Managed Services', 'Block Hours', 'Break/Fix']),
    start_date: new Date(start).toISOString(),
    end_date: new Date(start + 365 * DAY).toISOString(),
    expired: start + 365 * DAY < now,
    periodchargeamount: random.int(8, 60) * 50,
    sla_id: random.chance(0.3) ? 2 : 1,
    sla_name: '',
    active: true,
  });
}

export function seedBilling(context: SeedContext, customers: Customers): void {
  seedQuotations(context, customers);
  seedInvoices(context, customers);
  seedRecurringInvoices(context, customers);
}

function seedQuotations({ random, store, at, daysAgo }: SeedContext, customers: Customers): void {
  for (let i = 0; i < 12; i++) {
    const client = random.pick(customers.clients);
    const item = random.pick(ITEMS);
    const qty = random.int(1, 10);
    store.collection('quotations').insert({
      title: `${item.name} x${qty}`,
      client_id: client.id,
      client_name: client.name,
      date: at(daysAgo(60)),
      expiry_date: at(30 * DAY),
      total: qty * item.price,
      status: random.int(0, 2),
      lines: [{ id: 1, item_code: item.name, qty_order: qty, unit_price: item.price }],
    });
  }
}

function seedInvoices({ random, store, at, daysAgo }: SeedContext, customers: Customers): void {
  for (let i = 0; i < 30; i++) {
    const client = random.pick(customers.clients);
    const lines = Array.from({ length: random.int(1, 3) }, (_, line) => {
      const item = random.pick(ITEMS);
      return { id: line + 1, item_shortdescription: item.name, qty_order: random.int(1, 12), unit_price: item.price };
    });
    const total = lines.reduce((sum, line) => sum + line.qty_order * line.unit_price, 0);
    const posted = random.chance(0.7);
    const invoice = {
      invoicenumber: `INV-${String(10400 + i)}`,
      client_id: client.id,
      client_name: client.name,
      invoice_date: at(daysAgo(90)),
      duedate: at(daysAgo(30) + 30 * DAY),
      posted,
      total,
      amountpaid: posted && random.chance(0.6) ? total : 0,
      lines,
    };
    // Halo behaviour: docs/halo-behaviour.md#invoice-amount-due
    store.collection('invoices').insert({ ...invoice, amountdue: invoice.total - invoice.amountpaid });
  }
}

function seedRecurringInvoices({ random, store, at, daysAgo }: SeedContext, customers: Customers): void {
  for (const client of customers.clients.slice(0, 8)) {
    store.collection('recurringinvoices').insert({
      invoicenumber: `RINV-${client.id}`,
      client_id: client.id,
      client_name: client.name,
      invoice_date: at(daysAgo(30)),
      posted: false,
      lines: [{ id: 1, item_shortdescription: 'Managed Support - per user (monthly)', qty_order: random.int(5, 40), unit_price: 45 }],
      total: 0,
    });
  }
}

/** Sales orders, the first three closed; every other one of a bought-in item has a purchase order from its supplier. */
export function seedOrders({ random, store, at, daysAgo }: SeedContext, customers: Customers): void {
  for (let i = 0; i < 8; i++) {
    const client = random.pick(customers.clients);
    const item = random.pick(ITEMS);
    const qty = random.int(1, 10);
    const order = store.collection('salesorders').insert({
      title: `${item.name} x${qty}`,
      client_id: client.id,
      client_name: client.name,
      date: at(daysAgo(60)),
      total: qty * item.price,
      closed: i < 3,
      lines: [{ id: 1, item_shortdescription: item.name, quantity: qty, unit_price: item.price }],
    });
    if (item.supplier > 0 && i % 2 === 0) {
      store.collection('purchaseorders').insert({
        title: `For sales order ${order.id}`,
        po_ref: `PO-${String(3100 + i)}`,
        supplier_id: item.supplier,
        supplier_name: SUPPLIERS[item.supplier - 1] ?? '',
        salesorder_id: order.id,
        client_id: client.id,
        date: at(daysAgo(50)),
        total: qty * item.cost,
        closed: i < 3,
      });
    }
  }
}
