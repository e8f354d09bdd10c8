/**
 * The bot processes run compiled JavaScript, as production does (`node dist/src/cli.js`),
 * not TypeScript through tsx: the tsx loader alone adds tens of MB of RSS and seconds of
 * start-up that no deployment pays. This transpiles what a bot process loads — src/,
 * commands/, bench/child.ts and the bot modules — file by file with the project's compiler
 * options (no type-check: `npx tsc --noEmit -p .` does that), into bench/results/build/, whose
 * files still find the repository's node_modules by walking up; then handle-bot's side is
 * bundled over it, as `npm run build` bundles the production entry (bundleHandleBot).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUILD_DIR = path.join(ROOT, 'bench', 'results', 'build');

const SOURCES = ['src', 'commands', 'bench/baselines', 'bench/child.ts', 'bench/protocol.ts', 'bench/handle-bot.ts'];

function tsFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.d.ts'))
    .map((d) => path.join(d.parentPath, d.name));
}

/**
 * handle-bot's side (bench/handle-bot.ts and everything it imports) bundled as `npm run build`
 * bundles src/cli.ts (scripts/build.mjs: same externals, one chunk per lazy import), over the
 * per-file transpile: what a deployment runs — fewer, larger modules, less memory. The naive bots
 * stay as they are written, one file each.
 */
function bundleHandleBot(): void {
  esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: ['bench/handle-bot.ts'],
    outdir: path.join(BUILD_DIR, 'bench'),
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/bundle-external.json'), 'utf8')) as string[],
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
}

/** Transpiles the bot-side sources, bundles handle-bot's; returns the compiled bench/child.js. */
export function buildBots(): string {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (file) => ts.sys.readFile(file));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: false,
    sourceMap: false,
    inlineSourceMap: false,
    declaration: false,
  };
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  for (const file of SOURCES.flatMap(tsFiles)) {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
    const out = path.join(BUILD_DIR, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, outputText);
  }
  bundleHandleBot();
  return path.join(BUILD_DIR, 'bench', 'child.js');
}
