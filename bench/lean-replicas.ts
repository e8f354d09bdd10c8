/**
 * Replicas of `handle-bot start` (the production build, Slack HTTP mode on a free port) for the
 * scale-out bench, whose log goes straight to a file: the bench process never reads a log line
 * during the load (test/helpers/cli-process.ts parses every line, which costs the generator
 * CPU per command). Ready = the `slack ready` line in the file (watched, not polled); after a
 * cell, the replica's commands are counted from its `command done` lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopProcess } from '../test/helpers/cli-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY = '"msg":"slack ready"';

export type Replica = {
  child: ChildProcess;
  port: number;
  logFile: string;
  /** `command done` lines logged so far (pino writes asynchronously: read after the cell settles). */
  commandsDone(): number;
  stop(): Promise<void>;
};

function readyPort(text: string): number | undefined {
  const line = text.split('\n').find((l) => l.includes(READY));
  return line === undefined ? undefined : Number((JSON.parse(line) as { port?: unknown }).port);
}

/** `root`: another checkout's build to run (before/after a change); default this one. */
export async function startReplica(env: Record<string, string>, logDir: string, root = ROOT): Promise<Replica> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-scale-'));
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `replica-${path.basename(dir)}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [path.join(root, 'dist/src/cli.js'), 'start'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: path.join(dir, 'data'), SLACK_PORT: '0', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const port = await new Promise<number>((resolve, reject) => {
    const watcher = fs.watch(logFile);
    const check = () => {
      const found = readyPort(fs.readFileSync(logFile, 'utf8'));
      if (found === undefined) return;
      watcher.close();
      resolve(found);
    };
    watcher.on('change', check);
    child.once('exit', (code) => { watcher.close(); reject(new Error(`replica exited (${String(code)}) before it was ready; log: ${logFile}`)); });
    check();
  });
  return {
    child,
    port,
    logFile,
    commandsDone: () => fs.readFileSync(logFile, 'utf8').split('"msg":"command done"').length - 1,
    stop: () => stopProcess(child, dir),
  };
}
