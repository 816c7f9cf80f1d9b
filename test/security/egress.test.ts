/**
 * The allow-list and the address check behind gateway mode, with a resolver the test controls: a
 * name can resolve to a public address when checked and to an internal one when connected to (DNS
 * rebinding), so only the lookup the connection itself makes can refuse it.
 */
import type { LookupAddress } from 'node:dns';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { httpOptionsFromEnv } from '../../src/config/index.js';
import { AllowedHosts, HOSTED_HALO_DOMAINS, parseAllowedHosts } from '../../src/gateway/hosts.js';
import { HaloClient } from '../../src/halo/client.js';
import { AddressRefusedError, guardedLookup, isInternalAddress } from '../../src/halo/egress.js';
import { HaloNetworkError } from '../../src/halo/errors.js';
import { useSandbox } from '../helpers/setup.js';

const sandbox = useSandbox();

const allowed = (text: string) => {
  const { entries, problems } = parseAllowedHosts(text);
  expect(problems).toEqual([]);
  return new AllowedHosts(entries);
};

/** A resolver that answers from a table, and counts how often each name was asked. */
function resolver(answers: Record<string, string[]>) {
  const asked: Record<string, number> = {};
  const resolve = (hostname: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void): void => {
    const round = (asked[hostname] = (asked[hostname] ?? 0) + 1);
    const address = answers[hostname]?.[Math.min(round, answers[hostname].length) - 1];
    if (address === undefined) callback(Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' }), []);
    else callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  };
  return { resolve, asked };
}

describe('internal addresses', () => {
  it('covers loopback, link-local, private and the ways to write them', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '[::1]', '64:ff9b::a00:1']) {
      expect(isInternalAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', 'acme.halopsa.com']) expect(isInternalAddress(address), address).toBe(false);
  });
});

describe('the allow-list', () => {
  it('by default admits https to Halo-hosted tenants only, on the https port', () => {
    const hosts = allowed(HOSTED_HALO_DOMAINS.join(','));
    expect(hosts.refusal(new URL('https://acme.halopsa.com'))).toBeUndefined();
    expect(hosts.refusal(new URL('https://acme.haloitsm.com/auth'))).toBeUndefined();
    expect(hosts.refusal(new URL('https://support.haloservicedesk.com'))).toBeUndefined();
    expect(hosts.refusal(new URL('https://acme.halopsa.com:8443'))).toMatch(/port 8443/);
    expect(hosts.refusal(new URL('http://acme.halopsa.com'))).toMatch(/only https/);
    for (const url of ['https://halopsa.com.evil.example', 'https://evilhalopsa.com', 'https://acme.halopsa.com.', 'https://127.0.0.1', 'https://[::1]']) {
      expect(hosts.refusal(new URL(url)), url).toMatch(/not allowed/);
    }
  });

  it('admits a host listed by name over http, at its port, and trusts it with any address', () => {
    const hosts = allowed('halo.corp.internal:8080, 10.0.0.5');
    expect(hosts.refusal(new URL('http://halo.corp.internal:8080'))).toBeUndefined();
    expect(hosts.refusal(new URL('http://halo.corp.internal'))).toMatch(/port 80/);
    expect(hosts.refusal(new URL('http://10.0.0.5'))).toBeUndefined();
    expect(hosts.trust('halo.corp.internal')).toBe('listed');
    expect(hosts.trust('other.corp.internal')).toBe('refused');
  });

  it('never lets a wildcard admit an address', () => {
    const hosts = allowed('*');
    expect(hosts.refusal(new URL('https://acme.example.com'))).toBeUndefined();
    expect(hosts.trust('acme.example.com')).toBe('public');
    expect(hosts.refusal(new URL('https://93.184.216.34'))).toMatch(/not allowed/);
    expect(hosts.refusal(new URL('https://0x7f.1'))).toMatch(/not allowed/);
  });

  it('names the entries that are not host patterns', () => {
    const { problems } = parseAllowedHosts('https://acme.halopsa.com, acme.example.com/path, *.*.example.com, *.10.0.0.1, user@host.example, ok.example.com');
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/HALO_GATEWAY_ALLOWED_HOSTS: "https:\/\/acme\.halopsa\.com" is not a host pattern/);
    expect(() => httpOptionsFromEnv({ HALO_GATEWAY_ALLOWED_HOSTS: 'https://acme.halopsa.com' }, () => '')).toThrow(/is not a host pattern; write a host such as/);
  });
});

describe('the lookup a connection makes', () => {
  it('refuses a name that resolved to a public address before and to an internal one now', async () => {
    const { resolve } = resolver({ 'rebind.example.com': ['93.184.216.34', '127.0.0.1'] });
    const lookup = guardedLookup(() => 'public', 'SETTING allows that', resolve);
    const ask = () =>
      new Promise<string>((done, fail) => {
        lookup('rebind.example.com', { all: true }, (error, addresses) => (error ? fail(error) : done(JSON.stringify(addresses))));
      });
    expect(await ask()).toContain('93.184.216.34');
    await expect(ask()).rejects.toBeInstanceOf(AddressRefusedError);
  });

  it('refuses an answer that mixes public and internal addresses', async () => {
    const lookup = guardedLookup(
      () => 'public',
      'SETTING allows that',
      (_hostname, _options, callback) => callback(null, [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.1', family: 4 }]),
    );
    await expect(new Promise((done, fail) => lookup('mixed.example.com', {}, (error, address) => (error ? fail(error) : done(address))))).rejects.toBeInstanceOf(AddressRefusedError);
  });

  it('connects a listed name wherever it resolves, and refuses a wildcard name that resolves inside, without retrying', async () => {
    const port = new URL(sandbox.url).port;
    const hosts = allowed(`listed.example.test:${port}, *.example.test`);
    const { resolve, asked } = resolver({ 'listed.example.test': ['127.0.0.1'], 'tenant.example.test': ['127.0.0.1'] });
    const agent = new Agent({ connect: { lookup: guardedLookup((hostname) => hosts.trust(hostname), 'HALO_GATEWAY_ALLOWED_HOSTS allows that only for a host it lists by name', resolve) } });
    const listed = new HaloClient(sandbox.config({ url: `http://listed.example.test:${port}`, authUrl: `http://listed.example.test:${port}/auth` }), { dispatcher: agent });
    const wildcard = new HaloClient(sandbox.config({ url: 'https://tenant.example.test', authUrl: 'https://tenant.example.test/auth' }), { dispatcher: agent });
    try {
      expect((await listed.list('/Status')).items.length).toBeGreaterThan(0);
      const refused = await wildcard.list('/Status').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(HaloNetworkError);
      expect((refused as HaloNetworkError).transient).toBe(false);
      expect((refused as Error).message).toMatch(/^Halo at https:\/\/tenant\.example\.test was not contacted: the host resolves to a loopback, link-local or private address; HALO_GATEWAY_ALLOWED_HOSTS/);
      expect(asked['tenant.example.test']).toBe(1);
    } finally {
      await agent.close();
    }
  });
});
