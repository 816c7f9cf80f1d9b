/**
 * The tenant's configuration: client top levels, statuses, SLAs with their priorities, ticket
 * types, categories, outcomes, teams, agents and ticket sources. None of it draws at random.
 */
import { CATEGORY_NAMES, MSP } from '../content.js';
import { MANDATORY, STATUS_TYPE } from '../resources/shared.js';
import type { HaloRecord, Store } from '../store.js';
import type { SeedContext, Staff } from './context.js';

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

export const TICKET_TYPES: readonly TicketTypeSeed[] = [
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
export const OUTCOMES = [
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

const TEAMS = ['Service Desk', 'Infrastructure', 'Projects', 'Accounts'];

const AGENTS = [
  { name: 'Jane Doe', team: 'Service Desk', jobtitle: 'Service Desk Lead' },
  { name: 'Sam Patel', team: 'Service Desk', jobtitle: 'Service Desk Analyst' },
  { name: 'Priya Shah', team: 'Service Desk', jobtitle: 'Service Desk Analyst' },
  // Halo behaviour: docs/halo-behaviour.md#agent-restrictions
  // The one technician whose ticket access is limited to a team: he sees Infrastructure's tickets only.
  { name: 'Tom Becker', team: 'Infrastructure', jobtitle: 'Infrastructure Engineer', ticketsOfTeamOnly: true },
  { name: 'Olivia Grant', team: 'Infrastructure', jobtitle: 'Senior Engineer' },
  { name: 'Marcus Lee', team: 'Projects', jobtitle: 'Project Engineer' },
  { name: 'Hannah Kim', team: 'Projects', jobtitle: 'Project Manager' },
  { name: 'Daniel Okafor', team: 'Accounts', jobtitle: 'Account Manager' },
  { name: 'Chloe Martin', team: 'Service Desk', jobtitle: 'Service Desk Analyst', disabled: true },
];

/** The agent the sandbox's API application logs in as. */
const API_AGENT_NAME = 'API Integration';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .toUpperCase();
}

/** The configuration the other areas refer to; returns the staff later areas give work to. */
export function seedReferenceData({ store }: SeedContext): Staff {
  seedTopLevels(store);
  for (const status of STATUSES) store.collection('statuses').insert({ ...status, sequence: status.id, shortname: status.name.slice(0, 3).toUpperCase() });
  seedSlas(store);
  seedTicketTypes(store);
  CATEGORY_NAMES.forEach((value, index) => store.collection('categories').insert({ id: index + 1, value, category_name: value, type_id: 1 }));
  for (const outcome of OUTCOMES) {
    store.collection('outcomes').insert({ newstatus: 0, default_private_note: false, hidden: false, hidesendemail: false, ...outcome, buttonname: outcome.outcome });
  }
  const staff = seedStaff(store);
  seedTicketSources(store);
  return staff;
}

function seedTopLevels(store: Store): void {
  const toplevels = store.collection('toplevels');
  toplevels.insert({ id: 1, name: 'Managed Clients' });
  toplevels.insert({ id: 2, name: 'Internal' });
}

function seedSlas(store: Store): void {
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
}

function seedTicketTypes(store: Store): void {
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
}

/** The ways a ticket comes in, kept in lookup table 22. */
function seedTicketSources(store: Store): void {
  for (const [index, name] of ['Email', 'Phone', 'Portal', 'Chat', 'Monitoring'].entries()) {
    store.collection('lookups').insert({ id: index + 1, lookupid: 22, name, sequence: index });
  }
}

/** A membership row of Halo's `UnameSection`: the team's tickets, and no other team's. */
function teamMembership(store: Store, team: string): HaloRecord {
  const teamId = TEAMS.indexOf(team) + 1;
  return { id: 1, team_id: teamId, team_name: store.collection('teams').get(teamId)?.name, fortickets: true, in_section: true, otheragent_access: true, unassigned_access: true };
}

/** The teams, their agents, and the agent the API application logs in as. */
function seedStaff(store: Store): Staff {
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
      ...(agent.ticketsOfTeamOnly ? { teams: [teamMembership(store, agent.team)] } : {}),
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
  return { activeAgents, apiAgentId: apiAgent.id };
}
