/**
 * The catalog: every tool the server can offer, before toolset and access filtering, and the
 * resources and prompts beside them. The server is handed these (createServer takes them).
 */
import type { ResourceSpec } from '../src/mcp/resources.js';
import type { AnyTool } from '../src/mcp/tool.js';
import { adminTools } from './admin.js';
import { callOperationVariants, describeOperation, findOperations } from './api.js';
import { assetGroupTools, assetTypeTools, assetWriteTools, getAsset, licenceTools, searchAssets } from './assets.js';
import { addInvoiceLines, contractTools, createInvoice, invoiceTools, itemTools, purchaseOrderTools, quotationTools, recurringInvoiceTools, salesOrderTools } from './billing.js';
import { clientOverview } from './customers/overview.js';
import { clientResource } from './customers/resources.js';
import { myQueue, ticketTimeline } from './tickets/queue.js';
import { attachmentResource, ticketResource } from './tickets/resources.js';
import { clientTools, crmNoteTools, organisationTools, siteTools, topLevelTools, userTools } from './customers/crm.js';
import { getClient, getUser, searchClients, searchUsers } from './customers/customers.js';
import { archiveKbArticle, faqListTools, getKbArticle, kbResource, kbWriteTools, searchKb } from './kb.js';
import { listProjectTasks, projectTimeSummary, projectTools } from './projects.js';
import { lookup, whoami } from './reference.js';
import { describeSqlTable, listSqlTables, reportTools, runReport, runSql } from './reports.js';
import { opportunityTools } from './sales.js';
import { itemStockTools, supplierTools } from './suppliers.js';
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
} from './tickets/extras.js';
import { addNote, closeTicket, createTicket, getTicket, listTicketActions, searchTickets, updateTicket } from './tickets/tickets.js';
import { appointmentTools, getTimesheet, logTime, timesheetEventTools, toDoTools } from './time.js';

export const catalog: readonly AnyTool[] = [
  // core
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
  // api
  findOperations,
  describeOperation,
  ...callOperationVariants,
  // tickets
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
  myQueue,
  ticketTimeline,
  // crm
  ...clientTools,
  ...siteTools,
  ...userTools,
  ...crmNoteTools,
  ...topLevelTools,
  ...organisationTools,
  clientOverview,
  // assets
  ...assetWriteTools,
  ...assetTypeTools,
  ...assetGroupTools,
  ...licenceTools,
  // kb
  ...kbWriteTools,
  archiveKbArticle,
  ...faqListTools,
  // projects
  ...projectTools,
  listProjectTasks,
  projectTimeSummary,
  // time
  ...appointmentTools,
  getTimesheet,
  ...timesheetEventTools,
  ...toDoTools,
  logTime,
  // billing
  ...invoiceTools,
  createInvoice,
  addInvoiceLines,
  ...recurringInvoiceTools,
  ...contractTools,
  ...itemTools,
  ...quotationTools,
  ...salesOrderTools,
  ...purchaseOrderTools,
  // sales
  ...opportunityTools,
  // suppliers
  ...supplierTools,
  ...itemStockTools,
  // reports
  ...reportTools,
  runReport,
  runSql,
  listSqlTables,
  describeSqlTable,
  // admin
  ...adminTools,
] as readonly AnyTool[];

export const resources: readonly ResourceSpec[] = [attachmentResource, ticketResource, clientResource, kbResource];

export { prompts } from './prompts.js';
