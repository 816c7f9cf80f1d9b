/**
 * The MCP clients that may ask for sign-ins: those registered dynamically (RFC 7591), and those
 * whose client_id is the https URL of their Client ID Metadata Document, fetched on first use
 * and kept briefly. A client's redirect URIs are where codes may go, so each must be https, or
 * http on a loopback address for an app on the person's own machine (RFC 8252 §7.3), and carry
 * no fragment. The metadata is checked with the MCP SDK's schema of RFC 7591 client metadata.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { OAuthError, OAuthErrorCode, specTypeSchemas, type OAuthClientInformationFull, type OAuthClientMetadata } from '@modelcontextprotocol/server';
import type { Dispatcher } from 'undici';
import { guardedLookup, isInternalAddress } from '../../../halo/egress.js';
import { loadUndici } from '../../../halo/http.js';
import { StoreFullError, tokenKey, type SignInStore, type StoredValue } from '../../../sign-in/store.js';
import { isLoopback } from '../../../util/loopback.js';

/** How long a dynamic registration lasts; a client that outlives it registers again, as it does when told invalid_client. */
const REGISTRATION_TTL_MS = 90 * 24 * 60 * 60 * 1000;
/** How long a fetched metadata document is trusted before it is fetched again. */
const METADATA_DOCUMENT_TTL_MS = 5 * 60_000;
const METADATA_DOCUMENT_TIMEOUT_MS = 5_000;
const METADATA_DOCUMENT_MAX_BYTES = 10_240;
const MAX_REDIRECT_URIS = 10;
const MAX_TEXT_CHARS = 500;

export type ClientAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['none', 'client_secret_post', 'client_secret_basic'];

/** A client as the authorization server knows it. */
export interface KnownClient {
  clientId: string;
  /** What the consent page names the client by. */
  name: string | undefined;
  redirectUris: string[];
  authMethod: ClientAuthMethod;
}

interface RegistrationRecord {
  [key: string]: StoredValue | undefined;
  name?: string;
  redirectUris: string[];
  authMethod: ClientAuthMethod;
  secretDigest?: string;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

function invalidMetadata(message: string): OAuthError {
  return new OAuthError(OAuthErrorCode.InvalidClientMetadata, message);
}

/** Why a redirect URI may not receive codes, or undefined when it may. */
export function redirectUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${uri} is not a URL`;
  }
  if (url.hash || uri.includes('#')) return `${uri} has a fragment, which RFC 6749 §3.1.2 forbids`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return `${uri} is neither https nor http on a loopback address`;
}

/**
 * Whether `given` is one of the client's redirect URIs: the same string, or for a loopback URI the
 * same but for the port, which a native app picks when it starts (RFC 8252 §7.3).
 */
export function redirectUriRegistered(given: string, registered: readonly string[]): boolean {
  if (registered.includes(given)) return true;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || !isLoopback(url.hostname)) return false;
  return registered.some((uri) => {
    const candidate = new URL(uri);
    if (candidate.protocol !== 'http:' || candidate.hostname !== url.hostname) return false;
    candidate.port = url.port;
    return candidate.href === url.href;
  });
}

function checkText(metadata: OAuthClientMetadata): void {
  for (const [field, value] of Object.entries(metadata)) {
    if (typeof value === 'string' && value.length > MAX_TEXT_CHARS) throw invalidMetadata(`${field} is longer than ${MAX_TEXT_CHARS} characters.`);
  }
}

/** The metadata's redirect URIs and method, checked; throws invalid_client_metadata (or invalid_redirect_uri) with the reason. */
function checkMetadata(metadata: OAuthClientMetadata, allowed: readonly ClientAuthMethod[]): { redirectUris: string[]; authMethod: ClientAuthMethod } {
  checkText(metadata);
  const redirectUris = metadata.redirect_uris;
  if (redirectUris.length === 0 || redirectUris.length > MAX_REDIRECT_URIS) throw new OAuthError(OAuthErrorCode.InvalidRedirectUri, `Name from 1 to ${MAX_REDIRECT_URIS} redirect_uris.`);
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new OAuthError(OAuthErrorCode.InvalidRedirectUri, problem);
  }
  // RFC 7591 §2: without a method named, a client authenticates with client_secret_basic.
  const authMethod = (metadata.token_endpoint_auth_method ?? 'client_secret_basic') as ClientAuthMethod;
  if (!allowed.includes(authMethod)) throw invalidMetadata(`token_endpoint_auth_method must be one of ${allowed.join(', ')}.`);
  if (metadata.grant_types?.some((type) => type !== 'authorization_code' && type !== 'refresh_token')) throw invalidMetadata('grant_types may name authorization_code and refresh_token only.');
  if (metadata.response_types?.some((type) => type !== 'code')) throw invalidMetadata('response_types may name code only.');
  return { redirectUris, authMethod };
}

export interface ClientsOptions {
  store: SignInStore;
  /** Whether metadata documents may be fetched from loopback and private addresses, and over http: for a server that is itself on loopback (tests), never in production. */
  allowLocalMetadataDocuments: boolean;
}

export class Clients {
  private dispatcher: Promise<Dispatcher> | undefined;

  constructor(private readonly options: ClientsOptions) {}

  /** RFC 7591 registration: the client information to answer with 201, the secret in it shown this once. */
  async register(body: unknown): Promise<OAuthClientInformationFull> {
    const parsed = specTypeSchemas.OAuthClientMetadata['~standard'].validate(body);
    if (parsed.issues) throw invalidMetadata(`The client metadata is not valid: ${parsed.issues.map((issue) => issue.message).join('; ')}.`);
    const metadata = parsed.value as OAuthClientMetadata;
    const { redirectUris, authMethod } = checkMetadata(metadata, CLIENT_AUTH_METHODS);
    const clientId = `mcp-${randomBytes(16).toString('base64url')}`;
    const secret = authMethod === 'none' ? undefined : randomBytes(32).toString('base64url');
    const record: RegistrationRecord = { redirectUris, authMethod, ...(metadata.client_name ? { name: metadata.client_name } : {}), ...(secret ? { secretDigest: digest(secret) } : {}) };
    try {
      await this.options.store.set(`client:${clientId}`, record, REGISTRATION_TTL_MS);
    } catch (error) {
      if (error instanceof StoreFullError) throw new OAuthError(OAuthErrorCode.TemporarilyUnavailable, 'The server holds as many client registrations as it may; try again later.');
      throw error;
    }
    const issuedAt = Math.floor(Date.now() / 1000);
    return {
      ...metadata,
      token_endpoint_auth_method: authMethod,
      client_id: clientId,
      client_id_issued_at: issuedAt,
      ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    };
  }

  /** The client a client_id names, or undefined when none does (a registration expired, a metadata document that does not hold). */
  async find(clientId: string): Promise<KnownClient | undefined> {
    if (this.isMetadataDocumentUrl(clientId)) return this.fromMetadataDocument(clientId);
    const record = await this.options.store.get<RegistrationRecord>(`client:${clientId}`);
    return record ? { clientId, name: record.name, redirectUris: record.redirectUris, authMethod: record.authMethod } : undefined;
  }

  /**
   * The client a token or revocation request comes from, authenticated by the method it
   * registered: client_secret_basic in the Authorization header, client_secret_post in the form,
   * none by client_id alone. Throws invalid_client otherwise.
   */
  async authenticate(form: URLSearchParams, authorization: string | undefined): Promise<KnownClient> {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    let presented: { id: string; secret: string | undefined; method: ClientAuthMethod };
    if (basic) {
      const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      presented = { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? ''), method: 'client_secret_basic' };
    } else {
      const secret = form.get('client_secret') ?? undefined;
      presented = { id: form.get('client_id') ?? '', secret, method: secret === undefined ? 'none' : 'client_secret_post' };
    }
    const refused = new OAuthError(OAuthErrorCode.InvalidClient, 'The client is unknown, or did not authenticate as it registered to.');
    if (!presented.id) throw refused;
    const client = await this.find(presented.id);
    if (!client || client.authMethod !== presented.method) throw refused;
    if (client.authMethod === 'none') return client;
    const record = await this.options.store.get<RegistrationRecord>(`client:${client.clientId}`);
    const expected = Buffer.from(record?.secretDigest ?? '');
    const given = Buffer.from(digest(presented.secret ?? ''));
    if (expected.length === 0 || expected.length !== given.length || !timingSafeEqual(expected, given)) throw refused;
    return client;
  }

  isMetadataDocumentUrl(clientId: string): boolean {
    let url: URL;
    try {
      url = new URL(clientId);
    } catch {
      return false;
    }
    if (this.options.allowLocalMetadataDocuments) return url.protocol === 'https:' || url.protocol === 'http:';
    // An address written as such is connected to without a lookup, so the lookup's guard never sees it: it is checked here.
    return url.protocol === 'https:' && !isInternalAddress(url.hostname);
  }

  /** A client described by its Client ID Metadata Document, fetched once and kept a few minutes. */
  private async fromMetadataDocument(url: string): Promise<KnownClient | undefined> {
    const cacheKey = tokenKey('client-document', url);
    const cached = await this.options.store.get<RegistrationRecord>(cacheKey);
    if (cached) return { clientId: url, name: cached.name, redirectUris: cached.redirectUris, authMethod: cached.authMethod };
    const document = await this.fetchDocument(url);
    if (document === undefined) return undefined;
    const parsed = specTypeSchemas.OAuthClientInformationFull['~standard'].validate(document);
    if (parsed.issues) return undefined;
    const metadata = parsed.value as OAuthClientInformationFull;
    if (metadata.client_id !== url) return undefined;
    let checked: { redirectUris: string[]; authMethod: ClientAuthMethod };
    try {
      // A metadata document is public: its client has no secret to authenticate with.
      checked = checkMetadata({ ...metadata, token_endpoint_auth_method: metadata.token_endpoint_auth_method ?? 'none' }, ['none']);
    } catch {
      return undefined;
    }
    const record: RegistrationRecord = { ...checked, ...(metadata.client_name ? { name: metadata.client_name } : {}) };
    await this.options.store.set(cacheKey, record, METADATA_DOCUMENT_TTL_MS).catch(() => undefined);
    return { clientId: url, name: record.name, ...checked };
  }

  /** The document's JSON, or undefined when it cannot be had within the limits: no redirects, five seconds, ten kilobytes, public addresses only. */
  private async fetchDocument(url: string): Promise<unknown> {
    const { request } = await loadUndici();
    try {
      const response = await request(url, {
        method: 'GET',
        headers: { accept: 'application/json' },
        dispatcher: await this.documentDispatcher(),
        signal: AbortSignal.timeout(METADATA_DOCUMENT_TIMEOUT_MS),
      });
      // undici's request follows no redirect: a 3xx is refused here with every other answer but 200.
      if (response.statusCode !== 200) {
        await response.body.dump();
        return undefined;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > METADATA_DOCUMENT_MAX_BYTES) {
          response.body.destroy();
          return undefined;
        }
        chunks.push(chunk);
      }
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  private documentDispatcher(): Promise<Dispatcher> {
    this.dispatcher ??= loadUndici().then(({ Agent }) => {
      const trust = this.options.allowLocalMetadataDocuments ? 'listed' : 'public';
      const lookup = guardedLookup(() => trust, 'a client metadata document must be on a public address');
      return new Agent({ connect: { lookup, timeout: METADATA_DOCUMENT_TIMEOUT_MS }, headersTimeout: METADATA_DOCUMENT_TIMEOUT_MS, bodyTimeout: METADATA_DOCUMENT_TIMEOUT_MS });
    });
    return this.dispatcher;
  }

  async close(): Promise<void> {
    if (this.dispatcher) await (await this.dispatcher).close();
  }
}
