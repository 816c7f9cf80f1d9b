/** Configuration, for administrators: the building blocks of tickets, the people, webhooks and the audit trail. */
import { isoUtc, optionalText } from '../src/toolkit/values.js';
import { boolArg, idArg, resourceTools, textArg, type ArgSpec, type ResourceToolsSpec } from '../src/toolkit/resource-tools.js';
import type { AnyTool } from '../src/mcp/tool.js';
import type { HaloRecord } from '../src/halo/client.js';

/** List and get of a configuration table, projected to its name and the few fields that matter. */
function configTools(
  table: Pick<ResourceToolsSpec, 'noun' | 'label' | 'path' | 'tools'>,
  extras: (record: HaloRecord) => Record<string, unknown> = () => ({}),
  filters: Record<string, ArgSpec> = {},
) {
  return resourceTools({
    ...table,
    toolset: 'admin',
    paged: false,
    filters,
    project: (record) => ({ id: record.id, name: optionalText(record.name) ?? optionalText(record.value) ?? optionalText(record.outcome) ?? '', ...extras(record) }),
  });
}

export const adminTools = [
  ...configTools(
    {
      noun: 'status',
      label: 'status',
      path: '/Status',
      tools: {
        list: { name: 'halo_list_statuses', title: 'List statuses' },
        get: { name: 'halo_get_status', title: 'Get a status' },
      },
    },
    (status) => ({ type: status.type ?? null }),
  ),
  ...configTools(
    {
      noun: 'ticket_type',
      label: 'ticket type',
      path: '/TicketType',
      tools: {
        list: { name: 'halo_list_ticket_types', title: 'List ticket types' },
        get: { name: 'halo_get_ticket_type', title: 'Get a ticket type' },
      },
    },
    (type) => ({ area: optionalText(type.use), default_sla: type.default_sla ?? null }),
  ),
  ...configTools(
    {
      noun: 'priority',
      label: 'priority',
      path: '/Priority',
      tools: {
        list: { name: 'halo_list_priorities', title: 'List priorities' },
        get: { name: 'halo_get_priority', title: 'Get a priority' },
      },
    },
    (policy) => ({
      priority_id: policy.priorityid ?? null,
      sla_id: policy.slaid ?? null,
      response_hours: policy.responsetime ?? null,
      fix_hours: policy.fixtime ?? null,
    }),
  ),
  ...configTools({
    noun: 'sla',
    label: 'SLA',
    path: '/SLA',
    tools: {
      list: { name: 'halo_list_slas', title: 'List SLAs' },
      get: { name: 'halo_get_sla', title: 'Get an SLA' },
    },
  }),
  ...configTools({
    noun: 'category',
    label: 'category',
    path: '/Category',
    tools: {
      list: { name: 'halo_list_categories', title: 'List categories' },
      get: { name: 'halo_get_category', title: 'Get a category' },
    },
  }),
  ...configTools(
    {
      noun: 'custom_field',
      label: 'custom field',
      path: '/FieldInfo',
      tools: {
        list: { name: 'halo_list_custom_fields', title: 'List custom fields' },
        get: { name: 'halo_get_custom_field', title: 'Get a custom field' },
      },
    },
    (field) => ({ label: optionalText(field.label), type: field.type ?? null }),
  ),
  ...configTools(
    {
      noun: 'workflow',
      label: 'workflow',
      path: '/Workflow',
      tools: {
        list: { name: 'halo_list_workflows', title: 'List workflows' },
        get: { name: 'halo_get_workflow', title: 'Get a workflow' },
      },
    },
    (workflow) => ({ active: workflow.active !== false }),
  ),
  ...configTools(
    {
      noun: 'outcome',
      label: 'action outcome',
      path: '/Outcome',
      tools: {
        list: { name: 'halo_list_outcomes', title: 'List action outcomes' },
        get: { name: 'halo_get_outcome', title: 'Get an action outcome' },
      },
    },
    (outcome) => ({ hidden_from_user: outcome.hidefromuser === true }),
  ),
  ...configTools({
    noun: 'team',
    label: 'team',
    path: '/Team',
    tools: {
      list: { name: 'halo_list_teams', title: 'List teams' },
      get: { name: 'halo_get_team', title: 'Get a team' },
    },
  }),
  // Halo lists disabled agents only when asked for them.
  ...configTools(
    {
      noun: 'agent',
      label: 'agent',
      path: '/Agent',
      tools: {
        list: { name: 'halo_list_agents', title: 'List agents' },
        get: { name: 'halo_get_agent', title: 'Get an agent' },
      },
    },
    (agent) => ({ email: optionalText(agent.email), team: optionalText(agent.team), disabled: agent.isdisabled === true }), {
      include_disabled: boolArg('includedisabled', 'Include disabled agents'),
    },
  ),
  ...configTools({
    noun: 'role',
    label: 'role',
    path: '/Roles',
    tools: {
      list: { name: 'halo_list_roles', title: 'List roles' },
      get: { name: 'halo_get_role', title: 'Get a role' },
    },
  }),
  ...resourceTools({
    toolset: 'admin',
    noun: 'webhook',
    label: 'webhook',
    path: '/Webhook',
    tools: {
      list: { name: 'halo_list_webhooks', title: 'List webhooks' },
      get: { name: 'halo_get_webhook', title: 'Get a webhook' },
      create: { name: 'halo_create_webhook', title: 'Create a webhook' },
      delete: { name: 'halo_delete_webhook', title: 'Delete a webhook' },
    },
    paged: false,
    fields: { name: textArg('name', 'Name'), url: textArg('url', 'URL Halo calls'), active: boolArg('active', 'Enabled') },
    required: ['name', 'url'],
    project: (webhook) => ({ id: webhook.id, name: optionalText(webhook.name) ?? '', url: optionalText(webhook.url), active: webhook.active !== false }),
  }),
  ...resourceTools({
    toolset: 'admin',
    noun: 'webhook_event',
    label: 'webhook delivery',
    path: '/WebhookEvent',
    tools: {
      list: { name: 'halo_list_webhook_events', title: 'List webhook deliveries' },
    },
    paged: false,
    filters: { webhook_id: idArg('webhook_id', 'Webhook id') },
    project: (event) => ({ id: event.id, webhook_id: event.webhook_id ?? null, when: isoUtc(event.timestamp), status: event.responsestatus ?? event.status ?? null, ms: event.duration ?? null }),
  }),
  ...resourceTools({
    toolset: 'admin',
    noun: 'audit_entry',
    label: 'audit entry',
    path: '/Audit',
    tools: {
      list: { name: 'halo_list_audit_entries', title: 'List audit entries', description: 'List the audit trail: who changed what, and when.' },
    },
    paged: false,
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

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [...adminTools];
