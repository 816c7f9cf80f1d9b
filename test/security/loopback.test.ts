/**
 * Without bearer tokens the server serves loopback only; the loopback test took any host name
 * starting with "127." (127.attacker.example resolves wherever its owner likes) for loopback.
 */
import { describe, expect, it } from 'vitest';
import { httpOptionsFromEnv, isLoopback } from '../../src/config/index.js';

describe('loopback', () => {
  it('means literal loopback addresses and localhost, not any name starting with "127."', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['127.attacker.example', '127.0.0.1.nip.io', '0.0.0.0', '10.0.0.1', 'localhost.attacker.example']) expect(isLoopback(host), host).toBe(false);
  });

  it('refuses to serve a name starting with "127." without tokens', () => {
    expect(() => httpOptionsFromEnv({ HALO_MCP_HTTP_HOST: '127.attacker.example' }, () => '')).toThrow(/Refusing to serve on 127\.attacker\.example without bearer tokens/);
  });
});
