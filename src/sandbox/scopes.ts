/**
 * What Halo's scopes allow, as the sandbox answers it. The client has its own statement of the same
 * rules (src/halo/scopes.ts), on purpose: were the two one module, a wrong belief about scopes would
 * pass every test, the emulator agreeing with the client by construction. Each rule cites the
 * evidence it emulates.
 */

/** The areas of Halo's data, each with a `read:` and an `edit:` scope (configuration has none of its own). */
export const DATA_AREAS = [
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
export type ScopeArea = (typeof DATA_AREAS)[number] | 'config';

// Halo behaviour: docs/halo-behaviour.md#scope-edit-implies-read
/**
 * Whether granted scopes allow reading or writing an area. `edit:` implies `read:`; configuration
 * is readable with any scope and writable only with `admin`; `all:standard` is everything but admin;
 * a token issued without any scope is refused everything.
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
