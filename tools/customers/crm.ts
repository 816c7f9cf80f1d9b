/** Customers beyond clients and users: sites, CRM notes, top levels and organisations. */
import { htmlArg, numberArg, refArg, resourceTools, textArg } from '../../src/toolkit/resource-tools.js';
import { isoUtc, optionalText, ref } from '../../src/toolkit/values.js';
import { fenced } from '../../src/toolkit/untrusted.js';

export const siteTools = resourceTools({
  toolset: 'crm',
  noun: 'site',
  label: 'site',
  path: '/Site',
  tools: {
    list: { name: 'halo_search_sites', title: 'Search sites' },
    get: { name: 'halo_get_site', title: 'Get a site' },
    create: { name: 'halo_create_site', title: 'Create a site' },
    update: { name: 'halo_update_site', title: 'Update a site' },
    delete: { name: 'halo_delete_site', title: 'Delete a site' },
  },
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

export const crmNoteTools = resourceTools({
  toolset: 'crm',
  noun: 'crm_note',
  label: 'CRM note',
  path: '/CRMNote',
  tools: {
    list: { name: 'halo_list_crm_notes', title: 'List CRM notes' },
    create: { name: 'halo_create_crm_note', title: 'Create a CRM note' },
  },
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
  label: 'top level',
  path: '/TopLevel',
  tools: {
    list: { name: 'halo_search_top_levels', title: 'Search top levels', description: 'List top levels, the groups clients sit under.' },
  },
  search: true,
  project: (level) => ({ id: level.id, name: optionalText(level.name) ?? '' }),
});

export const organisationTools = resourceTools({
  toolset: 'crm',
  noun: 'organisation',
  label: 'organisation',
  path: '/Organisation',
  tools: {
    list: { name: 'halo_list_organisations', title: 'List organisations', description: 'List the organisations (your own companies) in this Halo.' },
  },
  paged: false,
  project: (organisation) => ({ id: organisation.id, name: optionalText(organisation.name) ?? '', email: optionalText(organisation.email) }),
});
