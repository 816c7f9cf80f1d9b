import { isIP } from 'node:net';

/**
 * Whether a host is loopback: `localhost`, or a literal loopback address (never a name that merely
 * starts with "127."), with or without the brackets a URL puts around IPv6: a host to bind, where
 * plain http stays on the machine, where a redirect or a fetch stays on the person's own computer.
 */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  if (family === 4) return bare.startsWith('127.');
  return family === 6 && (bare === '::1' || /^::ffff:127\./.test(bare));
}
