/** Tickets: find, read, create, update, add notes, read the history, close. */
import { z } from 'zod';
import type { HaloRecord, Query } from '../../src/halo/client.js';
import { parseDateRange } from '../../src/toolkit/dates.js';
import { HaloValidationError } from '../../src/halo/errors.js';
import { ToolInputError } from '../../src/toolkit/errors.js';
import { cursor, dateRange, dryRun, fields, format, limit, nameOrId, recordId, requiredText } from '../../src/toolkit/inputs.js';
import { listOutput, recordOutput, searchOutput, writeOutput } from '../../src/toolkit/outputs.js';
import { loadNameBook, type NameBook } from '../../src/toolkit/names.js';
import { actionSummary, ticketDetail, ticketSummary } from './projections.js';
import { missingFieldsOnce, recordAnswer, recordWithinBudget, withFields } from '../../src/toolkit/budget.js';
import { plainToHtml } from '../../src/toolkit/html-text.js';
import { arrayPage } from '../../src/toolkit/paging.js';
import { haloTime, hours, optionalText, ref, type Ref } from '../../src/toolkit/values.js';
import { applyUpdate, type FieldChange } from '../../src/toolkit/resource-tools.js';
import { defineTool, type ToolContext } from '../../src/mcp/tool.js';
import type { ReferenceKind } from '../../src/toolkit/resolve.js';
import { readHistory } from '../../src/toolkit/history.js';
import { outcomeFor } from '../../src/toolkit/outcomes.js';
import { wordSearchList } from '../../src/toolkit/word-search.js';
import { textOf } from '../../src/util/text.js';
import type { CustomField } from '../../src/toolkit/custom-fields.js';

/** The ticket fields a technician sets, shared by create and update. */
const ticketFields = {
  details: z.string().optional().describe('Description, plain text'),
  client: nameOrId('Name or id').optional(),
  site: nameOrId('Name or id').optional(),
  user: nameOrId('Name or id').optional(),
  ticket_type: nameOrId('Name or id').optional(),
  status: nameOrId('Name or id').optional(),
  priority: nameOrId('Name or id').optional(),
  agent: nameOrId('Name, id or "me"').optional(),
  team: nameOrId('Name or id').optional(),
  category: nameOrId('Name or id').optional(),
  custom_fields: z
    .record(z.string(), z.unknown())
    .refine((value) => Object.keys(value).every((key) => /^\d+$/.test(key)), 'keys must be custom field ids')
    .optional()
    .describe('Custom field values by field id, e.g. {"12": "Yes"}'),
};

type TicketFieldArgs = { summary?: string | undefined; details?: string | undefined; custom_fields?: Record<string, unknown> | undefined } & Partial<
  Record<'client' | 'site' | 'user' | 'ticket_type' | 'status' | 'priority' | 'agent' | 'team' | 'category', string>
>;

/** Turns names into the ids (and the team name) Halo wants; only the fields given are set. */
async function ticketBody(args: TicketFieldArgs, context: ToolContext): Promise<HaloRecord> {
  const { resolver, signal } = context;
  const body: HaloRecord = {};
  if (args.summary !== undefined) body.summary = args.summary;
  if (args.details !== undefined) body.details_html = plainToHtml(args.details);
  const clientId = args.client === undefined ? undefined : await resolver.resolve('client', args.client, { signal });
  if (clientId !== undefined) body.client_id = clientId;
  const scope = { ...(clientId !== undefined ? { clientId } : {}), signal };
  const [user, site, type, status, priority, agent, team, category] = await Promise.all([
    args.user === undefined ? undefined : resolver.resolveReference('user', args.user, scope),
    args.site === undefined ? undefined : resolver.resolve('site', args.site, scope),
    args.ticket_type === undefined ? undefined : resolver.resolve('ticket_type', args.ticket_type, scope),
    args.status === undefined ? undefined : resolver.resolve('status', args.status, scope),
    args.priority === undefined ? undefined : resolver.resolve('priority', args.priority, scope),
    args.agent === undefined ? undefined : resolver.resolve('agent', args.agent, scope),
    args.team === undefined ? undefined : resolver.resolveReference('team', args.team, scope),
    args.category === undefined ? undefined : resolver.resolve('category', args.category, scope),
  ]);
  if (user) {
    body.user_id = user.id;
    // Halo requires a site whenever a user is set; unless one is given, the user's own site is the one a person means.
    if (site === undefined) {
      const userSite = user.record.site_id ?? (await context.halo.get('/Users', user.id, {}, { signal })).site_id;
      if (typeof userSite === 'number') body.site_id = userSite;
    }
  }
  if (site !== undefined) body.site_id = site;
  if (type !== undefined) body.tickettype_id = type;
  if (status !== undefined) body.status_id = status;
  if (priority !== undefined) body.priority_id = priority;
  if (agent !== undefined) body.agent_id = agent;
  // A ticket names its team rather than pointing at it.
  // The reference already carries the name when the team list holds the id.
  if (team) body.team = team.name || String(team.id);
  if (category !== undefined) body.categoryid_1 = category;
  if (args.custom_fields) body.customfields = Object.entries(args.custom_fields).map(([id, value]) => ({ id: Number(id), value }));
  return body;
}

/**
 * A ticket type can make fields mandatory, and Halo refuses a ticket without them, naming them
 * ("Details and Category were required"). Its words are kept; what to do about them is added.
 */
export async function withMandatoryFieldHint<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof HaloValidationError && /\b(required|mandatory)\b/i.test(error.haloMessage ?? '')) {
      throw new ToolInputError(`${error.message} The ticket's type makes those fields mandatory: give a value for each and call again.`);
    }
    throw error;
  }
}

/**
 * Halo does not always refuse a priority outside the ticket's SLA: it may store the SLA's default
 * instead, without a word. Said here, so that nobody believes the ticket has the priority asked for.
 */
function priorityWarning(asked: unknown, ticket: HaloRecord, names: NameBook): { warning?: string } {
  if (typeof asked !== 'number' || ticket.priority_id === asked) return {};
  const stored = names.priority(ticket.priority_id, ticket.sla_id);
  const wanted = names.priority(asked);
  return {
    warning: `Halo set priority ${stored ? `"${stored.name}" (${stored.id})` : 'none'}, not ${wanted?.name ? `"${wanted.name}"` : 'the one'} (${asked}) asked for: the ticket's SLA has no such priority, so Halo used its default. halo_lookup kind "priorities" lists each priority's SLA.`,
  };
}

function dateQuery(args: { created?: string | undefined; updated?: string | undefined; closed?: string | undefined }, timeZone: string): Query {
  const given = (['created', 'updated', 'closed'] as const).filter((name) => args[name] !== undefined);
  if (given.length > 1) {
    throw new ToolInputError(`Halo filters tickets on one date at a time; give only one of ${given.join(', ')}.`);
  }
  const name = given[0];
  const value = name ? args[name] : undefined;
  if (!name || value === undefined) return {};
  const range = parseDateRange(value, timeZone);
  const datesearch = { created: 'dateoccured', updated: 'lastactiondate', closed: 'datecleared' }[name];
  return {
    datesearch,
    ...(range.from ? { startdate: range.from.toISOString() } : {}),
    ...(range.to ? { enddate: range.to.toISOString() } : {}),
  };
}

const SORTS: Record<string, Query> = {
  newest: { order: 'dateoccurred', orderdesc: true },
  oldest: { order: 'dateoccurred', orderdesc: false },
  updated: { order: 'lastactiondate', orderdesc: true },
  priority: { order: 'priority_id', orderdesc: false },
};

/** The order a sort asks Halo for, for tickets gathered from several searches; the newest first among equals. */
function ticketOrder(sort: string): (a: HaloRecord, b: HaloRecord) => number {
  const { order, orderdesc } = SORTS[sort] as { order: string; orderdesc: boolean };
  const value = (ticket: HaloRecord): number => {
    const field = ticket[order];
    return typeof field === 'number' ? field : (haloTime(field) ?? 0);
  };
  return (a, b) => (orderdesc ? value(b) - value(a) : value(a) - value(b)) || Number(b.id) - Number(a.id);
}

/** How much of a ticket's details the word fallback looks in: more than any projection shows. */
const SEARCHED_DETAILS_CHARS = 20_000;

/** "#142" and "# 142" as a technician writes a ticket number, as the bare number Halo's search finds. */
function ticketNumbersBare(query: string): string {
  return query.replace(/(^|\s)#\s*(\d+)\b/g, '$1$2');
}

export const searchTickets = defineTool({
  name: 'halo_search_tickets',
  title: 'Search tickets',
  description: "Find tickets (not project tasks) by text and filters, e.g. one mentioned without its number. Queues, SLA breaches: halo_my_queue.",
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    query: z.string().optional().describe('Text, else its words; one word finds its other forms; "#142" is ticket 142'),
    client: nameOrId('Name or id').optional(),
    site: nameOrId('Name or id').optional(),
    user: nameOrId('Name or id').optional(),
    agent: nameOrId('Name, id or "me"').optional(),
    team: nameOrId('Name or id').optional(),
    status: nameOrId('"open", "closed", or a name or id').optional(),
    ticket_type: nameOrId('Name or id').optional(),
    priority: nameOrId('Name or id').optional(),
    category: nameOrId('Name or id').optional(),
    created: dateRange('Opened'),
    updated: z.string().optional().describe('Last action, same forms'),
    closed: z.string().optional().describe('Closed, same forms'),
    sort: z.enum(['newest', 'oldest', 'updated', 'priority']).default('newest').describe('Order'),
    limit,
    cursor,
    fields,
  }),
  output: searchOutput,
  handler: async (args, context) => {
    const { resolver, signal } = context;
    const text = args.query === undefined ? undefined : ticketNumbersBare(args.query);
    const status = args.status?.toLowerCase();
    const byState = status === 'open' || status === 'closed';
    if (args.closed !== undefined && status === 'open') throw new ToolInputError('A ticket closed in a date range is not open: give closed or status "open", not both.');
    const [ids, names] = await Promise.all([
      resolver.resolveMany(
        {
          client: ['client', args.client],
          site: ['site', args.site],
          user: ['user', args.user],
          agent: ['agent', args.agent],
          team: ['team', args.team],
          status: ['status', byState ? undefined : args.status],
          type: ['ticket_type', args.ticket_type],
          priority: ['priority', args.priority],
          category: ['category', args.category],
        },
        { signal },
      ),
      loadNameBook(resolver, { signal }),
    ]);
    const query: Query = {
      // Tickets only: Halo's list also holds projects and opportunities.
      domain: 'reqs',
      search: text,
      client_id: ids.client,
      site_id: ids.site,
      user_id: ids.user,
      agent_id: ids.agent,
      team: ids.team === undefined ? undefined : [ids.team],
      status_id: ids.status,
      open_only: status === 'open' ? true : undefined,
      // A closing date narrows to closed tickets: Halo writes 1900-01-01 as the closing date of an open one, which a range could take in.
      closed_only: status === 'closed' || args.closed !== undefined ? true : undefined,
      requesttype_id: ids.type,
      priority: ids.priority === undefined ? undefined : [ids.priority],
      category_1: ids.category === undefined ? undefined : [ids.category],
      ...dateQuery(args, context.settings.timezone),
      ...SORTS[args.sort],
    };
    const page = await wordSearchList(context, {
      tool: 'halo_search_tickets',
      args,
      path: '/Tickets',
      query,
      text,
      plural: 'tickets',
      order: ticketOrder(args.sort),
      // What a technician names a ticket by: its number, its text and the people on it.
      searchable: (ticket) =>
        [ticket.id, ticket.summary, context.text.fromHtml(ticket.details_html ?? ticket.details, SEARCHED_DETAILS_CHARS), ticket.user_name, ticket.client_name, names.agent(ticket.agent_id)?.name]
          .map(textOf)
          .join(' '),
      project: (ticket) => withFields(ticketSummary(ticket, names), ticket, args.fields),
    });
    return missingFieldsOnce(page);
  },
});

export const getTicket = defineTool({
  name: 'halo_get_ticket',
  title: 'Get a ticket',
  description: 'One ticket, with its details as plain text and its latest actions.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    id: recordId('Ticket number'),
    actions: z.number().int().min(0).max(20).optional().describe('Latest actions to include; default 3'),
    fields,
    format,
  }),
  output: recordOutput,
  handler: async (args, context) => {
    const { halo, resolver, signal, settings } = context;
    const count = args.actions ?? settings.ticketActions;
    const read = halo.get('/Tickets', args.id, { includedetails: true }, { signal });
    // The raw record (format "full") is the ticket alone: the actions and names of the compact answer are not fetched for it.
    if (args.format === 'full') return recordAnswer(await read, args, () => ({}), settings.maxResultChars);
    // The latest actions are the newest by date of the whole history, whatever order Halo lists it in.
    const [ticket, history, names] = await Promise.all([read, count > 0 ? readHistory(halo, args.id, {}, { signal }) : undefined, loadNameBook(resolver, { signal })]);
    const detail = {
      ...ticketDetail(ticket, names, context.text),
      ...(history
        ? {
            actions: history.actions.slice(0, count).map((action) => actionSummary(action, context.text)),
            actions_total: history.total,
            ...(history.cut ? { history_cut: history.cut } : {}),
          }
        : {}),
    };
    return recordWithinBudget(withFields(detail, ticket, args.fields), settings.maxResultChars);
  },
});

export const createTicket = defineTool({
  name: 'halo_create_ticket',
  title: 'Create a ticket',
  description: 'Log a new ticket. Search first, so as not to log it twice.',
  toolset: 'core',
  access: 'write',
  input: z.strictObject({
    summary: requiredText('One-line subject'),
    ...ticketFields,
    dry_run: dryRun,
  }),
  output: writeOutput,
  handler: async (args, context) => {
    const body = await ticketBody(args, context);
    if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: '/Tickets', body: [body] } };
    const [created, names] = await Promise.all([
      withMandatoryFieldHint(context.halo.upsert('/Tickets', body, { signal: context.signal })),
      loadNameBook(context.resolver, { signal: context.signal }),
    ]);
    return { dry_run: false, ticket: ticketDetail(created, names, context.text), ...priorityWarning(body.priority_id, created, names) };
  },
});

/** The ticket's references found by search or by a list of their own: the argument that sets each, and the field a ticket names it in. */
const REFERENCE_FIELDS: Record<string, { arg: keyof TicketFieldArgs & ReferenceKind; nameField: string }> = {
  client_id: { arg: 'client', nameField: 'client_name' },
  site_id: { arg: 'site', nameField: 'site_name' },
  user_id: { arg: 'user', nameField: 'user_name' },
  categoryid_1: { arg: 'category', nameField: 'category_1' },
};

/** Halo's fields of a ticket by the names the tool's arguments give them. */
const ARGUMENT_NAMES: Record<string, string> = {
  status_id: 'status',
  priority_id: 'priority',
  agent_id: 'agent',
  tickettype_id: 'ticket_type',
  client_id: 'client',
  site_id: 'site',
  user_id: 'user',
  categoryid_1: 'category',
  details_html: 'details',
};

/** How much of the details a change shows, before and after: enough to recognise them. */
const CHANGED_DETAILS_CHARS = 120;

/**
 * A ticket's changes as a technician reads them: by the argument's name, references by name with
 * their id (`status: Closed → In Progress`), details as text. The name after the change is the one
 * Halo stored where it answered, else the one the argument was resolved to.
 */
async function namedTicketChanges(changes: FieldChange[], args: TicketFieldArgs, current: HaloRecord, updated: HaloRecord | undefined, context: ToolContext) {
  const { resolver, signal } = context;
  const names = await loadNameBook(resolver, { signal });
  const slaId = (updated ?? current).sla_id;
  // Sites and users were looked up within the client the call named, as ticketBody did: the same lookup is asked again, from the cache.
  const clientId = args.client === undefined ? undefined : (changes.find((change) => change.field === 'client_id')?.to ?? current.client_id);
  const named = async (field: string, value: unknown, before: boolean): Promise<unknown> => {
    switch (field) {
      case 'status_id':
        return names.status(value);
      case 'priority_id':
        return names.priority(value, before ? current.sla_id : slaId);
      case 'agent_id': {
        // Halo's agent list leaves out API agents, "me" among them; the argument was resolved to its name.
        const resolved = before || args.agent === undefined ? '' : (await resolver.resolveReference('agent', args.agent, { signal })).name;
        return resolved ? ref(value, resolved) : names.agent(value);
      }
      case 'tickettype_id':
        return names.ticketType(value);
      case 'details_html':
        return context.text.fromHtml(before ? (current.details_html ?? current.details) : value, CHANGED_DETAILS_CHARS);
      default: {
        const reference = REFERENCE_FIELDS[field];
        if (!reference) return value;
        const stored = optionalText((before ? current : updated)?.[reference.nameField]);
        if (stored !== null || before) return ref(value, stored);
        const scope = { ...(field !== 'client_id' && typeof clientId === 'number' ? { clientId } : {}), signal };
        const argument = args[reference.arg];
        if (argument !== undefined) return ref(value, (await resolver.resolveReference(reference.arg, argument, scope)).name);
        // A site nobody named is the user's own (see ticketBody), which the user's record names.
        const user = field === 'site_id' && args.user !== undefined ? (await resolver.resolveReference('user', args.user, scope)).record : undefined;
        return ref(value, user?.site_id === value ? user?.site_name : null);
      }
    }
  };
  return Promise.all(
    changes.map(async ({ field, from, to }) =>
      field === 'customfields' ? customFieldChange(current, to) : { field: ARGUMENT_NAMES[field] ?? field, from: await named(field, from, true), to: await named(field, to, false) },
    ),
  );
}

/**
 * The custom fields an update sets, by label, with the values they held: the ticket's whole list
 * of custom fields, each with its settings, is not what changed.
 */
function customFieldChange(current: HaloRecord, to: unknown) {
  const given = Array.isArray(to) ? (to as CustomField[]) : [];
  const held = Array.isArray(current.customfields) ? (current.customfields as CustomField[]) : [];
  const heldField = (id: unknown) => held.find((field) => field.id === id);
  const label = (id: unknown) => String(heldField(id)?.label ?? heldField(id)?.name ?? id);
  return {
    field: 'custom_fields',
    from: Object.fromEntries(given.map(({ id }) => [label(id), heldField(id)?.display ?? heldField(id)?.value ?? null])),
    to: Object.fromEntries(given.map(({ id, value }) => [label(id), value ?? null])),
  };
}

export const updateTicket = defineTool({
  name: 'halo_update_ticket',
  title: 'Update a ticket',
  description: 'Change fields of an existing ticket; only the fields given change.',
  toolset: 'core',
  access: 'write',
  input: z.strictObject({
    id: recordId('Ticket number'),
    summary: requiredText('One-line subject').optional(),
    ...ticketFields,
    dry_run: dryRun,
  }),
  output: writeOutput,
  handler: async (args, context) => {
    const { id, dry_run: dry, ...changesWanted } = args;
    const body = ticketBody(changesWanted, context);
    let stored: { ticket: HaloRecord; names: NameBook } | undefined;
    const result = await applyUpdate(context, { id, dry, body }, {
      path: '/Tickets',
      noun: 'ticket',
      label: 'ticket',
      names: () => loadNameBook(context.resolver, { signal: context.signal }),
      detail: (ticket, names) => {
        stored = { ticket, names };
        return ticketDetail(ticket, names, context.text);
      },
      describeChanges: (changes, current, updated) => namedTicketChanges(changes, changesWanted, current, updated, context),
    });
    return stored ? { ...result, ...priorityWarning((await body).priority_id, stored.ticket, stored.names) } : result;
  },
});

/**
 * The action that adds a note, closes a ticket or logs time, with the outcome it is written with:
 * the one the call names, else the tenant's own that fits the note (see outcomes.ts).
 */
export async function actionBody(
  args: { ticket_id: number; note: string; private: boolean; send_email: boolean; email_to?: string | undefined; time_taken_hours?: number | undefined; outcome?: string | undefined },
  newStatus: number | undefined,
  context: ToolContext,
): Promise<{ body: HaloRecord; outcome: { id: number; name: string } }> {
  if (args.send_email && args.private) {
    throw new ToolInputError('A private note is never emailed to the end user. Set private: false as well as send_email: true to email it.');
  }
  const outcome = await outcomeFor(context, args.outcome, { private: args.private, sendEmail: args.send_email }, { signal: context.signal });
  const body = {
    ticket_id: args.ticket_id,
    note_html: plainToHtml(args.note),
    outcome_id: outcome.id,
    hiddenfromuser: args.private,
    // Said explicitly, though Halo lets the outcome decide: one that emails was refused above unless asked for.
    sendemail: args.send_email,
    ...(args.send_email && args.email_to ? { emailto: args.email_to } : {}),
    ...(args.time_taken_hours !== undefined ? { timetaken: args.time_taken_hours } : {}),
    ...(newStatus !== undefined ? { new_status: newStatus } : {}),
  };
  return { body, outcome };
}

/**
 * The addresses in a To list as Halo keeps one (several separated by ";" or ","), each with the
 * name of the ticket's user where it is theirs: `Emma Ibrahim <emma@example.com>`.
 */
function recipients(addresses: string | null, ticket: HaloRecord): string[] {
  if (addresses === null) return [];
  const parts = addresses.split(/[;,]/).map((part) => part.trim()).filter((part) => part !== '');
  // A list is split only where each part is an address: a name such as "Doe, Jane" is not cut in two.
  const list = parts.every((part) => part.includes('@')) ? parts : [addresses.trim()];
  const userEmail = optionalText(ticket.user_email)?.toLowerCase();
  const userName = optionalText(ticket.user_name);
  return list.map((address) => (userName && address.toLowerCase() === userEmail ? `${userName} <${address}>` : address));
}

/**
 * Who an emailed action reaches: the address the call gives (or Halo stored on the action), else
 * the ticket's To list, which starts as its end user's address.
 */
function recipientsOf(ticket: HaloRecord, given: unknown): string[] {
  return recipients(optionalText(given) ?? optionalText(ticket.emailtolist) ?? optionalText(ticket.user_email), ticket);
}

/**
 * Writes an action, or with `dry_run` answers what would be sent, the status it would set and whom
 * it would email ([] for no one); either way naming its outcome. A written action is answered with
 * the ticket as Halo then holds it (its status and time total, read back rather than assumed) and
 * the addresses the action emailed.
 */
export async function postAction(
  context: ToolContext,
  { body, outcome }: Awaited<ReturnType<typeof actionBody>>,
  dryRun: boolean,
  newStatus?: Ref,
): Promise<{ dry_run: boolean } & Record<string, unknown>> {
  const { halo, resolver, signal } = context;
  const ticketId = body.ticket_id as number;
  // Only an action that asks for an email sends one: an outcome that would email unasked was refused.
  const emails = body.sendemail === true;
  if (dryRun) {
    const wouldEmail = emails ? recipientsOf(await halo.get('/Tickets', ticketId, {}, { signal }), body.emailto) : [];
    return { dry_run: true, outcome, ...(newStatus ? { status: newStatus } : {}), would_email: wouldEmail, request: { method: 'POST', path: '/Actions', body: [body] } };
  }
  const action = await halo.upsert('/Actions', body, { signal });
  let after: [HaloRecord, NameBook];
  try {
    after = await Promise.all([halo.get('/Tickets', ticketId, {}, { signal }), loadNameBook(resolver, { signal })]);
  } catch (error) {
    // The action is written: a failed read must not pass for a failed write, which a model would send again.
    const emailed = emails ? " It emails the ticket's end user, or the address given, as asked." : '';
    const reason = error instanceof Error ? error.message : String(error);
    return { dry_run: false, outcome, warning: `The action was written, but the ticket could not be read back to show its status and time: ${reason}${emailed}`, action: actionSummary(action, context.text) };
  }
  const [ticket, names] = after;
  const status = names.status(ticket.status_id);
  return {
    dry_run: false,
    outcome,
    // The summary lets the person see the note went on the ticket they meant.
    ticket: { id: ticketId, summary: optionalText(ticket.summary) ?? '', status, time_taken_hours: hours(ticket.timetaken) },
    emailed: emails ? recipientsOf(ticket, action.emailto ?? body.emailto) : [],
    ...statusWarning(newStatus, status),
    action: actionSummary(action, context.text),
  };
}

/**
 * A workflow or rule of the tenant can change or keep a ticket's status whatever the action set:
 * said, so that nobody believes the ticket has the status asked for.
 */
function statusWarning(asked: Ref | undefined, stored: Ref | null): { warning?: string } {
  if (!asked || stored?.id === asked.id) return {};
  return { warning: `The ticket's status is ${stored ? `"${stored.name}" (${stored.id})` : 'none'}, not "${asked.name}" (${asked.id}) as the action set: a rule of the tenant may have changed it.` };
}

export const noteFields = {
  private: z.boolean().default(true).describe('Hidden from the end user'),
  send_email: z.boolean().default(false).describe('Email it to the end user (needs private: false)'),
  email_to: z.string().optional().describe("Recipient if not the ticket's user"),
  time_taken_hours: z.number().min(0).max(24).optional().describe('Time to log, in hours'),
  outcome: nameOrId('Name or id').optional(),
  dry_run: dryRun,
};

export const addNote = defineTool({
  name: 'halo_add_note',
  title: 'Add a note to a ticket',
  description: 'Add a note to a ticket, optionally logging time or setting a status. Private and not emailed unless asked.',
  toolset: 'core',
  access: 'write',
  input: z.strictObject({
    ticket_id: recordId('Ticket number'),
    note: requiredText('Plain text'),
    new_status: nameOrId('Status to set, name or id').optional(),
    ...noteFields,
  }),
  output: writeOutput,
  handler: async (args, context) => {
    const status = args.new_status === undefined ? undefined : await context.resolver.resolveReference('status', args.new_status, { signal: context.signal });
    return postAction(context, await actionBody(args, status?.id, context), args.dry_run, status && { id: status.id, name: status.name });
  },
});

export const listTicketActions = defineTool({
  name: 'halo_list_ticket_actions',
  title: 'List ticket actions',
  description: "A ticket's history (notes, emails, time), newest first.",
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    ticket_id: recordId('Ticket number'),
    include_private: z.boolean().default(true).describe('Include notes hidden from the end user'),
    limit,
    cursor,
  }),
  output: listOutput,
  handler: async (args, context) => {
    // The whole history is read, then paged here: the cursor is an offset into it.
    const history = await readHistory(context.halo, args.ticket_id, args.include_private ? {} : { excludeprivate: true }, { signal: context.signal });
    const page = arrayPage(history.actions, context, { tool: 'halo_list_ticket_actions', args, project: (action) => actionSummary(action, context.text) });
    // total stays what Halo holds, so that a cut history does not pass for a whole one.
    return { ...page, total: history.total, ...(history.cut ? { history_cut: history.cut } : {}) };
  },
});

export const closeTicket = defineTool({
  name: 'halo_close_ticket',
  title: 'Close a ticket',
  description: 'Close a ticket with a resolution note in one call. Private and not emailed unless asked.',
  toolset: 'core',
  access: 'write',
  input: z.strictObject({
    ticket_id: recordId('Ticket number'),
    note: requiredText('Resolution, plain text'),
    status: nameOrId('Closing status name or id (default "Closed")').default('Closed'),
    ...noteFields,
  }),
  output: writeOutput,
  handler: async (args, context) => {
    const status = await context.resolver.resolveReference('status', args.status, { signal: context.signal });
    return postAction(context, await actionBody(args, status.id, context), args.dry_run, { id: status.id, name: status.name });
  },
});
