/**
 * What an operation of Halo's API does beyond what its method says, for the gateway: GETs that
 * change Halo, operations that hand out stored secrets, and POST bodies that delete, merge or
 * recover records. Halo's document describes almost none of its parameters, so each entry gives
 * its evidence: the document's own names (of the path, the parameter, the schema and its fields)
 * and, where there is one, a client that uses it against live Halo.
 *
 * How the lists were drawn up: every GET path and query parameter of the document, and every field
 * of its 629 schemas, whose name speaks of deleting, merging, recovering, restoring, removing,
 * resetting, clearing, revoking, voiding, anonymising, or of passwords and secrets, was read. Kept
 * are the names that act on records when a call carries them. Left out are settings that only say
 * what Halo does later (`ninja_delete_devices`, `deleteafterclosure`, `allowticketmerging`, the
 * integration switches of `Control`), filters (`deleted` on GET /Tickets lists deleted tickets),
 * and secrets that are written and never read back (`new_password`, `new_client_secret`).
 */
import type { Operation } from '../openapi/types.js';
import { ToolInputError } from './errors.js';

/**
 * Operations whose answer is a stored secret, refused by the gateway in every mode, keyed by
 * `METHOD /Template`; each says what it hands out, and the comment where that shows.
 */
export const SECRET_OPERATIONS: Readonly<Record<string, string>> = {
  // Schema AuditPasswordField: object_type, object_id, field_id and the field's stored value.
  'GET /PasswordField': 'it answers the stored values of password fields',
  'GET /PasswordField/{id}': 'it answers the stored value of a password field',
  // Undescribed; it takes the same AuditPasswordField records, value included, so it is taken to reveal one as the web app's "show password" does.
  'POST /PasswordField': 'it records the reveal of a password field and answers its stored value',
  // The path names it.
  'GET /LicenseInfo/password': "it answers the password of Halo's licence",
  // Schema SecurityQuestion: id, name, enabled and answer.
  'GET /SecurityQuestion': 'it answers security questions with their answers',
  'GET /SecurityQuestion/{id}': 'it answers a security question with its answer',
};

/** GETs that change Halo whatever their parameters, keyed by template; the document's path says what each does. */
export const STATE_CHANGING_GETS: Readonly<Record<string, string>> = {
  '/LapSafe/Cancel': 'it cancels a LapSafe locker booking',
  '/LapSafe/Complete': 'it completes a LapSafe locker booking',
  '/GoToResolve/Complete': 'it completes a GoTo Resolve session',
  '/ConfirmClosure': 'it confirms the closure of a ticket',
  '/UnsubServiceEmails': 'it unsubscribes users from service emails',
  // Inbound notifications of integrations, which Halo acts on when they arrive.
  '/Notify/ConnectwiseRmm': 'it delivers a ConnectWise RMM alert for Halo to act on',
  '/Notify/Facebook': 'it delivers a Facebook notification for Halo to act on',
  '/Notify/AdobeAcrobat/{tenant}/{secret}': 'it delivers an Adobe Acrobat Sign notification for Halo to act on',
};

/**
 * Query parameters by which a GET changes Halo. The document describes none of them: the name is
 * the evidence, and the comment lists the operations that take it. Halo binds query names
 * case-insensitively, so they are matched so.
 */
export const STATE_CHANGING_PARAMETERS: Readonly<Record<string, string>> = {
  // GET /Notifications
  update_shown: 'marks the notifications it answers as shown',
  // GET /Feedback/{id}
  clearcomment: 'clears the comment of the feedback',
  // GET /IntegrationData/Get/CloudMarketplace and /Sherweb
  reset_token: "resets the integration's stored token",
  // GET /IntegrationData/Get/ Giacom, Rhipe, TechData, intY, CloudMarketplace, Sherweb, ArrowSphere, DickerData, Pax8, IngramMicro
  remove_existing: "removes the integration's existing records before it imports",
  // GET /IntegrationFieldMapping
  syncfields: "synchronises the integration's field mapping",
};

/**
 * Fields by which a posted record is deleted, merged, recovered or otherwise destroyed: a body that
 * carries one, at any depth and with any value, is a destructive call. The comment names the
 * schemas that have the field. Halo binds field names case-insensitively, so they are matched so.
 */
export const DESTRUCTIVE_FIELDS: Readonly<Record<string, string>> = {
  // Faults, EscMsg, FreshdeskTicket, FreshdeskUser, Licence_List, SlackUser; a ticket deleted by DELETE /Tickets/{id} carries deleted: true.
  deleted: 'deletes the record, or brings a deleted one back',
  // Faults; homotechsual/HaloAPI Public/Restore/Restore-HaloTicket.ps1 posts it to restore a ticket.
  _recover: 'recovers a deleted ticket',
  // Faults
  domerge: 'merges the ticket into another',
  // Faults, Faults_List
  merged_into_id: 'names the ticket this one is merged into',
  // Area
  _merge_client_into: 'merges the client into another',
  // Users
  _merge_user_into: 'merges the user into another',
  // InvoiceHeader
  merge_data: 'merges invoices',
  // Users
  _anonymise: "anonymises the user, erasing their details",
  // Users
  _remove_licenses: "removes the user's licences",
  // Users, Uname
  _revoke_authenticatorapp: 'removes the authenticator app of the user or agent',
  // Uname
  _revoke_tokens: "revokes the agent's tokens",
  // Users
  resetpassword: "resets the user's password",
  // Control
  reset_security_stamps: 'signs everyone out',
  // Control
  _clearsagetoken: 'deletes the stored Sage token',
  // Control
  _deletedevices: 'deletes devices',
  // Control
  _deletelicences: 'deletes licences',
  // Instance
  _restore_from_prod: 'overwrites the instance with production',
  // IncomingEmail, Outgoingemail
  delete: 'deletes the email',
  // InvoiceHeader
  voided: 'voids the invoice',
  // DistributionLists
  removetheseusers: 'removes users from the distribution list',
  // ContractTemplateDetail
  remove_from_plan: 'removes the item from the contract plan',
};

/** POSTs that destroy whatever their body, keyed by template; the document's path says what each does. */
export const DESTRUCTIVE_POSTS: Readonly<Record<string, string>> = {
  '/IntegrationData/Post/Mattermost/delete-webhook': 'it deletes a Mattermost webhook',
  '/Notify/uat-restore': 'it restores the test instance over its current data',
};

/** Values that leave a switch off: a parameter sent with one of these asks for nothing. */
const OFF = new Set(['false', '0']);

/** Why the gateway does not call an operation at all, when it reveals a secret. */
export function secretReason(operation: Operation): string | undefined {
  return SECRET_OPERATIONS[`${operation.method} ${operation.path}`];
}

/** What a GET changes in Halo, by its path and the parameters it is sent with: nothing for a plain read. */
export function stateChanges(operation: Operation, query: Readonly<Record<string, unknown>>): string[] {
  if (operation.method !== 'GET') return [];
  const reasons: string[] = [];
  const always = STATE_CHANGING_GETS[operation.path];
  if (always) reasons.push(always);
  for (const [name, value] of Object.entries(query)) {
    const change = STATE_CHANGING_PARAMETERS[name.toLowerCase()];
    // Only where the operation takes the parameter: elsewhere Halo ignores it.
    const taken = operation.query.some((param) => param.name.toLowerCase() === name.toLowerCase());
    if (change && taken && !OFF.has(String(value).toLowerCase())) reasons.push(`"${name}" ${change}`);
  }
  return reasons;
}

/** The most objects and arrays a body may hold to be checked for destructive fields; a real upsert holds far fewer. */
const MAX_CHECKED_OBJECTS = 20_000;

/** The destructive fields a body carries, at any depth. */
export function destructiveFields(body: unknown): string[] {
  const found = new Set<string>();
  const pending: unknown[] = [body];
  let checked = 0;
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (++checked > MAX_CHECKED_OBJECTS) {
      throw new ToolInputError(`The body holds more than ${MAX_CHECKED_OBJECTS.toLocaleString('en')} objects and arrays, too many to check for deletes and merges; send fewer records at once.`);
    }
    for (const [key, child] of Object.entries(value)) {
      if (Object.hasOwn(DESTRUCTIVE_FIELDS, key.toLowerCase())) found.add(key);
      pending.push(child);
    }
  }
  return [...found];
}

/** What a call destroys, by its method, its path and the fields of its body: nothing for a plain write. */
export function destruction(operation: Operation, body: unknown): string[] {
  if (operation.method === 'DELETE') return ['it deletes'];
  if (operation.method !== 'POST') return [];
  const reasons: string[] = [];
  const always = DESTRUCTIVE_POSTS[operation.path];
  if (always) reasons.push(always);
  for (const field of destructiveFields(body)) reasons.push(`"${field}" ${DESTRUCTIVE_FIELDS[field.toLowerCase()] ?? ''}`);
  return reasons;
}
