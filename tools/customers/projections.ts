/** Clients and users as a person looks at them: references as `{id, name}`, notes as plain text, dates in ISO 8601 UTC. */
import type { TextShaper } from '../../src/toolkit/html-text.js';
import { isoUtc, optionalText, ref } from '../../src/toolkit/values.js';
import { fenced } from '../../src/toolkit/untrusted.js';
import type { Area, Users } from '../../src/openapi/wire.js';

export function clientSummary(client: Area) {
  return {
    id: client.id as number,
    name: optionalText(client.name) ?? '',
    top_level: optionalText(client.toplevel_name),
    inactive: client.inactive === true,
  };
}

export function clientDetail(client: Area, shaper: TextShaper) {
  return {
    ...clientSummary(client),
    website: optionalText(client.website),
    phone: optionalText(client.main_phonenumber),
    account_manager: optionalText(client.accountmanagertech_name),
    created: isoUtc(client.datecreated),
    notes: fenced(shaper.fromHtml(client.notes, 1_000)) || null,
  };
}

export function userSummary(user: Users) {
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

export function userDetail(user: Users) {
  return {
    ...userSummary(user),
    mobile: optionalText(user.mobilenumber),
    title: optionalText(user.title),
    login: optionalText(user.login),
    important_contact: user.isimportantcontact === true,
  };
}
