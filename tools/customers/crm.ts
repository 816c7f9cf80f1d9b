/** Customers beyond the core: writing clients, sites and users, CRM notes, top levels and organisations. */
import { clientDetail, clientSummary, userDetail } from './projections.js';
import { boolArg, htmlArg, idArg, numberArg, refArg, resourceTools, textArg } from '../../src/toolkit/resource-tools.js';
import { isoUtc, optionalText, ref } from '../../src/toolkit/shape.js';
import { fenced } from '../../src/toolkit/untrusted.js';

const clientFields = {
  name: textArg('name', 'Client name'),
  top_level_id: idArg('toplevel_id', 'Top level id'),
  website: textArg('website', 'Website'),
  notes: htmlArg('notes', 'Notes, plain text'),
  inactive: boolArg('inactive', 'Mark inactive'),
};

export const clientTools = resourceTools({
  toolset: 'crm',
  noun: 'client',
  plural: 'clients',
  label: 'client',
  path: '/Client',
  ops: ['create', 'update', 'delete'],
  fields: clientFields,
  required: ['name'],
  project: (client) => clientSummary(client),
  detail: (client, text) => clientDetail(client, text),
});

export const siteTools = resourceTools({
  toolset: 'crm',
  noun: 'site',
  plural: 'sites',
  label: 'site',
  path: '/Site',
  ops: ['list', 'get', 'create', 'update', 'delete'],
  search: true,
  inactive: true,
  filters: { client: refArg('client', 'client_id') },
  fields: {
    name: textArg('name', 'Site name'),
    client: refArg('client', 'client_id'),
    phone: textArg('phonenumber', 'Phone'),
    timezone: textArg('timezone', 'IANA time zone'),
    notes: htmlArg('notes', 'Notes, plain text'),
  },
  required: ['name', 'client'],
  project: (site) => ({ id: site.id, name: optionalText(site.name) ?? '', client: ref(site.client_id, site.client_name), inactive: site.inactive === true }),
  detail: (site, text) => ({
    id: site.id,
    name: optionalText(site.name) ?? '',
    client: ref(site.client_id, site.client_name),
    phone: optionalText(site.phonenumber),
    timezone: optionalText(site.timezone),
    notes: fenced(text.fromHtml(site.notes, 1_000)) || null,
    inactive: site.inactive === true,
  }),
});

export const userTools = resourceTools({
  toolset: 'crm',
  noun: 'user',
  plural: 'users',
  label: 'user',
  path: '/Users',
  ops: ['create', 'update', 'delete'],
  fields: {
    name: textArg('name', 'Full name'),
    first_name: textArg('firstname', 'First name'),
    last_name: textArg('surname', 'Last name'),
    email: textArg('emailaddress', 'Email'),
    phone: textArg('phonenumber', 'Phone'),
    mobile: textArg('mobilenumber', 'Mobile'),
    title: textArg('title', 'Job title'),
    client: refArg('client', 'client_id'),
    site: refArg('site', 'site_id'),
  },
  required: ['name', 'site'],
  project: (user) => userDetail(user),
});

export const crmNoteTools = resourceTools({
  toolset: 'crm',
  noun: 'crm_note',
  plural: 'crm_notes',
  label: 'CRM note',
  path: '/CRMNote',
  ops: ['list', 'create'],
  paged: false,
  filters: { client: refArg('client', 'client_id') },
  fields: {
    client: refArg('client', 'client_id'),
    note: textArg('note', 'The note'),
    time_taken_hours: numberArg('timetaken', 'Time spent, hours'),
  },
  required: ['client', 'note'],
  project: (note, text) => ({ id: note.id, client_id: note.client_id ?? null, when: isoUtc(note.datetime), note: fenced(text.fromHtml(note.note, 500)) }),
});

export const topLevelTools = resourceTools({
  toolset: 'crm',
  noun: 'top_level',
  plural: 'top_levels',
  label: 'top level',
  path: '/TopLevel',
  ops: ['list'],
  search: true,
  listDescription: 'List top levels, the groups clients sit under.',
  project: (level) => ({ id: level.id, name: optionalText(level.name) ?? '' }),
});

export const organisationTools = resourceTools({
  toolset: 'crm',
  noun: 'organisation',
  plural: 'organisations',
  label: 'organisation',
  path: '/Organisation',
  ops: ['list'],
  paged: false,
  listDescription: 'List the organisations (your own companies) in this Halo.',
  project: (organisation) => ({ id: organisation.id, name: optionalText(organisation.name) ?? '', email: optionalText(organisation.email) }),
});
