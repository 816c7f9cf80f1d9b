/** What hangs off live tickets: to-dos, attachments and approvals. */
import type { HaloRecord } from '../store.js';
import type { SeedContext } from './context.js';

export function seedTicketExtras(context: SeedContext, liveTickets: readonly HaloRecord[]): void {
  seedTodos(context, liveTickets);
  seedAttachments(context, liveTickets);
  seedApprovals(context, liveTickets);
}

function seedTodos({ random, store }: SeedContext, liveTickets: readonly HaloRecord[]): void {
  for (const ticket of liveTickets.slice(0, 12)) {
    ['Confirm with the user', 'Update the documentation'].forEach((text, index) =>
      store.collection('todos').insert({ ticket_id: ticket.id, text, done: index === 0 && random.chance(0.5), sequence: index + 1 }),
    );
  }
}

/** A screenshot or an event log, in turn, on the first ten live tickets. */
function seedAttachments({ store, at, daysAgo }: SeedContext, liveTickets: readonly HaloRecord[]): void {
  const files = [
    { filename: 'error-screenshot.png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' },
    { filename: 'event-log.txt', data: Buffer.from('Event 153: The IO operation at logical block address was retried.\n').toString('base64') },
  ];
  liveTickets.slice(0, 10).forEach((ticket, index) => {
    const file = files[index % files.length] ?? files[0];
    if (!file) return;
    store.collection('attachments').insert({ ticket_id: ticket.id, filename: file.filename, data_base64: file.data, filesize: Buffer.from(file.data, 'base64').length, isimage: file.filename.endsWith('.png'), datecreated: at(daysAgo(10)) });
  });
}

/** A two-step change approval, still pending, on the first three live incidents. */
function seedApprovals({ store }: SeedContext, liveTickets: readonly HaloRecord[]): void {
  for (const ticket of liveTickets.filter((candidate) => candidate.tickettype_id === 1).slice(0, 3)) {
    store.collection('approvals').insert({ ticket_id: ticket.id, seq: 1, name: 'Jane Doe', agent_id: 1, result: 0, approval_process_name: 'Change approval' });
    store.collection('approvals').insert({ ticket_id: ticket.id, seq: 2, name: 'Olivia Grant', agent_id: 5, result: 0, approval_process_name: 'Change approval' });
  }
}
