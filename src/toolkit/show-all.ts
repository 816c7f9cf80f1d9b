/**
 * Lists Halo shortens to what the API's agent may see unless `showall=true` asks for all of them:
 * without it, `/TicketType` answered no types at all to an API agent on a live tenant. Halo's
 * document declares the switch on these lists (an "admin override" of ticket, team and org
 * permissions), and every tool that reads one of them sends it.
 */
import type { Query } from '../halo/client.js';

const SHOW_ALL_LISTS = new Set(['/agent', '/appointment', '/status', '/team', '/tickettype']);

/** The query that asks Halo for the whole of a list, for the lists that take it; nothing for the rest. */
export function showAllQuery(path: string): Query {
  return SHOW_ALL_LISTS.has(path.toLowerCase()) ? { showall: true } : {};
}
