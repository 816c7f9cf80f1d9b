/**
 * A scripted assistant session: 50 mixed tool calls as a service-desk agent makes them, records
 * named the way people name them (clients, agents and statuses by name), with searches, reads and
 * private notes. The request-economy and memory benchmarks run it.
 */
export type SessionCall = [name: string, args: Record<string, unknown>];

const clients = ['Acme Manufacturing', 'Contoso Legal LLP', 'Northwind Traders', 'Bluebell Nurseries', 'Quayside Restaurants'];

export function sessionCalls(): SessionCall[] {
  const calls: SessionCall[] = [['halo_whoami', {}]];
  for (let i = 0; i < 5; i++) {
    const client = clients[i] ?? 'Acme Manufacturing';
    const ticket = 10 + i * 7;
    calls.push(
      ['halo_search_tickets', { client, status: 'open', limit: 5 }],
      ['halo_search_tickets', { agent: 'Olivia Grant', priority: 'High', limit: 5 }],
      ['halo_get_ticket', { id: ticket }],
      ['halo_add_note', { ticket_id: ticket, note: `Checked with the user (session note ${i + 1}).` }],
      ['halo_search_clients', { query: client.split(' ')[0] }],
      ['halo_search_users', { client, limit: 5 }],
      ['halo_get_ticket', { id: ticket + 1 }],
      ['halo_search_kb', { query: i % 2 === 0 ? 'printer' : 'vpn' }],
      ['halo_list_ticket_actions', { ticket_id: ticket, limit: 5 }],
    );
  }
  calls.push(
    ['halo_lookup', { kind: 'statuses' }],
    ['halo_lookup', { kind: 'teams' }],
    ['halo_get_client', { id: 3 }],
    ['halo_get_user', { id: 20 }],
  );
  return calls;
}
