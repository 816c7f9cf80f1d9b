/**
 * Halo's whole API for the gateway tools: 1,216 operations from Halo's OpenAPI document, searched
 * by words, described in full, and checked before a call. The catalog is loaded on first use, so
 * a conversation that never reaches for the long tail never pays for it.
 */
import { distance } from 'fastest-levenshtein';
import { RouteTable, type RouteMatch } from '../openapi/routes.js';
import type { Operation, SchemaProperties } from '../openapi/types.js';
import { ToolInputError } from './errors.js';

export interface OperationCatalog {
  operations: readonly Operation[];
  routes: RouteTable;
  schema(name: string): SchemaProperties | undefined;
  search(query: string): Operation[];
}

/** Halo's schema names say little to a person: what each is also called. */
const SYNONYMS: Record<string, string> = {
  faults: 'ticket tickets request requests incident',
  actions: 'note notes action email history',
  area: 'client clients customer customers company',
  users: 'user contact contacts end',
  uname: 'agent agents technician technicians staff',
  device: 'asset assets device devices equipment',
  kbentry: 'article articles knowledge kb',
  requesttype: 'ticket type types',
  tstatus: 'status statuses',
  policy: 'priority priorities',
  slahead: 'sla slas',
  sectiondetail: 'team teams',
  toutcome: 'outcome outcomes',
  invoiceheader: 'invoice invoices billing',
  contractheader: 'contract contracts',
  quotationheader: 'quote quotes quotation',
  orderhead: 'sales order orders',
  supplierorderheader: 'purchase order orders',
  company: 'supplier suppliers vendor',
  areanote: 'crm note notes',
  analyzerprofile: 'report reports',
  xtype: 'asset type types',
  flowheader: 'workflow workflows',
  faultapproval: 'approval approvals',
  faulttodo: 'todo todos task',
  tree: 'top level toplevel',
};

const VERBS: Record<string, Operation['method']> = {
  list: 'GET',
  search: 'GET',
  find: 'GET',
  get: 'GET',
  read: 'GET',
  show: 'GET',
  fetch: 'GET',
  create: 'POST',
  add: 'POST',
  new: 'POST',
  update: 'POST',
  edit: 'POST',
  change: 'POST',
  set: 'POST',
  save: 'POST',
  delete: 'DELETE',
  remove: 'DELETE',
};

function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word));
}

interface Indexed {
  operation: Operation;
  path: Set<string>;
  names: Set<string>;
  summary: Set<string>;
}

function buildCatalog(operations: readonly Operation[], schemas: Record<string, SchemaProperties>): OperationCatalog {
  const index: Indexed[] = operations.map((operation) => ({
    operation,
    path: new Set(words(operation.path.replace(/\{\w+\}/g, ''))),
    names: new Set(words(`${operation.tag ?? ''} ${SYNONYMS[(operation.tag ?? '').toLowerCase()] ?? ''}`)),
    summary: new Set(words(operation.summary ?? '')),
  }));
  return {
    operations,
    routes: new RouteTable(operations),
    schema: (name) => schemas[name],
    search: (query) => {
      const terms = words(query);
      const method = terms.map((term) => VERBS[term]).find((verb) => verb !== undefined);
      const subjects = terms.filter((term) => !(term in VERBS));
      const scored = index
        .map((entry) => {
          let score = 0;
          for (const term of subjects) {
            if (entry.path.has(term)) score += 3;
            else if (entry.names.has(term)) score += 2;
            else if (entry.summary.has(term)) score += 1;
          }
          if (score > 0 && method === entry.operation.method) score += 2;
          return { entry, score };
        })
        .filter(({ score }) => score > 0 || (subjects.length === 0 && method !== undefined));
      return scored
        .filter(({ entry }) => subjects.length > 0 || entry.operation.method === method)
        .sort((a, b) => b.score - a.score || a.entry.operation.path.length - b.entry.operation.path.length || a.entry.operation.path.localeCompare(b.entry.operation.path))
        .map(({ entry }) => entry.operation);
    },
  };
}

let catalog: Promise<OperationCatalog> | undefined;

export function loadOperationCatalog(): Promise<OperationCatalog> {
  catalog ??= Promise.all([import('../openapi/operations.json', { with: { type: 'json' } }), import('../openapi/schemas.json', { with: { type: 'json' } })]).then(
    ([operations, schemas]) => buildCatalog(operations.default.operations, schemas.default),
  );
  return catalog;
}

/** Parameters worth naming first in a short list: Halo's common filters and paging. */
const COMMON = ['search', 'pageinate', 'page_size', 'page_no', 'count', 'order', 'orderdesc', 'client_id', 'site_id', 'user_id', 'agent_id', 'ticket_id'];

/** The query parameter names of an operation, the common ones first, at most `max`. */
export function parameterNames(operation: Operation, max: number): { names: string[]; more: number } {
  const names = operation.query.map((param) => param.name);
  const ordered = [...COMMON.filter((name) => names.includes(name)), ...names.filter((name) => !COMMON.includes(name))];
  return { names: ordered.slice(0, max), more: Math.max(0, ordered.length - max) };
}

/** The operation a method and a concrete or template path name, or an error that helps find it. */
export function findOperation(catalogue: OperationCatalog, method: string, path: string): { operation: Operation; match: RouteMatch } {
  const normalised = `/${path.trim().replace(/^\/?(api\/)?/i, '')}`.replace(/\?.*$/, '');
  try {
    decodeURI(normalised);
  } catch {
    // Matching decodes the path's ids, which would throw a bare URIError.
    throw new ToolInputError(`The path ${normalised} has a "%" that starts no valid escape; write a literal % as %25.`);
  }
  const match = catalogue.routes.match(method, normalised);
  if (!match) throw new ToolInputError(`Halo's API has no path ${normalised}. Find the right one with halo_find_operations.`);
  if (!match.operation) {
    throw new ToolInputError(`${match.route.template} does not take ${method.toUpperCase()}; it takes ${Object.keys(match.route.operations).join(', ')}.`);
  }
  return { operation: match.operation, match };
}

function closestNames(name: string, candidates: readonly string[]): string[] {
  return [...candidates]
    .sort((a, b) => distance(name.toLowerCase(), a.toLowerCase()) - distance(name.toLowerCase(), b.toLowerCase()))
    .slice(0, 3);
}

/**
 * Checks query parameters against what the operation declares: an unknown name is an error (Halo
 * would ignore it silently), and a value must fit a numeric or boolean type.
 */
export function checkQuery(operation: Operation, query: Record<string, unknown>): Record<string, string | number | boolean> {
  const declared = new Map(operation.query.map((param) => [param.name.toLowerCase(), param]));
  const out: Record<string, string | number | boolean> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    const param = declared.get(name.toLowerCase());
    if (!param) {
      const near = closestNames(name, operation.query.map((candidate) => candidate.name));
      problems.push(`"${name}" is not a parameter of ${operation.method} ${operation.path}${near.length > 0 ? ` (closest: ${near.join(', ')})` : ''}`);
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(`${name} takes a single value, not ${JSON.stringify(value)}`);
      continue;
    }
    const text = String(value);
    if ((param.type === 'integer' && !/^-?\d+$/.test(text)) || (param.type === 'number' && !/^-?\d+(\.\d+)?$/.test(text))) {
      problems.push(`${name} takes ${param.type === 'integer' ? 'a whole number' : 'a number'}, not "${text}"`);
      continue;
    }
    if (param.type === 'integer-list' && !/^-?\d+(,-?\d+)*$/.test(text)) {
      problems.push(`${name} takes comma-separated whole numbers, not "${text}"`);
      continue;
    }
    out[param.name] = value;
  }
  if (problems.length > 0) throw new ToolInputError(`The query does not fit the operation: ${problems.join('; ')}.`);
  return out;
}

/** Checks the fields of a body against the operation's schema, and wraps a record in the array Halo's upserts take. */
export function checkBody(catalogue: OperationCatalog, operation: Operation, body: unknown): unknown {
  const declared = operation.body;
  if (!declared) {
    if (body !== undefined) throw new ToolInputError(`${operation.method} ${operation.path} takes no body.`);
    return undefined;
  }
  if (body === undefined) throw new ToolInputError(`${operation.method} ${operation.path} needs a body${declared.schema ? ` (${declared.schema} records)` : ''}.`);
  const records: unknown = declared.array ? (Array.isArray(body) ? (body as unknown[]) : [body]) : body;
  const properties = declared.schema ? catalogue.schema(declared.schema) : undefined;
  if (properties) {
    const unknown = new Set<string>();
    for (const record of Array.isArray(records) ? (records as unknown[]) : [records]) {
      if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new ToolInputError(`Each record of the body must be a JSON object.`);
      for (const field of Object.keys(record)) if (!(field in properties)) unknown.add(field);
    }
    if (unknown.size > 0) {
      const hints = [...unknown].map((field) => `"${field}" (closest: ${closestNames(field, Object.keys(properties)).join(', ')})`);
      throw new ToolInputError(`${declared.schema ?? 'The body'} has no field ${hints.join('; ')}. Halo would drop it silently; see halo_describe_operation.`);
    }
  }
  return records;
}
