/** Loopback hosts in URLs (a URL's hostname keeps IPv6 brackets): where a redirect or a fetch stays on the person's own machine. */
export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}
