/**
 * Keeps secrets out of every message the client produces: the client secret and the access tokens
 * it has held are replaced wherever they appear, as they are or encoded the ways a server may echo
 * them, as are bearer headers and credential fields.
 *
 * A redactor belongs to one set of credentials. The process has one for the Halos it was configured
 * with (its logger uses it); a Halo a request names (gateway mode) gets one of its own on top of the
 * process's, so that what one caller supplies never changes what another caller or the logs see.
 */
const PATTERNS: [RegExp, string][] = [
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1[redacted]'],
  [/(client_secret=)[^&\s"]+/gi, '$1[redacted]'],
  [/("(?:access_token|refresh_token|id_token|client_secret)"\s*:\s*")[^"]*(")/gi, '$1[redacted]$2'],
];

/**
 * The shortest value redacted. Halo issues client secrets of 73 characters (two GUIDs) and access
 * tokens far longer, so nothing shorter is a Halo credential; this is also the least the HTTP server
 * accepts as a bearer token. A shorter value ("e", "tool") would blank out ordinary words.
 */
export const MIN_SECRET_LENGTH = 16;

/** Tokens expire, so only the most recent ones can still turn up in a message. */
const REMEMBERED_TOKENS = 32;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern for a value as written, with each %XX escape matched in either case (servers differ). */
function literal(text: string): string {
  const eitherCase = (digit: string): string => (/[A-F]/.test(digit) ? `[${digit}${digit.toLowerCase()}]` : digit);
  return escapeRegExp(text).replace(/%([0-9A-F])([0-9A-F])/g, (_escape, high: string, low: string) => `%${eitherCase(high)}${eitherCase(low)}`);
}

/** The forms a value takes when echoed: as is, inside a JSON string, and URL-encoded (path or form style). */
function forms(value: string): string[] {
  return [...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)])];
}

export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly tokens: string[] = [];
  /** Every form of every value, as one pattern; rebuilt after a change, absent when there is nothing to redact. */
  private pattern: RegExp | undefined;
  private stale = false;

  /** @param parent a redactor whose values are removed as well (the process's, under a gateway caller's). */
  constructor(private readonly parent?: Redactor) {}

  /** Values this redactor itself holds (its parent's not counted). */
  get size(): number {
    return this.secrets.size + this.tokens.length;
  }

  /** Registers a value that must never appear in output (ignores values too short to be secrets). */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.stale = true;
  }

  addToken(token: string): void {
    if (token.length < MIN_SECRET_LENGTH || this.tokens.includes(token)) return;
    this.tokens.push(token);
    if (this.tokens.length > REMEMBERED_TOKENS) this.tokens.shift();
    this.stale = true;
  }

  redact(text: string): string {
    let out = this.removeValues(text);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  private removeValues(text: string): string {
    if (this.stale) {
      // Longest first, so that a value containing another is removed whole.
      const alternatives = [...this.secrets, ...this.tokens].flatMap(forms).sort((a, b) => b.length - a.length);
      this.pattern = alternatives.length > 0 ? new RegExp(alternatives.map(literal).join('|'), 'g') : undefined;
      this.stale = false;
    }
    const own = this.pattern ? text.replace(this.pattern, '[redacted]') : text;
    return this.parent ? this.parent.removeValues(own) : own;
  }
}
