/**
 * Halo's scopes: which one a call most likely needs, so that a 403 can name what to grant (Halo's
 * answer to a refused call says nothing about why; the scope follows from the resource and the
 * verb), and what a set of granted scopes allows, which `doctor` and the sandbox both apply.
 */
const AREA_BY_RESOURCE: Record<string, ScopeArea> = {
  tickets: 'tickets',
  actions: 'tickets',
  attachment: 'tickets',
  ticketapproval: 'tickets',
  client: 'customers',
  site: 'customers',
  users: 'customers',
  toplevel: 'customers',
  organisation: 'customers',
  crmnote: 'crm',
  asset: 'assets',
  assettype: 'assets',
  assetgroup: 'assets',
  kbarticle: 'kb',
  faqlists: 'kb',
  projects: 'projects',
  opportunities: 'sales',
  quotation: 'quotes',
  salesorder: 'sos',
  purchaseorder: 'pos',
  invoice: 'invoices',
  recurringinvoice: 'invoices',
  clientcontract: 'contracts',
  supplier: 'suppliers',
  item: 'items',
  itemstock: 'items',
  appointment: 'calendar',
  timesheet: 'timesheets',
  timesheetevent: 'timesheets',
  report: 'reporting',
  reportdata: 'reporting',
  softwarelicence: 'softwarelicensing',
};

/** `read:tickets` for `GET /Tickets`, `edit:tickets` for a write; `admin` for writes to configuration. */
export function likelyScope(method: string, path: string): string {
  const resource = (path.split('/').filter(Boolean)[0] ?? '').toLowerCase();
  const area = AREA_BY_RESOURCE[resource];
  const write = method.toUpperCase() !== 'GET';
  if (!area) return write ? 'admin' : 'all';
  return `${write ? 'edit' : 'read'}:${area}`;
}

/** The permission areas behind Halo's scopes (`read:tickets`, `edit:customers`, ...). */
export type ScopeArea =
  | 'tickets'
  | 'customers'
  | 'crm'
  | 'assets'
  | 'kb'
  | 'projects'
  | 'sales'
  | 'quotes'
  | 'sos'
  | 'pos'
  | 'invoices'
  | 'contracts'
  | 'suppliers'
  | 'items'
  | 'calendar'
  | 'timesheets'
  | 'reporting'
  | 'softwarelicensing'
  /** Configuration (statuses, agents, teams, ...): readable with any scope, writable with `admin`. */
  | 'config';

/**
 * Whether granted scopes allow reading or writing an area. `edit:` implies `read:`; configuration
 * is readable with any scope and writable only with `admin`; `all:standard` is everything but admin.
 */
export function scopeAllows(scopes: ReadonlySet<string>, area: ScopeArea, write: boolean): boolean {
  if (scopes.has('all')) return true;
  if (area === 'config') return !write || scopes.has('admin');
  if (scopes.has('all:standard')) return true;
  if (scopes.has(`edit:${area}`)) return true;
  if (area === 'timesheets' && write && scopes.has('editMine:timesheets')) return true;
  return !write && scopes.has(`read:${area}`);
}
