/** In-memory tables of the sandbox tenant. */

export interface HaloRecord {
  id: number;
  [field: string]: unknown;
}

/** Counts writes across a store, so that cached list results know when they are stale. */
class WriteCounter {
  value = 0;
}

/** One table of records keyed by id; ids are handed out in ascending order like Halo's identity columns. */
export class Collection {
  private readonly byId = new Map<number, HaloRecord>();
  private ordered: HaloRecord[] | undefined;
  private lastId = 0;

  constructor(private readonly writes: WriteCounter) {}

  /** Every record, in ascending id order. The array is shared: callers must not change it. */
  all(): readonly HaloRecord[] {
    this.ordered ??= [...this.byId.values()].sort((a, b) => a.id - b.id);
    return this.ordered;
  }

  get(id: number): HaloRecord | undefined {
    return this.byId.get(id);
  }

  /** Adds a record; it keeps the id it brings (seeding) or gets the next free one. */
  insert(fields: Omit<HaloRecord, 'id'> & { id?: number }): HaloRecord {
    const id = typeof fields.id === 'number' && fields.id > 0 ? fields.id : this.lastId + 1;
    const record: HaloRecord = { ...fields, id };
    const appendsInOrder = id > this.lastId;
    this.byId.set(id, record);
    this.lastId = Math.max(this.lastId, id);
    if (appendsInOrder && this.ordered) this.ordered.push(record);
    else this.ordered = undefined;
    this.writes.value++;
    return record;
  }

  /** Replaces a record with a new object, so that records handed out earlier are never mutated. */
  replace(record: HaloRecord): HaloRecord {
    this.byId.set(record.id, record);
    this.ordered = undefined;
    this.writes.value++;
    return record;
  }

  delete(id: number): boolean {
    const deleted = this.byId.delete(id);
    if (deleted) {
      this.ordered = undefined;
      this.writes.value++;
    }
    return deleted;
  }
}

/** The tenant's data: named collections, plus actions, which Halo numbers per ticket. */
export class Store {
  private readonly collections = new Map<string, Collection>();
  private readonly actionsByTicket = new Map<number, HaloRecord[]>();
  private readonly writes = new WriteCounter();

  /** Changes with every write to any table. */
  get version(): number {
    return this.writes.value;
  }

  collection(name: string): Collection {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new Collection(this.writes);
      this.collections.set(name, collection);
    }
    return collection;
  }

  /** Every table by name. */
  tables(): ReadonlyMap<string, Collection> {
    return this.collections;
  }

  /** Every ticket's actions. */
  allActions(): Iterable<readonly HaloRecord[]> {
    return this.actionsByTicket.values();
  }

  actions(ticketId: number): readonly HaloRecord[] {
    return this.actionsByTicket.get(ticketId) ?? [];
  }

  // Halo behaviour: docs/halo-behaviour.md#action-ids-per-ticket
  /** Adds an action to a ticket with the next action number of that ticket. */
  addAction(ticketId: number, fields: Omit<HaloRecord, 'id'>): HaloRecord {
    let list = this.actionsByTicket.get(ticketId);
    if (!list) {
      list = [];
      this.actionsByTicket.set(ticketId, list);
    }
    const last = list[list.length - 1];
    const action: HaloRecord = { ...fields, ticket_id: ticketId, id: last ? last.id + 1 : 1 };
    list.push(action);
    this.writes.value++;
    return action;
  }

  replaceAction(action: HaloRecord & { ticket_id: number }): void {
    const list = this.actionsByTicket.get(action.ticket_id) ?? [];
    const index = list.findIndex((existing) => existing.id === action.id);
    if (index >= 0) list[index] = action;
    this.writes.value++;
  }

  deleteAction(ticketId: number, actionId: number): boolean {
    const list = this.actionsByTicket.get(ticketId);
    const index = list?.findIndex((existing) => existing.id === actionId) ?? -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    this.writes.value++;
    return true;
  }
}
