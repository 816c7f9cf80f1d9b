/**
 * Builds the one-click Claude Desktop bundle, release/halopsa-mcp-<version>.mcpb: the built server
 * (which carries its dependencies: see scripts/build.ts), manifest.json, package.json (which makes
 * dist/ an ES module package), the README, the licence and the icon.
 *
 *   npm run bundle
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../package.json' with { type: 'json' };

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The mcpb command of the installed @anthropic-ai/mcpb, run with this Node. */
export function mcpb(args: string[], options: { cwd?: string } = {}): string {
  // The package exports no path to its command, so it is found where npm installs it.
  const cli = join(root, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
  return execFileSync(process.execPath, [cli, ...args], { cwd: options.cwd ?? root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Builds the bundle and returns its path. */
export function buildBundle(): string {
  execFileSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const staging = mkdtempSync(join(tmpdir(), 'halopsa-mcp-bundle-'));
  try {
    // Source maps stay out: they would double the size and the bundle has no sources to map to.
    cpSync(join(root, 'dist'), join(staging, 'dist'), { recursive: true, filter: (source) => !source.endsWith('.map') });
    for (const file of ['manifest.json', 'package.json', 'README.md', 'LICENSE', 'icon.png']) copyFileSync(join(root, file), join(staging, file));
    mkdirSync(join(root, 'release'), { recursive: true });
    const output = join(root, 'release', `${pkg.name}-${pkg.version}.mcpb`);
    rmSync(output, { force: true });
    mcpb(['pack', staging, output]);
    return output;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const output = buildBundle();
  process.stdout.write(`${output} (${(statSync(output).size / 1_048_576).toFixed(1)} MB)\n`);
}
