/**
 * Builds `dist/` with esbuild: the CLI and everything it imports, dependencies included, as ESM
 * chunks, with code that only some commands need (the sandbox, the SQL parser, the gateway's
 * catalog, the tokenizer, HTML to text, the HTTP client) split off and loaded on demand.
 *
 * Why the dependencies are bundled rather than installed beside it: Node resolves and compiles
 * hundreds of small files to start the SDK, undici and pino from node_modules, which made the
 * server's cold start half again slower than a bare SDK server; one bundle starts in about the
 * time of the floor. It also makes `npx -y halopsa-mcp` download one package instead of a tree.
 * The price is that a dependency's fix reaches users with our next release, not theirs; their
 * licences ship in dist/THIRD-PARTY-NOTICES.txt.
 *
 * Type checking is `tsc --noEmit`, run by `npm test`.
 */
import { chmodSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist');
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: true,
  metafile: true,
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (pino, undici) call require() for Node's own modules, which an ES module lacks.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync(join(outdir, 'cli.js'), 0o755);

/** The package directory of a bundled input path (`node_modules/@scope/name/lib/x.js` gives `node_modules/@scope/name`). */
function packageDir(input: string): string | undefined {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
}

const packages = [...new Set(Object.keys(result.metafile.inputs).map(packageDir).filter((dir): dir is string => dir !== undefined))].sort();
const notices = packages.map((dir) => {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
  const licenceFile = readdirSync(join(root, dir)).find((file) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(file));
  const text = licenceFile ? readFileSync(join(root, dir, licenceFile), 'utf8').trim() : `Licence: ${manifest.license ?? 'see the package'}`;
  return `${manifest.name}@${manifest.version} (${manifest.license ?? 'unknown'})\n\n${text}\n`;
});
writeFileSync(
  join(outdir, 'THIRD-PARTY-NOTICES.txt'),
  `halopsa-mcp bundles the following packages. Their licences follow.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`,
);
