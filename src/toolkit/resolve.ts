/**
 * Names for ids. People say "Waiting on Customer", "Jane Doe" or "Acme"; Halo wants ids. Small
 * reference lists (statuses, ticket types, priorities, categories, outcomes, teams, agents, asset
 * types) are fetched whole and kept for the cache's lifetime; clients, sites and users are looked up
 * with Halo's search and each answer is kept the same way. A name that matches nothing, or several
 * things equally, is an error that lists the closest candidates.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { distance } from 'fastest-levenshtein';
import type { CallOptions, HaloClient, HaloRecord, Query, RecordPath } from '../halo/client.js';
import { awaitShared } from '../halo/shared-wait.js';
import { textOf } from '../util/text.js';
import { ResolutionError } from './errors.js';
import { MemoryReferenceCache, type CachedLookup, type ReferenceCache } from './reference-cache.js';
import { showAllQuery } from './show-all.js';

export type ListKind = 'status' | 'ticket_type' | 'priority' | 'category' | 'outcome' | 'team' | 'agent' | 'asset_type';
export type SearchKind = 'client' | 'site' | 'user';
export type ReferenceKind = ListKind | SearchKind;

export interface Reference {
  id: number;
  name: string;
  /** The raw record, for extra detail (a status's type, a priority's SLA, a user's site). */
  record: HaloRecord;
}

interface ListSource {
  path: RecordPath;
  /** What the list must be asked for beyond its default, to hold every record a ticket may name. */
  query?: Query;
  /** The field holding the name, where it is not `name`. */
  nameField?: string;
  /** The field holding the id a ticket refers to, where it is not `id` (priorities: `priorityid`). */
  idField?: string;
}

const LIST_SOURCES: Record<ListKind, ListSource> = {
  status: { path: '/Status' },
  ticket_type: { path: '/TicketType' },
  priority: { path: '/Priority', idField: 'priorityid' },
  category: { path: '/Category', nameField: 'value' },
  outcome: { path: '/Outcome', nameField: 'outcome' },
  team: { path: '/Team' },
  // Halo leaves disabled agents out unless asked for them, yet old tickets are still theirs.
  agent: { path: '/Agent', query: { includedisabled: true } },
  asset_type: { path: '/AssetType' },
};

const SEARCH_SOURCES: Record<SearchKind, { path: RecordPath }> = {
  client: { path: '/Client' },
  site: { path: '/Site' },
  user: { path: '/Users' },
};

/** What messages call a kind: `ticket_type` is a "ticket type". */
function labelOf(kind: ReferenceKind): string {
  return kind.replace('_', ' ');
}

function normalise(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * The longest name searched for. Halo's names are far shorter: a longer one can match nothing, and
 * would be sent to Halo in a search URL its web server refuses.
 */
export const MAX_NAME_LENGTH = 256;
/** How much of a name is compared by edit distance, whose cost grows with the length compared. */
const COMPARED_LENGTH = 64;

/**
 * Candidates closest to a name: containing it first, then by edit distance over the first
 * characters, so that the work stays within milliseconds however long the name.
 */
export function closest(name: string, references: readonly Reference[], count = 5): Reference[] {
  const wanted = normalise(name.slice(0, 4 * MAX_NAME_LENGTH)).slice(0, MAX_NAME_LENGTH);
  const compared = wanted.slice(0, COMPARED_LENGTH);
  return [...references]
    .map((reference) => {
      const candidate = normalise(reference.name);
      const score = candidate.includes(wanted) || wanted.includes(candidate) ? 0 : distance(compared, candidate.slice(0, compared.length + 3));
      return { reference, score };
    })
    // Code-point order breaks ties: a locale-aware comparison costs tens of milliseconds over a long list.
    .sort((a, b) => a.score - b.score || (a.reference.name < b.reference.name ? -1 : a.reference.name > b.reference.name ? 1 : 0))
    .slice(0, count)
    .map(({ reference }) => reference);
}

/** The plural of an English noun of this catalogue: status, priority, category, agent, sales order. */
function plural(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

/**
 * The one record a name means: an exact match (ignoring case), else the only record whose name
 * starts with or contains it. Several equally good matches are ambiguous, none is unknown, unless
 * exactly one of them is `preferred` (an active agent over former ones that share the name).
 */
export function pick(name: string, all: readonly Reference[], label: string, preferred: (reference: Reference) => boolean = () => false): Reference {
  const wanted = normalise(name);
  // One id can appear more than once (a priority under each SLA); it is still one answer.
  const references = all.filter((reference, index) => all.findIndex((other) => other.id === reference.id) === index);
  const onlyPreferred = (matches: Reference[]) => {
    const kept = matches.filter(preferred);
    return kept.length === 1 ? kept[0] : undefined;
  };
  const exact = references.filter((reference) => normalise(reference.name) === wanted);
  if (exact.length === 1 && exact[0]) return exact[0];
  const exactPreferred = onlyPreferred(exact);
  if (exactPreferred) return exactPreferred;
  if (exact.length > 1) {
    throw new ResolutionError(`More than one ${label} is named "${name}"; use the id.`, exact.map(({ id, name: n }) => ({ id, name: n })));
  }
  for (const test of [(candidate: string) => candidate.startsWith(wanted), (candidate: string) => candidate.includes(wanted)]) {
    const matches = references.filter((reference) => test(normalise(reference.name)));
    if (matches.length === 1 && matches[0]) return matches[0];
    const matchPreferred = onlyPreferred(matches);
    if (matchPreferred) return matchPreferred;
    if (matches.length > 1) {
      throw new ResolutionError(
        `"${name}" matches ${matches.length} ${plural(label)}; use a fuller name or the id.`,
        matches.slice(0, 8).map(({ id, name: n }) => ({ id, name: n })),
      );
    }
  }
  throw new ResolutionError(
    `No ${label} matches "${name}".`,
    closest(name, references).map(({ id, name: n }) => ({ id, name: n })),
  );
}

/** The id a value is, when it is one: a number, or a string of digits. */
function idIn(value: string | number): number | undefined {
  return typeof value === 'number' || /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** An agent who still works: the list holds disabled agents too, so that old tickets are named. */
const isActiveAgent = (reference: Reference): boolean => reference.record.isdisabled !== true;

/** Whom agent "me" means, and why. */
export interface Me extends Reference {
  /**
   * `sign_in`: the technician signed in to Halo, and the server acts as them; `HALO_AGENT` named the
   * technician; `api_application`: neither, so "me" is the agent the API application logs in as.
   */
  from: 'sign_in' | 'HALO_AGENT' | 'api_application';
}

/**
 * What an answer says of "me" when a call used it: a model that reads an empty queue as the
 * technician's own would tell them they have nothing to do, when "me" was the API application's
 * agent, which is rarely a person.
 */
export function meField(me: Me): { id: number; name: string; note?: string } {
  if (me.from !== 'api_application') return { id: me.id, name: me.name };
  return { id: me.id, name: me.name, note: 'The agent the API application logs in as, maybe not the technician: name theirs (agent: "<name>") or set HALO_AGENT.' };
}

export interface ResolverSettings {
  /** How long reference lists and name searches are kept. */
  cacheTtlMs: number;
  /** The agent "me" means (name, email or id), when the install names its technician (HALO_AGENT). */
  agent?: string | undefined;
}

export class Resolver {
  /** Lookups under way, shared by the calls that need them at once: in this process, whatever the cache. */
  private readonly inFlight = new Map<string, Promise<CachedLookup>>();
  /** Whom "me" meant in the tool call running, if it was used: one resolver serves concurrent calls, so each call's async context holds its own. */
  private readonly calls = new AsyncLocalStorage<{ me?: Me }>();
  private readonly ttlMs: number;
  private readonly agent: string | undefined;
  /** Lookups answered from the cache (this process's or the one replicas share) or from one under way, rather than Halo, for benchmarks and diagnostics. */
  cacheHits = 0;

  constructor(
    private readonly halo: HaloClient,
    settings: ResolverSettings,
    /** Where answers are kept; the process's memory unless replicas share one. */
    private readonly cache: ReferenceCache = new MemoryReferenceCache(),
  ) {
    this.ttlMs = settings.cacheTtlMs;
    this.agent = settings.agent;
  }

  /** Runs one tool call, and says whom agent "me" meant in it, when the call used it. */
  async runCall<T>(run: () => Promise<T>): Promise<{ result: T; me: Me | undefined }> {
    const call: { me?: Me } = {};
    const result = await this.calls.run(call, run);
    return { result, me: call.me };
  }

  /**
   * A lookup from the cache while it is fresh, otherwise from Halo. The load runs without the
   * caller's signal, because other calls may come to share it; the caller waits with its signal.
   * A failed lookup is not kept: the next call tries Halo again.
   */
  private cached<T extends CachedLookup>(key: string, load: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const running = this.inFlight.get(key) as Promise<T> | undefined;
    if (running) {
      this.cacheHits++;
      return awaitShared(() => running, signal, 'a lookup');
    }
    const value = (async () => {
      const kept = (await this.cache.get(key)) as T | undefined;
      if (kept !== undefined) {
        this.cacheHits++;
        return kept;
      }
      const loaded = await load();
      await this.cache.set(key, loaded, this.ttlMs);
      return loaded;
    })();
    this.inFlight.set(key, value);
    const settled = (): void => {
      this.inFlight.delete(key);
    };
    value.then(settled, settled);
    return awaitShared(() => value, signal, 'a lookup');
  }

  /** A whole reference list, from the cache while it is fresh. */
  list(kind: ListKind, options: CallOptions = {}): Promise<Reference[]> {
    const source = LIST_SOURCES[kind];
    return this.cached(
      `list:${kind}`,
      async () => {
        const { items } = await this.halo.list(source.path, { ...showAllQuery(source.path), ...source.query });
        // Read by the field names the source declares, which differ from list to list.
        return items.map((record: HaloRecord) => ({
          id: Number(record[source.idField ?? 'id']),
          name: textOf(record[source.nameField ?? 'name']),
          record,
        }));
      },
      options.signal,
    );
  }

  /**
   * The agent `"me"` means: the technician signed in, else the one HALO_AGENT names, else the agent
   * the API application logs in as. A sign-in wins over HALO_AGENT: Halo acts as whoever signed in,
   * so "me" naming anyone else would write as one agent and read as another.
   */
  me(options: CallOptions = {}): Promise<Me> {
    const named = this.halo.actsAs === 'technician' ? undefined : this.agent;
    // Whom "me" means depends on the agent named, so that settings naming different agents never share an answer.
    return this.cached(
      `me:${named ?? ''}`,
      async () => {
        if (named !== undefined) return { ...(await this.namedAgent(named)), from: 'HALO_AGENT' as const };
        const record = await this.halo.get('/Agent', 'me');
        return { id: Number(record.id), name: textOf(record.name), record, from: this.halo.actsAs === 'technician' ? ('sign_in' as const) : ('api_application' as const) };
      },
      options.signal,
    );
  }

  /** The agent HALO_AGENT names by id, email or name; one it does not name is an error that says which setting to fix. */
  private async namedAgent(named: string): Promise<Reference> {
    const agents = await this.list('agent');
    const fix = 'Set HALO_AGENT (--agent), the technician "me" means, to the name, email or id of an agent.';
    const id = idIn(named);
    if (id !== undefined) {
      const found = agents.find((agent) => agent.id === id);
      if (found) return found;
      const active = agents.filter(isActiveAgent).slice(0, 8);
      throw new ResolutionError(`HALO_AGENT is ${id}, which is no agent's id. ${fix}`, active.map((agent) => ({ id: agent.id, name: agent.name })));
    }
    const byEmail = agents.find((agent) => normalise(textOf(agent.record.email)) === normalise(named));
    if (byEmail) return byEmail;
    try {
      return pick(named, agents, 'agent', isActiveAgent);
    } catch (error) {
      if (!(error instanceof ResolutionError)) throw error;
      throw new ResolutionError(`HALO_AGENT is "${named}": ${error.message} ${fix}`, error.candidates);
    }
  }

  /** Records of a searchable kind whose names match, narrowed to a client where given. */
  search(kind: SearchKind, text: string, clientId?: number, options: CallOptions = {}): Promise<Reference[]> {
    return this.cached(
      `search:${kind}|${clientId ?? ''}|${normalise(text)}`,
      async () => {
        const { items } = await this.halo.list(SEARCH_SOURCES[kind].path, { search: text, count: 50, ...(clientId ? { client_id: clientId } : {}) });
        return items.map((record: HaloRecord) => ({ id: Number(record.id), name: textOf(record.name), record }));
      },
      options.signal,
    );
  }

  /**
   * The id a name or id means. Numbers, and strings of digits, are ids and pass through; `"me"`
   * is the agent `me()` gives; anything else is a name.
   */
  async resolve(kind: ReferenceKind, value: string | number, scope: { clientId?: number } & CallOptions = {}): Promise<number> {
    // An id is the answer as it is: looking it up in its list would only find a name nobody asked for.
    return idIn(value) ?? (await this.resolveReference(kind, value, scope)).id;
  }

  async resolveReference(kind: ReferenceKind, value: string | number, scope: { clientId?: number } & CallOptions = {}): Promise<Reference> {
    const options = scope.signal ? { signal: scope.signal } : {};
    const id = idIn(value);
    if (id !== undefined) {
      const known = kind in LIST_SOURCES ? (await this.list(kind as ListKind, options)).find((reference) => reference.id === id) : undefined;
      return known ?? { id, name: '', record: {} };
    }
    const name = String(value);
    if (kind === 'agent' && normalise(name) === 'me') {
      const me = await this.me(options);
      const call = this.calls.getStore();
      if (call) call.me = me;
      return me;
    }
    if (kind in SEARCH_SOURCES) {
      const searchKind = kind as SearchKind;
      const label = labelOf(kind);
      // Halo would be asked to search for the whole text, in a URL its web server refuses, and the answer kept in the cache.
      if (name.length > MAX_NAME_LENGTH) throw new ResolutionError(`No ${label} matches "${name}": a name has at most ${MAX_NAME_LENGTH} characters. Use a shorter part of it, or the id.`, []);
      const found = await this.search(searchKind, name, scope.clientId, options);
      if (found.length > 0) return pick(name, found, label);
      // Nothing contains the name: offer what a shorter search finds, to catch a typo.
      const hint = normalise(name).split(' ')[0]?.slice(0, 3) ?? '';
      const nearby = hint.length >= 2 ? await this.search(searchKind, hint, scope.clientId, options) : [];
      throw new ResolutionError(`No ${label} matches "${name}".`, closest(name, nearby).map((candidate) => ({ id: candidate.id, name: candidate.name })));
    }
    return pick(name, await this.list(kind as ListKind, options), labelOf(kind), kind === 'agent' ? isActiveAgent : undefined);
  }

  /**
   * Several optional references of one call at once: a client first, so that sites and users are
   * looked up within it, then the rest together. Absent values stay absent.
   */
  async resolveMany<Key extends string>(
    references: Record<Key, readonly [ReferenceKind, string | undefined]>,
    options: CallOptions = {},
  ): Promise<Partial<Record<Key, number>>> {
    const entries = Object.entries(references) as [Key, readonly [ReferenceKind, string | undefined]][];
    const client = entries.find(([, [kind, value]]) => kind === 'client' && value !== undefined);
    const clientId = client?.[1][1] === undefined ? undefined : await this.resolve('client', client[1][1], options);
    const scope = { ...options, ...(clientId !== undefined ? { clientId } : {}) };
    const ids = await Promise.all(
      entries.map(([key, [kind, value]]) =>
        value === undefined || key === client?.[0] ? Promise.resolve(key === client?.[0] ? clientId : undefined) : this.resolve(kind, value, scope),
      ),
    );
    const out: Partial<Record<Key, number>> = {};
    entries.forEach(([key], index) => {
      const id = ids[index];
      if (id !== undefined) out[key] = id;
    });
    return out;
  }
}
