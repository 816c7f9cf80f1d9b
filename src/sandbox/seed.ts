/**
 * Builds the sandbox tenant: a small MSP with its customers, people, configuration and history.
 * The same seed always builds the same records; `scale` multiplies tickets and their actions for
 * benchmarks, everything else stays the size of a real small MSP.
 *
 * Each area of Halo is seeded by its own module under `seed/`. They all draw from one random
 * sequence, so the order of the calls below is part of the seed: moving one changes every record
 * seeded after it.
 */
import { seedAdministration } from './seed/admin.js';
import { seedAssetTypes } from './seed/assets.js';
import { seedBilling, seedOrders } from './seed/billing.js';
import { createSeedContext } from './seed/context.js';
import { seedAccountNotesAndLicences, seedCustomers } from './seed/customers.js';
import { writeDatesAsHalo } from './seed/dates.js';
import { seedKnowledgeBase } from './seed/kb.js';
import { seedProjects } from './seed/projects.js';
import { seedReferenceData } from './seed/reference.js';
import { seedReports } from './seed/reports.js';
import { seedOpportunities } from './seed/sales.js';
import { seedStock, seedSuppliersAndItems } from './seed/suppliers.js';
import { seedTicketExtras } from './seed/ticket-extras.js';
import { giveSomeTicketsRestrictedTypes, liveTicketsOf, seedTickets } from './seed/tickets.js';
import { seedTime } from './seed/time.js';
import type { Store } from './store.js';

export interface SeedOptions {
  seed: string | number;
  /** Multiplies the number of tickets (and so of actions). */
  scale: number;
  now: Date;
}

export interface SeededTenant {
  store: Store;
  apiAgentId: number;
}

export function seedTenant({ seed, scale, now }: SeedOptions): SeededTenant {
  const context = createSeedContext(seed, now);
  const staff = seedReferenceData(context);
  seedAssetTypes(context);
  seedSuppliersAndItems(context);
  seedReports(context);
  seedKnowledgeBase(context);
  const customers = seedCustomers(context);
  seedTickets(context, staff, customers, scale);
  seedProjects(context, staff, customers);
  seedOpportunities(context, customers);
  seedBilling(context, customers);
  const liveTickets = liveTicketsOf(context.store);
  seedTime(context, staff, liveTickets);
  seedAccountNotesAndLicences(context, customers);
  seedOrders(context, customers);
  seedStock(context);
  seedTicketExtras(context, liveTickets);
  seedAdministration(context, liveTickets);
  giveSomeTicketsRestrictedTypes(context.store);
  writeDatesAsHalo(context.store);
  return { store: context.store, apiAgentId: staff.apiAgentId };
}
