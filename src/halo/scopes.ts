/**
 * Which Halo scope a call most likely needs, so that a 403 can name what to grant. Halo's answer to
 * a refused call says nothing about why; the scope follows from the resource and the verb.
 */
const AREA_BY_RESOURCE: Record<string, string> = {
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
