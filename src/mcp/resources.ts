/**
 * Tickets, clients and knowledge-base articles as resources a person can browse: `halo://tickets/{id}`,
 * `halo://clients/{id}` and `halo://kb/{id}`, read as Markdown, listed (at most 50 each) and with
 * `{id}` completed by search.
 */
import { McpServer, ProtocolError, ProtocolErrorCode, ResourceNotFoundError, ResourceTemplate, type ReadResourceResult } from '@modelcontextprotocol/server';
import type { HaloClient, HaloRecord, RecordPath } from '../halo/client.js';
import { HaloError } from '../halo/errors.js';
import { textOf } from '../util/text.js';
import { readHistory } from '../toolkit/history.js';
import { clientMarkdown, kbMarkdown, ticketMarkdown } from '../toolkit/markdown.js';
import { actionSummary, clientDetail, kbDetail, loadNameBook, ticketDetail } from '../toolkit/projections.js';
import type { Resolver } from '../toolkit/resolve.js';
import { loadTextShaper } from '../toolkit/shape.js';
import { singleLine, visibleText } from '../toolkit/untrusted.js';

const LIST_LIMIT = 50;
/** Actions a ticket resource shows, newest first. */
const LATEST_ACTIONS = 5;
const COMPLETIONS = 10;

interface Deps {
  halo: HaloClient;
  resolver: Resolver;
}

function idFrom(value: string | string[] | undefined): number {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text || !/^\d+$/.test(text)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `"${String(text)}" is not a record id.`);
  return Number(text);
}

/**
 * Halo's failures as protocol errors, with Halo's message and nothing secret. A record Halo does
 * not have is the resource-not-found error, which carries the URI (`data.uri`). MCP 2025-11-25
 * numbered it -32002; the SDK answers every revision with -32602, the number 2026-07-28 requires,
 * and clients of the earlier revisions are told to accept both.
 */
async function protocolErrors<T>(halo: HaloClient, uri: URL, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HaloError) {
      const message = halo.redact(error.message);
      throw error.kind === 'not_found' ? new ResourceNotFoundError(uri.href, message) : new ProtocolError(ProtocolErrorCode.InternalError, message);
    }
    throw error;
  }
}

/** A record read as Markdown, with no character in it that a reader cannot see. */
function reading(halo: HaloClient, uri: URL, read: () => Promise<string>): Promise<ReadResourceResult> {
  return protocolErrors(halo, uri, async () => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: visibleText(await read()) }] }));
}

/** Ids of records whose text matches what has been typed so far. */
export async function completeIds(halo: HaloClient, path: RecordPath, value: string, query: Record<string, string | boolean> = {}): Promise<string[]> {
  if (value.trim() === '') return [];
  const { items } = await halo.list(path, { ...query, search: value, count: COMPLETIONS });
  return items.map((item: HaloRecord) => String(item.id));
}

/** Names of records that match what has been typed so far. */
export async function completeNames(halo: HaloClient, path: RecordPath, value: string): Promise<string[]> {
  if (value.trim() === '') return [];
  const { items } = await halo.list(path, { search: value, count: COMPLETIONS });
  return items.map((item: HaloRecord) => singleLine(textOf(item.name))).filter(Boolean);
}

export function registerResources(server: McpServer, { halo, resolver }: Deps): void {
  server.registerResource(
    'attachment',
    new ResourceTemplate('halo://attachments/{id}', { list: undefined }),
    { title: 'Attachment', description: 'A file attached to a Halo ticket' },
    (uri, variables, request) =>
      protocolErrors(halo, uri, async () => {
        const attachment = await halo.get('/Attachment', idFrom(variables.id), { includedetails: true }, { signal: request.mcpReq.signal });
        const mimeType = textOf(attachment.content_type) || (attachment.isimage === true ? 'image/png' : 'application/octet-stream');
        return { contents: [{ uri: uri.href, mimeType, blob: textOf(attachment.data_base64) }] };
      }),
  );

  server.registerResource(
    'ticket',
    new ResourceTemplate('halo://tickets/{id}', {
      list: async (request) => {
        const { items } = await halo.list(
          '/Tickets',
          { domain: 'reqs', open_only: true, count: LIST_LIMIT, order: 'lastactiondate', orderdesc: true },
          { signal: request.mcpReq.signal },
        );
        return { resources: items.map((ticket) => ({ uri: `halo://tickets/${String(ticket.id)}`, name: `#${String(ticket.id)} ${singleLine(textOf(ticket.summary))}`, mimeType: 'text/markdown' })) };
      },
      complete: { id: (value) => completeIds(halo, '/Tickets', value, { domain: 'reqs' }) },
    }),
    { title: 'Ticket', description: 'A Halo ticket with its latest actions', mimeType: 'text/markdown' },
    (uri, variables, request) =>
      reading(halo, uri, async () => {
        const id = idFrom(variables.id);
        const [ticket, history, names, text] = await Promise.all([
          halo.get('/Tickets', id, { includedetails: true }, { signal: request.mcpReq.signal }),
          readHistory(halo, id, {}, { signal: request.mcpReq.signal }),
          loadNameBook(resolver, { signal: request.mcpReq.signal }),
          loadTextShaper(),
        ]);
        const latest = history.actions.slice(0, LATEST_ACTIONS).map((action) => actionSummary(action, text));
        return ticketMarkdown(ticketDetail(ticket, names, text), latest, history);
      }),
  );

  server.registerResource(
    'client',
    new ResourceTemplate('halo://clients/{id}', {
      list: async (request) => {
        const { items } = await halo.list('/Client', { count: LIST_LIMIT, order: 'name' }, { signal: request.mcpReq.signal });
        return { resources: items.map((client) => ({ uri: `halo://clients/${String(client.id)}`, name: singleLine(textOf(client.name)), mimeType: 'text/markdown' })) };
      },
      complete: { id: (value) => completeIds(halo, '/Client', value) },
    }),
    { title: 'Client', description: 'A Halo client with its open tickets', mimeType: 'text/markdown' },
    (uri, variables, request) =>
      reading(halo, uri, async () => {
        const id = idFrom(variables.id);
        const [client, tickets, text] = await Promise.all([
          halo.get('/Client', id, { includedetails: true }, { signal: request.mcpReq.signal }),
          halo.list('/Tickets', { client_id: id, open_only: true, domain: 'reqs', count: 20, order: 'lastactiondate', orderdesc: true }, { signal: request.mcpReq.signal }),
          loadTextShaper(),
        ]);
        return clientMarkdown(
          clientDetail(client, text),
          tickets.items.map((ticket) => ({ id: Number(ticket.id), summary: textOf(ticket.summary) })),
        );
      }),
  );

  server.registerResource(
    'kb_article',
    new ResourceTemplate('halo://kb/{id}', {
      list: async (request) => {
        const { items } = await halo.list('/KBArticle', { count: LIST_LIMIT }, { signal: request.mcpReq.signal });
        return { resources: items.map((article) => ({ uri: `halo://kb/${String(article.id)}`, name: singleLine(textOf(article.name)), mimeType: 'text/markdown' })) };
      },
      complete: { id: (value) => completeIds(halo, '/KBArticle', value) },
    }),
    { title: 'Knowledge base article', description: 'A Halo knowledge base article', mimeType: 'text/markdown' },
    (uri, variables, request) =>
      reading(halo, uri, async () => {
        const [article, text] = await Promise.all([halo.get('/KBArticle', idFrom(variables.id), { includedetails: true }, { signal: request.mcpReq.signal }), loadTextShaper()]);
        return kbMarkdown(kbDetail(article, text));
      }),
  );
}
