/**
 * Records as resources a person can browse (`halo://tickets/{id}` and the like), registered from
 * the specs the catalog hands in: read as Markdown (or as a file), listed, and with `{id}`
 * completed as it is typed. What each resource holds is the catalog's; how it is served is here.
 */
import { McpServer, ProtocolError, ProtocolErrorCode, ResourceNotFoundError, ResourceTemplate, type ReadResourceResult } from '@modelcontextprotocol/server';
import type { HaloClient } from '../halo/client.js';
import { HaloError } from '../halo/errors.js';
import type { Resolver } from '../toolkit/resolve.js';
import { visibleText } from '../toolkit/untrusted.js';

/** Records a resource listing shows: a client browsing wants the latest few, not a tenant's thousands. */
const LIST_LIMIT = 50;

export interface ResourceDeps {
  halo: HaloClient;
  resolver: Resolver;
  signal: AbortSignal;
}

/** What reading one record gives: Markdown, or a file. */
export type ResourceContent = { markdown: string } | { blob: string; mimeType: string };

export interface ResourceSpec {
  name: string;
  /** A URI template with one variable, `{id}`, the record's id: `halo://tickets/{id}`. */
  uriTemplate: `${string}{id}`;
  title: string;
  description: string;
  /** Set for Markdown records; a file's type comes with its content. */
  markdown?: true;
  /** At most `limit` records (the latest) for a client that lists resources; unset when records cannot be listed. */
  list?: (deps: ResourceDeps, limit: number) => Promise<{ id: number; name: string }[]>;
  /** Ids of records whose text matches what has been typed so far. */
  complete?: (halo: HaloClient, value: string) => Promise<string[]>;
  read: (id: number, deps: ResourceDeps) => Promise<ResourceContent>;
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

/** A record as MCP contents; Markdown with no character in it that a reader cannot see. */
function contents(uri: URL, content: ResourceContent): ReadResourceResult {
  if ('markdown' in content) return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: visibleText(content.markdown) }] };
  return { contents: [{ uri: uri.href, mimeType: content.mimeType, blob: content.blob }] };
}

export function registerResources(server: McpServer, resources: readonly ResourceSpec[], { halo, resolver }: Omit<ResourceDeps, 'signal'>): void {
  for (const spec of resources) {
    const uriOf = (id: number) => spec.uriTemplate.replace('{id}', String(id));
    const mimeType = spec.markdown ? { mimeType: 'text/markdown' } : {};
    const list = spec.list;
    const complete = spec.complete;
    server.registerResource(
      spec.name,
      new ResourceTemplate(spec.uriTemplate, {
        list: list
          ? async (request) => ({
              resources: (await list({ halo, resolver, signal: request.mcpReq.signal }, LIST_LIMIT)).map((record) => ({ uri: uriOf(record.id), name: record.name, ...mimeType })),
            })
          : undefined,
        ...(complete ? { complete: { id: (value: string) => complete(halo, value) } } : {}),
      }),
      { title: spec.title, description: spec.description, ...mimeType },
      (uri, variables, request) =>
        protocolErrors(halo, uri, async () => contents(uri, await spec.read(idFrom(variables.id), { halo, resolver, signal: request.mcpReq.signal }))),
    );
  }
}
