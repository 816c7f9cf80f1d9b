/**
 * `halopsa-mcp doctor`: checks the whole path from settings to Halo data, one row per step, and
 * says for each failure what to grant or set. Reads only: it never writes to Halo, so the write
 * scopes are judged from what Halo reports it granted the token.
 */
import { request } from 'undici';
import { catalog } from '../../tools/index.js';
import { HaloClient } from '../halo/client.js';
import { HaloAuthError, HaloPermissionError } from '../halo/errors.js';
import { CERTIFICATE_ADVICE, failureWords, isCertificateFailure } from '../halo/http.js';
import { WHERE_TO_GRANT } from '../halo/refusal.js';
import { scopeAllows, scopeSet, type ScopeArea } from '../halo/scopes.js';
import { selectTools } from '../mcp/select.js';
import { toolErrorText } from '../mcp/errors.js';
import { ResolutionError } from '../toolkit/errors.js';
import { Resolver } from '../toolkit/resolve.js';
import type { Toolset } from '../mcp/tool.js';
import { PROBES, type Probe } from '../../tools/toolset-probes.js';
import { haloClientOptions, type Setup } from './setup.js';

type Status = 'ok' | 'warn' | 'FAIL' | 'skipped';

export interface Check {
  check: string;
  status: Status;
  /** One line, or several for several problems. */
  detail: string;
}

function readScope(area: ScopeArea): string {
  return area === 'config' ? 'admin' : `read:${area}`;
}

function editScope(area: ScopeArea): string {
  return area === 'config' ? 'admin' : `edit:${area}`;
}

/** Doctor's own patience: a person waits at the terminal, so a dead Halo fails in seconds, not a minute. */
const DOCTOR_TIMEOUT_MS = 10_000;

async function checkAuthInfo(setup: Setup, url: string): Promise<Check> {
  const config = setup.haloConfig;
  try {
    const response = await request(`${url}/api/authinfo`, { headersTimeout: DOCTOR_TIMEOUT_MS, bodyTimeout: DOCTOR_TIMEOUT_MS });
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      return { check: 'Halo reachable', status: 'warn', detail: `${url} answers, but not /api/authinfo (HTTP ${response.statusCode}); using ${config?.authUrl ?? ''}` };
    }
    let info: { auth_url?: unknown; tenant_id?: unknown } = {};
    try {
      info = JSON.parse(text) as typeof info;
    } catch {
      return { check: 'Halo reachable', status: 'warn', detail: `${url}/api/authinfo is not JSON: is HALO_URL the Halo web address (https://<name>.halopsa.com)?` };
    }
    const problems: string[] = [];
    if (typeof info.tenant_id === 'string' && info.tenant_id !== (config?.tenant ?? '')) {
      problems.push(`Halo names its tenant "${info.tenant_id}": set HALO_TENANT=${info.tenant_id}`);
    }
    if (typeof info.auth_url === 'string' && config && info.auth_url.replace(/\/+$/, '') !== config.authUrl) {
      problems.push(`Halo's authorisation server is ${info.auth_url}, not ${config.authUrl}: set HALO_AUTH_URL=${info.auth_url}`);
    }
    if (problems.length > 0) return { check: 'Halo reachable', status: 'warn', detail: problems.join('; ') };
    return { check: 'Halo reachable', status: 'ok', detail: `${url} (authorisation at ${typeof info.auth_url === 'string' ? info.auth_url : config?.authUrl ?? ''})` };
  } catch (error) {
    if (isCertificateFailure(error)) {
      return { check: 'Halo reachable', status: 'FAIL', detail: `${url} sent a certificate this machine refuses (${failureWords(error)}). ${CERTIFICATE_ADVICE}` };
    }
    return { check: 'Halo reachable', status: 'FAIL', detail: `cannot reach ${url} (${failureWords(error)}): check HALO_URL and the network` };
  }
}

function failure(error: unknown, halo: HaloClient): string {
  return halo.redact(error instanceof Error ? error.message : String(error));
}

interface ProbeOutcome {
  ok: boolean;
  detail: string;
  /** The scope whose absence made Halo refuse the read. */
  missingScope?: string;
}

/**
 * One probe. Halo refuses a read its scopes do not allow with 401 (or 403 on some tenants); the
 * client tells that from bad credentials by the scopes Halo listed with the token. When Halo
 * listed none, a 401 after the same token read the API agent still points at the scope.
 */
async function checkProbe(halo: HaloClient, probe: Probe, tokenWorks: boolean): Promise<ProbeOutcome> {
  try {
    const { total } = await halo.list(probe.path, probe.query);
    return { ok: true, detail: `${probe.label} ${total}` };
  } catch (error) {
    const scope = readScope(probe.area);
    if (error instanceof HaloPermissionError) return { ok: false, detail: `${probe.label} refused (${scope} missing)`, missingScope: scope };
    if (error instanceof HaloAuthError && error.status === 401 && tokenWorks) {
      return { ok: false, detail: `${probe.label} refused (401: ${scope} missing, as the same token reads the API agent)`, missingScope: scope };
    }
    return { ok: false, detail: `${probe.label}: ${failure(error, halo)}` };
  }
}

function describeSettings(setup: Setup): string {
  const { settings, haloConfig, demo } = setup;
  return [
    demo ? 'demo sandbox' : (haloConfig?.url ?? 'no Halo'),
    ...(haloConfig?.tenant ? [`tenant ${haloConfig.tenant}`] : []),
    `toolsets ${settings.toolsets.join(',')}`,
    settings.readOnly ? 'read-only' : 'writes allowed',
  ].join(', ');
}

export interface Report {
  checks: Check[];
  /** What to do about the failures, beyond each row's own detail. */
  advice: string[];
}

/** Whether the Redis replicas share answers; a replica without it still serves, on its own share of Halo's budget. */
async function checkRedis(url: string, setup: Setup): Promise<Check> {
  const { SharedRedis } = await import('../replicas/redis.js');
  const redis = await SharedRedis.connect(url, setup.logger);
  try {
    const { where, connected, lastError } = redis.status();
    return connected
      ? { check: 'redis', status: 'ok', detail: `${where}: connected; replicas share Halo's budget, lookups and sign-ins through it` }
      : { check: 'redis', status: 'warn', detail: `${where}: not reachable (${lastError ?? 'no answer'}); each replica would serve on its own share of Halo's budget, with its own caches, until it is` };
  } finally {
    await redis.close();
  }
}

/** Runs every check in order; a check that cannot run because an earlier one failed is reported as skipped. */
export async function runChecks(setup: Setup): Promise<Report> {
  const checks: Check[] = [{ check: 'configuration', status: 'ok', detail: describeSettings(setup) }];
  if (setup.redisUrl) checks.push(await checkRedis(setup.redisUrl, setup));
  const config = setup.haloConfig;
  if (!config) {
    checks[0] = { check: 'configuration', status: 'FAIL', detail: 'no Halo configured: set HALO_URL, HALO_CLIENT_ID and HALO_CLIENT_SECRET, or run halopsa-mcp login' };
    return { checks, advice: [] };
  }
  checks.push(await checkSignIn(setup));
  const reachable = await checkAuthInfo(setup, config.url);
  checks.push(reachable);
  if (reachable.status === 'FAIL') return { checks: [...checks, { check: 'token and data', status: 'skipped', detail: 'Halo is not reachable' }], advice: [] };
  const halo = new HaloClient(
    { ...config, timeoutMs: Math.min(config.timeoutMs, DOCTOR_TIMEOUT_MS), retry: { ...config.retry, maxAttempts: 2, budgetMs: 3 * DOCTOR_TIMEOUT_MS } },
    haloClientOptions(setup),
  );
  try {
    try {
      await halo.authenticate();
      if (halo.grantedScopes?.trim() === '') {
        // Halo issues a token to a request that names no scope, then refuses it on every call.
        checks.push({
          check: 'token',
          status: 'FAIL',
          detail: `Halo granted the token no scopes, and refuses every call made with such a token. Set HALO_SCOPE to all (the default) or to the scopes the tools need, and grant them ${WHERE_TO_GRANT}`,
        });
        return { checks: [...checks, { check: 'Halo data', status: 'skipped', detail: 'needs a token with scopes' }], advice: [] };
      }
      checks.push({ check: 'token', status: 'ok', detail: `granted ${halo.grantedScopes ?? '(Halo did not say which scopes)'}` });
    } catch (error) {
      checks.push({ check: 'token', status: 'FAIL', detail: failure(error, halo) });
      return { checks: [...checks, { check: 'Halo data', status: 'skipped', detail: 'needs a token' }], advice: [] };
    }
    let tokenWorks = false;
    try {
      const me = await halo.get('/Agent', 'me');
      checks.push({ check: agentRow(halo), status: 'ok', detail: `${me.name ?? '?'} (id ${me.id ?? '?'})` });
      tokenWorks = true;
      checks.push(await checkMe(halo, setup));
    } catch (error) {
      // A refusal says what to grant; anything else most likely means the application logs in as no agent.
      const refused = error instanceof HaloAuthError || error instanceof HaloPermissionError;
      checks.push({
        check: agentRow(halo),
        status: 'FAIL',
        detail: refused || halo.actsAs === 'technician' ? failure(error, halo) : `${failure(error, halo)}: set the agent to log in as on the API application`,
      });
    }
    const tools = selectTools(catalog, setup.settings);
    const missing = new Set<string>();
    const toolsets = [...new Set(tools.map((tool) => tool.toolset))];
    const results = new Map<string, Promise<ProbeOutcome>>();
    const probe = (item: Probe) => {
      // Toolsets that share an area share its read: Halo is asked once.
      const key = `${item.path}?${JSON.stringify(item.query)}`;
      let result = results.get(key);
      if (!result) results.set(key, (result = checkProbe(halo, item, tokenWorks)));
      return result;
    };
    for (const toolset of toolsets) {
      if (toolset === 'api') {
        const { loadOperationCatalog } = await import('../toolkit/operations.js');
        const { operations } = await loadOperationCatalog();
        checks.push({ check: 'toolset api', status: 'ok', detail: `${operations.length} Halo operations; each call needs the scope of its own area` });
        continue;
      }
      const outcomes = await Promise.all(PROBES[toolset].map(probe));
      const failed = outcomes.filter((outcome) => !outcome.ok);
      for (const outcome of failed) if (outcome.missingScope) missing.add(outcome.missingScope);
      checks.push({
        check: `toolset ${toolset}`,
        status: failed.length > 0 ? 'FAIL' : 'ok',
        detail: (failed.length > 0 ? failed : outcomes).map((outcome) => outcome.detail).join(failed.length > 0 ? '; ' : ', '),
      });
    }
    const writes = checkWrites(setup, halo, tools);
    checks.push(writes.check);
    for (const scope of writes.missing) missing.add(scope);
    // An edit scope brings its read scope, so a read is named only where its edit is not.
    const toGrant = [...missing].filter((scope) => !(scope.startsWith('read:') && missing.has(scope.replace('read:', 'edit:'))));
    return { checks, advice: toGrant.length > 0 ? [`To grant: ${toGrant.join(' ')}, ${WHERE_TO_GRANT}. Halo also applies the API agent's own permissions.`] : [] };
  } finally {
    await halo.close();
  }
}

/** The agent Halo's calls act as: the API application's, or the technician's who signed in. */
function agentRow(halo: HaloClient): string {
  return halo.actsAs === 'technician' ? 'agent' : 'API agent';
}

/** How the server signs in to Halo, which decides whom every call acts as. */
async function checkSignIn(setup: Setup): Promise<Check> {
  const check = 'sign-in';
  if (setup.signIn) {
    const stored = await setup.signIn.read();
    // The file went between setup and now: the token check says what that means.
    if (!stored) return { check, status: 'FAIL', detail: `the sign-in in ${setup.signIn.path} is gone. ${setup.signIn.signInAgain}` };
    return { check, status: 'ok', detail: `signed in as ${stored.agent.name ?? stored.agent.email ?? '?'} (agent ${stored.agent.id}) through halopsa-mcp login (${setup.signIn.path})` };
  }
  const detail = 'client credentials: calls act as the agent the API application logs in as';
  if (setup.warnings.length > 0) return { check, status: 'warn', detail: [detail, ...setup.warnings].join('\n') };
  return { check, status: 'ok', detail };
}

/** Whom agent "me" means in the tools ("my queue", "my timesheet"), and where that comes from. */
async function checkMe(halo: HaloClient, setup: Setup): Promise<Check> {
  try {
    const me = await new Resolver(halo, setup.settings).me();
    if (me.from === 'sign_in') {
      const detail = `${me.name} (id ${me.id}), the technician signed in`;
      if (setup.settings.agent === undefined) return { check: 'me', status: 'ok', detail };
      return { check: 'me', status: 'warn', detail: `${detail}; HALO_AGENT (${setup.settings.agent}) is ignored, as the sign-in wins: calls act as whoever signed in` };
    }
    if (me.from === 'HALO_AGENT') return { check: 'me', status: 'ok', detail: `${me.name} (id ${me.id}), from HALO_AGENT` };
    return { check: 'me', status: 'ok', detail: `the API agent (HALO_AGENT is not set); for one technician's install, set HALO_AGENT to their name, email or id` };
  } catch (error) {
    return { check: 'me', status: 'FAIL', detail: error instanceof ResolutionError ? toolErrorText(error, (text) => halo.redact(text)) : failure(error, halo) };
  }
}

function checkWrites(setup: Setup, halo: HaloClient, tools: ReturnType<typeof selectTools>): { check: Check; missing: string[] } {
  const check = (status: Status, detail: string, missing: string[] = []) => ({ check: { check: 'writes', status, detail }, missing });
  if (setup.settings.readOnly) return check('ok', 'read-only: tools that write are hidden (HALO_READ_ONLY)');
  const writingToolsets = new Set(tools.filter((tool) => tool.access !== 'read' && tool.toolset !== 'api').map((tool) => tool.toolset as Exclude<Toolset, 'api'>));
  const areas = [...new Set([...writingToolsets].flatMap((toolset) => PROBES[toolset].filter((item) => item.writes).map((item) => item.area)))];
  if (areas.length === 0) return check('ok', 'no tool that writes is enabled');
  const granted = halo.grantedScopes;
  if (granted === undefined) return check('warn', "Halo did not report the token's scopes, so writes are untested");
  const scopes = scopeSet(granted);
  const missing = [...new Set(areas.filter((area) => !scopeAllows(scopes, area, true)).map(editScope))];
  if (missing.length === 0) return check('ok', `allowed: ${[...new Set(areas.map(editScope))].join(' ')}`);
  return check('warn', `${missing.join(' ')} not granted: those writes will be refused (or set HALO_READ_ONLY=true)`, missing);
}

/** Prints the report and says whether it passed: warnings pass, a FAIL does not. */
export function printReport({ checks, advice }: Report, json: boolean): boolean {
  const passed = checks.every((check) => check.status !== 'FAIL');
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: passed, checks, advice })}\n`);
    return passed;
  }
  const width = Math.max(...checks.map((check) => check.check.length));
  const indent = ' '.repeat(width + 11);
  const lines = checks.map((check) => `${check.check.padEnd(width)}  ${check.status.padEnd(7)}  ${check.detail.replaceAll('\n', `\n${indent}`)}`);
  process.stdout.write([...lines, '', ...advice, passed ? 'All checks passed.' : 'Some checks failed: see FAIL above.', ''].join('\n'));
  return passed;
}
