#!/usr/bin/env node
/**
 * `npm run build`: compile with tsc into dist/, then stamp dist/ with the time the compile
 * started. `isStale()` compares that stamp with the newest source, so `npm start` compiles
 * only when something changed (a fresh clone, a pull, an edit) — never on every start.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ENTRY = path.join(ROOT, 'dist/src/cli.js');
const STAMP = path.join(ROOT, 'dist/.build-stamp');
/** What the compiled output depends on. Folders count too: a deleted file changes its folder's time. */
const SOURCES = ['src', 'commands', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
export const NOT_BUILT = 'dist/ has not been built yet';

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
  return fs.existsSync(TSC);
}

/** Compiles; returns tsc's exit code. The stamp gets the start time, so an edit made during the compile still counts as newer. */
export function build() {
  const startedAt = new Date();
  const result = spawnSync(process.execPath, [TSC, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: ROOT });
  const code = result.status ?? 1;
  if (code === 0) {
    fs.writeFileSync(STAMP, `${startedAt.toISOString()}\n`);
    fs.utimesSync(STAMP, startedAt, startedAt);
  }
  return code;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = build();
}
