/**
 * Halo's whole API for the gateway tools: 1,216 operations from Halo's OpenAPI document, searched
 * by words, described in full, and checked before a call. The catalog is loaded on first use, so
 * a conversation that never reaches for the long tail never pays for it.
 */
import { distance } from 'fastest-levenshtein';
import { RouteTable, type RouteMatch } from '../openapi/routes.js';
import type { Operation, OperationParam, SchemaProperties } from '../openapi/types.js';
import { ToolInputError } from './errors.js';

export interface OperationCatalog {
  operations: readonly Operation[];
  routes: RouteTable;
  schema(name: string): SchemaProperties | undefined;
  search(query: string): Operation[];
  /**
   * The words of a search that name no path but may name a filter (three letters or more, what
   * PARAMETER_WORDS makes of them): "unpaid" in "invoice unpaid", not "invoice".
   */
  filterWords(query: string): string[];
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

/**
 * What a person calls one record of a path's first segment, where its own words do not say it
 * plainly: Halo names its schemas after its tables (Area, Uname, Faults), and the document's
 * summaries repeat them ("List of Area"); the path says what the record is ("/Client").
 */
const LABELS: Record<string, string> = {
  actions: 'action',
  cab: 'CAB',
  crmnote: 'CRM note',
  faqlists: 'FAQ list',
  kbarticle: 'knowledge base article',
  opportunities: 'opportunity',
  projects: 'project',
  roles: 'role',
  sla: 'SLA',
  tickets: 'ticket',
  toplevel: 'top level',
  users: 'user',
};

/** "ClientContract" as "client contract", "KBArticle" as "KB article"; a plural segment as its singular. */
export function recordLabel(path: string): string {
  const segment = path.split('/').find(Boolean) ?? '';
  const known = LABELS[segment.toLowerCase()];
  if (known) return known;
  const spaced = segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ')
    .map((word) => (/^[A-Z]{2,}$/.test(word) ? word : word.toLowerCase()))
    .join(' ');
  return spaced.replace(/ies$/, 'y').replace(/([^su])s$/, '$1');
}

function plural(label: string): string {
  if (/[^aeiou]y$/.test(label)) return `${label.slice(0, -1)}ies`;
  return /(s|x|ch|sh)$/.test(label) ? `${label}es` : `${label}s`;
}

/**
 * An operation's summary in a person's words: the document's "List of Area" as "List clients",
 * and the plain shapes it leaves without one (an upsert, a record by id) said; null for the rest.
 */
export function operationSummary(operation: Operation): string | null {
  const label = recordLabel(operation.path);
  const summary = /^(List of|Get one|Delete one) /.exec(operation.summary ?? '')?.[1];
  const byId = /^\/[^/]+\/\{\w+\}$/.test(operation.path);
  const plain = /^\/[^/{}]+$/.test(operation.path);
  if (summary === 'List of') return `List ${plural(label)}`;
  if (summary === 'Get one' || (!operation.summary && operation.method === 'GET' && byId)) return `Get one ${label}`;
  if (summary === 'Delete one' || (!operation.summary && operation.method === 'DELETE' && byId)) return `Delete one ${label}`;
  if (!operation.summary && operation.method === 'POST' && plain && operation.body?.array) return `Create or update ${plural(label)}`;
  return operation.summary ?? null;
}

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

/** The longest search query: a few words are what the search is for. */
const MAX_QUERY_CHARS = 200;

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
    names: new Set(words(`${operation.tag ?? ''} ${SYNONYMS[(operation.tag ?? '').toLowerCase()] ?? ''} ${recordLabel(operation.path)}`)),
    summary: new Set(words(operation.summary ?? '')),
  }));
  const pathWords = new Set(index.flatMap((entry) => [...entry.path, ...entry.names]));
  const filterWords = (query: string) =>
    words(query)
      .filter((term) => term.length >= 3 && !(term in VERBS) && !pathWords.has(term))
      .map((term) => PARAMETER_WORDS[term] ?? term);
  return {
    operations,
    routes: new RouteTable(operations),
    filterWords,
    schema: (name) => schemas[name],
    search: (query) => {
      // Each word is scored against every operation: a query of many words costs seconds, so it is refused.
      if (query.length > MAX_QUERY_CHARS) {
        throw new ToolInputError(`The query has ${query.length.toLocaleString('en')} characters; search with a few words (at most ${MAX_QUERY_CHARS} characters), e.g. "list webhooks".`);
      }
      const terms = [...new Set(words(query))];
      const method = terms.map((term) => VERBS[term]).find((verb) => verb !== undefined);
      const subjects = terms.filter((term) => !(term in VERBS));
      const paramTerms = filterWords(query);
      const scored = index
        .map((entry) => {
          let score = 0;
          for (const term of subjects) {
            if (entry.path.has(term)) score += 3;
            else if (entry.names.has(term)) score += 2;
            else if (entry.summary.has(term)) score += 1;
          }
          // A word that names no operation may name a filter of one the other words found ("invoice unpaid").
          if (score > 0 && paramTerms.some((term) => entry.operation.query.some((param) => param.name.toLowerCase().includes(term)))) score += 1;
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

/** Words a person searches with for what a parameter's name says otherwise. */
const PARAMETER_WORDS: Record<string, string> = { unpaid: 'payment', paid: 'payment', overdue: 'due' };

/**
 * The names of an operation's query parameters, at most `max`: first those the search's filter
 * words name ("invoice unpaid" finds paymentstatuses; see OperationCatalog.filterWords), then
 * the common ones.
 */
export function parameterNames(operation: Operation, max: number, terms: readonly string[] = []): { names: string[]; more: number } {
  const names = operation.query.map((param) => param.name);
  const named = names.filter((name) => terms.some((term) => name.toLowerCase().includes(term)));
  const ordered = [...new Set([...named, ...COMMON.filter((name) => names.includes(name)), ...names.filter((name) => !COMMON.includes(name))])];
  return { names: ordered.slice(0, max), more: Math.max(0, ordered.length - max) };
}

/** A stand-in for Halo's address, to see which path the URL parser makes of the path a call gives. */
const PROBE_BASE = 'http://halo.invalid/api';

/**
 * Whether the URL parser would make another path of this one: it reads `\` as `/`, drops tabs and
 * newlines, and resolves `%2e` as `.` (and a server may decode `%2f` and `%5c`); a control
 * character, plain or encoded, has no business in a path either.
 */
function rewritten(path: string): boolean {
  for (let index = 0; index < path.length; index++) {
    const code = path.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return /\\|%(2e|2f|5c|[01][0-9a-f]|7f)/i.test(path);
}

/**
 * The path with escaped letters, digits, `-`, `_` and `~` written plainly. Halo decodes them
 * before it routes, so `/Agent/%6De` is `/Agent/me` to Halo, and must be to the gateway's checks
 * too, rather than `/Agent/{id}` with the id "me": the checks would judge another operation than
 * the one Halo runs. (`%2e` is refused before this.)
 */
function plainUnreserved(path: string): string {
  return path.replace(/%([0-9a-f]{2})/gi, (escape, hex: string) => {
    const character = String.fromCharCode(Number.parseInt(hex, 16));
    return /^[A-Za-z0-9_~-]$/.test(character) ? character : escape;
  });
}

/**
 * The operation a method and a concrete or template path name, and the path as the request will
 * use it, or an error that helps find the right one. A path is refused when the URL parser would
 * turn it into another one, before anything is sent; what is left is the path as undici sends it
 * (percent-encoded), which must still match the same template under `/api`.
 */
export function findOperation(catalogue: OperationCatalog, method: string, path: string): { operation: Operation; match: RouteMatch; path: string } {
  const given = path.trim();
  if (rewritten(given)) {
    throw new ToolInputError(`The path ${JSON.stringify(given)} holds a backslash, a control character, or an encoded ".", "/", "\\" or control character, by which it would reach another path than it names; write the path plainly, e.g. /Tickets/12.`);
  }
  if (/[?#]/.test(given)) throw new ToolInputError(`The path ${given} holds "?" or "#"; give query parameters in query, not in the path.`);
  const relative = `/${plainUnreserved(given).replace(/^\/?(api\/)?/i, '')}`;
  if (relative.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new ToolInputError(`"." and ".." are not parts of Halo's paths: a URL resolves them, so the request would go to another path than ${relative}. Give real values (for example /Tickets/12).`);
  }
  try {
    decodeURI(relative);
  } catch {
    // Matching decodes the path's ids, which would throw a bare URIError.
    throw new ToolInputError(`The path ${relative} has a "%" that starts no valid escape; write a literal % as %25.`);
  }
  const match = catalogue.routes.match(method, relative);
  if (!match) {
    const closest = closestPaths(catalogue, method, relative);
    throw new ToolInputError(`Halo's API has no path ${relative}.${closest.length > 0 ? ` The closest it has: ${closest.join(', ')}.` : ''} Find the right one with halo_find_operations.`);
  }
  if (!match.operation) {
    throw new ToolInputError(`${match.route.template} does not take ${method.toUpperCase()}; it takes ${Object.keys(match.route.operations).join(', ')}.`);
  }
  const sent = new URL(`${PROBE_BASE}${relative}`).pathname;
  const sentRelative = sent.slice('/api'.length);
  if (!sent.startsWith('/api/') || catalogue.routes.match(method, sentRelative)?.route !== match.route) {
    throw new ToolInputError(`The path ${relative} would reach Halo as ${sent}, which is not ${match.route.template}; write the path plainly.`);
  }
  return { operation: match.operation, match, path: sentRelative };
}

/** A path longer than this is no typo of one of Halo's, and is not worth the distances. */
const MAX_SUGGESTED_PATH = 120;

/**
 * The paths of the document closest to one it lacks, the method's own first: ids are compared as
 * `{id}`, and case is ignored, as Halo's is. (Halo's paths are short, so each distance is cheap.)
 */
function closestPaths(catalogue: OperationCatalog, method: string, path: string): string[] {
  if (path.length > MAX_SUGGESTED_PATH) return [];
  const shape = (text: string) => text.toLowerCase().replace(/\{\w+\}|\/\d+(?=\/|$)/g, (part) => (part.startsWith('/') ? '/{id}' : '{id}'));
  const wanted = shape(path);
  const wantedMethod = method.toUpperCase();
  const scored = catalogue.operations.map((operation) => ({
    label: `${operation.method} ${operation.path}`,
    score: distance(wanted, shape(operation.path)) + (operation.method === wantedMethod ? 0 : 0.5),
  }));
  // A path that far from every one of Halo's is no typo of any: suggesting one would mislead.
  const near = Math.max(3, Math.floor(wanted.length * 0.4));
  return [...new Map(scored.filter((entry) => entry.score <= near).sort((a, b) => a.score - b.score).map((entry) => [entry.label, entry])).values()].slice(0, 3).map((entry) => entry.label);
}

/** Suggesting a name costs an edit distance against every known one: only this many names get suggestions. */
const SUGGESTED_NAMES = 10;
/** A name longer than this is no typo of a Halo name, and is not worth the distances. */
const MAX_SUGGESTED_LENGTH = 64;
/** How much of an unknown name a result quotes. */
const QUOTED_NAME_LENGTH = 80;

function closestNames(name: string, candidates: readonly string[]): string[] {
  if (name.length > MAX_SUGGESTED_LENGTH) return [];
  const wanted = name.toLowerCase();
  return candidates
    .map((candidate) => ({ candidate, score: distance(wanted, candidate.toLowerCase()) }))
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

function quotedName(name: string): string {
  return name.length > QUOTED_NAME_LENGTH ? `${name.slice(0, QUOTED_NAME_LENGTH)}… (${name.length} characters)` : name;
}

/** A name the call sends that Halo's document does not have, with the known names closest to it. */
export interface UnknownName {
  name: string;
  in: 'query' | 'body';
  closest: string[];
}

/**
 * What a result says of the names a call sends that the document lacks: the first few, each with
 * the closest known names, and how many more there were. The work is bounded, however many names
 * a call sends and however long they are.
 */
export function unknownNames(
  names: { query: readonly string[]; body: readonly string[] },
  known: { query: readonly string[]; body: readonly string[] },
): { not_in_document: UnknownName[]; not_in_document_more?: number } | undefined {
  const all = [...names.query.map((name) => ({ name, in: 'query' as const })), ...names.body.map((name) => ({ name, in: 'body' as const }))];
  if (all.length === 0) return undefined;
  const listed = all.slice(0, SUGGESTED_NAMES).map((entry) => ({ name: quotedName(entry.name), in: entry.in, closest: closestNames(entry.name, known[entry.in]) }));
  return { not_in_document: listed, ...(all.length > listed.length ? { not_in_document_more: all.length - listed.length } : {}) };
}

function valueProblem(param: OperationParam, text: string): string | undefined {
  if ((param.type === 'integer' && !/^-?\d+$/.test(text)) || (param.type === 'number' && !/^-?\d+(\.\d+)?$/.test(text))) {
    return `${param.name} takes ${param.type === 'integer' ? 'a whole number' : 'a number'}, not "${text}"`;
  }
  if (param.type === 'integer-list' && !/^-?\d+(,-?\d+)*$/.test(text)) return `${param.name} takes comma-separated whole numbers, not "${text}"`;
  return undefined;
}

/**
 * Checks query parameters against what the operation declares: a value must fit a numeric type,
 * and a parameter Halo requires must be there. A name the document lacks is sent all the same,
 * as live tenants take parameters newer than the document, and answered as unknown.
 */
export function checkQuery(operation: Operation, query: Record<string, unknown>): { query: Record<string, string | number | boolean>; unknown: string[] } {
  const declared = new Map(operation.query.map((param) => [param.name.toLowerCase(), param]));
  const out: Record<string, string | number | boolean> = {};
  const unknown: string[] = [];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (name.trim() === '') {
      problems.push('a query parameter has no name');
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(`${quotedName(name)} takes a single value, not ${JSON.stringify(value)}`);
      continue;
    }
    const param = declared.get(name.toLowerCase());
    const problem = param && valueProblem(param, String(value));
    if (problem) problems.push(problem);
    else if (param) out[param.name] = value;
    else {
      unknown.push(name);
      out[name] = value;
    }
  }
  for (const param of operation.query) {
    if (param.required && !(param.name in out)) problems.push(`${param.name} is required: Halo refuses ${operation.method} ${operation.path} without it`);
  }
  if (problems.length > 0) throw new ToolInputError(`The query does not fit the operation: ${problems.join('; ')}.`);
  return { query: out, unknown };
}

/**
 * Checks that a body fits the operation, and wraps a record in the array Halo's upserts take.
 * A field the schema lacks is sent all the same (live tenants take newer fields) and answered as
 * unknown.
 */
export function checkBody(catalogue: OperationCatalog, operation: Operation, body: unknown): { body: unknown; unknown: string[] } {
  const declared = operation.body;
  if (!declared) {
    if (body !== undefined) throw new ToolInputError(`${operation.method} ${operation.path} takes no body.`);
    return { body: undefined, unknown: [] };
  }
  if (body === undefined) throw new ToolInputError(`${operation.method} ${operation.path} needs a body${declared.schema ? ` (${declared.schema} records)` : ''}.`);
  const records: unknown = declared.array ? (Array.isArray(body) ? (body as unknown[]) : [body]) : body;
  const properties = declared.schema ? catalogue.schema(declared.schema) : undefined;
  const unknown = new Set<string>();
  if (properties) {
    for (const record of Array.isArray(records) ? (records as unknown[]) : [records]) {
      if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new ToolInputError(`Each record of the body must be a JSON object.`);
      for (const field of Object.keys(record)) {
        // No field of Halo's is nameless, and nothing could suggest what one was meant to be.
        if (field.trim() === '') throw new ToolInputError('A field of the body has no name.');
        if (!Object.hasOwn(properties, field)) unknown.add(field);
      }
    }
  }
  return { body: records, unknown: [...unknown] };
}

/** The names an operation knows, to suggest the closest to a name it does not. */
export function knownNames(catalogue: OperationCatalog, operation: Operation): { query: string[]; body: string[] } {
  const schema = operation.body?.schema ? catalogue.schema(operation.body.schema) : undefined;
  return { query: operation.query.map((param) => param.name), body: Object.keys(schema ?? {}) };
}
