/**
 * The `halopsa-mcp` command. Each subcommand loads only what it needs, so that starting one does
 * not pay for the others (the sandbox and its 900 KB of Halo's API description load only here).
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const USAGE = `halopsa-mcp ${version}: an MCP server for Halo PSA and HaloITSM

Usage:
  halopsa-mcp sandbox [options]   Run the Halo sandbox, an emulator of a Halo tenant with demo data
  halopsa-mcp --help | --version

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
  --token-ttl SECONDS      Lifetime of access tokens (default 3600)
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
      'token-ttl': { type: 'string' },
    },
  });
  const scale = values.scale === undefined ? undefined : Number(values.scale);
  if (scale !== undefined && !(scale > 0)) throw new UsageError(`--scale must be a number above 0 (got "${values.scale ?? ''}")`);
  const port = integerOption('port', values.port, 0, 65_535) ?? 8787;
  const tokenTtlSeconds = integerOption('token-ttl', values['token-ttl'], 1);
  const { startSandbox } = await import('./sandbox/index.js');
  const { parseRateLimit } = await import('./sandbox/rate-limit.js');
  let rateLimit;
  try {
    rateLimit = values['rate-limit'] === undefined ? undefined : (parseRateLimit(values['rate-limit']) ?? 'off');
  } catch (error) {
    throw new UsageError((error as Error).message);
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
    ...(tokenTtlSeconds !== undefined ? { tokenTtlSeconds } : {}),
  });
  const limit = values['rate-limit'] ?? '300/300';
  process.stderr.write(
    [
      `Halo sandbox listening on ${sandbox.url}`,
      `  HALO_URL=${sandbox.url}`,
      `  HALO_CLIENT_ID=${sandbox.clientId}`,
      `  HALO_CLIENT_SECRET=${sandbox.clientSecret}`,
      ...(sandbox.tenant ? [`  HALO_TENANT=${sandbox.tenant}`] : []),
      `  rate limit ${limit}${values.admin ? `, admin API at ${sandbox.url}/_sandbox/` : ''}`,
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

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version}\n`);
    return;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'sandbox') return runSandbox(rest);
  throw new UsageError(`Unknown command "${command}".`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`halopsa-mcp: ${error.message}\nRun "halopsa-mcp --help" for usage.\n`);
    process.exit(2);
  }
  process.stderr.write(`halopsa-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
