/**
 * Builds the sandbox tenant: a small MSP with its customers, people, configuration and history.
 * The same seed always builds the same records; `scale` multiplies tickets and their actions for
 * benchmarks, everything else stays the size of a real small MSP.
 */
import {
  ASSET_GROUPS,
  ASSET_TYPES,
  CATEGORY_NAMES,
  CLIENT_NAMES,
  EXTRA_SITE_NAMES,
  FIRST_NAMES,
  ITEMS,
  JOB_TITLES,
  KB_ARTICLES,
  LAST_NAMES,
  MODELS,
  MSP,
  OPPORTUNITY_NAMES,
  PROJECT_NAMES,
  PROJECT_TASKS,
  REPORT_GROUPS,
  REPORTS,
  SUBJECTS,
  SUPPLIERS,
  emailDomain,
  longThreadHtml,
  noteHtml,
  ticketDetailsHtml,
} from './content.js';
import { Random } from './random.js';
import { textOf } from '../util/text.js';
import { MANDATORY, NO_DATE, STATUS_TYPE, haloFormOfIso, htmlToPlain, isClosedStatus, noteTextOf, type DateKind } from './resources/shared.js';
import type { HaloRecord } from './store.js';
import { Store } from './store.js';

export interface SeedOptions {
  seed: string | number;
  /** Multiplies the number of tickets (and so of actions). */
  scale: number;
  now: Date;
}

/** Tickets at scale 1. */
export const BASE_TICKETS = 240;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Halo behaviour: docs/halo-behaviour.md#status-types
/** Statuses in the spirit of a stock Halo install; the sandbox's own `type` marks open, closed and on hold. */
const STATUSES = [
  { id: 1, name: 'New', type: STATUS_TYPE.open, colour: '#2196f3' },
  { id: 2, name: 'In Progress', type: STATUS_TYPE.open, colour: '#4caf50' },
  { id: 3, name: 'Waiting on Customer', type: STATUS_TYPE.onHold, colour: '#ff9800' },
  { id: 4, name: 'Waiting on Supplier', type: STATUS_TYPE.onHold, colour: '#ff9800' },
  { id: 5, name: 'Scheduled', type: STATUS_TYPE.open, colour: '#9c27b0' },
  { id: 6, name: 'On Hold', type: STATUS_TYPE.onHold, colour: '#795548' },
  { id: 7, name: 'Resolved - Awaiting Confirmation', type: STATUS_TYPE.open, colour: '#8bc34a' },
  { id: 8, name: 'Cancelled', type: STATUS_TYPE.closed, colour: '#9e9e9e' },
  { id: 9, name: 'Closed', type: STATUS_TYPE.closed, colour: '#607d8b' },
];

interface TicketTypeSeed {
  id: number;
  name: string;
  use: 'reqs' | 'prjs' | 'opps';
  /** Agents and teams the type is restricted to; without any, every agent may use it. */
  restrictedTo?: { agent_id?: number; team_id?: number }[];
  sla?: number;
  defaultPriority?: number;
  /** Fields an agent must fill in when logging one. */
  mandatory?: string[];
}

const TICKET_TYPES: TicketTypeSeed[] = [
  { id: 1, name: 'Incident', use: 'reqs' },
  { id: 2, name: 'Service Request', use: 'reqs' },
  { id: 3, name: 'Problem', use: 'reqs' },
  // Halo behaviour: docs/halo-behaviour.md#mandatory-fields-per-ticket-type
  { id: 4, name: 'Change Request', use: 'reqs', mandatory: ['details', 'category_1'] },
  { id: 5, name: 'Alert', use: 'reqs' },
  { id: 6, name: 'Project', use: 'prjs' },
  { id: 7, name: 'Opportunity', use: 'opps' },
  // Halo behaviour: docs/halo-behaviour.md#ticket-types-need-showall
  // Types for some agents and teams only, none of them the API's agent (Service Desk): Halo lists them to it only with showall=true.
  { id: 8, name: 'Security Incident', use: 'reqs', restrictedTo: [{ team_id: 2 }] },
  { id: 9, name: 'HR Request', use: 'reqs', restrictedTo: [{ agent_id: 8 }], sla: 3, defaultPriority: 4 },
  { id: 10, name: 'Board Escalation', use: 'reqs', restrictedTo: [{ agent_id: 7 }, { team_id: 4 }] },
];

/** Every few tickets one of a restricted type, so that tickets show types the API's agent cannot list. */
const RESTRICTED_TICKET_EVERY = 40;

const PRIORITIES = [
  { priorityid: 1, name: 'Critical', responsetime: 0.5, fixtime: 4 },
  { priorityid: 2, name: 'High', responsetime: 1, fixtime: 8 },
  { priorityid: 3, name: 'Medium', responsetime: 4, fixtime: 24 },
  { priorityid: 4, name: 'Low', responsetime: 8, fixtime: 72 },
];

/**
 * Outcomes (the buttons that add an action), with the flags Halo's `TOutcome` carries. The ids are
 * scattered on purpose, as on a tenant that has added and removed outcomes over the years: no
 * private-note outcome sits at 7 (the built-in "Internal Note" id some integrations hard-code), and
 * 7 is one that emails the end user and closes the ticket, so a guessed id shows in a test.
 * `systemid` marks the outcomes Halo ships; the MSP added the rest.
 */
// Halo behaviour: docs/halo-behaviour.md#outcomes-per-tenant
const OUTCOMES = [
  { id: 3, outcome: 'Opened', sequence: 0, hidefromuser: false, sendemail: 0, systemid: 1, hidden: true },
  { id: 7, outcome: 'Resolve Ticket', sequence: 8, hidefromuser: false, sendemail: 1, newstatus: 9, systemid: 6 },
  { id: 11, outcome: 'Email User', sequence: 1, hidefromuser: false, sendemail: 1, systemid: 2 },
  { id: 14, outcome: 'Phone Call', sequence: 4, hidefromuser: false, sendemail: 0, systemid: 0 },
  { id: 18, outcome: 'Change Status', sequence: 7, hidefromuser: true, sendemail: 0, systemid: 5 },
  { id: 21, outcome: 'Remote Session', sequence: 5, hidefromuser: false, sendemail: 0, systemid: 0 },
  { id: 26, outcome: 'Site Visit', sequence: 6, hidefromuser: false, sendemail: 0, systemid: 0 },
  { id: 29, outcome: 'Note', sequence: 3, hidefromuser: false, sendemail: 0, systemid: 4 },
  { id: 33, outcome: 'Supplier Update', sequence: 9, hidefromuser: true, sendemail: 0, systemid: 0 },
  // Halo behaviour: docs/halo-behaviour.md#action-email-by-outcome
  // A private note can never email anyone, as on a stock tenant; the others leave it to the action.
  { id: 38, outcome: 'Private Note', sequence: 2, hidefromuser: true, sendemail: 0, hidesendemail: true, systemid: 3, default_private_note: true },
];

/** The outcome the seeded history uses for each kind of action. */
function seededOutcome(name: string): (typeof OUTCOMES)[number] {
  const outcome = OUTCOMES.find((candidate) => candidate.outcome === name);
  if (!outcome) throw new Error(`No seeded outcome ${name}`);
  return outcome;
}
/** What agents record in the middle of a ticket's history. */
const WORK_OUTCOMES = ['Email User', 'Phone Call', 'Remote Session', 'Site Visit', 'Note', 'Private Note', 'Supplier Update', 'Change Status'].map(seededOutcome);

const TEAMS = ['Service Desk', 'Infrastructure', 'Projects', 'Accounts'];

const AGENTS = [
  { name: 'Jane Doe', team: 'Service Desk', jobtitle: 'Service Desk Lead' },
  { name: 'Sam Patel', team: 'Service Desk', jobtitle: 'Service Desk Analyst' },
  { name: 'Priya Shah', team: 'Service Desk', jobtitle: 'Service Desk Analyst' },
  { name: 'Tom Becker', team: 'Infrastructure', jobtitle: 'Infrastructure Engineer' },
  { name: 'Olivia Grant', team: 'Infrastructure', jobtitle: 'Senior Engineer' },
  { name: 'Marcus Lee', team: 'Projects', jobtitle: 'Project Engineer' },
  { name: 'Hannah Kim', team: 'Projects', jobtitle: 'Project Manager' },
  { name: 'Daniel Okafor', team: 'Accounts', jobtitle: 'Account Manager' },
  { name: 'Chloe Martin', team: 'Service Desk', jobtitle: 'Service Desk Analyst', disabled: true },
];

/** The agent the sandbox's API application logs in as. */
export const API_AGENT_NAME = 'API Integration';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .toUpperCase();
}

/** Orders, stock, to-dos, attachments, approvals and the configuration an admin toolset reads. */
function seedOperations(
  store: Store,
  random: Random,
  at: (offsetMs: number) => string,
  daysAgo: (maxDays: number) => number,
  clients: HaloRecord[],
  liveTickets: HaloRecord[],
): void {
  for (let i = 0; i < 8; i++) {
    const client = random.pick(clients);
    const item = random.pick(ITEMS);
    const qty = random.int(1, 10);
    const order = store.collection('salesorders').insert({
      title: `${item.name} x${qty}`,
      client_id: client.id,
      client_name: client.name,
      date: at(daysAgo(60)),
      total: qty * item.price,
      closed: i < 3,
      lines: [{ id: 1, item_shortdescription: item.name, quantity: qty, unit_price: item.price }],
    });
    if (item.supplier > 0 && i % 2 === 0) {
      store.collection('purchaseorders').insert({
        title: `For sales order ${order.id}`,
        po_ref: `PO-${String(3100 + i)}`,
        supplier_id: item.supplier,
        supplier_name: SUPPLIERS[item.supplier - 1] ?? '',
        salesorder_id: order.id,
        client_id: client.id,
        date: at(daysAgo(50)),
        total: qty * item.cost,
        closed: i < 3,
      });
    }
  }
  for (const item of store.collection('items').all().filter((candidate) => candidate.isrecurringitem !== true)) {
    store.collection('itemstock').insert({ item_id: item.id, item_name: item.name, stocklocation_name: 'Main store', quantity_in: Number(item.quantity_in_stock), quantity_remaining: Number(item.quantity_in_stock), date: at(daysAgo(90)) });
  }
  for (const ticket of liveTickets.slice(0, 12)) {
    ['Confirm with the user', 'Update the documentation'].forEach((text, index) =>
      store.collection('todos').insert({ ticket_id: ticket.id, text, done: index === 0 && random.chance(0.5), sequence: index + 1 }),
    );
  }
  const files = [
    { filename: 'error-screenshot.png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' },
    { filename: 'event-log.txt', data: Buffer.from('Event 153: The IO operation at logical block address was retried.\n').toString('base64') },
  ];
  liveTickets.slice(0, 10).forEach((ticket, index) => {
    const file = files[index % files.length] ?? files[0];
    if (!file) return;
    store.collection('attachments').insert({ ticket_id: ticket.id, filename: file.filename, data_base64: file.data, filesize: Buffer.from(file.data, 'base64').length, isimage: file.filename.endsWith('.png'), datecreated: at(daysAgo(10)) });
  });
  for (const ticket of liveTickets.filter((candidate) => candidate.tickettype_id === 1).slice(0, 3)) {
    store.collection('approvals').insert({ ticket_id: ticket.id, seq: 1, name: 'Jane Doe', agent_id: 1, result: 0, approval_process_name: 'Change approval' });
    store.collection('approvals').insert({ ticket_id: ticket.id, seq: 2, name: 'Olivia Grant', agent_id: 5, result: 0, approval_process_name: 'Change approval' });
  }
  const webhook = store.collection('webhooks').insert({ name: 'Ticket updates to chat', url: 'https://chat.example/hooks/halo', method: 'POST', active: true, events: [] });
  for (let i = 0; i < 3; i++) {
    store.collection('webhookevents').insert({ webhook_id: webhook.id, timestamp: at(daysAgo(3)), status: i === 2 ? 500 : 200, responsestatus: i === 2 ? 500 : 200, duration: random.int(80, 900) });
  }
  [
    { name: 'CFContractType', label: 'Contract type', type: 2 },
    { name: 'CFBusinessImpact', label: 'Business impact', type: 2 },
    { name: 'CFAssetWarranty', label: 'Warranty reference', type: 0 },
  ].forEach((field) => store.collection('fieldinfo').insert({ ...field, custom: 1 }));
  store.collection('workflows').insert({ name: 'Incident', active: true, steps: [] });
  store.collection('workflows').insert({ name: 'Change approval', active: true, steps: [] });
  ['Administrator', 'Service Desk', 'Finance'].forEach((name) => store.collection('roles').insert({ name }));
  store.collection('organisations').insert({ name: MSP.name, email: `hello@${MSP.domain}` });
  for (const ticket of liveTickets.slice(0, 15)) {
    store.collection('audit').insert({ ticket_id: ticket.id, agent_id: ticket.agent_id, date: at(daysAgo(7)), table_name: 'FAULTS', value: 'Status changed', from: 'New', to: 'In Progress' });
  }
}

export interface SeededTenant {
  store: Store;
  apiAgentId: number;
}

export function seedTenant({ seed, scale, now }: SeedOptions): SeededTenant {
  const random = new Random(seed);
  const store = new Store();
  const at = (offsetMs: number): string => new Date(now.getTime() + offsetMs).toISOString();
  const daysAgo = (maxDays: number): number => -Math.floor(random.next() * maxDays * DAY);
  /** Who raised a ticket and where: the reference fields with the names Halo keeps beside them. */
  const raisedBy = (client: HaloRecord, user: HaloRecord): Record<string, unknown> => {
    const site = store.collection('sites').get(user.site_id as number);
    return {
      client_id: client.id,
      client_name: client.name,
      site_id: site?.id ?? 0,
      site_name: site?.name ?? '',
      user_id: user.id,
      user_name: user.name,
    };
  };

  // Configuration.
  const toplevels = store.collection('toplevels');
  toplevels.insert({ id: 1, name: 'Managed Clients' });
  toplevels.insert({ id: 2, name: 'Internal' });
  for (const status of STATUSES) store.collection('statuses').insert({ ...status, sequence: status.id, shortname: status.name.slice(0, 3).toUpperCase() });
  const slas = store.collection('slas');
  slas.insert({ id: 1, name: 'Standard Support (business hours)', trackslaresponsetime: true, trackslafixbytime: true });
  slas.insert({ id: 2, name: 'Premium 24x7', trackslaresponsetime: true, trackslafixbytime: true });
  // An SLA with only the lower priorities, for work that is never urgent.
  slas.insert({ id: 3, name: 'Internal (best effort)', trackslaresponsetime: false, trackslafixbytime: true });
  // Halo behaviour: docs/halo-behaviour.md#priority-per-sla
  for (const sla of [1, 2, 3]) {
    const factor = sla === 2 ? 0.5 : sla === 3 ? 2 : 1;
    for (const p of PRIORITIES.filter((priority) => sla !== 3 || priority.priorityid >= 3)) {
      store.collection('priorities').insert({
        id: sla * 10 + p.priorityid,
        slaid: sla,
        priorityid: p.priorityid,
        name: p.name,
        responsetime: p.responsetime * factor,
        responseunits: 'hours',
        fixtime: p.fixtime * factor,
        fixunits: 'hours',
      });
    }
  }
  for (const { restrictedTo, sla, defaultPriority, mandatory, ...type } of TICKET_TYPES) {
    store.collection('tickettypes').insert({
      ...type,
      default_sla: sla ?? 1,
      initial_status: 1,
      default_priority: defaultPriority ?? 3,
      cancreate: true,
      inactive: false,
      sequence: type.id,
      access_control_level: restrictedTo ? 1 : 0,
      access_control: (restrictedTo ?? []).map((entry, index) => ({ id: index + 1, entity: 'tickettype', entity_id: type.id, ...entry })),
      hasmandatorytechfields: mandatory !== undefined,
      fields: (mandatory ?? []).map((fieldname, index) => ({ id: index + 1, rtid: type.id, fieldname, technew: MANDATORY })),
    });
  }
  CATEGORY_NAMES.forEach((value, index) => store.collection('categories').insert({ id: index + 1, value, category_name: value, type_id: 1 }));
  for (const outcome of OUTCOMES) {
    store.collection('outcomes').insert({ newstatus: 0, default_private_note: false, hidden: false, hidesendemail: false, ...outcome, buttonname: outcome.outcome });
  }
  TEAMS.forEach((name, index) => store.collection('teams').insert({ id: index + 1, name, forrequests: true, inactive: false, sequence: index + 1 }));
  const agents = store.collection('agents');
  for (const agent of AGENTS) {
    const [firstname = '', surname = ''] = agent.name.split(' ');
    agents.insert({
      name: agent.name,
      firstname,
      surname,
      initials: initials(agent.name),
      email: `${firstname.toLowerCase()}.${surname.toLowerCase()}@${MSP.domain}`,
      team: agent.team,
      jobtitle: agent.jobtitle,
      isdisabled: agent.disabled === true,
      is_agent: true,
      isapiagent: false,
    });
  }
  // Halo behaviour: docs/halo-behaviour.md#login-as-agent
  // Halo behaviour: docs/halo-behaviour.md#agent-list-defaults
  const apiAgent = agents.insert({
    name: API_AGENT_NAME,
    firstname: 'API',
    surname: 'Integration',
    initials: 'API',
    email: `api@${MSP.domain}`,
    team: 'Service Desk',
    jobtitle: 'API application',
    isdisabled: false,
    is_agent: true,
    isapiagent: true,
  });
  const activeAgents = agents.all().filter((agent) => agent.isdisabled !== true && agent.isapiagent !== true);
  for (const [index, name] of ['Email', 'Phone', 'Portal', 'Chat', 'Monitoring'].entries()) {
    store.collection('lookups').insert({ id: index + 1, lookupid: 22, name, sequence: index });
  }
  ASSET_GROUPS.forEach((name, index) => store.collection('assetgroups').insert({ id: index + 1, name }));
  ASSET_TYPES.forEach((type, index) =>
    store.collection('assettypes').insert({
      id: index + 1,
      name: type.name,
      assetgroup_id: type.group,
      assetgroup_name: ASSET_GROUPS[type.group - 1],
      tagprefix: type.prefix,
      keyfield_name: 'Hostname',
    }),
  );
  SUPPLIERS.forEach((name, index) =>
    store.collection('suppliers').insert({
      id: index + 1,
      name,
      email_address: `orders@${emailDomain(name)}`,
      phone_number: `0800 ${String(100000 + index * 7919).slice(0, 6)}`,
      inactive: false,
      toplevel_id: 1,
    }),
  );
  ITEMS.forEach((item, index) =>
    store.collection('items').insert({
      id: index + 1,
      name: item.name,
      description: item.name,
      costprice: item.cost,
      baseprice: item.price,
      supplier_id: item.supplier,
      supplier_name: SUPPLIERS[item.supplier - 1] ?? '',
      isrecurringitem: item.recurring,
      quantity_in_stock: item.recurring ? 0 : random.int(0, 25),
      inactive: false,
    }),
  );
  REPORT_GROUPS.forEach((name, index) => store.collection('lookups').insert({ lookupid: 80, name, sequence: index + 1, value2: String(index + 1) }));
  REPORTS.forEach((report, index) =>
    store.collection('reports').insert({ id: index + 1, name: report.name, sql: report.sql, reportgroup_id: report.group, is_published: false, type: 0 }),
  );
  store.collection('faqlists').insert({ id: 1, name: 'Service Desk', showforall: false });
  store.collection('faqlists').insert({ id: 2, name: 'End User Guides', showforall: true });
  KB_ARTICLES.forEach((article, index) =>
    store.collection('kb').insert({
      id: index + 1,
      name: article.title,
      description_html: article.body,
      description: htmlToPlain(article.body),
      resolution_html: article.resolution,
      resolution: htmlToPlain(article.resolution),
      tag_string: article.tags,
      type: 0,
      view_count: random.int(0, 400),
      useful_count: random.int(0, 40),
      date_created: at(daysAgo(700)),
      date_edited: at(daysAgo(120)),
      inactive: false,
      faqlists: [{ id: index % 3 === 0 ? 2 : 1, name: index % 3 === 0 ? 'End User Guides' : 'Service Desk' }],
    }),
  );

  // Customers: the MSP itself, then its clients, each with sites, people and equipment.
  const clients = store.collection('clients');
  const sites = store.collection('sites');
  const users = store.collection('users');
  const assets = store.collection('assets');
  const usersByClient = new Map<number, HaloRecord[]>();
  const assetsByClient = new Map<number, HaloRecord[]>();
  const clientNames = [`${MSP.name} (Internal)`, ...CLIENT_NAMES];
  clientNames.forEach((name, index) => {
    const client = clients.insert({
      id: index + 1,
      name,
      toplevel_id: index === 0 ? 2 : 1,
      toplevel_name: index === 0 ? 'Internal' : 'Managed Clients',
      inactive: index === clientNames.length - 1,
      website: `https://www.${emailDomain(name)}`,
      datecreated: at(daysAgo(1500)),
      accountmanagertech: 8,
      customfields: [],
    });
    const domain = emailDomain(name);
    const siteNames = ['Head Office', ...EXTRA_SITE_NAMES.slice(0, random.int(0, 2))];
    const clientSites = siteNames.map((siteName) =>
      sites.insert({
        name: siteName,
        client_id: client.id,
        client_name: name,
        clientsite_name: `${name} / ${siteName}`,
        phonenumber: `01${random.int(100, 999)} ${random.int(100000, 999999)}`,
        timezone: 'Europe/London',
        inactive: false,
      }),
    );
    const headOffice = clientSites[0] as HaloRecord;
    const clientUsers: HaloRecord[] = [
      users.insert({
        name: 'General User',
        site_id: headOffice.id,
        site_name: headOffice.name,
        client_id: client.id,
        client_name: name,
        emailaddress: '',
        inactive: false,
      }),
    ];
    const people = random.int(3, 8);
    for (let i = 0; i < people; i++) {
      const firstname = random.pick(FIRST_NAMES);
      const surname = random.pick(LAST_NAMES);
      const site = random.pick(clientSites);
      clientUsers.push(
        users.insert({
          name: `${firstname} ${surname}`,
          firstname,
          surname,
          title: random.pick(JOB_TITLES),
          emailaddress: `${firstname}.${surname.replace(/'/g, '')}@${domain}`.toLowerCase(),
          login: `${firstname[0] ?? ''}${surname.replace(/'/g, '')}`.toLowerCase(),
          phonenumber: `01${random.int(100, 999)} ${random.int(100000, 999999)}`,
          mobilenumber: `07${random.int(100, 999)} ${random.int(100000, 999999)}`,
          site_id: site.id,
          site_name: site.name,
          client_id: client.id,
          client_name: name,
          isimportantcontact: i === 0,
          inactive: random.chance(0.05),
        }),
      );
    }
    usersByClient.set(client.id, clientUsers);
    const clientAssets: HaloRecord[] = [];
    const equipment = random.int(5, 15);
    const prefix = name.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase();
    for (let i = 0; i < equipment; i++) {
      const typeIndex = random.int(0, ASSET_TYPES.length - 1);
      const type = ASSET_TYPES[typeIndex] ?? ASSET_TYPES[0];
      const site = random.pick(clientSites);
      const owner = random.pick(clientUsers);
      const tag = `${prefix}-${type.prefix}-${String(i + 1).padStart(3, '0')}`;
      clientAssets.push(
        assets.insert({
          inventory_number: tag,
          key_field: tag.toLowerCase(),
          client_id: client.id,
          client_name: name,
          site_id: site.id,
          site_name: site.name,
          assettype_id: typeIndex + 1,
          assettype_name: type.name,
          assetgroup_id: type.group,
          username: owner.name === 'General User' ? '' : owner.name,
          inactive: random.chance(0.04),
          warranty_end: at(random.int(-200, 900) * DAY),
          fields: [
            { id: 1, name: 'Model', value: random.pick(MODELS[type.name] ?? ['Generic']) },
            { id: 2, name: 'Serial Number', value: `SN${random.int(10000000, 99999999)}` },
          ],
        }),
      );
    }
    assetsByClient.set(client.id, clientAssets);
    if (index > 0 && random.chance(0.8)) {
      const start = now.getTime() + daysAgo(500);
      store.collection('contracts').insert({
        client_id: client.id,
        client_name: name,
        ref: `${prefix}-MSA-${random.int(100, 999)}`,
        contracttype_name: random.pick(['Managed Services', 'Block Hours', 'Break/Fix']),
        start_date: new Date(start).toISOString(),
        end_date: new Date(start + 365 * DAY).toISOString(),
        expired: start + 365 * DAY < now.getTime(),
        periodchargeamount: random.int(8, 60) * 50,
        sla_id: random.chance(0.3) ? 2 : 1,
        sla_name: '',
        active: true,
      });
    }
  });

  // Tickets with their history.
  const faults = store.collection('faults');
  const customerClients = clients.all().filter((client) => client.id > 1);
  const ticketCount = Math.max(1, Math.round(BASE_TICKETS * scale));
  const ticketTimes: number[] = [];
  for (let i = 0; i < ticketCount; i++) ticketTimes.push(now.getTime() + daysAgo(120) - random.int(0, 3600) * 1000);
  ticketTimes.sort((a, b) => a - b);
  // A pool of detail bodies shared between tickets keeps 100,000 tickets within a modest heap.
  const detailPool = new Map<string, string>();
  for (const opened of ticketTimes) {
    const client = random.pick(customerClients);
    const clientUsers = usersByClient.get(client.id) ?? [];
    const user = random.pick(clientUsers);
    const clientAssets = assetsByClient.get(client.id) ?? [];
    const asset = clientAssets.length > 0 ? random.pick(clientAssets) : undefined;
    const categoryIndex = random.int(0, CATEGORY_NAMES.length - 1);
    const category = CATEGORY_NAMES[categoryIndex] ?? 'Hardware';
    const summary = random
      .pick(SUBJECTS[category] ?? ['General enquiry'])
      .replace('{user}', String(user.name === 'General User' ? 'a new user' : user.name))
      .replace('{asset}', textOf(asset?.inventory_number) || 'the PC');
    const ageDays = (now.getTime() - opened) / DAY;
    const closed = ageDays > 3 && random.chance(Math.min(0.9, 0.35 + ageDays / 100));
    const statusId = closed ? (random.chance(0.93) ? 9 : 8) : random.pick([1, 2, 2, 2, 3, 4, 5, 6, 7]);
    const agent = statusId === 1 && random.chance(0.6) ? undefined : random.pick(activeAgents);
    const priority = random.pick([1, 2, 2, 3, 3, 3, 3, 4, 4]);
    const slaId = priority === 1 && random.chance(0.5) ? 2 : 1;
    const policy = store.collection('priorities').get(slaId * 10 + priority);
    const long = random.chance(1 / 12);
    const poolKey = `${long ? 'L' : 'S'}${categoryIndex}:${random.int(0, 24)}:${client.id}`;
    let details = detailPool.get(poolKey);
    if (!details) {
      details = long
        ? longThreadHtml(random, summary, String(user.name), String(client.name), textOf(agent?.name) || 'Support')
        : ticketDetailsHtml(random, summary, String(user.name), String(client.name));
      detailPool.set(poolKey, details);
    }
    const actionCount = random.int(1, 6);
    const closedAt = closed ? Math.min(now.getTime() - HOUR, opened + random.int(1, Math.max(1, Math.floor(ageDays))) * DAY) : undefined;
    const lastAction = closedAt ?? Math.min(now.getTime(), opened + random.next() * Math.max(HOUR, ageDays * DAY));
    const ticket = faults.insert({
      summary,
      details,
      dateoccurred: new Date(opened).toISOString(),
      status_id: statusId,
      tickettype_id: category === 'Accounts & Access' ? 2 : random.chance(0.08) ? 5 : 1,
      sla_id: slaId,
      priority_id: priority,
      ...raisedBy(client, user),
      user_email: user.emailaddress,
      team: agent?.team ?? 'Service Desk',
      // Halo behaviour: docs/halo-behaviour.md#unassigned-agent-1
      agent_id: agent?.id ?? 0,
      categoryid_1: categoryIndex + 1,
      category_1: category,
      respondbydate: new Date(opened + Number(policy?.responsetime) * HOUR).toISOString(),
      fixbydate: new Date(opened + Number(policy?.fixtime) * HOUR).toISOString(),
      dateclosed: closedAt ? new Date(closedAt).toISOString() : null,
      hasbeenclosed: closed,
      lastactiondate: new Date(lastAction).toISOString(),
      last_update: new Date(lastAction).toISOString(),
      timetaken: 0,
      onhold: [3, 4, 6].includes(statusId),
      impact: random.int(1, 3),
      urgency: random.int(1, 3),
      deleted: false,
      customfields: [],
    });
    let timetaken = 0;
    for (let a = 0; a < actionCount; a++) {
      const when = a === 0 ? opened : opened + ((lastAction - opened) * a) / Math.max(1, actionCount - 1);
      const closing = closed && a === actionCount - 1;
      const outcome = a === 0 ? seededOutcome('Opened') : closing ? seededOutcome('Resolve Ticket') : random.pick(WORK_OUTCOMES);
      const noteHtmlText = a === 0 ? '<p>Ticket logged via Email.</p>' : closing ? '<p>Issue resolved, closing the ticket. Please get in touch if it comes back.</p>' : noteHtml(random, String(user.name));
      const time = a === 0 ? 0 : random.pick([0, 0.25, 0.25, 0.5, 1]);
      timetaken += time;
      const actor = a === 0 ? undefined : (agent ?? random.pick(activeAgents));
      store.addAction(ticket.id, {
        outcome: outcome.outcome,
        outcome_id: outcome.id,
        who: actor?.name ?? String(user.name),
        who_type: a === 0 ? 0 : 1,
        who_agentid: actor?.id ?? 0,
        datetime: new Date(when).toISOString(),
        // Halo behaviour: docs/halo-behaviour.md#note-from-html
        note: noteTextOf(noteHtmlText),
        note_html: noteHtmlText,
        hiddenfromuser: outcome.hidefromuser,
        timetaken: time,
        new_status: closing ? statusId : undefined,
        important: false,
      });
    }
    if (timetaken > 0) faults.replace({ ...ticket, timetaken });
  }

  // Projects with their tasks, and the sales pipeline.
  PROJECT_NAMES.forEach((name, index) => {
    const client = random.pick(customerClients);
    const user = random.pick(usersByClient.get(client.id) ?? []);
    const manager = random.pick(activeAgents.filter((agent) => agent.team === 'Projects'));
    const opened = now.getTime() + daysAgo(90);
    const project = faults.insert({
      summary: `${name} - ${String(client.name)}`,
      details: `<p>Project to deliver the ${name.toLowerCase()} for ${String(client.name)}.</p>`,
      dateoccurred: new Date(opened).toISOString(),
      status_id: index < 2 ? 9 : 2,
      tickettype_id: 6,
      sla_id: 1,
      priority_id: 3,
      ...raisedBy(client, user),
      team: 'Projects',
      agent_id: manager.id,
      projecttimebudget: random.int(20, 120),
      projectmoneybudget: random.int(20, 200) * 100,
      dateclosed: index < 2 ? at(daysAgo(10)) : null,
      hasbeenclosed: index < 2,
      lastactiondate: at(daysAgo(5)),
      last_update: at(daysAgo(5)),
      timetaken: 0,
      deleted: false,
      customfields: [],
    });
    PROJECT_TASKS.slice(0, random.int(3, PROJECT_TASKS.length)).forEach((task, taskIndex) => {
      faults.insert({
        summary: task,
        details: `<p>${task} for ${name.toLowerCase()}.</p>`,
        dateoccurred: new Date(opened + taskIndex * DAY).toISOString(),
        status_id: index < 2 || taskIndex < 2 ? 9 : random.pick([1, 2, 5]),
        tickettype_id: 6,
        sla_id: 1,
        priority_id: 3,
        ...raisedBy(client, user),
        team: 'Projects',
        agent_id: random.pick(activeAgents).id,
        parent_id: project.id,
        timetaken: random.pick([0, 1, 2, 4]),
        lastactiondate: at(daysAgo(5)),
        last_update: at(daysAgo(5)),
        deleted: false,
        customfields: [],
      });
    });
  });
  OPPORTUNITY_NAMES.forEach((name, index) => {
    const client = random.pick(customerClients);
    const user = random.pick(usersByClient.get(client.id) ?? []);
    const value = random.int(5, 120) * 250;
    faults.insert({
      summary: name,
      details: `<p>${name} for ${String(client.name)}.</p>`,
      dateoccurred: at(daysAgo(60)),
      status_id: index < 3 ? 9 : 2,
      tickettype_id: 7,
      sla_id: 1,
      priority_id: 3,
      ...raisedBy(client, user),
      team: 'Accounts',
      agent_id: 8,
      oppcompanyname: client.name,
      oppcontactname: user.name,
      oppemailaddress: user.emailaddress,
      oppvalue: value,
      oppconversionprobability: random.pick([10, 25, 50, 75, 90]),
      lastactiondate: at(daysAgo(20)),
      last_update: at(daysAgo(20)),
      timetaken: 0,
      deleted: false,
      customfields: [],
    });
  });

  // Billing, calendar and time.
  for (let i = 0; i < 12; i++) {
    const client = random.pick(customerClients);
    const item = random.pick(ITEMS);
    const qty = random.int(1, 10);
    store.collection('quotations').insert({
      title: `${item.name} x${qty}`,
      client_id: client.id,
      client_name: client.name,
      date: at(daysAgo(60)),
      expiry_date: at(30 * DAY),
      total: qty * item.price,
      status: random.int(0, 2),
      lines: [{ id: 1, item_code: item.name, qty_order: qty, unit_price: item.price }],
    });
  }
  for (let i = 0; i < 30; i++) {
    const client = random.pick(customerClients);
    const lines = Array.from({ length: random.int(1, 3) }, (_, line) => {
      const item = random.pick(ITEMS);
      return { id: line + 1, item_shortdescription: item.name, qty_order: random.int(1, 12), unit_price: item.price };
    });
    const total = lines.reduce((sum, line) => sum + line.qty_order * line.unit_price, 0);
    const posted = random.chance(0.7);
    store.collection('invoices').insert({
      invoicenumber: `INV-${String(10400 + i)}`,
      client_id: client.id,
      client_name: client.name,
      invoice_date: at(daysAgo(90)),
      duedate: at(daysAgo(30) + 30 * DAY),
      posted,
      total,
      amountpaid: posted && random.chance(0.6) ? total : 0,
      amountdue: 0,
      lines,
    });
  }
  for (const client of customerClients.slice(0, 8)) {
    store.collection('recurringinvoices').insert({
      invoicenumber: `RINV-${client.id}`,
      client_id: client.id,
      client_name: client.name,
      invoice_date: at(daysAgo(30)),
      posted: false,
      lines: [{ id: 1, item_shortdescription: 'Managed Support - per user (monthly)', qty_order: random.int(5, 40), unit_price: 45 }],
      total: 0,
    });
  }
  const dayStart = now.getTime() - (now.getTime() % DAY);
  const liveTickets = faults.all().filter((ticket) => ticket.tickettype_id !== 6 && ticket.tickettype_id !== 7 && !ticket.hasbeenclosed);
  for (let i = 0; i < 30; i++) {
    const agent = random.pick(activeAgents);
    const ticket = random.chance(0.7) && liveTickets.length > 0 ? random.pick(liveTickets) : undefined;
    const start = dayStart + random.int(-14, 14) * DAY + random.int(8, 16) * HOUR;
    store.collection('appointments').insert({
      subject: ticket ? `Visit: ${String(ticket.summary)}` : random.pick(['Quarterly review', 'Team meeting', 'Training', 'Onboarding call']),
      start_date: new Date(start).toISOString(),
      end_date: new Date(start + random.pick([1, 1, 2, 3]) * HOUR).toISOString(),
      agent_id: agent.id,
      agent_name: agent.name,
      ticket_id: ticket?.id ?? 0,
      client_id: ticket?.client_id ?? 0,
      client_name: ticket?.client_name ?? '',
      is_task: random.chance(0.15),
      complete_status: start < now.getTime() ? 1 : 0,
    });
  }
  for (const agent of activeAgents) {
    for (let day = 1; day <= 10; day++) {
      const date = dayStart - day * DAY;
      if ([0, 6].includes(new Date(date).getUTCDay())) continue;
      let cursor = date + 8 * HOUR;
      const events = random.int(2, 5);
      for (let e = 0; e < events; e++) {
        const hours = random.pick([0.5, 1, 1.5, 2]);
        const ticket = liveTickets.length > 0 ? random.pick(liveTickets) : undefined;
        store.collection('timesheetevents').insert({
          agent_id: agent.id,
          subject: ticket ? String(ticket.summary) : 'Admin',
          start_date: new Date(cursor).toISOString(),
          end_date: new Date(cursor + hours * HOUR).toISOString(),
          timetaken: hours,
          ticket_id: ticket?.id ?? 0,
          client_id: ticket?.client_id ?? 0,
          event_type: ticket ? 0 : 1,
        });
        cursor += hours * HOUR + random.int(0, 2) * HOUR;
      }
    }
  }
  for (const client of customerClients.slice(0, 10)) {
    store.collection('crmnotes').insert({
      client_id: client.id,
      datetime: at(daysAgo(60)),
      who_agentid: 8,
      note: random.pick(['Quarterly review booked.', 'Discussed laptop refresh budget.', 'Renewal conversation - happy with service.']),
    });
    store.collection('licences').insert({
      client_id: client.id,
      client_name: client.name,
      name: 'Microsoft 365 Business Premium',
      count: random.int(5, 40),
      inactive: false,
    });
  }

  seedOperations(store, random, at, daysAgo, customerClients, liveTickets);
  giveSomeTicketsRestrictedTypes(store);
  writeDatesAsHalo(store);
  return { store, apiAgentId: apiAgent.id };
}

/** Every RESTRICTED_TICKET_EVERY-th ticket takes a restricted type in turn; one on the best-effort SLA keeps to that SLA's priorities. */
function giveSomeTicketsRestrictedTypes(store: Store): void {
  const faults = store.collection('faults');
  const restricted = TICKET_TYPES.filter((type) => type.restrictedTo);
  const candidates = faults.all().filter((ticket) => ticket.id % RESTRICTED_TICKET_EVERY === RESTRICTED_TICKET_EVERY - 1 && ticket.tickettype_id === 1);
  candidates.forEach((ticket, index) => {
    const type = restricted[index % restricted.length];
    if (!type) return;
    const sla = type.sla ?? 1;
    const priority = sla === 3 ? Math.max(3, Number(ticket.priority_id)) : ticket.priority_id;
    faults.replace({ ...ticket, tickettype_id: type.id, sla_id: sla, priority_id: priority });
  });
}

// Halo behaviour: docs/halo-behaviour.md#date-forms
const KINDS: readonly DateKind[] = ['utc', 'unspecified', 'local'];
/** Action times stay zoned: the actions' own date filters read them with Date.parse. */
const ZONED_KINDS: readonly DateKind[] = ['utc', 'local'];
/** The fields the seed writes times into. */
const TIME_FIELDS = new Set([
  'dateoccurred',
  'dateclosed',
  'respondbydate',
  'fixbydate',
  'lastactiondate',
  'last_update',
  'datecreated',
  'date_created',
  'date_edited',
  'warranty_end',
  'start_date',
  'end_date',
  'invoice_date',
  'duedate',
  'date',
  'expiry_date',
  'timestamp',
]);

/**
 * Rewrites each seeded time of the named fields in the form its field and record pick, so that
 * every form turns up across a list.
 */
function rewriteTimes(record: Record<string, unknown>, fields: readonly string[], kinds: readonly DateKind[]): void {
  const id = Number(record.id);
  fields.forEach((field, index) => {
    const value = record[field];
    if (typeof value !== 'string' || !value.endsWith('Z')) return;
    const kind = kinds[(id + index) % kinds.length] ?? 'utc';
    // A tick count below the millisecond that ends in no zero, as a DateTime .NET took from the clock does.
    const ticks = ((id * 7_919 + index * 104_729) % 9_999) + 1;
    record[field] = haloFormOfIso(value, kind, ticks);
  });
}

/**
 * The seeded tenant's dates as Halo writes them: a mix of `Z`, no zone and `+00:00`, fractions
 * without trailing zeros, and 1900-01-01 where a ticket holds no date. Records are still the
 * seed's own here, so they are changed in place.
 */
function writeDatesAsHalo(store: Store): void {
  for (const [name, collection] of store.tables()) {
    // The records of a table share their fields: the first names the times to rewrite.
    const fields = Object.keys(collection.all()[0] ?? {}).filter((field) => TIME_FIELDS.has(field));
    if (name === 'faults' && !fields.includes('dateclosed')) fields.push('dateclosed');
    for (const record of collection.all()) {
      if (name === 'faults') {
        // Project tasks and opportunities are seeded closed without a closing time: their last action closed them.
        if (isClosedStatus(store, record.status_id) && (record.dateclosed === null || record.dateclosed === undefined)) {
          record.dateclosed = record.lastactiondate;
          record.hasbeenclosed = true;
        }
        // Halo behaviour: docs/halo-behaviour.md#no-date-1900
        record.dateclosed ??= NO_DATE;
        record.deadlinedate ??= NO_DATE;
        record.targetdate ??= NO_DATE;
      }
      rewriteTimes(record, fields, KINDS);
    }
  }
  for (const actions of store.allActions()) for (const action of actions) rewriteTimes(action, ['datetime'], ZONED_KINDS);
}
