/**
 * What each toolset reaches in Halo: one cheap read per area it touches (doctor tries each), and
 * whether it writes there. From the same list, the scopes the server asks Halo for when HALO_SCOPE
 * does not say: those the enabled tools need, and no more (reads only in read-only mode), so that
 * a token that leaks, or a model that is talked into something, can do no more than the settings
 * allow.
 */
import type { Query, RecordPath } from '../src/halo/client.js';
import { SCOPE_AREAS, type ScopeArea } from '../src/halo/scopes.js';
import type { ServerSettings } from '../src/mcp/settings.js';
import type { AnyTool, Toolset } from '../src/mcp/tool.js';
import { selectTools } from '../src/mcp/select.js';

export interface Probe {
  label: string;
  path: RecordPath;
  query: Query;
  area: ScopeArea;
  /** The toolset has tools that write to this area, so its `edit:` scope matters too. */
  writes: boolean;
}

const PAGE: Query = { pageinate: true, page_size: 1, page_no: 1 };
const COUNT: Query = { count: 1 };

/** One cheap read per area a toolset touches, each with only parameters Halo's document declares. */
export const PROBES: Record<Exclude<Toolset, 'api'>, Probe[]> = {
  core: [
    { label: 'tickets', path: '/Tickets', query: PAGE, area: 'tickets', writes: true },
    { label: 'clients', path: '/Client', query: PAGE, area: 'customers', writes: false },
    { label: 'assets', path: '/Asset', query: PAGE, area: 'assets', writes: false },
    { label: 'articles', path: '/KBArticle', query: PAGE, area: 'kb', writes: false },
    { label: 'timesheet events', path: '/TimesheetEvent', query: {}, area: 'timesheets', writes: false },
  ],
  tickets: [{ label: 'tickets', path: '/Tickets', query: PAGE, area: 'tickets', writes: true }],
  crm: [
    { label: 'users', path: '/Users', query: PAGE, area: 'customers', writes: true },
    { label: 'CRM notes', path: '/CRMNote', query: COUNT, area: 'crm', writes: true },
  ],
  assets: [
    { label: 'asset types', path: '/AssetType', query: {}, area: 'assets', writes: true },
    { label: 'licences', path: '/SoftwareLicence', query: PAGE, area: 'softwarelicensing', writes: true },
  ],
  kb: [{ label: 'articles', path: '/KBArticle', query: PAGE, area: 'kb', writes: true }],
  projects: [{ label: 'projects', path: '/Projects', query: PAGE, area: 'projects', writes: true }],
  time: [
    { label: 'appointments', path: '/Appointment', query: PAGE, area: 'calendar', writes: true },
    { label: 'timesheet events', path: '/TimesheetEvent', query: {}, area: 'timesheets', writes: true },
  ],
  billing: [
    { label: 'invoices', path: '/Invoice', query: PAGE, area: 'invoices', writes: true },
    { label: 'contracts', path: '/ClientContract', query: PAGE, area: 'contracts', writes: true },
    { label: 'quotations', path: '/Quotation', query: PAGE, area: 'quotes', writes: true },
    { label: 'items', path: '/Item', query: PAGE, area: 'items', writes: false },
    { label: 'sales orders', path: '/SalesOrder', query: PAGE, area: 'sos', writes: false },
    { label: 'purchase orders', path: '/PurchaseOrder', query: PAGE, area: 'pos', writes: false },
  ],
  sales: [{ label: 'opportunities', path: '/Opportunities', query: PAGE, area: 'sales', writes: true }],
  suppliers: [
    { label: 'suppliers', path: '/Supplier', query: PAGE, area: 'suppliers', writes: true },
    { label: 'stock', path: '/ItemStock', query: PAGE, area: 'items', writes: false },
  ],
  reports: [{ label: 'reports', path: '/Report', query: PAGE, area: 'reporting', writes: false }],
  admin: [
    { label: 'statuses', path: '/Status', query: {}, area: 'config', writes: false },
    { label: 'webhooks', path: '/Webhook', query: {}, area: 'config', writes: true },
  ],
};

/** Halo's scope for reading everything an API application can read: every area's read scope (there is no single one). */
const EVERY_READ = SCOPE_AREAS.map((area) => `read:${area}`).join(' ');

/**
 * The scopes to ask Halo for, for the tools these settings show: an area's `edit:` scope where a
 * tool of the toolset writes there, its `read:` scope otherwise, `admin` for writes to
 * configuration. The `api` toolset can call any operation, so it asks for everything it may use:
 * every read scope in read-only mode, `all` otherwise.
 */
export function requestedScope(settings: ServerSettings, catalog: readonly AnyTool[]): string {
  const tools = selectTools(catalog, settings);
  const toolsets = new Set(tools.map((tool) => tool.toolset));
  if (toolsets.has('api')) return settings.readOnly ? EVERY_READ : 'all';
  const writing = new Set(tools.filter((tool) => tool.access !== 'read').map((tool) => tool.toolset));
  const scopes = new Set<string>();
  for (const toolset of toolsets as Set<Exclude<Toolset, 'api'>>) {
    for (const probe of PROBES[toolset]) {
      const writes = probe.writes && writing.has(toolset);
      // Configuration is readable with any scope; only its writes need one.
      if (probe.area === 'config') {
        if (writes) scopes.add('admin');
        continue;
      }
      scopes.add(`${writes ? 'edit' : 'read'}:${probe.area}`);
    }
  }
  // An edit scope brings its read scope.
  const needed = [...scopes].filter((scope) => !(scope.startsWith('read:') && scopes.has(scope.replace('read:', 'edit:'))));
  // Configuration alone asks for nothing in particular, and Halo issues no token for an empty scope.
  return needed.length > 0 ? needed.sort().join(' ') : 'all';
}
