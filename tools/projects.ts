/** Projects: tickets of a project type, their tasks (child tickets) and the time spent on them. */
import { z } from 'zod';
import type { HaloRecord, Query } from '../src/halo/client.js';
import { limit, cursor, recordId } from '../src/toolkit/inputs.js';
import { anyRecord, listOutput } from '../src/toolkit/outputs.js';
import { loadNameBook } from '../src/toolkit/names.js';
import { ticketDetail, ticketSummary } from './tickets/projections.js';
import { boolArg, dateArg, htmlArg, numberArg, refArg, resourceTools, textArg } from '../src/toolkit/resource-tools.js';
import { pagedList } from '../src/toolkit/paging.js';
import { haloTime, hours } from '../src/toolkit/values.js';
import { defineTool, type AnyTool } from '../src/mcp/tool.js';

/** Filters of the lists of tickets of another area (projects, opportunities): whose, for whom, open or not. */
export const ticketAreaFilters = {
  client: refArg('client', 'client_id'),
  agent: refArg('agent', 'agent_id', 'Name, id or "me"'),
  open_only: boolArg('open_only', 'Only open ones'),
};

const projectFields = {
  summary: textArg('summary', 'Project name'),
  details: htmlArg('details_html', 'Scope, plain text'),
  client: refArg('client', 'client_id'),
  agent: refArg('agent', 'agent_id', 'Project manager: name, id or "me"'),
  status: refArg('status', 'status_id'),
  start: dateArg('startdate', 'Start'),
  target: dateArg('targetdate', 'Target'),
  budget_hours: numberArg('projecttimebudget', 'Time budget, hours'),
  budget_money: numberArg('projectmoneybudget', 'Money budget'),
};

export const projectTools = resourceTools({
  toolset: 'projects',
  noun: 'project',
  label: 'project',
  path: '/Projects',
  tools: {
    list: { name: 'halo_search_projects', title: 'Search projects' },
    get: { name: 'halo_get_project', title: 'Get a project' },
    create: { name: 'halo_create_project', title: 'Create a project' },
    update: { name: 'halo_update_project', title: 'Update a project' },
  },
  search: true,
  names: true,
  filters: ticketAreaFilters,
  fields: projectFields,
  required: ['summary', 'client'],
  project: (project, _text, names) => ticketSummary(project, names),
  detail: (project, text, names) => ({
    ...ticketDetail(project, names, text),
    budget_hours: typeof project.projecttimebudget === 'number' ? project.projecttimebudget : null,
    budget_money: typeof project.projectmoneybudget === 'number' ? project.projectmoneybudget : null,
  }),
});

export const listProjectTasks = defineTool({
  name: 'halo_list_project_tasks',
  title: 'List project tasks',
  description: "A project's tasks (its child tickets).",
  toolset: 'projects',
  access: 'read',
  input: z.strictObject({ project_id: recordId('Project id'), limit, cursor }),
  output: listOutput,
  handler: async (args, context) => {
    const names = await loadNameBook(context.resolver, { signal: context.signal });
    const query: Query = { parent_id: args.project_id };
    return pagedList(context, { tool: 'halo_list_project_tasks', args, path: '/Tickets', query, project: (task) => ticketSummary(task, names) });
  },
});

const timeSummaryOutput = z.looseObject({
  project: anyRecord,
  budget_hours: z.number().nullable(),
  logged_hours: z.number(),
  remaining_hours: z.number().nullable(),
  by_agent: z.array(z.object({ agent: z.string(), hours: z.number() })),
  tasks: z.object({ total: z.number().int(), open: z.number().int(), closed: z.number().int() }),
});

export const projectTimeSummary = defineTool({
  name: 'halo_project_time_summary',
  title: 'Project time summary',
  description: 'Hours logged on a project and its tasks against its budget, by agent.',
  toolset: 'projects',
  access: 'read',
  input: z.strictObject({ project_id: recordId('Project id') }),
  output: timeSummaryOutput,
  handler: async (args, context) => {
    const { halo, resolver, signal } = context;
    const [project, names] = await Promise.all([halo.get('/Projects', args.project_id, {}, { signal }), loadNameBook(resolver, { signal })]);
    const tasks: HaloRecord[] = [];
    for await (const page of halo.pages('/Tickets', { parent_id: args.project_id }, { signal })) {
      tasks.push(...page);
      await context.progress(tasks.length, undefined, `Read ${tasks.length} tasks`);
    }
    const byAgent = new Map<string, number>();
    for (const ticket of [project, ...tasks]) {
      const agent = names.agent(ticket.agent_id)?.name ?? 'unassigned';
      byAgent.set(agent, (byAgent.get(agent) ?? 0) + hours(ticket.timetaken));
    }
    const logged = [...byAgent.values()].reduce((sum, value) => sum + value, 0);
    const budget = typeof project.projecttimebudget === 'number' ? project.projecttimebudget : null;
    // Halo writes 1900-01-01 (or nothing) as the closing date of a task still open.
    const open = tasks.filter((task) => haloTime(task.dateclosed) === undefined).length;
    return {
      project: ticketSummary(project, names),
      budget_hours: budget,
      logged_hours: hours(logged),
      remaining_hours: budget === null ? null : hours(budget - logged),
      by_agent: [...byAgent].map(([agent, spent]) => ({ agent, hours: hours(spent) })).filter((entry) => entry.hours > 0),
      tasks: { total: tasks.length, open, closed: tasks.length - open },
    };
  },
});

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [...projectTools, listProjectTasks, projectTimeSummary];
