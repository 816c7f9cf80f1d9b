/**
 * The MSP itself and its clients, each with sites, people, equipment and perhaps a contract; and
 * the account manager's notes on them.
 */
import { CLIENT_NAMES, EXTRA_SITE_NAMES, FIRST_NAMES, JOB_TITLES, LAST_NAMES, MSP, emailDomain } from '../content.js';
import type { HaloRecord } from '../store.js';
import { seedClientAssets } from './assets.js';
import { seedContract } from './billing.js';
import type { Customers, SeedContext } from './context.js';

export function seedCustomers(context: SeedContext): Customers {
  const usersByClient = new Map<number, HaloRecord[]>();
  const assetsByClient = new Map<number, HaloRecord[]>();
  const clientNames = [`${MSP.name} (Internal)`, ...CLIENT_NAMES];
  clientNames.forEach((name, index) => {
    const { client, users, assets } = seedClient(context, name, index, index === clientNames.length - 1);
    usersByClient.set(client.id, users);
    assetsByClient.set(client.id, assets);
  });
  const clients = context.store.collection('clients').all().filter((client) => client.id > 1);
  return { clients, usersByClient, assetsByClient };
}

/** One client; the first (index 0) is the MSP itself, which has no contract with itself. */
function seedClient(context: SeedContext, name: string, index: number, inactive: boolean): { client: HaloRecord; users: HaloRecord[]; assets: HaloRecord[] } {
  const { random, store, at, daysAgo } = context;
  const client = store.collection('clients').insert({
    id: index + 1,
    name,
    toplevel_id: index === 0 ? 2 : 1,
    toplevel_name: index === 0 ? 'Internal' : 'Managed Clients',
    inactive,
    website: `https://www.${emailDomain(name)}`,
    datecreated: at(daysAgo(1500)),
    accountmanagertech: 8,
    customfields: [],
  });
  const sites = seedSites(context, client, name);
  const users = seedUsers(context, client, name, sites);
  const prefix = name.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase();
  const assets = seedClientAssets(context, client, prefix, sites, users);
  if (index > 0 && random.chance(0.8)) seedContract(context, client, prefix);
  return { client, users, assets };
}

/** The head office first, then up to two more sites. */
function seedSites({ random, store }: SeedContext, client: HaloRecord, name: string): HaloRecord[] {
  const siteNames = ['Head Office', ...EXTRA_SITE_NAMES.slice(0, random.int(0, 2))];
  return siteNames.map((siteName) =>
    store.collection('sites').insert({
      name: siteName,
      client_id: client.id,
      client_name: name,
      clientsite_name: `${name} / ${siteName}`,
      phonenumber: `01${random.int(100, 999)} ${random.int(100000, 999999)}`,
      timezone: 'Europe/London',
      inactive: false,
    }),
  );
}

/** The client's General User at its head office, then its people, the first of them its important contact. */
function seedUsers({ random, store }: SeedContext, client: HaloRecord, name: string, clientSites: readonly HaloRecord[]): HaloRecord[] {
  const users = store.collection('users');
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
  const domain = emailDomain(name);
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
  return clientUsers;
}

/**
 * A CRM note and a Microsoft 365 licence for each of the first ten customers. They are seeded in
 * one pass because their draws interleave.
 */
export function seedAccountNotesAndLicences({ random, store, at, daysAgo }: SeedContext, customers: Customers): void {
  for (const client of customers.clients.slice(0, 10)) {
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
}
