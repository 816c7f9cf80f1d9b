/**
 * The `halopsa-mcp` command. Each path loads only what it needs: serving stdio never loads the
 * sandbox (900 KB of Halo's API description), which only `--demo` and `sandbox` import.
 */
import { parseArgs } from 'node:util';
import { haloClientOptions, setup } from './commands/setup.js';
import { ConfigError, loadSettings, readCommandLine } from './config/index.js';
import { HaloClient } from './halo/client.js';
import { VERSION } from './version.js';

const USAGE = `halopsa-mcp ${VERSION}: an MCP server for Halo PSA and HaloITSM

Usage:
  halopsa-mcp [options]            Serve MCP over stdio, connected to the Halo in HALO_URL
  halopsa-mcp --demo [options]     Serve MCP over stdio, connected to a built-in sandbox Halo with demo data
  halopsa-mcp --http [options]     Serve MCP over Streamable HTTP at /mcp (with /healthz and /readyz)
  halopsa-mcp doctor [--demo] [--json]
                                   Check the settings, the connection, the token and one read per toolset
  halopsa-mcp tools [--demo] [--json]
                                   List the tools this configuration exposes and their context cost
  halopsa-mcp call <tool> ['<json arguments>'] [--demo] [--json]
                                   Run one tool once and print its result, e.g.
                                   halopsa-mcp call halo_search_tickets '{"query":"printer"}' --demo
  halopsa-mcp login [--redirect-port N | --redirect-uri URI] [--no-browser]
                                   Sign in to Halo as yourself in the browser: the server, call and doctor
                                   then act as you (stdio only), by the sign-in kept in HALO_CREDENTIALS_FILE
  halopsa-mcp logout               Revoke that sign-in at Halo and remove its credentials file
  halopsa-mcp sandbox [sandbox options]
                                   Run the Halo sandbox alone, an emulator of a Halo tenant with demo data
  halopsa-mcp --help | --version

doctor, tools and call take the options below (except the HTTP ones); doctor exits 1 when a check fails,
call exits 1 when the tool answers with an error. --json prints machine-readable output.

Options (each has an environment twin):
  --toolsets LIST          HALO_TOOLSETS           Toolsets to expose, comma separated, or all (default core,api)
  --enabled-tools LIST     HALO_ENABLED_TOOLS      Tools to add whatever their toolset
  --disabled-tools LIST    HALO_DISABLED_TOOLS     Tools to hide
  --read-only              HALO_READ_ONLY          Only tools that read; wins over every other setting
  --allow-destructive      HALO_ALLOW_DESTRUCTIVE  Show tools that delete
  --allow-sql              HALO_ALLOW_SQL          Show the read-only SQL tool (toolset reports)
  --timezone ZONE          HALO_TIMEZONE           Time zone of relative dates (default the system's)
  --max-result-chars N     HALO_MAX_RESULT_CHARS   Size budget of one tool result (default 20000)
  --agent AGENT            HALO_AGENT              The technician agent "me" means: name, email or id
                                                   (default the agent the API application logs in as;
                                                   ignored when signed in with login)
  --log-level LEVEL        HALO_LOG_LEVEL          fatal, error, warn, info (default), debug, trace, silent
HTTP options:
  --host HOST              HALO_MCP_HTTP_HOST      Address to bind (default 127.0.0.1)
  --port N                 HALO_MCP_HTTP_PORT      Port (default 3000)
  (bearer tokens)          HALO_MCP_TOKENS         Tokens that may call, comma separated, each token or id=token
  --tokens-file PATH       HALO_MCP_TOKENS_FILE    The same, one per line
  --profiles-file PATH     HALO_MCP_PROFILES_FILE  Tokens bound to their own Halo and tool settings (JSON)
  --sessions               HALO_MCP_SESSIONS       Session mode (stateless by default)
  --gateway                HALO_MCP_GATEWAY        Take Halo credentials from X-Halo-* request headers
  --oauth                  HALO_MCP_OAUTH          Sign people in with Halo: the server is the OAuth authorization
                                                   server MCP clients connect through, and each person acts in
                                                   Halo as themselves. Needs HALO_PUBLIC_URL (the server's https
                                                   origin; MCP is at <public>/mcp) and HALO_TOKEN_KEY (32 bytes,
                                                   hex or base64: openssl rand -hex 32). Technicians sign in
                                                   through HALO_LOGIN_CLIENT_ID / HALO_LOGIN_CLIENT_SECRET
                                                   (default the API application), whose redirect URI is
                                                   <public>/oauth/callback. HALO_MCP_ACCESS_TOKEN_SECONDS (3600)
  --gateway-allowed-hosts LIST
                           HALO_GATEWAY_ALLOWED_HOSTS  Hosts a gateway request may name, such as *.halopsa.com
                                                   or halo.example.com:8443 (default Halo's hosted domains)
  --audit-log PATH         HALO_MCP_AUDIT_LOG      Append every write and destructive call to this file
  --allowed-hosts LIST     HALO_MCP_ALLOWED_HOSTS  Host header values to accept
  --allowed-origins LIST   HALO_MCP_ALLOWED_ORIGINS  Browser origins to accept (none by default)
                           HALO_MCP_MAX_SESSIONS, HALO_MCP_MAX_SESSIONS_PER_TOKEN, HALO_MCP_SESSION_IDLE_SECONDS,
                           HALO_MCP_MAX_BODY_BYTES, HALO_MCP_MAX_BATCH, HALO_MCP_MAX_ARGUMENT_ELEMENTS,
                           HALO_MCP_MAX_CONCURRENT, HALO_MCP_SHUTDOWN_SECONDS

  Halo connection:         HALO_URL, HALO_CLIENT_ID, HALO_CLIENT_SECRET, HALO_TENANT, HALO_AUTH_URL,
                           HALO_SCOPE, HALO_TIMEOUT_MS, HALO_RATE_LIMIT, HALO_RETRY_MAX_ATTEMPTS,
                           HALO_RETRY_BUDGET_MS, HALO_MAX_RESPONSE_MB, HALO_CACHE_TTL_SECONDS

Sign-in options (login, logout):
  --redirect-port N        HALO_LOGIN_PORT         Port of http://127.0.0.1:N/callback, where Halo sends the
                                                   browser back (default 8400; register it in Halo)
  --redirect-uri URI       HALO_LOGIN_REDIRECT_URI The whole redirect URI instead, as registered in Halo, on
                                                   this computer (such as http://localhost:8400/)
  --no-browser                                     Print the sign-in address without opening a browser
                           HALO_CREDENTIALS_FILE   The sign-in's credentials file (default
                                                   $XDG_CONFIG_HOME or ~/.config, or %APPDATA% on Windows,
                                                   then halopsa-mcp/credentials.json)
  login reads HALO_URL, HALO_CLIENT_ID (an authorization code application), HALO_TENANT, HALO_AUTH_URL
  and, for a confidential application, HALO_CLIENT_SECRET. Once signed in, HALO_URL and HALO_CLIENT_ID
  may be left out; HALO_CLIENT_SECRET is needed only by a confidential application.

Sandbox options:
  --port N                 Port to listen on (default 8787; 0 picks a free one)
  --host HOST              Address to bind (default 127.0.0.1)
  --admin                  Serve the admin API under /_sandbox/ (request log, violations, faults, reset)
  --seed S                 Seed of the demo data (default halo-sandbox)
  --scale N                Multiply tickets and actions (default 1 = 240 tickets)
  --client-id ID           Client id of the API application (default halo-sandbox)
  --client-secret SECRET   Client secret (default halo-sandbox-secret)
  --tenant NAME            Require this tenant on token requests, as hosted Halo does
  --rate-limit N/SECONDS   Rolling-window rate limit, or off (default 300/300)
  --retry-after            Send Retry-After with a 429 of the rate limit (live Halo is not known to)
  --scope-refusal STATUS   Status of a call the token's scopes do not allow: 401 (default, as live Halo) or 403
  --token-ttl SECONDS      Lifetime of access tokens (default 3600)
  --login-client-id ID     Client id of the application technicians sign in to (default halo-sandbox-login)
  --login-client-secret SECRET
                           Make that application confidential, with this secret (default none: a public client)
  --redirect-uri URI       A redirect URI of that application, repeatable; a loopback one matches any port
                           (default http://127.0.0.1:8400/callback and http://localhost:8400/callback)
  --demo-password PASSWORD The password every enabled technician signs in with (default halo-demo)
  --refresh-token-ttl SECONDS
                           How long a sign-in can be refreshed (default 2592000, 30 days)
  --auth-code-ttl SECONDS  Lifetime of authorization codes (default 120)
  --rotate-refresh-tokens  Answer each refresh with a new refresh token and retire the old one (live Halo
                           was seen to keep the same one)
`;

class UsageError extends Error {}

function integerOption(name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  return number;
}

async function runSandbox(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      admin: { type: 'boolean' },
      seed: { type: 'string' },
      scale: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      tenant: { type: 'string' },
      'rate-limit': { type: 'string' },
      'retry-after': { type: 'boolean' },
      'scope-refusal': { type: 'string' },
      'token-ttl': { type: 'string' },
      'login-client-id': { type: 'string' },
      'login-client-secret': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'demo-password': { type: 'string' },
      'refresh-token-ttl': { type: 'string' },
      'auth-code-ttl': { type: 'string' },
      'rotate-refresh-tokens': { type: 'boolean' },
    },
  });
  const scopeRefusal = values['scope-refusal'];
  if (scopeRefusal !== undefined && scopeRefusal !== '401' && scopeRefusal !== '403') {
    throw new UsageError(`--scope-refusal must be 401 or 403 (got "${scopeRefusal}")`);
  }
  const scale = values.scale === undefined ? undefined : Number(values.scale);
  if (scale !== undefined && !(scale > 0)) throw new UsageError(`--scale must be a number above 0 (got "${values.scale ?? ''}")`);
  const port = integerOption('port', values.port, 0, 65_535) ?? 8787;
  const tokenTtlSeconds = integerOption('token-ttl', values['token-ttl'], 1);
  const refreshTokenTtlSeconds = integerOption('refresh-token-ttl', values['refresh-token-ttl'], 1);
  const authCodeTtlSeconds = integerOption('auth-code-ttl', values['auth-code-ttl'], 1);
  const redirectUris = values['redirect-uri'];
  const badUri = redirectUris?.find((uri) => !URL.canParse(uri));
  if (badUri !== undefined) throw new UsageError(`--redirect-uri must be an absolute URL (got "${badUri}")`);
  const { startSandbox } = await import('./sandbox/index.js');
  // The sandbox's own reading of the limit, which may differ from the client's.
  const { HOSTED_RATE_LIMIT, rateLimitFromText } = await import('./sandbox/rate-limit.js');
  const rateLimit = values['rate-limit'];
  if (rateLimit !== undefined && rateLimitFromText(rateLimit) === null) {
    throw new UsageError(`--rate-limit must be N/SECONDS such as 300/300, or off (got "${rateLimit}")`);
  }
  const sandbox = await startSandbox({
    port,
    ...(values.host ? { host: values.host } : {}),
    admin: values.admin ?? false,
    ...(values.seed ? { seed: values.seed } : {}),
    ...(scale !== undefined ? { scale } : {}),
    ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
    ...(values['client-secret'] ? { clientSecret: values['client-secret'] } : {}),
    ...(values.tenant ? { tenant: values.tenant } : {}),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    rateLimitRetryAfter: values['retry-after'] ?? false,
    ...(scopeRefusal !== undefined ? { scopeRefusalStatus: scopeRefusal === '403' ? 403 : 401 } : {}),
    ...(tokenTtlSeconds !== undefined ? { tokenTtlSeconds } : {}),
    ...(values['login-client-id'] ? { loginClientId: values['login-client-id'] } : {}),
    ...(values['login-client-secret'] ? { loginClientSecret: values['login-client-secret'] } : {}),
    ...(redirectUris ? { redirectUris } : {}),
    ...(values['demo-password'] ? { demoPassword: values['demo-password'] } : {}),
    ...(refreshTokenTtlSeconds !== undefined ? { refreshTokenTtlSeconds } : {}),
    ...(authCodeTtlSeconds !== undefined ? { authCodeTtlSeconds } : {}),
    rotateRefreshTokens: values['rotate-refresh-tokens'] ?? false,
  });
  const limit = rateLimit ?? `${HOSTED_RATE_LIMIT.limit}/${HOSTED_RATE_LIMIT.windowSeconds}`;
  process.stderr.write(
    [
      `Halo sandbox listening on ${sandbox.url}`,
      `  HALO_URL=${sandbox.url}`,
      `  HALO_CLIENT_ID=${sandbox.clientId}`,
      `  HALO_CLIENT_SECRET=${sandbox.clientSecret}`,
      ...(sandbox.tenant ? [`  HALO_TENANT=${sandbox.tenant}`] : []),
      `  technicians sign in at ${sandbox.url}/auth/authorize with client id ${sandbox.loginClientId}${values['login-client-secret'] ? ' (and its secret)' : ' (a public client, PKCE S256)'}`,
      `  as any enabled agent, e.g. ${sandbox.demoAgentEmail}, with the password ${sandbox.demoPassword}`,
      `  rate limit ${limit}${values['retry-after'] ? ' with Retry-After' : ''}, scopes refused with ${scopeRefusal ?? '401'}${values.admin ? `, admin API at ${sandbox.url}/_sandbox/` : ''}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Shown when a person starts the server by hand: stdio is for MCP clients, and these are for people. */
const TERMINAL_HINT = `halopsa-mcp is waiting for an MCP client on stdin. MCP clients start it themselves; to try it by hand:
  halopsa-mcp tools --demo                                   the tools and their context cost
  halopsa-mcp call halo_search_tickets '{"query":"printer"}' --demo
  halopsa-mcp doctor                                         check the connection to your Halo
Press Ctrl+C to stop.
`;

async function serve(args: string[]): Promise<void> {
  const { env, flags } = readCommandLine('serve', args);
  const context = await setup({ env, demo: flags.demo === true, http: flags.http === true });
  const { settings, haloConfig, logger, demo } = context;
  for (const problem of [...settings.problems, ...context.warnings]) logger.warn(problem);
  if (context.http) {
    const { serveHttp } = await import('./serve.js');
    await serveHttp(context, context.http, (url) => {
      logger.info({ url: `${url}/mcp`, demo, toolsets: settings.toolsets, readOnly: settings.readOnly }, 'serving MCP over Streamable HTTP');
    });
    return;
  }
  if (!haloConfig) throw new ConfigError(['HALO_URL is missing']);
  const { createServer } = await import('./mcp/server.js');
  const { catalog, prompts, resources } = await import('../tools/index.js');
  const { Resolver } = await import('./toolkit/resolve.js');
  const halo = new HaloClient(haloConfig, haloClientOptions(context));
  // One resolver for the connection: the SDK may build more than one server for it (a 2026-07-28 client's discovery probe), and they share its cache.
  const resolver = new Resolver(halo, settings);
  const { serveStdio } = await import('./transports/stdio.js');
  serveStdio(() => createServer({ halo, resolver, settings, logger, catalog, resources, prompts }), {
    onClose: async () => {
      await halo.close();
      await context.stop();
    },
    onError: (error) => logger.debug({ err: error }, 'MCP message refused'),
  });
  if (process.stdin.isTTY) process.stderr.write(TERMINAL_HINT);
  logger.info(
    { halo: haloConfig.url, demo, toolsets: settings.toolsets, readOnly: settings.readOnly, actsAs: halo.actsAs },
    demo ? 'serving MCP over stdio against the built-in Halo sandbox (demo data)' : 'serving MCP over stdio',
  );
}

async function tools(args: string[]): Promise<void> {
  const { env, flags } = readCommandLine('tools', args);
  const { catalog } = await import('../tools/index.js');
  const settings = loadSettings(env, catalog);
  const { listTools } = await import('./commands/tools.js');
  await listTools(settings, flags.json === true);
}

async function call(args: string[]): Promise<void> {
  const { env, flags, positionals } = readCommandLine('call', args);
  const [name, argumentsJson, ...extra] = positionals;
  if (!name) throw new UsageError('Name the tool to call, e.g. halopsa-mcp call halo_search_tickets \'{"query":"printer"}\'.');
  if (extra.length > 0) throw new UsageError(`call takes one tool and one JSON object; quote the JSON as one argument (got also "${extra.join(' ')}").`);
  const context = await setup({ env, demo: flags.demo === true, defaultLogLevel: 'warn' });
  const { callTool, CallFailed } = await import('./commands/call.js');
  try {
    await callTool(context, name, argumentsJson, flags.json === true);
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error;
    if (error.message) process.stderr.write(`halopsa-mcp: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await context.stop();
  }
}

async function doctor(args: string[]): Promise<void> {
  const { env, flags } = readCommandLine('doctor', args);
  const json = flags.json === true;
  const { printReport, runChecks } = await import('./commands/doctor.js');
  let context;
  try {
    context = await setup({ env, demo: flags.demo === true, defaultLogLevel: 'silent' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    printReport({ checks: [{ check: 'configuration', status: 'FAIL', detail: error.problems.join('\n') }], advice: [] }, json);
    process.exitCode = 1;
    return;
  }
  try {
    if (!printReport(await runChecks(context), json)) process.exitCode = 1;
  } finally {
    await context.stop();
  }
}

async function login(args: string[]): Promise<void> {
  const { env, flags } = readCommandLine('login', args);
  const { login: signIn } = await import('./commands/login.js');
  await signIn(env, { openBrowser: flags['no-browser'] !== true });
}

async function logout(args: string[]): Promise<void> {
  const { env } = readCommandLine('logout', args);
  const { logout: signOut } = await import('./commands/login.js');
  await signOut(env);
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { sandbox: runSandbox, tools, call, doctor, login, logout };

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  // `sandbox --help`, `call --help`: every command's options are on the one page.
  if (command === '--help' || command === '-h' || command === 'help' || (command !== undefined && !command.startsWith('-') && (rest.includes('--help') || rest.includes('-h')))) {
    process.stdout.write(USAGE);
    return;
  }
  if (command === undefined || command.startsWith('-')) return serve(argv);
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`Unknown command "${command}".`);
  return run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`halopsa-mcp: ${error.message}\nRun "halopsa-mcp --help" for usage.\n`);
    process.exit(2);
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`halopsa-mcp: ${error.message}\nSee "halopsa-mcp --help", or run "halopsa-mcp --demo" to try the server without a Halo.\n`);
    process.exit(1);
  }
  process.stderr.write(`halopsa-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
