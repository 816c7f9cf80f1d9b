/**
 * Compact projections of Halo records: the fields a person would look at, references as
 * `{id, name}`, HTML as plain text cut to a length, dates in ISO 8601 UTC. A Halo ticket is hundreds
 * of fields; its projection is a few dozen.
 */
import type { CallOptions } from '../halo/client.js';
import type { Resolver } from './resolve.js';
import { hours, isoUtc, optionalText, ref, type Ref, type TextShaper } from './shape.js';
import { fenced } from './untrusted.js';

type HaloRecord = Record<string, unknown>;

/** Names of listed references, loaded once per call so that projecting many records stays synchronous. */
export interface NameBook {
  status(id: unknown): Ref | null;
  ticketType(id: unknown): Ref | null;
  priority(id: unknown, slaId?: unknown): Ref | null;
  agent(id: unknown): Ref | null;
}

export async function loadNameBook(resolver: Resolver, options: CallOptions = {}): Promise<NameBook> {
  const [statuses, types, priorities, agents] = await Promise.all([
    resolver.list('status', options),
    resolver.list('ticket_type', options),
    resolver.list('priority', options),
    resolver.list('agent', options),
  ]);
  const byId = (list: typeof statuses) => new Map(list.map((reference) => [reference.id, reference.name]));
  const statusNames = byId(statuses);
  const typeNames = byId(types);
  const agentNames = byId(agents);
  return {
    status: (id) => ref(id, statusNames.get(id as number)),
    ticketType: (id) => ref(id, typeNames.get(id as number)),
    priority: (id, slaId) => {
      const match = priorities.find((p) => p.id === id && (slaId === undefined || p.record.slaid === slaId)) ?? priorities.find((p) => p.id === id);
      return ref(id, match?.name);
    },
    // Halo leaves API agents out of its agent list; a ticket can still be theirs.
    agent: (id) => ref(id, agentNames.get(id as number) ?? (typeof id === 'number' && id > 0 ? `agent ${id}` : undefined)),
  };
}

/** A ticket as one line of a search result. */
export function ticketSummary(ticket: HaloRecord, names: NameBook) {
  return {
    id: ticket.id as number,
    summary: optionalText(ticket.summary) ?? '',
    status: names.status(ticket.status_id),
    type: names.ticketType(ticket.tickettype_id),
    priority: names.priority(ticket.priority_id, ticket.sla_id),
    client: ref(ticket.client_id, ticket.client_name),
    user: ref(ticket.user_id, ticket.user_name),
    agent: names.agent(ticket.agent_id),
    team: optionalText(ticket.team),
    opened: isoUtc(ticket.dateoccurred),
    updated: isoUtc(ticket.last_update) ?? isoUtc(ticket.lastactiondate),
  };
}

const DETAILS_CHARS = 2_000;
const NOTE_CHARS = 800;

interface CustomField {
  id?: unknown;
  name?: unknown;
  label?: unknown;
  value?: unknown;
  display?: unknown;
}

/** Custom fields that hold a value, as `{name: value}`. */
function customFields(value: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const field of value as CustomField[]) {
    const shown = field.display ?? field.value;
    if (shown === undefined || shown === null || shown === '') continue;
    out[String(field.label ?? field.name ?? field.id)] = shown;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A ticket as `halo_get_ticket` shows it. */
export function ticketDetail(ticket: HaloRecord, names: NameBook, shaper: TextShaper) {
  const custom = customFields(ticket.customfields);
  return {
    ...ticketSummary(ticket, names),
    details: fenced(shaper.fromHtml(ticket.details, DETAILS_CHARS)),
    category: optionalText(ticket.category_1),
    site: ref(ticket.site_id, ticket.site_name),
    user_email: optionalText(ticket.user_email),
    last_action: isoUtc(ticket.lastactiondate),
    closed: isoUtc(ticket.dateclosed),
    respond_by: isoUtc(ticket.respondbydate),
    fix_by: isoUtc(ticket.fixbydate),
    time_taken_hours: hours(ticket.timetaken),
    ...(typeof ticket.parent_id === 'number' && ticket.parent_id > 0 ? { parent_id: ticket.parent_id } : {}),
    ...(custom ? { custom_fields: custom } : {}),
  };
}

/**
 * An action (note, email, time entry) on a ticket, its note cut to `noteChars`. The note is made
 * from its HTML where Halo sends it (`includehtmlnote`), as that is what the technician sees:
 * the plain text beside it keeps what the HTML hides.
 */
export function actionSummary(action: HaloRecord, shaper: TextShaper, noteChars = NOTE_CHARS) {
  const html = typeof action.note_html === 'string' && action.note_html !== '' ? action.note_html : (optionalText(action.note) ?? '');
  const note = fenced(shaper.fromHtml(html, noteChars));
  return {
    id: action.id as number,
    when: isoUtc(action.datetime),
    who: optionalText(action.who),
    outcome: optionalText(action.outcome),
    private: action.hiddenfromuser === true,
    note,
    ...(hours(action.timetaken) > 0 ? { time_taken_hours: hours(action.timetaken) } : {}),
  };
}

export function clientSummary(client: HaloRecord) {
  return {
    id: client.id as number,
    name: optionalText(client.name) ?? '',
    top_level: optionalText(client.toplevel_name),
    inactive: client.inactive === true,
  };
}

export function clientDetail(client: HaloRecord, shaper: TextShaper) {
  return {
    ...clientSummary(client),
    website: optionalText(client.website),
    phone: optionalText(client.phonenumber) ?? optionalText(client.main_phone),
    account_manager: optionalText(client.accountmanagertech_name),
    created: isoUtc(client.datecreated),
    notes: fenced(shaper.fromHtml(client.notes, 1_000)) || null,
  };
}

export function userSummary(user: HaloRecord) {
  return {
    id: user.id as number,
    name: optionalText(user.name) ?? '',
    email: optionalText(user.emailaddress),
    phone: optionalText(user.phonenumber) ?? optionalText(user.mobilenumber),
    client: ref(user.client_id, user.client_name),
    site: ref(user.site_id, user.site_name),
    inactive: user.inactive === true,
  };
}

export function userDetail(user: HaloRecord) {
  return {
    ...userSummary(user),
    mobile: optionalText(user.mobilenumber),
    title: optionalText(user.title) ?? optionalText(user.jobtitle),
    login: optionalText(user.login),
    important_contact: user.isimportantcontact === true,
  };
}

export function assetSummary(asset: HaloRecord) {
  return {
    id: asset.id as number,
    tag: optionalText(asset.inventory_number),
    name: optionalText(asset.key_field),
    type: ref(asset.assettype_id, asset.assettype_name),
    client: ref(asset.client_id, asset.client_name),
    site: ref(asset.site_id, asset.site_name),
    user: optionalText(asset.username),
    inactive: asset.inactive === true,
  };
}

export function assetDetail(asset: HaloRecord) {
  const fields: Record<string, unknown> = {};
  for (const field of Array.isArray(asset.fields) ? (asset.fields as CustomField[]) : []) {
    if (field.value !== undefined && field.value !== null && field.value !== '') fields[String(field.name ?? field.id)] = field.value;
  }
  const custom = customFields(asset.customfields);
  return {
    ...assetSummary(asset),
    warranty_end: isoUtc(asset.warranty_end),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    ...(custom ? { custom_fields: custom } : {}),
  };
}

export function kbSummary(article: HaloRecord, shaper: TextShaper) {
  return {
    id: article.id as number,
    title: optionalText(article.name) ?? '',
    tags: optionalText(article.tag_string),
    summary: shaper.fromHtml(article.description_html ?? article.description, 200),
  };
}

export function kbDetail(article: HaloRecord, shaper: TextShaper) {
  const lists = Array.isArray(article.faqlists) ? (article.faqlists as { name?: unknown }[]).map((list) => optionalText(list.name)).filter((name) => name !== null) : [];
  return {
    id: article.id as number,
    title: optionalText(article.name) ?? '',
    tags: optionalText(article.tag_string),
    body: fenced(shaper.fromHtml(article.description_html ?? article.description, 6_000)),
    resolution: fenced(shaper.fromHtml(article.resolution_html ?? article.resolution, 6_000)),
    updated: isoUtc(article.date_edited) ?? isoUtc(article.date_created),
    views: typeof article.view_count === 'number' ? article.view_count : 0,
    ...(lists.length > 0 ? { faq_lists: lists } : {}),
  };
}
