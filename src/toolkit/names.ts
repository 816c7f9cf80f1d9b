/** The names a projection shows beside the ids Halo sends: statuses, ticket types, priorities and agents. */
import type { CallOptions } from '../halo/client.js';
import type { Resolver } from './resolve.js';
import { ref, type Ref } from './values.js';

/** Names of listed references, loaded once per call so that projecting many records stays synchronous. */
export interface NameBook {
  status(id: unknown): Ref | null;
  ticketType(id: unknown): Ref | null;
  priority(id: unknown, slaId?: unknown): Ref | null;
  agent(id: unknown): Ref | null;
}

export async function loadNameBook(resolver: Resolver, options: CallOptions = {}): Promise<NameBook> {
  const [statuses, types, priorities, agents] = await Promise.all([
    resolver.list('status', options),
    resolver.list('ticket_type', options),
    resolver.list('priority', options),
    resolver.list('agent', options),
  ]);
  const byId = (list: typeof statuses) => new Map(list.map((reference) => [reference.id, reference.name]));
  const statusNames = byId(statuses);
  const typeNames = byId(types);
  const agentNames = byId(agents);
  return {
    status: (id) => ref(id, statusNames.get(id as number)),
    ticketType: (id) => ref(id, typeNames.get(id as number)),
    priority: (id, slaId) => {
      const match = priorities.find((p) => p.id === id && (slaId === undefined || p.record.slaid === slaId)) ?? priorities.find((p) => p.id === id);
      return ref(id, match?.name);
    },
    // Halo leaves API agents out of its agent list; a ticket can still be theirs.
    agent: (id) => ref(id, agentNames.get(id as number) ?? (typeof id === 'number' && id > 0 ? `agent ${id}` : undefined)),
  };
}
