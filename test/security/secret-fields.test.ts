/**
 * Secrets Halo keeps in ordinary records (a client's API client secret, a TeamViewer password, a
 * mailbox's SMTP password, a webhook's basic-auth password) came back to the model through
 * read-only tools: `format: "full"`, the `fields` argument and the gateway's GET. These tests plant
 * them through Halo's own API, as an administrator would, read them back through every raw path in
 * read-only mode, and check that no value reaches the answer, while an empty one stays empty.
 */
import type { HaloRecord } from '../../src/halo/client.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSecretField, REDACTED, withoutSecrets } from '../../src/toolkit/secrets.js';
import schemas from '../../src/openapi/schemas.json' with { type: 'json' };
import { useSandboxMcp } from '../helpers/setup.js';

const SECRETS = ['CLIENT-API-SECRET-123', 'TV-PASS-123', 'ASSET-TV-PASS', 'SITE-TV-PASS', 'TICKET-KEY-123', 'SMTP-PASS-123', 'HOOK-PASS-123'];

const { mcp } = useSandboxMcp({ settings: { readOnly: true, toolsets: ['core', 'crm', 'api'] } });
let mailboxId = 0;
let webhookId = '';

beforeAll(async () => {
  // Planted straight through the Halo client (the server is read-only, its client is not), on any path, unchecked by its types.
  const plant = async (path: string, record: HaloRecord): Promise<HaloRecord> => {
    const stored = await mcp.halo.requestAny({ method: 'POST', path, body: [record] });
    return (Array.isArray(stored) ? stored[0] : stored) as HaloRecord;
  };
  await plant('/Client', { id: 1, api_access_clientsecret: 'CLIENT-API-SECRET-123', teamviewerpassword: 'TV-PASS-123' });
  await plant('/Client', { id: 2, api_access_clientsecret: '' });
  await plant('/Asset', { id: 1, teamviewerpassword: 'ASSET-TV-PASS' });
  await plant('/Site', { id: 1, teamviewerpassword: 'SITE-TV-PASS' });
  await plant('/Tickets', { id: 5, key: 'TICKET-KEY-123' });
  mailboxId = Number((await plant('/Mailbox', { name: 'Support', smtppassword: 'SMTP-PASS-123' })).id);
  webhookId = String((await plant('/Webhook', { name: 'Hook', url: 'https://hooks.example.com/halo', basic_password: 'HOOK-PASS-123' })).id);
});

function expectNoSecret(answer: { isError: boolean; text: string; data: Record<string, unknown> }): void {
  expect(answer.isError, answer.text).toBe(false);
  const shown = `${answer.text}\n${JSON.stringify(answer.data)}`;
  for (const secret of SECRETS) expect(shown).not.toContain(secret);
  expect(shown).toContain(REDACTED);
}

describe('a secret stored in a record', () => {
  it.each([
    ['halo_get_client format full', 'halo_get_client', { id: 1, format: 'full' }],
    ['halo_get_client fields', 'halo_get_client', { id: 1, fields: 'api_access_clientsecret,teamviewerpassword' }],
    ['halo_search_clients fields', 'halo_search_clients', { query: '', fields: 'api_access_clientsecret' }],
    ['halo_get_asset fields', 'halo_get_asset', { id: 1, fields: ['teamviewerpassword'] }],
    ['halo_get_asset format full', 'halo_get_asset', { id: 1, format: 'full' }],
    ['halo_get_site format full', 'halo_get_site', { id: 1, format: 'full' }],
    ['halo_get_ticket format full', 'halo_get_ticket', { id: 5, format: 'full' }],
    ['halo_get_ticket fields', 'halo_get_ticket', { id: 5, fields: 'key' }],
    ['gateway GET /Client/1', 'halo_call_operation', { method: 'GET', path: '/Client/1' }],
    ['gateway GET /Asset/1', 'halo_call_operation', { method: 'GET', path: '/Asset/1', query: { includedetails: true } }],
    ['gateway GET /Client (a list)', 'halo_call_operation', { method: 'GET', path: '/Client' }],
  ])('is not answered by %s in read-only mode', async (_label, tool, args) => {
    expectNoSecret(await mcp.call(tool, args));
  });

  it('is not answered by the gateway for a mailbox or a webhook', async () => {
    expectNoSecret(await mcp.call('halo_call_operation', { method: 'GET', path: `/Mailbox/${mailboxId}` }));
    expectNoSecret(await mcp.call('halo_call_operation', { method: 'GET', path: '/Webhook' }));
    expectNoSecret(await mcp.call('halo_call_operation', { method: 'GET', path: `/Webhook/${webhookId}` }));
  });

  it('is shown as the marker, and an empty one as empty, so the model can tell which is set', async () => {
    const set = await mcp.call('halo_get_client', { id: 1, fields: 'api_access_clientsecret,name' });
    expect(set.data).toMatchObject({ api_access_clientsecret: REDACTED, name: expect.not.stringContaining(REDACTED) as unknown });
    const empty = await mcp.call('halo_get_client', { id: 2, fields: 'api_access_clientsecret' });
    expect(empty.data).toMatchObject({ api_access_clientsecret: '' });
  });
});

describe('the name rule', () => {
  it("classifies the secrets of Halo's document as secret, whatever their case", () => {
    for (const name of [
      'api_access_clientsecret',
      'teamviewerpassword',
      'password',
      'smtppassword',
      'basic_password',
      'client_secret_ncentral',
      'clientSecret',
      'sharedSecret',
      'passportal_apikey',
      'connectwise_private_key',
      'twilio_subaccount_authtoken',
      'refreshtoken',
      'report_access_token',
      'authentication_header',
      'webhook_salt',
      '_authcode',
      'oauth_code',
      'key',
      'product_key',
    ]) {
      expect(isSecretField(name), name).toBe(true);
    }
  });

  it('leaves identifiers, expiry dates, public keys and addresses alone', () => {
    for (const name of ['key_field', 'keyfield_name', 'changekey', 'devops_key', 'google_token_expiry', 'refreshtokenexpirydate', 'stripe_public_key', 'passwordreseturl', 'token_url']) {
      expect(isSecretField(name), name).toBe(false);
    }
  });

  // An independent reading of the document: any text field named for a password, secret, token or
  // key that the rule let through would have to be on this reviewed list.
  it("lets through no text field of Halo's document named for a password, secret, API key or token beyond the reviewed ones", () => {
    const reviewed = new Set(['passwordenrollurl', 'passwordreseturl', 'token_url', 'tokenurl', 'response_token_name', 'new_token_type', 'recaptcha_site_key', 'stripe_public_key', 'connectwise_public_key']);
    const missed = Object.values(schemas as Record<string, Record<string, string>>)
      .flatMap((properties) => Object.entries(properties))
      .filter(([name, type]) => type.startsWith('string') && /password|passwd|secret|token|api_?key|private_?key|public_?key|site_key/i.test(name))
      .map(([name]) => name)
      .filter((name) => !isSecretField(name) && !reviewed.has(name.toLowerCase()));
    expect([...new Set(missed)]).toEqual([]);
  });

  it('replaces text at any depth under a secret, and keeps flags, numbers, null and empty text', () => {
    expect(
      withoutSecrets({
        name: 'Support',
        allow_readall_passwords: true,
        old_pwd_enc_count: 3,
        password: null,
        smtppassword: '',
        test_credentials: { username: 'svc', password: 'p', port: 25 },
        tokens: [{ payload: 'eyJ...' }],
        sites: [{ name: 'HQ', teamviewerpassword: 'tv' }],
      }),
    ).toEqual({
      name: 'Support',
      allow_readall_passwords: true,
      old_pwd_enc_count: 3,
      password: null,
      smtppassword: '',
      test_credentials: { username: REDACTED, password: REDACTED, port: 25 },
      tokens: [{ payload: REDACTED }],
      sites: [{ name: 'HQ', teamviewerpassword: REDACTED }],
    });
  });
});
