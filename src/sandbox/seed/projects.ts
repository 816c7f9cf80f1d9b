/** Projects, each a ticket of type Project with its tasks as child tickets; the first two are finished. */
import { PROJECT_NAMES, PROJECT_TASKS } from '../content.js';
import type { HaloRecord } from '../store.js';
import { DAY, type Customers, type SeedContext, type Staff } from './context.js';
import { raisedBy } from './tickets.js';

/** A project as its tasks need it. */
interface SeededProject {
  record: HaloRecord;
  name: string;
  finished: boolean;
  opened: number;
  client: HaloRecord;
  user: HaloRecord;
}

export function seedProjects(context: SeedContext, staff: Staff, customers: Customers): void {
  PROJECT_NAMES.forEach((name, index) => {
    const project = seedProject(context, staff, customers, name, index < 2);
    seedProjectTasks(context, staff, project);
  });
}

function seedProject({ random, store, now, at, daysAgo }: SeedContext, staff: Staff, customers: Customers, name: string, finished: boolean): SeededProject {
  const client = random.pick(customers.clients);
  const user = random.pick(customers.usersByClient.get(client.id) ?? []);
  const manager = random.pick(staff.activeAgents.filter((agent) => agent.team === 'Projects'));
  const opened = now + daysAgo(90);
  const record = store.collection('faults').insert({
    summary: `${name} - ${String(client.name)}`,
    details: `<p>Project to deliver the ${name.toLowerCase()} for ${String(client.name)}.</p>`,
    dateoccurred: new Date(opened).toISOString(),
    status_id: finished ? 9 : 2,
    tickettype_id: 6,
    sla_id: 1,
    priority_id: 3,
    ...raisedBy(store, client, user),
    team: 'Projects',
    agent_id: manager.id,
    projecttimebudget: random.int(20, 120),
    projectmoneybudget: random.int(20, 200) * 100,
    dateclosed: finished ? at(daysAgo(10)) : null,
    hasbeenclosed: finished,
    lastactiondate: at(daysAgo(5)),
    last_update: at(daysAgo(5)),
    timetaken: 0,
    deleted: false,
    customfields: [],
  });
  return { record, name, finished, opened, client, user };
}

/** The first few of the standard tasks, a day apart; the first two are done, and all of a finished project's. */
function seedProjectTasks({ random, store, at, daysAgo }: SeedContext, staff: Staff, project: SeededProject): void {
  const { name, opened, client, user } = project;
  PROJECT_TASKS.slice(0, random.int(3, PROJECT_TASKS.length)).forEach((task, taskIndex) => {
    store.collection('faults').insert({
      summary: task,
      details: `<p>${task} for ${name.toLowerCase()}.</p>`,
      dateoccurred: new Date(opened + taskIndex * DAY).toISOString(),
      status_id: project.finished || taskIndex < 2 ? 9 : random.pick([1, 2, 5]),
      tickettype_id: 6,
      sla_id: 1,
      priority_id: 3,
      ...raisedBy(store, client, user),
      team: 'Projects',
      agent_id: random.pick(staff.activeAgents).id,
      parent_id: project.record.id,
      timetaken: random.pick([0, 1, 2, 4]),
      lastactiondate: at(daysAgo(5)),
      last_update: at(daysAgo(5)),
      deleted: false,
      customfields: [],
    });
  });
}
