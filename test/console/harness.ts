/**
 * Drives the console as a user's script would: a child process with piped stdin, pointed at
 * the fake mail API and its own SQLite store, its output collected.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeMailApi, type FakeMailApi, type FakeMailApiOptions } from '../fakes/mail-api.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'src/cli.ts');
// Absolute, because the child runs in a temporary folder (so no developer .env is read).
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export type ConsoleRun = { stdout: string; stderr: string; code: number | null; lines: string[] };

export type ConsoleEnv = {
  api: FakeMailApi;
  dir: string;
  /** Runs one console session with these input lines. */
  run(lines: string[], options?: { user?: string; env?: Record<string, string> }): Promise<ConsoleRun>;
  /** Every byte the store wrote (SQLite file, WAL, generated secret excluded). */
  storeBytes(): string;
  close(): Promise<void>;
};

export async function startConsoleEnv(fakeOptions: FakeMailApiOptions = {}): Promise<ConsoleEnv> {
  const api = await startFakeMailApi({ rateLimits: false, ...fakeOptions });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-console-'));
  return {
    api,
    dir,
    run(lines, options = {}) {
      return runConsoleProcess(lines, {
        MAIL_API_URL: api.url,
        STORE_URL: `sqlite://${path.join(dir, 'store.sqlite')}`,
        DATA_DIR: path.join(dir, 'data'),
        COOLDOWN_SECONDS: '0',
        LOG_LEVEL: 'info',
        ...options.env,
      }, options.user ?? 'alice');
    },
    storeBytes() {
      return readdirSync(dir)
        .filter((f) => f.startsWith('store.sqlite'))
        .map((f) => readFileSync(path.join(dir, f)).toString('latin1'))
        .join('');
    },
    async close() {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function runConsoleProcess(lines: string[], env: Record<string, string>, user = 'alice'): Promise<ConsoleRun> {
  return runCliProcess(['console', '--user', user], lines, env);
}

/**
 * Any `handle-bot` command as a child process, in a clean environment, with these input lines.
 * `entry`: another build of the CLI to run instead of the sources under tsx (the production bundle).
 */
export function runCliProcess(args: string[], lines: string[], env: Record<string, string>, entry: string[] = ['--import', TSX_LOADER, CLI]): Promise<ConsoleRun> {
  return new Promise((resolve, reject) => {
    // A clean environment: nothing from the developer's shell or .env changes the run.
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ stdout, stderr, code, lines: stdout.split('\n').filter(Boolean) });
    });
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

/** The reply blocks of a run, split at each title line (a line whose text starts with a tone mark). */
export function replies(run: ConsoleRun): string[] {
  const out: string[] = [];
  for (const line of run.lines) {
    if (/^\[(private|channel)\] (✅|ℹ️|⚠️|❌)/u.test(line)) out.push(line);
    else if (out.length > 0) out.push(`${out.pop() ?? ''}\n${line}`);
    else out.push(line);
  }
  return out;
}
