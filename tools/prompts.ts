/**
 * Prompts for the work a service desk does every day. Each tells the model which tools to use and
 * how carefully (dry runs first, nothing sent to the customer without approval); the server offers
 * a prompt only when the tools it relies on are. A ticket number and a client are completed from
 * Halo as they are typed.
 */
import type { PromptArgument, PromptSpec } from '../src/mcp/prompts.js';
import { completeIds, completeNames } from '../src/toolkit/completion.js';

const ticketId: PromptArgument = { description: 'Ticket number', complete: (halo, value) => completeIds(halo, '/Tickets', value, { domain: 'reqs' }) };
const clientName: PromptArgument = { description: 'Client name or id', complete: (halo, value) => completeNames(halo, '/Client', value) };
const tone: PromptArgument = { description: 'For example: brief, formal, reassuring', optional: true };

export const prompts: PromptSpec[] = [
  {
    name: 'triage_ticket',
    title: 'Triage a ticket',
    description: 'Read a ticket, find related tickets and articles, and propose type, priority, category, assignment and a next step.',
    needs: ['halo_get_ticket', 'halo_search_tickets', 'halo_search_kb'],
    args: { ticket_id: ticketId },
    text: ({ ticket_id }, offers) =>
      `Triage Halo ticket #${ticket_id ?? ''}.\n` +
      `1. Read it with halo_get_ticket (resource halo://tickets/${ticket_id ?? ''}).\n` +
      '2. Look for related open tickets from the same client or about the same problem with halo_search_tickets, and for a fix with halo_search_kb.\n' +
      '3. Propose the ticket type, priority, category, team or agent, and the next step, each with a one-line reason. Mention a likely duplicate if you found one.\n' +
      (offers('halo_update_ticket')
        ? 'Do not change the ticket. If I agree, apply the changes with halo_update_ticket, first with dry_run: true.'
        : 'Do not change the ticket: this server cannot, so I will make the changes in Halo.'),
  },
  {
    name: 'summarise_client',
    title: "Summarise a client's open work",
    description: "Summarise a client's open tickets: what is urgent, what waits on whom, what is overdue.",
    needs: ['halo_get_client', 'halo_search_tickets'],
    args: { client: clientName },
    text: ({ client }) =>
      `Summarise the open work for the Halo client "${client ?? ''}".\n` +
      '1. Read the client with halo_get_client.\n' +
      '2. List its open tickets with halo_search_tickets (status "open"), following next_cursor until you have them all.\n' +
      '3. Group them: urgent or past their fix-by time, waiting on the customer, waiting on us, and the rest. Give ticket numbers, one line each, and end with the three things to do first.',
  },
  {
    name: 'draft_reply',
    title: 'Draft a reply to the end user',
    description: 'Draft a reply to the end user of a ticket, for review before anything is sent.',
    needs: ['halo_get_ticket', 'halo_add_note'],
    args: { ticket_id: ticketId, tone },
    text: ({ ticket_id, tone }) =>
      `Draft a reply to the end user of Halo ticket #${ticket_id ?? ''}${tone ? ` in a ${tone} tone` : ''}.\n` +
      '1. Read the ticket and its latest actions with halo_get_ticket (actions: 10).\n' +
      '2. Write the reply in plain text: what we found, what we did or will do, and what we need from them. No internal notes, no guesses presented as facts.\n' +
      'Show me the draft and send nothing. When I approve, add it with halo_add_note with private: false and send_email: true, first with dry_run: true.',
  },
  {
    name: 'kb_from_ticket',
    title: 'Turn a resolved ticket into a knowledge base article',
    description: 'Draft a knowledge base article from how a resolved ticket was fixed.',
    needs: ['halo_get_ticket', 'halo_list_ticket_actions', 'halo_search_kb'],
    args: { ticket_id: ticketId },
    text: ({ ticket_id }) =>
      `Draft a knowledge base article from Halo ticket #${ticket_id ?? ''}.\n` +
      '1. Read the ticket with halo_get_ticket, and its whole history with halo_list_ticket_actions (limit: 100), following next_cursor to the end. If the answer has history_cut, tell me that part of the history could not be read.\n' +
      '2. Check with halo_search_kb that no article covers it already; if one does, propose changes to it instead.\n' +
      '3. Write: a title a user would search for, the symptoms, the cause, and numbered resolution steps. Leave out names, email addresses, passwords and anything specific to this client.\n' +
      'Show me the draft; do not save it anywhere.',
  },
];
