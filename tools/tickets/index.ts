/** Tickets: the core (search, read, write, notes, history, close), what a service desk does beyond it, and the composite views. */
import type { AnyTool } from '../../src/mcp/tool.js';
import {
  answerTicketApproval,
  createChildTicket,
  deleteTicket,
  getAttachment,
  linkTickets,
  listAttachments,
  listChildTickets,
  listLinkedTickets,
  listTicketApprovals,
  mergeTickets,
  restoreTicket,
  uploadAttachment,
} from './extras.js';
import { myQueue, ticketTimeline } from './queue.js';
import { attachmentResource, ticketResource } from './resources.js';
import { addNote, closeTicket, createTicket, getTicket, listTicketActions, searchTickets, updateTicket } from './tickets.js';

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [
  searchTickets,
  myQueue,
  getTicket,
  createTicket,
  updateTicket,
  addNote,
  listTicketActions,
  closeTicket,
  deleteTicket,
  restoreTicket,
  listChildTickets,
  createChildTicket,
  listLinkedTickets,
  linkTickets,
  mergeTickets,
  listTicketApprovals,
  answerTicketApproval,
  listAttachments,
  getAttachment,
  uploadAttachment,
  ticketTimeline,
];

export const resources = [attachmentResource, ticketResource];
