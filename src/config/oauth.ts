/**
 * The settings of `--oauth`, where the HTTP server is the OAuth authorization server MCP clients
 * sign people in through, and each person acts in Halo as themselves: the server's public URL
 * (the issuer, and `<public>/mcp` the resource its tokens are for), the key that seals Halo's
 * refresh tokens at rest, the Halo application technicians sign in through, and the lifetime of
 * the access tokens it issues.
 */
import { randomBytes } from 'node:crypto';
import { isLoopback } from '../util/loopback.js';
import { z } from 'zod';
import { parseTokenKey } from '../sign-in/sealed.js';
import { booleanSetting, ConfigError, optionalText, parseEnv, positiveInteger, TIMER_MAX_SECONDS, type Env } from './values.js';

export interface OAuthConfig {
  /** The server's public origin, as MCP clients and browsers reach it. */
  publicUrl: URL;
  /** The 32-byte key that seals Halo refresh tokens at rest. */
  tokenKey: Buffer;
  /** The Halo application technicians sign in through, when it is not the API application (HALO_CLIENT_ID). */
  login: { clientId: string; clientSecret?: string } | undefined;
  accessTokenTtlMs: number;
}

const oauthSchema = z.object({
  HALO_MCP_OAUTH: booleanSetting('HALO_MCP_OAUTH'),
  HALO_PUBLIC_URL: optionalText,
  HALO_TOKEN_KEY: optionalText,
  HALO_LOGIN_CLIENT_ID: optionalText,
  HALO_LOGIN_CLIENT_SECRET: optionalText,
  HALO_MCP_ACCESS_TOKEN_SECONDS: positiveInteger('HALO_MCP_ACCESS_TOKEN_SECONDS', 3600, 1, TIMER_MAX_SECONDS),
});

/** Where the server listens: on loopback, with a port of its own, that address is the public one unless HALO_PUBLIC_URL says. */
interface Listening {
  host: string;
  port: number;
  loopback: boolean;
}

function publicUrlOf(text: string | undefined, listen: Listening, problems: string[]): URL | undefined {
  if (text === undefined) {
    // Only the person at this computer reaches a loopback server, at the address it listens on.
    if (listen.loopback && listen.port !== 0) return new URL(`http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`);
    problems.push('HALO_PUBLIC_URL is missing: --oauth needs the address MCP clients reach this server at, such as https://mcp.example.com');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(`HALO_PUBLIC_URL must be a URL such as https://mcp.example.com (got "${text}")`);
    return undefined;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    problems.push(`HALO_PUBLIC_URL must start with https:// (plain http only on a loopback address, for trying it out) (got "${text}")`);
  } else if (url.pathname !== '/' || url.search || url.hash) {
    problems.push(`HALO_PUBLIC_URL must be the server's origin alone, such as ${url.origin}: the server answers MCP at /mcp and signs people in at paths of its own (got "${text}")`);
  } else {
    return url;
  }
  return undefined;
}

/**
 * The --oauth settings, or undefined without --oauth. `demo` makes a random token key when none
 * is set: the demo's sign-ins last as long as the process anyway.
 */
export function oauthConfigFromEnv(env: Env, context: { demo: boolean; gateway: boolean; listen: Listening }): OAuthConfig | undefined {
  const values = parseEnv(oauthSchema, env);
  if (!values.HALO_MCP_OAUTH) return undefined;
  const problems: string[] = [];
  if (context.gateway) {
    problems.push('--oauth cannot be combined with --gateway: a gateway\'s callers name their own Halo in headers, while --oauth signs people in to the server\'s one Halo (HALO_URL).');
  }
  if (!context.demo && !env.HALO_URL?.trim()) {
    problems.push('--oauth signs technicians in to the server\'s own Halo: set HALO_URL, HALO_CLIENT_ID and HALO_CLIENT_SECRET.');
  }
  const publicUrl = publicUrlOf(values.HALO_PUBLIC_URL, context.listen, problems);
  let tokenKey = values.HALO_TOKEN_KEY === undefined ? undefined : parseTokenKey(values.HALO_TOKEN_KEY);
  if (values.HALO_TOKEN_KEY !== undefined && tokenKey === undefined) {
    problems.push('HALO_TOKEN_KEY must be 32 bytes written as 64 hex digits or in base64; make one with: openssl rand -hex 32');
  } else if (tokenKey === undefined && context.demo) {
    tokenKey = randomBytes(32);
  } else if (tokenKey === undefined) {
    problems.push('HALO_TOKEN_KEY is missing: --oauth seals Halo\'s refresh tokens with it; make one with: openssl rand -hex 32');
  }
  if (problems.length > 0 || publicUrl === undefined || tokenKey === undefined) throw new ConfigError(problems);
  const loginId = values.HALO_LOGIN_CLIENT_ID;
  return {
    publicUrl,
    tokenKey,
    // A login application of its own has its own secret, or none (a public client): the API application's is not sent to it.
    login: loginId ? { clientId: loginId, ...(values.HALO_LOGIN_CLIENT_SECRET ? { clientSecret: values.HALO_LOGIN_CLIENT_SECRET } : {}) } : undefined,
    accessTokenTtlMs: values.HALO_MCP_ACCESS_TOKEN_SECONDS * 1000,
  };
}
