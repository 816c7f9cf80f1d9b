/** Reference data and the first diagnostic: who the API is, and what this server may do. */
import { z } from 'zod';
import { HaloError } from '../src/halo/errors.js';
import { textOf } from '../src/util/text.js';
import { ResolutionError, ToolInputError } from '../src/toolkit/errors.js';
import { cursor, limit, nameOrId } from '../src/toolkit/inputs.js';
import { anyRecord, listOutput } from '../src/toolkit/outputs.js';
import { meField, type ListKind } from '../src/toolkit/resolve.js';
import { arrayPage } from '../src/toolkit/paging.js';
import { toolErrorText } from '../src/mcp/errors.js';
import { defineTool, type AnyTool, type ToolContext } from '../src/mcp/tool.js';
import type { HaloRecord } from '../src/halo/client.js';

const KINDS: Record<string, ListKind> = {
  statuses: 'status',
  ticket_types: 'ticket_type',
  priorities: 'priority',
  categories: 'category',
  outcomes: 'outcome',
  teams: 'team',
  agents: 'agent',
  asset_types: 'asset_type',
};

/** The detail worth showing beside each kind's name. */
function extras(kind: string, record: HaloRecord): Record<string, unknown> {
  switch (kind) {
    case 'statuses':
      // Halo documents no meaning for the number: it is shown under a name that claims none (see STATUS_TYPE_NOTE).
      return { type_code: record.type ?? null };
    case 'priorities':
      return { sla_id: record.slaid ?? null };
    case 'agents':
      return { email: record.email ?? null, team: record.team ?? null, ...(record.isdisabled === true ? { disabled: true } : {}) };
    case 'ticket_types':
      return record.use ? { area: record.use } : {};
    default:
      return {};
  }
}

/**
 * Said once with the statuses: no public source says what each of Halo's status type numbers
 * means, and a model would otherwise guess that 0 is open and 1 closed.
 */
const STATUS_TYPE_NOTE =
  'type_code is Halo\'s status type number, whose meaning Halo does not document: do not read open or closed from it. halo_search_tickets with status "open" or "closed" tells them apart.';

export const lookup = defineTool({
  name: 'halo_lookup',
  title: 'Look up reference data',
  description: "List reference data (statuses, priorities, teams, agents...) or a client's sites.",
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    kind: z.enum(['statuses', 'ticket_types', 'priorities', 'categories', 'outcomes', 'teams', 'agents', 'asset_types', 'sites']).describe('What to list'),
    client: nameOrId('Client name or id (for sites)').optional(),
    query: z.string().optional().describe('Only names containing this'),
    limit: limit.default(100),
    cursor,
  }),
  output: listOutput,
  handler: async (args, context) => {
    const { resolver, signal } = context;
    let entries: { id: number; name: string; record: HaloRecord }[];
    const listKind = KINDS[args.kind];
    if (listKind) {
      entries = await resolver.list(listKind, { signal });
    } else {
      if (args.client === undefined) throw new ToolInputError('Sites belong to a client: give client as well.');
      const clientId = await resolver.resolve('client', args.client, { signal });
      const { items } = await context.halo.list('/Site', { client_id: clientId }, { signal });
      entries = items.map((record) => ({ id: Number(record.id), name: textOf(record.name), record }));
    }
    const needle = args.query?.trim().toLowerCase();
    const seen = new Set<number>();
    const items = entries
      .filter((entry) => !needle || entry.name.toLowerCase().includes(needle))
      // A priority appears once per SLA under the same id; one line each is enough.
      .filter((entry) => args.kind !== 'priorities' || (!seen.has(entry.id) && seen.add(entry.id)))
      .map((entry) => ({ id: entry.id, name: entry.name, ...extras(args.kind, entry.record) }));
    const page = arrayPage(items, context, { tool: 'halo_lookup', args });
    return args.kind === 'statuses' ? { ...page, note: STATUS_TYPE_NOTE } : page;
  },
});

/** The connection halo_whoami reports: the settings always, the agent and scopes when Halo answered. */
const connectionOutput = z.looseObject({
  connected: z.boolean(),
  url: z.string(),
  toolsets: z.array(z.string()),
  read_only: z.boolean(),
  agent: anyRecord.optional(),
  error: z.string().optional(),
});

/** Whom agent "me" means and where that comes from; a HALO_AGENT that names no agent is said here rather than failing the whole answer. */
async function whoMeIs({ resolver, signal, halo, settings }: ToolContext): Promise<Record<string, unknown>> {
  try {
    const me = await resolver.me({ signal });
    if (me.from === 'sign_in' && settings.agent !== undefined) return { ...meField(me), from: me.from, note: 'HALO_AGENT is ignored: the sign-in wins.' };
    return { ...meField(me), from: me.from };
  } catch (error) {
    if (!(error instanceof ResolutionError)) throw error;
    return { error: toolErrorText(error, (text) => halo.redact(text)), from: 'HALO_AGENT' };
  }
}

export const whoami = defineTool({
  name: 'halo_whoami',
  title: 'Who am I',
  description: 'The connection: agent, who "me" is, scopes, toolsets, whether writes are allowed. Run it first when a call fails.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({}),
  output: connectionOutput,
  handler: async (_args, context) => {
    const { halo, settings } = context;
    // Made after the first token request: the scopes asked for may have fallen back by then.
    const base = () => ({
      url: halo.config.url,
      tenant: halo.config.tenant ?? null,
      auth_url: halo.config.authUrl,
      signs_in: halo.actsAs === 'technician' ? 'as the technician who signed in (halopsa-mcp login): calls act as them' : 'client credentials: calls act as the agent the API application logs in as',
      scopes_requested: halo.requestedScope,
      toolsets: settings.toolsets,
      read_only: settings.readOnly,
      writes_allowed: !settings.readOnly,
      destructive_allowed: settings.allowDestructive && !settings.readOnly,
      timezone: settings.timezone,
      ...(settings.problems.length > 0 ? { settings_problems: settings.problems } : {}),
    });
    const { resolver, signal } = context;
    try {
      // "me" is the agent calls act as unless HALO_AGENT names another (a sign-in overrides it), so one request answers both.
      const api = settings.agent === undefined || halo.actsAs === 'technician' ? (await resolver.me({ signal })).record : await halo.get('/Agent', 'me', {}, { signal });
      return {
        connected: true,
        agent: { id: Number(api.id), name: textOf(api.name), email: api.email ?? null },
        me: await whoMeIs(context),
        scopes_granted: halo.grantedScopes ?? null,
        ...base(),
      };
    } catch (error) {
      if (!(error instanceof HaloError)) throw error;
      return { connected: false, error: error.message, ...base() };
    }
  },
  failed: (answer) => !answer.connected,
});

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [lookup, whoami];
