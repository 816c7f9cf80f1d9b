/** An MCP client's OAuth state for tests: kept in memory, with the authorization URL handed to the test to follow. */
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/client';

export class MemoryOAuthProvider implements OAuthClientProvider {
  /** Where the client sent the person to sign in: the test follows it, by hand or in a browser. */
  authorizationUrl: URL | undefined;
  private information: { client_id: string } | undefined;
  private saved: { access_token: string; token_type: string } | undefined;
  private verifier = '';
  private discovery: OAuthDiscoveryState | undefined;

  constructor(
    readonly redirectUrl: string,
    private readonly clientName: string,
  ) {}

  get clientMetadata() {
    return { client_name: this.clientName, redirect_uris: [this.redirectUrl], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: { client_id: string }) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: { access_token: string; token_type: string }) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}
