/**
 * Checked by the compiler (`npm run typecheck`), never run: each `@ts-expect-error` marks a call
 * the client's types must refuse. Were the typing to stop refusing one, the directive would be
 * unused, and that is itself a compile error, so this file fails the build.
 */
import type { HaloClient, HaloRecord } from '../../src/halo/client.js';

export async function misspeltNames(halo: HaloClient): Promise<void> {
  // @ts-expect-error -- GET /Tickets has no parameter "serch" (it is "search").
  await halo.list('/Tickets', { serch: 'printer' });

  const query = { count: 5, open_only: true, serch: 'printer' };
  // @ts-expect-error -- a query built before the call is held to the same names.
  await halo.list('/Tickets', query);

  // @ts-expect-error -- GET /Tickets/{id} has no parameter "includedetail".
  await halo.get('/Tickets', 1, { includedetail: true });

  // @ts-expect-error -- a ticket has no field "sumary" to write either.
  await halo.upsert('/Tickets', { id: 1, sumary: 'Printer jammed' });

  const body = { id: 1, client_id: 2, sumary: 'Printer jammed' };
  // @ts-expect-error -- a record built before the call (a dry run shows it first) is held to the same names.
  await halo.upsert('/Tickets', body);

  // @ts-expect-error -- "_loadreportonly" is the name; a report's record has no "loadreportonly".
  await halo.request({ method: 'POST', path: '/Report', body: [{ sql: 'SELECT 1', loadreportonly: true }] });
}

export async function misspeltField(halo: HaloClient): Promise<unknown> {
  const ticket = await halo.get('/Tickets', 1);
  // @ts-expect-error -- a ticket (Faults) has no field "sumary" (it is "summary").
  return ticket.sumary;
}

export async function wrongPathsAndTypes(halo: HaloClient): Promise<void> {
  // @ts-expect-error -- the path is "/Tickets".
  await halo.list('/Ticket');

  // @ts-expect-error -- the document has no DELETE /ToDo/{id}.
  await halo.remove('/ToDo', 1);

  // @ts-expect-error -- the document has no DELETE /Tickets.
  await halo.request({ method: 'DELETE', path: '/Tickets' });

  // @ts-expect-error -- "count" is an integer.
  await halo.list('/Tickets', { count: 'ten' });
}

export async function namesThatAreRight(halo: HaloClient, fromATool: HaloRecord): Promise<void> {
  // Names the document declares, and those the evidence overlay adds (ticket_id on DELETE /Actions/{id}, who on an action).
  await halo.list('/Tickets', { search: 'printer', count: 5, open_only: true, team_id: 3 });
  await halo.remove('/Actions', 7, { ticket_id: 12 });
  await halo.upsert('/Actions', { ticket_id: 12, note_html: '<p>Called back.</p>', who: 'API' });
  await halo.request({ method: 'POST', path: '/Report', body: [{ sql: 'SELECT 1', _loadreportonly: true }] });
  // A record whose names a tool declares passes as it is; the gateway's calls take any path and names.
  await halo.upsert('/Site', fromATool);
  await halo.requestAny({ method: 'GET', path: '/AnyPath', query: { any_name: 1 } });
}
