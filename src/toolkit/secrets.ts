/**
 * Secrets Halo keeps in ordinary records (an integration's client secret, a remote-access password,
 * an API key, an OAuth refresh token, a webhook's shared secret, the key of a survey or closure
 * link) would reach the model with every raw record: `format: "full"`, the `fields` argument and
 * the API gateway. Wherever a raw record becomes part of a tool's answer, the value of each field
 * named like a secret is replaced by a fixed marker.
 *
 * The rule goes by name, as Halo's OpenAPI document names these fields (about 170 string fields in
 * it match; `test/security/secret-fields.test.ts` holds the rule to the document), so it also
 * covers integrations newer than the document. A name is harmless only by review: HARMLESS lists
 * those whose values a technician reads and that hold no secret.
 *
 * Only text is replaced: an empty text or null stays as it is, so the model can still tell whether
 * a secret is set, and numbers and flags (`allow_readall_passwords`, `old_pwd_enc_count`) are never
 * secrets. Everything under a secret's name is replaced, however deep: a record held there (a
 * mailbox's `test_credentials`, an application's `tokens`) is part of the secret.
 */

export const REDACTED = '[redacted]';

/** Words of secret names, matched in the lower-cased name anywhere in it (`teamviewerpassword`, `new_client_secret`). */
const SECRET_NAME = /pass(?:word|wd|phrase)|pwd|secret|token|key|salt|credential|auth_?code|authorization_code|oauth_?(?:code|verifier)|authentication_header/;

/** When a token expires or was destroyed (`google_token_expiry`, `sage200tokenexpiry`, `tokendestructiondate`): a date. */
const EXPIRY_NAME = /(?:expiry|expirydate|destructiondate)$/;

/**
 * Names matching SECRET_NAME whose values hold no secret, reviewed one by one against Halo's
 * document: keys that identify a record (an asset's key fields, Lansweeper's asset keys, an Azure
 * DevOps work item), names and ids of key fields, the public half of a key pair and keys made to be
 * public, endpoint addresses, a keyboard shortcut, and payment option lists. A name that is
 * uncertain stays secret (`product_key`, `keymessage`, `image_upload_key`, `concurrencytoken`).
 */
const HARMLESS = new Set([
  'asset_key_field_string',
  'changekey',
  'childassetkey',
  'parentassetkey',
  'connectwise_public_key',
  'devops_key',
  'hotkey',
  'key1_name',
  'key2_guid',
  'key2_name',
  'key_field',
  'key_field2',
  'key_field3',
  'keyfield',
  'keyfield_id',
  'keyfield_name',
  'keyfield2_name',
  'keyfield3_name',
  'new_token_type',
  'passwordenrollurl',
  'passwordreseturl',
  'recaptcha_site_key',
  'response_token_name',
  'stripe_manual_paymentmethod_options_keypair',
  'stripe_paymentmethod_options_keypair',
  'stripe_public_key',
  'token_url',
  'tokenurl',
]);

/** Whether a field's value is a secret, by the field's name. */
export function isSecretField(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_NAME.test(lower) && !EXPIRY_NAME.test(lower) && !HARMLESS.has(lower);
}

function hidden(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? value : REDACTED;
  if (Array.isArray(value)) return value.map(hidden);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, hidden(item)]));
}

/** Halo's data as a tool may answer it: the value of every field named like a secret replaced, at any depth. */
export function withoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSecrets) as T;
  if (typeof value !== 'object' || value === null) return value;
  // fromEntries defines each key, so a field named "__proto__" stays a field rather than setting a prototype.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, isSecretField(key) ? hidden(item) : withoutSecrets(item)])) as T;
}
