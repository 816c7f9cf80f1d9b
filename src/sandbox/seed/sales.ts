/** The sales pipeline: opportunities, tickets of type Opportunity worked by the account manager. */
import { OPPORTUNITY_NAMES } from '../content.js';
import type { Customers, SeedContext } from './context.js';
import { raisedBy } from './tickets.js';

/** The first three opportunities are closed. */
export function seedOpportunities({ random, store, at, daysAgo }: SeedContext, customers: Customers): void {
  OPPORTUNITY_NAMES.forEach((name, index) => {
    const client = random.pick(customers.clients);
    const user = random.pick(customers.usersByClient.get(client.id) ?? []);
    const value = random.int(5, 120) * 250;
    store.collection('faults').insert({
      summary: name,
      details: `<p>${name} for ${String(client.name)}.</p>`,
      dateoccurred: at(daysAgo(60)),
      status_id: index < 3 ? 9 : 2,
      tickettype_id: 7,
      sla_id: 1,
      priority_id: 3,
      ...raisedBy(store, client, user),
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
}
