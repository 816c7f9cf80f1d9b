/**
 * Halo's scopes: which one a call most likely needs, so that a refusal (401 or 403) can name what
 * to grant (Halo's answer says nothing about why; the scope follows from the resource and the
 * verb), and what a set of granted scopes allows, which the client, `doctor` and the sandbox apply.
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

/** What a call needs of the token: the area, whether it writes, and the scope that grants it. */
export interface ScopeNeed {
  area: ScopeArea;
  write: boolean;
  /** `read:tickets` for `GET /Tickets`, `edit:tickets` for a write; `admin` for writes to configuration, `all` for its reads. */
  scope: string;
}

export function scopeNeeded(method: string, path: string): ScopeNeed {
  const resource = (path.split('/').filter(Boolean)[0] ?? '').toLowerCase();
  const area = AREA_BY_RESOURCE[resource] ?? 'config';
  const write = method.toUpperCase() !== 'GET';
  if (area === 'config') return { area, write, scope: write ? 'admin' : 'all' };
  return { area, write, scope: `${write ? 'edit' : 'read'}:${area}` };
}

/** Halo's space-separated scope list as a set. */
export function scopeSet(text: string): Set<string> {
  return new Set(text.split(/\s+/).filter(Boolean));
}

/** The areas of Halo's data, each with a `read:` and an `edit:` scope (configuration has none of its own). */
export const SCOPE_AREAS = [
  'tickets',
  'customers',
  'crm',
  'assets',
  'kb',
  'projects',
  'sales',
  'quotes',
  'sos',
  'pos',
  'invoices',
  'contracts',
  'suppliers',
  'items',
  'calendar',
  'timesheets',
  'reporting',
  'softwarelicensing',
] as const;

/**
 * The permission areas behind Halo's scopes (`read:tickets`, `edit:customers`, ...), and
 * configuration (statuses, agents, teams, ...): readable with any scope, writable with `admin`.
 */
export type ScopeArea = (typeof SCOPE_AREAS)[number] | 'config';

/**
 * Whether granted scopes allow reading or writing an area. `edit:` implies `read:`; configuration
 * is readable with any scope and writable only with `admin`; `all:standard` is everything but admin.
 * No scope at all allows nothing: Halo refuses every call of a token issued without one.
 */
export function scopeAllows(scopes: ReadonlySet<string>, area: ScopeArea, write: boolean): boolean {
  if (scopes.has('all')) return true;
  if (scopes.size === 0) return false;
  if (area === 'config') return !write || scopes.has('admin');
  if (scopes.has('all:standard')) return true;
  if (scopes.has(`edit:${area}`)) return true;
  if (area === 'timesheets' && write && scopes.has('editMine:timesheets')) return true;
  return !write && scopes.has(`read:${area}`);
}
