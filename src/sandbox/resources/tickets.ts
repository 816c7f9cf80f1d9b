/**
 * Tickets, projects and opportunities (one table in Halo, the `Faults` schema, told apart by their
 * ticket type's area) and the actions on them.
 */
import {
  containsText,
  equalsInt,
  inIntList,
  notInIntList,
  parseIntList,
  whenTrue,
  type FilterBuilder,
  type Predicate,
  type RequestContext,
  type ResourceDefinition,
  type WriteResult,
} from '../resource.js';
import { textOf } from '../../util/text.js';
import type { HaloRecord, Store } from '../store.js';
import {
  checkReferences,
  idField,
  closureFields,
  isClosedStatus,
  iso,
  MANDATORY,
  missingReference,
  nameOf,
  NO_DATE,
  parseHaloDate,
  plainTextOf,
  withoutControlFlags,
} from './shared.js';

/** The area a ticket type belongs to, in Halo's `domain` words. */
export type TicketArea = 'reqs' | 'prjs' | 'opps';

export function ticketArea(store: Store, ticket: HaloRecord): TicketArea {
  const type = store.collection('tickettypes').get(ticket.tickettype_id as number);
  return (type?.use as TicketArea | undefined) ?? 'reqs';
}

const DEFAULT_TYPE: Record<TicketArea, number> = { reqs: 1, prjs: 6, opps: 7 };

/** Halo's `datesearch` names (with its own spelling `dateoccured`) and the fields they search. */
const DATE_FIELDS: Record<string, string> = {
  dateoccured: 'dateoccurred',
  dateoccurred: 'dateoccurred',
  datecleared: 'dateclosed',
  dateclosed: 'dateclosed',
  lastactiondate: 'lastactiondate',
  last_update: 'last_update',
  lastupdate: 'last_update',
  fixbydate: 'fixbydate',
  respondbydate: 'respondbydate',
  deadlinedate: 'deadlinedate',
};

function dateRange(context: RequestContext): Predicate | undefined {
  const field = DATE_FIELDS[(context.query.get('datesearch') ?? 'dateoccured').toLowerCase()];
  const start = parseHaloDate(context.query.get('startdate'));
  const end = parseHaloDate(context.query.get('enddate'));
  if (!field || (start === undefined && end === undefined)) return undefined;
  return (record) => {
    // A ticket with no date there (Halo's 1900-01-01) is in no window.
    const value = parseHaloDate(record[field]);
    if (value === undefined) return false;
    return (start === undefined || value >= start) && (end === undefined || value <= end);
  };
}

// Halo behaviour: docs/halo-behaviour.md#tickets-team
const teamFilter: FilterBuilder = (value, { store }) => {
  const names = new Set(parseIntList(value).map((id) => nameOf(store, 'teams', id).toLowerCase()));
  return (record) => names.has(textOf(record.team).toLowerCase());
};

const closedOnly = (closed: boolean): FilterBuilder =>
  whenTrue(({ store }) => (record) => isClosedStatus(store, record.status_id) === closed);

// Halo behaviour: docs/halo-behaviour.md#list-parameter-meanings
const faultFilters: Record<string, FilterBuilder> = {
  client_id: equalsInt('client_id'),
  client_ids: inIntList('client_id'),
  site_id: equalsInt('site_id'),
  user_id: equalsInt('user_id'),
  username: containsText('user_name'),
  agent_id: equalsInt('agent_id'),
  agent: inIntList('agent_id'),
  team: teamFilter,
  status_id: equalsInt('status_id'),
  status: inIntList('status_id'),
  requesttype_id: equalsInt('tickettype_id'),
  requesttype: inIntList('tickettype_id'),
  priority: inIntList('priority_id'),
  sla: inIntList('sla_id'),
  category_1: inIntList('categoryid_1'),
  category_2: inIntList('categoryid_2'),
  category_3: inIntList('categoryid_3'),
  category_4: inIntList('categoryid_4'),
  parent_id: equalsInt('parent_id'),
  related_id: (value) => {
    const wanted = Number(value);
    return (record) => ((record.related_tickets as { id: number }[] | undefined) ?? []).some((related) => related.id === wanted);
  },
  toplevel_id: (value, { store }) => {
    const wanted = Number(value);
    return (record) => store.collection('clients').get(record.client_id as number)?.toplevel_id === wanted;
  },
  open_only: closedOnly(false),
  closed_only: closedOnly(true),
  mine: whenTrue(({ agentId }) => (record) => record.agent_id === agentId),
  ticketids: inIntList('id'),
  excludethese: notInIntList('id'),
  search_summary: containsText('summary'),
  search_details: containsText('details'),
  search_user_name: containsText('user_name'),
  // The date window is read from all three parameters together.
  datesearch: (_value, context) => dateRange(context),
  startdate: (_value, context) => (context.query.get('datesearch') ? undefined : dateRange(context)),
  enddate: (_value, context) => (context.query.get('datesearch') || context.query.get('startdate') ? undefined : dateRange(context)),
  // `deleted=true` lists deleted tickets instead of live ones; see defaultFilters.
  deleted: () => undefined,
};

/** What Halo calls the ticket fields a ticket type can make mandatory, and how to tell one is empty. */
const MANDATORY_FIELD: Record<string, { label: string; given: (record: Record<string, unknown>) => boolean }> = {
  details: { label: 'Details', given: (record) => plainTextOf(textOf(record.details)) !== '' },
  category_1: { label: 'Category', given: (record) => typeof record.categoryid_1 === 'number' && record.categoryid_1 > 0 },
};

function missingMandatoryFields(type: HaloRecord, record: Record<string, unknown>): string[] {
  const fields = (type.fields as { fieldname?: unknown; technew?: unknown }[] | undefined) ?? [];
  return fields.flatMap((field) => {
    const rule = field.technew === MANDATORY ? MANDATORY_FIELD[textOf(field.fieldname)] : undefined;
    return rule && !rule.given(record) ? [rule.label] : [];
  });
}

function faultSearchText(record: HaloRecord): string {
  return `${textOf(record.summary)} ${plainTextOf(textOf(record.details))} ${textOf(record.user_name)} ${textOf(record.client_name)}`;
}

/** Derived fields Halo fills in from the references of a ticket. */
function denormalise(store: Store, record: Record<string, unknown>): void {
  record.client_name = nameOf(store, 'clients', record.client_id);
  record.site_name = nameOf(store, 'sites', record.site_id);
  record.user_name = nameOf(store, 'users', record.user_id);
  record.user_email = nameOf(store, 'users', record.user_id, 'emailaddress');
  record.category_1 = nameOf(store, 'categories', record.categoryid_1, 'value');
}

/** Replaces a ticket in the store with some fields changed. */
function patchTicket(store: Store, id: number, change: (ticket: HaloRecord) => Record<string, unknown>): void {
  const ticket = store.collection('faults').get(id);
  if (ticket) store.collection('faults').replace({ ...ticket, ...change(ticket) });
}

function relatedOf(ticket: Record<string, unknown>): { id: number; summary: string }[] {
  return (ticket.related_tickets as { id: number; summary: string }[] | undefined) ?? [];
}

// Halo behaviour: docs/halo-behaviour.md#merge-link
/**
 * Links, unlinks and merges, which Halo takes as fields of a ticket update: `new_related_tickets`
 * relates tickets both ways, `unrelate_from_ticket_id` undoes that, and `domerge` with
 * `merged_into_id` closes this ticket into another, leaving a note on the one it joins.
 */
function applyLinks(record: Record<string, unknown>, input: Record<string, unknown>, context: RequestContext): string | undefined {
  const { store } = context;
  const id = typeof record.id === 'number' ? record.id : undefined;
  const faults = store.collection('faults');
  if (Array.isArray(input.new_related_tickets)) {
    if (id === undefined) return 'A ticket must exist before other tickets can be related to it.';
    for (const link of input.new_related_tickets as { id?: unknown }[]) {
      const other = typeof link.id === 'number' ? faults.get(link.id) : undefined;
      if (!other || other.id === id) return missingReference('Ticket', link.id);
      record.related_tickets = [...relatedOf(record).filter((related) => related.id !== other.id), { id: other.id, summary: textOf(other.summary) }];
      patchTicket(store, other.id, (ticket) => ({ related_tickets: [...relatedOf(ticket).filter((related) => related.id !== id), { id, summary: textOf(record.summary) }] }));
    }
  }
  if (typeof input.unrelate_from_ticket_id === 'number' && id !== undefined) {
    const otherId = input.unrelate_from_ticket_id;
    record.related_tickets = relatedOf(record).filter((related) => related.id !== otherId);
    patchTicket(store, otherId, (ticket) => ({ related_tickets: relatedOf(ticket).filter((related) => related.id !== id) }));
  }
  if (input.domerge === true) {
    const target = typeof input.merged_into_id === 'number' ? faults.get(input.merged_into_id) : undefined;
    if (id === undefined || !target || target.id === id || target.deleted === true) return missingReference('Ticket', input.merged_into_id);
    record.status_id = 9;
    record.merged_into_id = target.id;
    store.addAction(target.id, {
      outcome: 'Merged',
      who: nameOf(store, 'agents', context.agentId),
      who_agentid: context.agentId,
      who_type: 1,
      datetime: iso(context.now),
      note: `Ticket #${id} "${textOf(record.summary)}" was merged into this ticket.`,
      note_html: `<p>Ticket #${id} was merged into this ticket.</p>`,
      hiddenfromuser: true,
      timetaken: 0,
    });
  }
  delete record.new_related_tickets;
  delete record.unrelate_from_ticket_id;
  delete record.domerge;
  return undefined;
}

function writeFault(area: TicketArea) {
  return (rawInput: Record<string, unknown>, existing: HaloRecord | undefined, context: RequestContext): WriteResult => {
    const { store, now } = context;
    // Halo behaviour: docs/halo-behaviour.md#soft-delete
    if (existing?.deleted === true && rawInput._recover !== true) {
      return { error: `Ticket ${existing.id} has been deleted. Restore it before updating it.` };
    }
    const input = withoutControlFlags(rawInput);
    // Halo behaviour: docs/halo-behaviour.md#html-fields
    if ('details_html' in input) {
      input.details = input.details_html;
      delete input.details_html;
    }
    const summary = 'summary' in input ? input.summary : existing?.summary;
    // Halo behaviour: docs/halo-behaviour.md#validation-rules
    if (typeof summary !== 'string' || summary.trim() === '') return { error: 'Please enter a Summary.' };

    const referenceError = checkReferences(store, input, {
      client_id: { collection: 'clients', label: 'Client' },
      site_id: { collection: 'sites', label: 'Site' },
      user_id: { collection: 'users', label: 'User' },
      agent_id: { collection: 'agents', label: 'Agent', allowZero: true },
      status_id: { collection: 'statuses', label: 'Status' },
      tickettype_id: { collection: 'tickettypes', label: 'Ticket Type' },
      categoryid_1: { collection: 'categories', label: 'Category' },
      parent_id: { collection: 'faults', label: 'Ticket', allowZero: true },
    });
    if (referenceError) return { error: referenceError };

    const record: Record<string, unknown> = { ...(existing ?? {}), ...input };
    if (rawInput._recover === true) record.deleted = false;
    const linkError = applyLinks(record, input, context);
    if (linkError) return { error: linkError };

    // Halo behaviour: docs/halo-behaviour.md#site-required-with-user
    // Halo needs a site whenever a specific user is set; the site decides the client.
    const userId = idField(input, 'user_id');
    if (userId !== undefined && !('site_id' in input) && !existing) {
      return { error: 'A Site must be selected when a User is specified.' };
    }
    const site = store.collection('sites').get(record.site_id as number);
    if (site) {
      if ('client_id' in input && input.client_id !== site.client_id) {
        return { error: `Site ${site.id} does not belong to Client ${String(input.client_id)}.` };
      }
      record.client_id = site.client_id;
    }
    const user = store.collection('users').get(record.user_id as number);
    if (user && 'user_id' in input && user.site_id !== record.site_id) {
      return { error: `User ${user.id} does not belong to Site ${String(record.site_id)}.` };
    }

    // Halo behaviour: docs/halo-behaviour.md#tickets-team
    if (typeof input.team === 'string' && input.team !== '') {
      const team = store.collection('teams').all().find((t) => String(t.name).toLowerCase() === String(input.team).toLowerCase());
      if (!team) return { error: `Team '${input.team}' does not exist.` };
      record.team = team.name;
    }

    const typeId = (record.tickettype_id as number | undefined) ?? DEFAULT_TYPE[area];
    const type = store.collection('tickettypes').get(typeId);
    if (!type) return { error: missingReference('Ticket Type', typeId) };
    record.tickettype_id = typeId;
    // Halo behaviour: docs/halo-behaviour.md#mandatory-fields-per-ticket-type
    if (!existing && rawInput._novalidate !== true) {
      const missing = missingMandatoryFields(type, record);
      if (missing.length > 0) return { error: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required for a ${textOf(type.name)} ticket.` };
    }
    record.sla_id ??= type.default_sla;
    record.status_id ??= type.initial_status ?? 1;
    // Halo behaviour: docs/halo-behaviour.md#priority-fallback
    record.priority_id ??= type.default_priority ?? 3;
    // Halo behaviour: docs/halo-behaviour.md#priority-per-sla
    const policies = store
      .collection('priorities')
      .all()
      .filter((p) => p.slaid === record.sla_id);
    // Halo behaviour: docs/halo-behaviour.md#priority-fallback
    const policy =
      policies.find((p) => p.priorityid === record.priority_id) ?? policies.find((p) => p.priorityid === type.default_priority) ?? policies[0];
    if (!policy) return { error: `SLA ${String(record.sla_id)} has no priorities.` };
    record.priority_id = policy.priorityid;

    const stamp = iso(now);
    if (!existing) {
      record.dateoccurred ??= stamp;
      const opened = parseHaloDate(record.dateoccurred) ?? now.getTime();
      record.respondbydate = iso(new Date(opened + Number(policy.responsetime) * 3_600_000));
      record.fixbydate = iso(new Date(opened + Number(policy.fixtime) * 3_600_000));
      record.timetaken ??= 0;
      // Halo behaviour: docs/halo-behaviour.md#unassigned-agent-1
      record.agent_id ??= 0;
      record.team ??= '';
      record.deleted = false;
      record.lastactiondate = stamp;
      // Halo behaviour: docs/halo-behaviour.md#no-date-1900
      record.deadlinedate ??= NO_DATE;
      record.targetdate ??= NO_DATE;
    }
    Object.assign(record, closureFields(store, existing?.status_id, record.status_id, stamp));
    record.last_update = stamp;
    denormalise(store, record);
    return { record };
  };
}

// Halo behaviour: docs/halo-behaviour.md#agent-restrictions
/**
 * The tickets an agent sees: an agent whose record lists team memberships for tickets (`teams`,
 * Halo's `UnameSection` rows) sees only those teams' tickets; one without any listed, the API
 * application's agent among them, sees every ticket.
 */
function ticketsVisibleTo({ store, agentId }: RequestContext): Predicate | undefined {
  const memberships: unknown = store.collection('agents').get(agentId)?.teams;
  if (!Array.isArray(memberships) || memberships.length === 0) return undefined;
  const teams = new Set(
    memberships
      .filter((membership: { fortickets?: unknown }) => membership.fortickets !== false)
      .map((membership: { team_name?: unknown }) => textOf(membership.team_name).toLowerCase()),
  );
  return (record) => teams.has(textOf(record.team).toLowerCase());
}

/**
 * One of the three lists of the `Faults` table. The page cap, the count cap and the default order
 * were seen on `/Tickets`; the other two are the same list narrowed to an area, so they share them.
 */
function faultDefinition(path: string, area: TicketArea, scope: 'tickets' | 'projects' | 'sales'): ResourceDefinition {
  return {
    path,
    collection: 'faults',
    schema: 'Faults',
    listKey: 'tickets',
    // Halo behaviour: docs/halo-behaviour.md#tickets-page-cap-100
    maxPageSize: 100,
    // Halo behaviour: docs/halo-behaviour.md#tickets-count-cap
    maxCount: 1000,
    // Halo behaviour: docs/halo-behaviour.md#tickets-default-order
    newestFirst: true,
    scope,
    visibleTo: ticketsVisibleTo,
    defaultFilters: ({ query, store }) => {
      const deleted = query.flag('deleted');
      const filters: Predicate[] = [(record) => (record.deleted === true) === deleted];
      // Halo behaviour: docs/halo-behaviour.md#tickets-domain
      // /Tickets lists every area unless `domain` narrows it, as Halo's list does; the others keep to their own.
      const domain = area === 'reqs' ? query.get('domain')?.toLowerCase() : area;
      if (domain === 'reqs' || domain === 'prjs' || domain === 'opps') {
        filters.push((record) => ticketArea(store, record) === domain);
      }
      return filters;
    },
    filters: { ...faultFilters, domain: () => undefined },
    outputParams: ['includecolumns', 'includelastaction', 'includechildids', 'includeagent', 'includestatus', 'includetickettype'],
    searchText: faultSearchText,
    write: writeFault(area),
    // Halo behaviour: docs/halo-behaviour.md#soft-delete
    remove: (record, { store }) => {
      store.collection('faults').replace({ ...record, deleted: true });
    },
  };
}

export const tickets = faultDefinition('Tickets', 'reqs', 'tickets');
export const projects = faultDefinition('Projects', 'prjs', 'projects');
export const opportunities = faultDefinition('Opportunities', 'opps', 'sales');
