/**
 * The hosts a gateway may fetch a Halo from. A caller names its Halo in X-Halo-Url; without a list
 * the server would connect to any host and port a caller names (port scans, cloud metadata,
 * internal services). An entry is a host name, `*.` and a domain (any name under it), `*` (any
 * name), or an IP address, each optionally with `:port`:
 *
 * - a host listed by name (or address) may be reached over http or https, at any address it
 *   resolves to, loopback and private ones included: the operator named it;
 * - a host a wildcard admits must be a name (not an address), reached over https, that resolves
 *   only to public addresses;
 * - without a port, only the scheme's own port (443, or 80 for http) is allowed.
 */
import { isIP } from 'node:net';
import type { HostTrust } from '../halo/egress.js';

/**
 * Halo's hosted tenants: `<tenant>.halopsa.com` (HaloPSA), `<tenant>.haloitsm.com` (HaloITSM),
 * `<tenant>.haloservicedesk.com` (HaloServiceDesk and Halo's older hosting). A tenant on its own
 * domain, or a self-hosted Halo, is allowed by listing it.
 */
export const HOSTED_HALO_DOMAINS = ['*.halopsa.com', '*.haloitsm.com', '*.haloservicedesk.com'];

export const ALLOWED_HOSTS_SETTING = 'HALO_GATEWAY_ALLOWED_HOSTS';

export interface HostEntry {
  /** The host as WHATWG URL parsing writes it (lower case, punycode, IPv6 in brackets); for a wildcard, the domain after `*.`, or empty for `*`. */
  host: string;
  wildcard: boolean;
  port: number | undefined;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** Whether a URL host (IPv6 in brackets) is an IP address rather than a name. */
function isAddress(host: string): boolean {
  return isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

function parseEntry(text: string): HostEntry | undefined {
  if (text === '*') return { host: '', wildcard: true, port: undefined };
  // A scheme, path, query or credentials make it something other than a host.
  if (/[/?#@\s]/.test(text)) return undefined;
  const wildcard = text.startsWith('*.');
  const rest = wildcard ? text.slice(2) : text;
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    return undefined;
  }
  if (url.hostname.includes('*') || (wildcard && isAddress(url.hostname))) return undefined;
  const port = /(?:^|[^:]):(\d+)$/.exec(rest)?.[1];
  return { host: url.hostname, wildcard, port: port === undefined ? undefined : Number(port) };
}

/** Parses the setting: a comma-separated list of host patterns. Answers the entries, or the ones that are not patterns. */
export function parseAllowedHosts(text: string): { entries: HostEntry[]; problems: string[] } {
  const entries: HostEntry[] = [];
  const problems: string[] = [];
  for (const item of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const entry = parseEntry(item);
    if (entry) entries.push(entry);
    else problems.push(`${ALLOWED_HOSTS_SETTING}: "${item}" is not a host pattern; write a host such as acme.example.com, *.example.com or 10.0.0.5, optionally with :port`);
  }
  return { entries, problems };
}

export class AllowedHosts {
  constructor(private readonly entries: readonly HostEntry[]) {}

  /** Why a URL may not be fetched, in words that end a sentence; undefined when it may. */
  refusal(url: URL): string | undefined {
    const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
    const fits = (entry: HostEntry) => (entry.port ?? DEFAULT_PORTS[url.protocol]) === port;
    const hostMatches = this.entries.filter((entry) => this.matches(entry, url.hostname));
    if (hostMatches.length === 0) return 'its host is not allowed';
    const matches = hostMatches.filter(fits);
    if (matches.length === 0) return `port ${String(port)} of its host is not allowed`;
    if (matches.some((entry) => !entry.wildcard)) return undefined;
    return url.protocol === 'https:' ? undefined : 'only https is allowed for a host that is not listed by name';
  }

  /** How far a host the connection looks up may be trusted (see `guardedLookup`). */
  trust(hostname: string): HostTrust {
    const host = hostname.toLowerCase();
    const matches = this.entries.filter((entry) => this.matches(entry, host));
    if (matches.length === 0) return 'refused';
    return matches.some((entry) => !entry.wildcard) ? 'listed' : 'public';
  }

  private matches(entry: HostEntry, host: string): boolean {
    if (!entry.wildcard) return entry.host === host;
    // A wildcard admits names, never addresses: an address is allowed only by listing it.
    if (isAddress(host)) return false;
    return entry.host === '' || host.endsWith(`.${entry.host}`);
  }
}
