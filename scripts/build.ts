/**
 * Builds `dist/` with esbuild: one ESM bundle for the CLI, with code that only some commands need
 * (the sandbox, the SQL parser, the gateway's catalog) split into chunks loaded on demand, so that
 * starting the stdio server reads as little as possible. Runtime dependencies stay in node_modules;
 * development dependencies that code imports (the T-SQL parser) are bundled, so the package
 * carries the one dialect it uses rather than the library's 90 MB.
 * Type checking is `tsc --noEmit`, run by `npm test`.
 */
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const { dependencies } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

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
  external: Object.keys(dependencies).flatMap((name) => [name, `${name}/*`]),
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(`${outdir}cli.js`, 0o755);
