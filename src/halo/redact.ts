/**
 * Keeps secrets out of every message the client produces: the client secret and every access token
 * it has held are replaced wherever they appear, as are bearer headers and credential fields.
 */
const PATTERNS: [RegExp, string][] = [
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1[redacted]'],
  [/(client_secret=)[^&\s"]+/gi, '$1[redacted]'],
  [/("(?:access_token|refresh_token|id_token|client_secret)"\s*:\s*")[^"]*(")/gi, '$1[redacted]$2'],
];

/** Tokens expire, so only the most recent ones can still turn up in a message. */
const REMEMBERED_TOKENS = 32;

export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly tokens: string[] = [];

  /** Registers a value that must never appear in output (ignores values too short to be secrets). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 6) this.secrets.add(secret);
  }

  addToken(token: string): void {
    this.tokens.push(token);
    if (this.tokens.length > REMEMBERED_TOKENS) this.tokens.shift();
  }

  redact(text: string): string {
    let out = text;
    for (const secret of [...this.secrets, ...this.tokens]) out = out.split(secret).join('[redacted]');
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}
