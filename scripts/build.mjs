#!/usr/bin/env node
/**
 * `npm run build`: bundle src/cli.ts with esbuild into dist/, then stamp dist/ with the time the
 * build started. `staleReason()` compares that stamp with the newest source, so `npm start`
 * builds only when something changed (a fresh clone, a pull, an edit) — never on every start.
 * The bundler does not type-check: `npm run typecheck` (CI runs it) does.
 */
import fs from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ENTRY = path.join(ROOT, 'dist/src/cli.js');
const STAMP = path.join(ROOT, 'dist/.build-stamp');
/** What the compiled output depends on. Folders count too: a deleted file changes its folder's time. */
const SOURCES = ['src', 'commands', 'tsconfig.json', 'package.json'];
const BUNDLER = path.join(ROOT, 'node_modules/esbuild/package.json');
/** Loaded from node_modules at run time, never bundled (see build()); bench/build.ts reads the list too. */
const EXTERNAL = readExternal();

/** @returns {string[]} */
function readExternal() {
  /** @type {unknown} */
  const list = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/bundle-external.json'), 'utf8'));
  return Array.isArray(list) ? list.map(String) : [];
}
export const NOT_BUILT = 'dist/ has not been built yet';
/** Packages src/ may `import()` by name: only their default export is used (see onlyDefaultImports). */
const DYNAMIC_DEFAULT_ONLY = new Set(['undici']);

/**
 * Refuses `import('some-package')` in our sources: in a bundle, a dynamic import of a CommonJS package gives its
 * default export only, so `const { REST } = await import('discord.js')` works under tsx and the
 * tests but is undefined in dist/. Import the package statically from a module that is itself
 * imported lazily, or use the default export and list the package above.
 */
const onlyDefaultImports = {
  name: 'only-default-dynamic-imports',
  /** @param {import('esbuild').PluginBuild} build */
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.importer.includes('/node_modules/') || args.path.startsWith('node:') || DYNAMIC_DEFAULT_ONLY.has(args.path)) return undefined;
      return { errors: [{ text: `import('${args.path}') in a bundle gives only its default export: import it statically from a lazily imported module (scripts/build.mjs)` }] };
    });
  },
};

/** @param {string} target @returns {number} */
function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Why dist/ needs a compile, or undefined when it is up to date. */
export function staleReason() {
  if (!fs.existsSync(ENTRY)) return NOT_BUILT;
  if (!fs.existsSync(STAMP)) return 'dist/ carries no build stamp';
  const builtAt = fs.statSync(STAMP).mtimeMs;
  const changed = SOURCES.find((source) => newestMtime(path.join(ROOT, source)) > builtAt);
  return changed === undefined ? undefined : `${changed} changed since the last build`;
}

export function compilerInstalled() {
  return fs.existsSync(BUNDLER);
}

/**
 * Bundles. Node loads hundreds of small ES modules one by one (zod alone is 226
 * files), so the entry and its dependencies become a few files: src/cli.ts → dist/src/cli.js, and
 * one chunk per lazily imported part (each front door, each store backend, each tool), so a
 * Slack-only process still never loads discord.js, and the console neither SDK.
 * Kept as packages: native code (better-sqlite3), pino-pretty (required by name only for a
 * terminal), and optional native helpers the SDKs try to require.
 * The stamp gets the start time, so an edit made during the build still counts as newer.
 * Returns `{ code }` (0 or 1) and, with `metafile: true`, esbuild's metafile.
 * @param {{ outdir?: string, metafile?: boolean }} [options]
 */
export async function build(options = {}) {
  const outdir = options.outdir ?? path.join(ROOT, 'dist');
  const startedAt = new Date();
  const { build: bundle } = await import('esbuild');
  fs.rmSync(outdir, { recursive: true, force: true });
  let result;
  try {
    result = await bundle({
      absWorkingDir: ROOT,
      entryPoints: ['src/cli.ts'],
      outdir,
      outbase: '.',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      chunkNames: 'src/chunks/[name]-[hash]',
      external: EXTERNAL,
      plugins: [onlyDefaultImports],
      // CommonJS packages inside an ES module bundle still call require().
      banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
      // Less source text to compile at every start (−5 to −10 % of it, measured); names are kept,
      // and the linked source maps point back at src/ (node --enable-source-maps).
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: 'linked',
      legalComments: 'linked',
      // Which source files each output holds and imports (test/ops/build.test.ts reads it).
      metafile: options.metafile === true,
      logLevel: 'warning',
    });
  } catch {
    return { code: 1 }; // esbuild has printed why
  }
  const stamp = path.join(outdir, '.build-stamp');
  fs.writeFileSync(stamp, `${startedAt.toISOString()}\n`);
  fs.utimesSync(stamp, startedAt, startedAt);
  return { code: 0, metafile: result.metafile };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // --if-stale: only when the sources are newer than dist/ (the benchmarks run the production build).
  process.exitCode = process.argv.includes('--if-stale') && staleReason() === undefined ? 0 : (await build()).code;
}
