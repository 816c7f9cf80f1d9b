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
 * case-insensitively, so they are matched so, and on every operation: a Halo newer than the
 * document may take one where the document does not declare it.
 */
export const STATE_CHANGING_PARAMETERS: Readonly<Record<string, string>> = {
  // GET /Notifications
  update_shown: 'marks the notifications it answers as shown',
  // GET /Feedback/{id}
  clearcomment: 'clears the comment of the feedback',
  // GET /IntegrationFieldMapping
  syncfields: "synchronises the integration's field mapping",
};

/** Query parameters by which a GET destroys stored data, like `_clearsagetoken` in a body: destructive calls. */
export const DESTRUCTIVE_PARAMETERS: Readonly<Record<string, string>> = {
  // GET /IntegrationData/Get/CloudMarketplace and /Sherweb
  reset_token: "resets the integration's stored token",
  // GET /IntegrationData/Get/ Giacom, Rhipe, TechData, intY, CloudMarketplace, Sherweb, ArrowSphere, DickerData, Pax8, IngramMicro
  remove_existing: "removes the integration's existing records before it imports",
};

/** Query parameters by which a GET answers a secret or mints a credential: refused in every mode, like SECRET_OPERATIONS. */
export const SECRET_PARAMETERS: Readonly<Record<string, string>> = {
  // GET /SnowDetails/{id}
  dodecrypt: 'it answers the stored secrets of the integration decrypted',
  // GET /Report/{id}, /ReportRepository/{id}
  getcompositetoken: 'it mints an access token for the report',
  // GET /DashboardLinks/{id}
  getreporttoken: 'it mints an access token for the report',
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
  // Faults
  _spam: 'marks the ticket as spam and closes it',
  // Faults
  _spamblock: "blocks the sender's address as spam",
  // Control
  clearalldata: "clears the tenant's data",
  // Control
  clearcustomerdata: "clears the tenant's customer data",
  // Control
  deleteforever: 'deletes records for good',
  // Control
  deletecustomdata: 'deletes custom data',
  // Control
  clearunsentactions: 'discards the actions waiting to be sent',
  // Control
  clearunsentemailstore: 'discards the emails waiting to be sent',
  // Control
  clearunsentescmsg: 'discards the escalation messages waiting to be sent',
  // Control
  _deactivateusers: 'deactivates users',
  // Control
  _deactivateusers_integration: "deactivates an integration's users",
  // Control
  _deactivateagents: 'deactivates agents',
  // Control
  _deactivateagents_integration: "deactivates an integration's agents",
  // Control
  _deactivateclients: 'deactivates clients',
  // Control
  _deletedevices_integration: "deletes an integration's devices",
  // Users
  _reassign_all_to_user: "moves all of the user's records to another user",
  // ConfigCommit
  _rollback: 'rolls the configuration back',
  // OutboundIntegration and other integration details
  _disconnect: 'disconnects the integration',
  // Integration details
  _disconnectintegration: 'disconnects the integration',
  // Uname
  _googlecalendardisconnect: "disconnects the agent's Google calendar",
  // Area
  _close_twilio_subaccount: "closes the client's Twilio subaccount",
};

/**
 * Underscore fields Halo's document has that only describe a record or make a write do less, read
 * one by one: an underscore field names something Halo does on the write (`_spam`, `_rollback`,
 * `_sendmassinvoice`), so one not in this list nor in the lists above is taken as destructive.
 */
export const HARMLESS_UNDERSCORE_FIELDS: ReadonlySet<string> = new Set([
  // What the agent may do with the record, answered by Halo on reads and sent back by clients that post a record they read.
  '_canupdate', '_canupdate2', '_canupdate_moreinfo', '_candelete', '_cancomplete', '_hasaccess', '_has_automations', '_hascontactsenabled',
  '_hasadobesignopen', '_isauthorized', '_is_a_departmentmanager', '_is_a_teammanager', '_ticketinfoloaded', '_statuswarning', '_chat_available',
  // Results of an earlier call, answered on reads.
  '_connection_message', '_connection_success', '_dbintegrator_success', '_restore_from_prod_result', '_test_result',
  // Whether the record is new, and the ids a client gives a record while it builds it.
  '_isnew', '_is_new', '_is_new_version', '_id', '_tempid', '_itemid', '_originalid', '_details_id',
  // The agent has seen a scheduling warning (clash, availability, milestone dates) and goes on.
  '_agent01_ok', '_agent02_ok', '_appointment01_ok', '_asset01_ok', '_milestonedate01_ok', '_ticketclash01_ok',
  // Check or preview only: nothing is saved.
  '_validate_only', '_validateonly', '_validate_form', '_validate_travel', '_ispreview', '_print_preview',
  // Tell Halo not to pass the change on to another system or run automations on it.
  '_dont_fire_automations', '_dontupdate_devops', '_dontupdate_jira', '_dontupdate_pagerduty', '_dontupdate_salesforce', '_dontupdatetype', '_dontaddnewfields',
]);

/**
 * Fields by which a write reaches the end user or the public: emails, texts, posts and invites, and
 * a note made visible. Underscore fields do with any value (as do others named `_send...` or
 * `_resend...`); the others only when on.
 */
export const CUSTOMER_FACING_FIELDS: Readonly<Record<string, string>> = {
  // Actions
  sendemail: 'emails the end user',
  // Actions
  sendsms: 'texts the end user',
  // Actions
  send_survey: 'sends the end user a survey',
  // Faults
  sendsurvey: 'sends the end user a survey',
  // Actions
  send_to_facebook: 'posts the note to Facebook',
  // Actions
  send_to_whatsapp: 'sends the note by WhatsApp',
  // Actions
  send_to_instagram: 'posts the note to Instagram',
  // Actions
  send_to_googlebusiness: 'posts the note to Google Business',
  // Faults
  sendack: 'emails the end user an acknowledgement',
  // Actions
  send_remoteinvite: 'sends the end user a remote session invite',
  // Users
  sendwelcomeemail: 'emails the user a welcome',
  // Actions
  _changeprivate: 'changes whether the end user sees the note',
  // Invoice
  _sendmassinvoice: 'emails the invoices to the customers',
  // Control
  _resendunsentemails: 'sends the emails waiting to be sent',
  // Appointment
  _create_outstanding_appointment_email: 'emails outstanding appointments',
};

/**
 * POSTs that send a message whatever their body, keyed by template; the document's path, and the
 * schema's recipient and message fields, say what each does. A child path acts as its parent does
 * (`/Notifications/process` sends what `/Notifications` queued).
 */
export const CUSTOMER_FACING_POSTS: Readonly<Record<string, string>> = {
  // Schema EmailStore: emailto, emailcc, emailbcc.
  '/EmailStore': 'it queues an email to be sent',
  // Schema Outgoingemail: to, cc.
  '/Outgoingemail': 'it queues an email to be sent',
  // Schema EscMsg, Halo's queue of outgoing notifications: emailaddress, ccaddress, emailbody, smsnos, smsbody.
  '/Notifications': 'it queues an email or text message to the addresses and numbers it names',
  // Schema FaultApproval: emailaddress and templateid, the approver an approval request is emailed to.
  '/TicketApproval': 'it emails an approval request to the address it names',
  // Schema FormattedEmail: email_to, email_cc, subject, details.
  '/formattedemail': 'it sends a formatted email to the addresses it names',
  // Schema LiveChatMsg: chat_id and text, a message in a live chat with an end user.
  '/ChatMessage': 'it sends a message into a live chat with the end user',
};

/**
 * POSTs that hand out or grant access: they need the destructive switch and a confirmation, like
 * a delete. Keyed by template; the document's path and schema say what each does.
 */
export const PRIVILEGED_POSTS: Readonly<Record<string, string>> = {
  // Schema NHD_Identity_Application: an API application with its client id, secret and permissions.
  '/Application': 'it creates or changes an API application, which holds credentials to Halo',
  // Schema ImpersonationRequest: an agent and a requestor.
  '/ImpersonationRequest': 'it lets one agent act as another',
  // Schema LoginToken
  '/LoginToken': 'it mints a login token',
  // Schemas NHD_Roles, UserRoles: what agents and users may do.
  '/Roles': 'it changes what agents may do',
  '/UserRoles': 'it changes what users may do',
};

/**
 * Field names that set credentials, roles, administrators or impersonation, on any record (an
 * agent's `password`, `is_admin` and `roles`, an integration's client secret): such a body needs
 * the destructive switch and a confirmation. Matched on the name, as the schemas have hundreds.
 */
const PRIVILEGED_FIELD = /password|secret|token|api_?key|credential|^is_?admin$|^admin$|role|permission|impersonat|loginas|2fa/i;

/** POSTs that destroy whatever their body, keyed by template; the document's path says what each does. */
export const DESTRUCTIVE_POSTS: Readonly<Record<string, string>> = {
  '/IntegrationData/Post/Mattermost/delete-webhook': 'it deletes a Mattermost webhook',
  '/Notify/uat-restore': 'it restores the test instance over its current data',
};

/** Values that leave a switch off: a parameter or field sent with one of these asks for nothing. */
const OFF = new Set(['false', '0', '']);
export const isOff = (value: unknown): boolean =>
  value === false || value === 0 || value === null || ((typeof value === 'string' || typeof value === 'number') && OFF.has(String(value).trim().toLowerCase()));

/**
 * A name as Halo binds it: case-insensitively by .NET's ordinal rules, which upper-case `ı` to `I`
 * and `ſ` to `S`, so `merged_ınto_ıd` binds as `merged_into_id`; surrounding spaces are dropped
 * too, so that no spelling of a listed name slips past the lists.
 */
export const bound = (name: string): string => name.trim().toUpperCase().toLowerCase();

/** A message or action named by an underscore field Halo's document lists, such as `_sendmassinvoice`. */
const SENDS = /^_(re)?send/;

/** Why the gateway does not call an operation at all, when it reveals a secret, by its path or a query parameter. */
export function secretReason(operation: Operation, query: Readonly<Record<string, unknown>> = {}): string | undefined {
  const always = SECRET_OPERATIONS[`${operation.method} ${operation.path}`];
  if (always) return always;
  for (const [name, value] of Object.entries(query)) {
    const reveals = SECRET_PARAMETERS[bound(name)];
    if (reveals && !isOff(value)) return `with "${name}" ${reveals}`;
  }
  return undefined;
}

/** The path a template names, or one of its parents: `/ConfirmClosure/{id}` acts as `/ConfirmClosure` does. */
function listedFor(list: Readonly<Record<string, string>>, template: string): string | undefined {
  const lower = template.toLowerCase();
  const key = Object.keys(list).find((listed) => lower === listed.toLowerCase() || lower.startsWith(`${listed.toLowerCase()}/`));
  return key === undefined ? undefined : list[key];
}

/** What a GET changes in Halo, by its path and the parameters it is sent with, declared or not: nothing for a plain read. */
export function stateChanges(operation: Operation, query: Readonly<Record<string, unknown>>): string[] {
  if (operation.method !== 'GET') return [];
  const reasons: string[] = [];
  const always = listedFor(STATE_CHANGING_GETS, operation.path);
  if (always) reasons.push(always);
  for (const [name, value] of Object.entries(query)) {
    const change = STATE_CHANGING_PARAMETERS[bound(name)] ?? DESTRUCTIVE_PARAMETERS[bound(name)];
    if (change && !isOff(value)) reasons.push(`"${name}" ${change}`);
  }
  return reasons;
}

/** The most objects and arrays a body may hold to be checked; a real upsert holds far fewer. */
const MAX_CHECKED_OBJECTS = 20_000;

/** Adds a value to the list a map holds under a key, in place: copying the list each time made a walk of many records quadratic. */
function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The field names a body carries, at any depth. */
function fieldsOf(body: unknown): Map<string, unknown[]> {
  const found = new Map<string, unknown[]>();
  const pending: unknown[] = [body];
  let checked = 0;
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (++checked > MAX_CHECKED_OBJECTS) {
      throw new ToolInputError(`The body holds more than ${MAX_CHECKED_OBJECTS.toLocaleString('en')} objects and arrays, too many to check for deletes and merges; send fewer records at once.`);
    }
    for (const [key, child] of Object.entries(value)) {
      append(found, key, child);
      pending.push(child);
    }
  }
  return found;
}

/**
 * The names a POST sends with their values: the body's fields at any depth and the query's
 * parameters, since Halo binds some records from the query (POST /Attachment/image).
 */
function postedNames(body: unknown, query: Readonly<Record<string, unknown>>): Map<string, unknown[]> {
  const names = fieldsOf(body);
  for (const [name, value] of Object.entries(query)) append(names, name, value);
  return names;
}

/** Why a posted name destroys, grants access or does what nobody has read, if it does. */
function destructiveName(name: string): string | undefined {
  const key = bound(name);
  const listed = DESTRUCTIVE_FIELDS[key];
  if (listed) return listed;
  if (PRIVILEGED_FIELD.test(key)) return 'sets credentials, roles or access';
  if (key.startsWith('_') && !HARMLESS_UNDERSCORE_FIELDS.has(key) && !Object.hasOwn(CUSTOMER_FACING_FIELDS, key) && !SENDS.test(key)) {
    return "makes Halo act in a way its document does not describe, so it is taken as destructive";
  }
  return undefined;
}

/**
 * What a call destroys or grants, by its method, its path, its query and the fields of its body:
 * nothing for a plain read or write. Such a call needs the destructive switch and a confirmation.
 */
export function destruction(operation: Operation, body: unknown, query: Readonly<Record<string, unknown>> = {}): string[] {
  if (operation.method === 'DELETE') return ['it deletes'];
  const reasons: string[] = [];
  if (operation.method === 'GET') {
    for (const [name, value] of Object.entries(query)) {
      const destroys = DESTRUCTIVE_PARAMETERS[bound(name)];
      if (destroys && !isOff(value)) reasons.push(`"${name}" ${destroys}`);
    }
    return reasons;
  }
  for (const list of [DESTRUCTIVE_POSTS, PRIVILEGED_POSTS]) {
    const always = listedFor(list, operation.path);
    if (always) reasons.push(always);
  }
  for (const name of postedNames(body, query).keys()) {
    const why = destructiveName(name);
    if (why) reasons.push(`"${name}" ${why}`);
  }
  return reasons;
}

/**
 * What a POST shows or sends to the end user by its path and the names it sends: emails, texts,
 * posts, and a note made visible (`hiddenfromuser` off). Such a call needs the caller's explicit
 * consent, as the curated tools' `send_email` does. What an action's outcome does is looked up
 * separately, in Halo.
 */
export function customerReach(operation: Operation, body: unknown, query: Readonly<Record<string, unknown>> = {}): string[] {
  if (operation.method !== 'POST') return [];
  const reasons: string[] = [];
  const always = listedFor(CUSTOMER_FACING_POSTS, operation.path);
  if (always) reasons.push(always);
  for (const [name, values] of postedNames(body, query)) {
    const key = bound(name);
    const on = values.some((value) => !isOff(value));
    const listed = CUSTOMER_FACING_FIELDS[key];
    if (key.startsWith('_') && (listed !== undefined || SENDS.test(key))) reasons.push(`"${name}" ${listed ?? 'sends a message out of Halo'}`);
    else if (listed && on) reasons.push(`"${name}" ${listed}`);
    else if (key === 'hiddenfromuser' && values.some((value) => isOff(value))) reasons.push(`"${name}": false shows the note to the end user`);
  }
  return reasons;
}
