/**
 * The secret scan of the reliability suite: every log line, tool output and error text a test
 * produces is kept, and at the end none may contain the client secret or any access token the
 * sandbox issued (nor the bearer tokens of the HTTP server, which a test adds as secrets).
 */
import { expect } from 'vitest';
import type { TestSandbox } from '../helpers/sandbox.js';

export class SecretScan {
  private readonly texts: { source: string; text: string }[] = [];
  private readonly secrets = new Set<string>();

  /** Keeps a text the suite produced: a log line, a tool result, an error message, a response body. */
  add(source: string, text: string): void {
    this.texts.push({ source, text });
  }

  /** A secret known to the test itself, such as an HTTP bearer token. */
  secret(value: string): void {
    this.secrets.add(value);
  }

  get size(): number {
    return this.texts.length;
  }

  /** Fails naming the source of the first text that holds a secret. */
  async assertClean(sandbox: TestSandbox): Promise<void> {
    const secrets = [sandbox.clientSecret, ...(await sandbox.issuedTokens()), ...this.secrets];
    expect(secrets.length).toBeGreaterThan(1);
    for (const { source, text } of this.texts) {
      for (const secret of secrets) {
        if (text.includes(secret)) expect.fail(`${source} contains a secret (${secret.slice(0, 4)}…): ${text.slice(0, 300)}`);
      }
    }
  }
}
