import { Writable } from 'node:stream';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { HaloClient } from '../src/halo/client.js';
import { Redactor } from '../src/util/redact.js';
import { createLogger } from '../src/logger.js';
import { useSandbox } from './helpers/setup.js';

/** A pino destination that keeps every line. */
function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const sandbox = useSandbox({ clientSecret: 'Sup3r-Secret-Value-42' });

describe('logging', () => {
  it('never writes the client secret, an access token or an Authorization header', async () => {
    const redactor = new Redactor();
    const output = capture();
    const logger = createLogger({ level: 'trace', redactor, destination: output.stream });
    const config = sandbox.config();
    const halo = new HaloClient(config, { logger, redactor });
    try {
      // Calls that log: a retried failure (warn) and successes (debug).
      await sandbox.faults([{ method: 'GET', path: '^/api/status$', status: 503, times: 1 }]);
      await halo.list('/Status');
      const token = await sandbox.token();
      // Everything a careless caller might hand the logger.
      logger.info({ config }, 'configuration loaded');
      logger.info({ headers: { authorization: `Bearer ${token}` } }, 'request headers');
      logger.info({ response: { access_token: token, token_type: 'Bearer' } }, 'token response');
      logger.error({ err: new Error(`failed with client_secret=${config.clientSecret} and Bearer ${token}`) }, 'wrapped failure');
      logger.warn(`secret inline ${config.clientSecret}`);
      const text = output.text();
      expect(text).toContain('retrying Halo call');
      expect(text).toContain('halo request');
      expect(text).toContain('configuration loaded');
      expect(text).toContain('[redacted]');
      expect(text).not.toContain(config.clientSecret);
      expect(text).not.toContain(token);
    } finally {
      await halo.close();
    }
  });

  it('scrubs the tokens the client itself fetched from any text it logs', async () => {
    const redactor = new Redactor();
    const output = capture();
    const logger = createLogger({ level: 'info', redactor, destination: output.stream });
    // Watch the Authorization header the client sends, to learn the token it holds.
    const sent: string[] = [];
    const dispatcher = new Agent().compose((dispatch) => (options, handler) => {
      const headers = options.headers as Record<string, string> | undefined;
      if (headers?.authorization) sent.push(headers.authorization.replace(/^Bearer /, ''));
      return dispatch(options, handler);
    });
    const halo = new HaloClient(sandbox.config(), { logger, redactor, dispatcher });
    try {
      await halo.list('/Status');
      const token = sent[0];
      expect(token).toBeDefined();
      logger.info(`an upstream message quoting the raw token ${String(token)}`);
      logger.info({ detail: { nested: `token=${String(token)}` } }, 'nested');
      expect(output.text()).toContain('quoting the raw token [redacted]');
      expect(output.text()).not.toContain(String(token));
      expect(halo.redact(`x ${String(token)} y`)).toBe('x [redacted] y');
    } finally {
      await halo.close();
      await dispatcher.close();
    }
  });
});
