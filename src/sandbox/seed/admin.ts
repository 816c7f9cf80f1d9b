/** What an admin toolset reads: webhooks and their deliveries, custom fields, workflows, roles, the organisation and the audit trail. */
import { MSP } from '../content.js';
import type { HaloRecord } from '../store.js';
import type { SeedContext } from './context.js';

export function seedAdministration(context: SeedContext, liveTickets: readonly HaloRecord[]): void {
  seedWebhooks(context);
  seedSettings(context);
  seedAudit(context, liveTickets);
}

/** One webhook with three recent deliveries, the last of them failed. */
function seedWebhooks({ random, store, at, daysAgo }: SeedContext): void {
  const webhook = store.collection('webhooks').insert({ name: 'Ticket updates to chat', url: 'https://chat.example/hooks/halo', method: 'POST', active: true, events: [] });
  for (let i = 0; i < 3; i++) {
    store.collection('webhookevents').insert({ webhook_id: webhook.id, timestamp: at(daysAgo(3)), status: i === 2 ? 500 : 200, responsestatus: i === 2 ? 500 : 200, duration: random.int(80, 900) });
  }
}

/** Custom fields, workflows, roles and the MSP's own organisation. */
function seedSettings({ store }: SeedContext): void {
  [
    { name: 'CFContractType', label: 'Contract type', type: 2 },
    { name: 'CFBusinessImpact', label: 'Business impact', type: 2 },
    { name: 'CFAssetWarranty', label: 'Warranty reference', type: 0 },
  ].forEach((field) => store.collection('fieldinfo').insert({ ...field, custom: 1 }));
  store.collection('workflows').insert({ name: 'Incident', active: true, steps: [] });
  store.collection('workflows').insert({ name: 'Change approval', active: true, steps: [] });
  ['Administrator', 'Service Desk', 'Finance'].forEach((name) => store.collection('roles').insert({ name }));
  store.collection('organisations').insert({ name: MSP.name, email: `hello@${MSP.domain}` });
}

/** A status change in the last week on each of the first fifteen live tickets. */
function seedAudit({ store, at, daysAgo }: SeedContext, liveTickets: readonly HaloRecord[]): void {
  for (const ticket of liveTickets.slice(0, 15)) {
    store.collection('audit').insert({ ticket_id: ticket.id, agent_id: ticket.agent_id, date: at(daysAgo(7)), table_name: 'FAULTS', value: 'Status changed', from: 'New', to: 'In Progress' });
  }
}
