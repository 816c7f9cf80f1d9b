/** The catalog: every tool the server can offer, before toolset and access filtering. */
import type { AnyTool } from '../src/mcp/tool.js';
import { callOperationVariants, describeOperation, findOperations } from './api.js';
import { getAsset, searchAssets } from './assets.js';
import { getClient, getUser, searchClients, searchUsers } from './customers.js';
import { getKbArticle, searchKb } from './kb.js';
import { lookup, whoami } from './reference.js';
import { addNote, closeTicket, createTicket, getTicket, listTicketActions, searchTickets, updateTicket } from './tickets.js';

export const catalog: readonly AnyTool[] = [
  searchTickets,
  getTicket,
  createTicket,
  updateTicket,
  addNote,
  listTicketActions,
  closeTicket,
  searchClients,
  getClient,
  searchUsers,
  getUser,
  searchAssets,
  getAsset,
  searchKb,
  getKbArticle,
  lookup,
  whoami,
  findOperations,
  describeOperation,
  ...callOperationVariants,
] as readonly AnyTool[];
