/** Suppliers, the items the MSP buys from them and sells, and the stock it holds. */
import { ITEMS, SUPPLIERS, emailDomain } from '../content.js';
import type { SeedContext } from './context.js';

export function seedSuppliersAndItems({ random, store }: SeedContext): void {
  SUPPLIERS.forEach((name, index) =>
    store.collection('suppliers').insert({
      id: index + 1,
      name,
      email_address: `orders@${emailDomain(name)}`,
      phone_number: `0800 ${String(100000 + index * 7919).slice(0, 6)}`,
      inactive: false,
      toplevel_id: 1,
    }),
  );
  ITEMS.forEach((item, index) =>
    store.collection('items').insert({
      id: index + 1,
      name: item.name,
      description: item.name,
      costprice: item.cost,
      baseprice: item.price,
      supplier_id: item.supplier,
      supplier_name: SUPPLIERS[item.supplier - 1] ?? '',
      isrecurringitem: item.recurring,
      quantity_in_stock: item.recurring ? 0 : random.int(0, 25),
      inactive: false,
    }),
  );
}

/** A stock record in the main store for every item that is not a recurring service. */
export function seedStock({ store, at, daysAgo }: SeedContext): void {
  for (const item of store.collection('items').all().filter((candidate) => candidate.isrecurringitem !== true)) {
    store.collection('itemstock').insert({ item_id: item.id, item_name: item.name, stocklocation_name: 'Main store', quantity_in: Number(item.quantity_in_stock), quantity_remaining: Number(item.quantity_in_stock), date: at(daysAgo(90)) });
  }
}
