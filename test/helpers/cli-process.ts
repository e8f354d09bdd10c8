/**
 * handle-bot as its operator runs it: `handle-bot <args>` in a child process of its own
 * (src/cli.ts under tsx), configured only by the environment given here, in a fresh working
 * directory (so no developer's .env is read). Its JSON log lines are collected; tests wait on
 * them, never on time.
 */
import { type ChildProcess, type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export type LogLine = Record<string, unknown> & { msg?: string };

export type CliProcess = {
  child: ChildProcessWithoutNullStreams;
  /** Its working directory (a fresh temp dir, removed by stop()). */
  cwd: string;
  /** Every JSON line it logged so far, in order. */
  readonly logs: LogLine[];
  /** Resolves with the first log line (past or future) that matches; rejects if the process exits first. */
  waitForLog(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  readonly exitCode: number | null;
  /** SIGTERM, then waits for the exit; SIGKILL if it does not leave within 10 s. */
  stop(): Promise<void>;
};

/**
 * handle-bot reads a relative data folder or `sqlite://` path from its own folder, not the working
 * one: a process started here keeps its data in its own temporary folder (`cwd`), never in the repo.
 */
function inFolder(env: Record<string, string>, cwd: string): Record<string, string> {
  const out: Record<string, string> = { DATA_DIR: path.join(cwd, 'data'), ...env };
  if (out.DATA_DIR && !path.isAbsolute(out.DATA_DIR)) out.DATA_DIR = path.join(cwd, out.DATA_DIR);
  const sqlite = /^sqlite:\/\/(?!\/)(.+)$/.exec(out.STORE_URL ?? '');
  if (sqlite?.[1]) out.STORE_URL = `sqlite://${path.join(cwd, sqlite[1])}`;
  return out;
}

/**
 * For the benchmark: `root` runs another checkout instead of this one (before/after a change);
 * `compiled` runs its `npm run build` output, as `npm start` does, instead of the sources under tsx.
 */
export function startCli(args: string[], env: Record<string, string>, options: { root?: string; compiled?: boolean } = {}): CliProcess {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-cli-'));
  const root = options.root ?? path.resolve(path.dirname(CLI), '..');
  const entry = options.compiled ? [path.join(root, 'dist/src/cli.js')] : ['--import', TSX, path.join(root, 'src/cli.ts')];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...inFolder(env, cwd) },
    stdio: 'pipe',
  });
  const logs: LogLine[] = [];
  let stderr = '';
  const waiting = new Set<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  readline.createInterface({ input: child.stdout }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text, unstructured: true };
    }
    logs.push(line);
    for (const w of waiting) {
      if (w.match(line)) {
        waiting.delete(w);
        w.resolve(line);
      }
    }
  });

  return {
    child,
    cwd,
    logs,
    get exitCode() {
      return child.exitCode;
    },
    waitForLog(match, what, timeoutMs = 15_000) {
      const seen = logs.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const entry = {
          match,
          resolve: (line: LogLine) => {
            clearTimeout(timer);
            child.off('exit', onExit);
            resolve(line);
          },
        };
        const onExit = (code: number | null) => {
          waiting.delete(entry);
          clearTimeout(timer);
          reject(new Error(`handle-bot exited (${String(code)}) before ${what}\nstderr: ${stderr}\nlast logs: ${JSON.stringify(logs.slice(-5))}`));
        };
        const timer = setTimeout(() => {
          waiting.delete(entry);
          child.off('exit', onExit);
          reject(new Error(`no log line "${what}" within ${String(timeoutMs)} ms\nstderr: ${stderr}\nlast logs: ${JSON.stringify(logs.slice(-5))}`));
        }, timeoutMs);
        waiting.add(entry);
        child.once('exit', onExit);
      });
    },
    stop: () => stopProcess(child, cwd),
  };
}

/**
 * `handle-bot start` in Slack HTTP mode on a free port (SLACK_PORT=0); resolves once Bolt
 * listens, with the URL Slack would post to.
 */
export async function startSlackBot(env: Record<string, string>, options: { root?: string; compiled?: boolean } = {}): Promise<{ bot: CliProcess; endpoint: string }> {
  const bot = startCli(['start'], { SLACK_PORT: '0', ...env }, options);
  try {
    const ready = await bot.waitForLog((l) => l.msg === 'slack ready', 'slack ready', 60_000);
    return { bot, endpoint: `http://127.0.0.1:${String(ready.port)}/slack/events` };
  } catch (error) {
    await bot.stop();
    throw error;
  }
}

/** SIGTERM (SIGKILL after 10 s if it does not go), wait for the exit, then remove its folder. */
export async function stopProcess(child: ChildProcess, folder: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(folder, { recursive: true, force: true });
}
