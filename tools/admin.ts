/** Configuration, for administrators: the building blocks of tickets, the people, webhooks and the audit trail. */
import { isoUtc, optionalText } from '../src/toolkit/shape.js';
import { boolArg, idArg, resourceTools, textArg, type ArgSpec } from '../src/toolkit/resource-tools.js';
import type { HaloRecord, RecordPath } from '../src/halo/client.js';

/** List and get of a configuration table, projected to its name and the few fields that matter. */
function configTools(
  noun: string,
  plural: string,
  label: string,
  path: RecordPath,
  extras: (record: HaloRecord) => Record<string, unknown> = () => ({}),
  filters: Record<string, ArgSpec> = {},
) {
  return resourceTools({
    toolset: 'admin',
    noun,
    plural,
    label,
    path,
    ops: ['list', 'get'],
    paged: false,
    filters,
    project: (record) => ({ id: record.id, name: optionalText(record.name) ?? optionalText(record.value) ?? optionalText(record.outcome) ?? '', ...extras(record) }),
  });
}

export const adminTools = [
  ...configTools('status', 'statuses', 'status', '/Status', (status) => ({ type: status.type ?? null })),
  ...configTools('ticket_type', 'ticket_types', 'ticket type', '/TicketType', (type) => ({ area: optionalText(type.use), default_sla: type.default_sla ?? null })),
  ...configTools('priority', 'priorities', 'priority', '/Priority', (policy) => ({
    priority_id: policy.priorityid ?? null,
    sla_id: policy.slaid ?? null,
    response_hours: policy.responsetime ?? null,
    fix_hours: policy.fixtime ?? null,
  })),
  ...configTools('sla', 'slas', 'SLA', '/SLA'),
  ...configTools('category', 'categories', 'category', '/Category'),
  ...configTools('custom_field', 'custom_fields', 'custom field', '/FieldInfo', (field) => ({ label: optionalText(field.label), type: field.type ?? null })),
  ...configTools('workflow', 'workflows', 'workflow', '/Workflow', (workflow) => ({ active: workflow.active !== false })),
  ...configTools('outcome', 'outcomes', 'action outcome', '/Outcome', (outcome) => ({ hidden_from_user: outcome.hidefromuser === true })),
  ...configTools('team', 'teams', 'team', '/Team'),
  // Halo lists disabled agents only when asked for them.
  ...configTools('agent', 'agents', 'agent', '/Agent', (agent) => ({ email: optionalText(agent.email), team: optionalText(agent.team), disabled: agent.isdisabled === true }), {
    include_disabled: boolArg('includedisabled', 'Include disabled agents'),
  }),
  ...configTools('role', 'roles', 'role', '/Roles'),
  ...resourceTools({
    toolset: 'admin',
    noun: 'webhook',
    plural: 'webhooks',
    label: 'webhook',
    path: '/Webhook',
    ops: ['list', 'get', 'create', 'delete'],
    paged: false,
    fields: { name: textArg('name', 'Name'), url: textArg('url', 'URL Halo calls'), active: boolArg('active', 'Enabled') },
    required: ['name', 'url'],
    project: (webhook) => ({ id: webhook.id, name: optionalText(webhook.name) ?? '', url: optionalText(webhook.url), active: webhook.active !== false }),
  }),
  ...resourceTools({
    toolset: 'admin',
    noun: 'webhook_event',
    plural: 'webhook_events',
    label: 'webhook delivery',
    path: '/WebhookEvent',
    ops: ['list'],
    paged: false,
    filters: { webhook_id: idArg('webhook_id', 'Webhook id') },
    project: (event) => ({ id: event.id, webhook_id: event.webhook_id ?? null, when: isoUtc(event.timestamp), status: event.responsestatus ?? event.status ?? null, ms: event.duration ?? null }),
  }),
  ...resourceTools({
    toolset: 'admin',
    noun: 'audit_entry',
    plural: 'audit_entries',
    label: 'audit entry',
    path: '/Audit',
    ops: ['list'],
    paged: false,
    listDescription: 'List the audit trail: who changed what, and when.',
    project: (entry) => ({
      id: entry.id,
      when: isoUtc(entry.date),
      agent_id: entry.agent_id ?? null,
      ticket_id: entry.ticket_id ?? null,
      change: optionalText(entry.value),
      from: optionalText(entry.from),
      to: optionalText(entry.to),
    }),
  }),
];

