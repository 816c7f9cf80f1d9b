/**
 * Builds `dist/` with esbuild: one ESM bundle for the CLI, with code that only some commands need
 * (the sandbox, later the HTTP transport) split into chunks loaded on demand, so that starting the
 * stdio server reads as little as possible. Dependencies stay in node_modules.
 * Type checking is `tsc --noEmit`, run by `npm test`.
 */
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../src/cli.ts', import.meta.url).pathname],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(`${outdir}cli.js`, 0o755);
