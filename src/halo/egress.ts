/**
 * Where the client may connect, checked at the address it actually connects to. A host name can
 * resolve anywhere, and differently from one lookup to the next (DNS rebinding), so a check of the
 * name or of an earlier lookup proves nothing: the lookup the connection itself makes is the one
 * that must refuse loopback, link-local and private addresses.
 */
import { lookup as systemLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Addresses that lead into the machine or its network rather than to a service on the internet. */
const INTERNAL_RANGES: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"; 0.0.0.0 reaches the local machine
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT, used inside cloud networks
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, where cloud metadata services answer
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'], // multicast, reserved and broadcast
  ['::', 96, 'ipv6'], // unspecified, loopback, and IPv4 in the old IPv4-compatible form
  ['64:ff9b::', 96, 'ipv6'], // NAT64, which maps IPv4 addresses (internal ones too) into IPv6
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const internal = new BlockList();
for (const [network, prefix, family] of INTERNAL_RANGES) internal.addSubnet(network, prefix, family);

/**
 * Whether an IP address is loopback, link-local, private or otherwise not on the public internet.
 * IPv4 addresses written as IPv6 (::ffff:127.0.0.1) count as the IPv4 address they are.
 */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare);
  if (family === 0) return false;
  return internal.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

/** Why a connection was not made; nothing was sent. */
export class AddressRefusedError extends Error {
  override name = 'AddressRefusedError';
  readonly code = 'ERR_HALO_ADDRESS_REFUSED';
}

/** How far a host may be trusted: `listed` may resolve anywhere; `public` only to public addresses; `refused` nowhere. */
export type HostTrust = 'listed' | 'public' | 'refused';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type Lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;
type Resolve = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/**
 * A `lookup` for `net.connect` (undici's `connect` option passes it on) that resolves as usual, then
 * refuses the connection when a host trusted only with public addresses resolved to an internal one.
 * Every address of the answer is checked: a connection may try any of them.
 */
export function guardedLookup(trust: (hostname: string) => HostTrust, reason: string, resolve: Resolve = systemLookup): Lookup {
  return (hostname, options, callback) => {
    const level = trust(hostname);
    if (level === 'refused') {
      callback(new AddressRefusedError(`the host is not allowed; ${reason}`), []);
      return;
    }
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      if (level === 'public' && addresses.some((entry) => isInternalAddress(entry.address))) {
        callback(new AddressRefusedError(`the host resolves to a loopback, link-local or private address; ${reason}`), []);
        return;
      }
      const [first] = addresses;
      if (options.all) callback(null, addresses);
      else if (first) callback(null, first.address, first.family);
      else callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    });
  };
}
