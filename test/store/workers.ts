/** Starting store-worker.ts child processes and talking to them line by line. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { WorkerTask } from './worker-protocol.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const WORKER = path.join(here, 'store-worker.ts');
const REPO_ROOT = path.resolve(here, '../..');

export type Worker = {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLine(match: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  go(): void;
  result<T>(): Promise<T>;
};

export function startWorker(task: WorkerTask): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(task)], { cwd: REPO_ROOT, stdio: 'pipe' });
  const lines: string[] = [];
  let stderr = '';
  readline.createInterface({ input: child.stdout }).on('line', (line) => { lines.push(line); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => { resolve({ code, signal }); });
  });
  return {
    child,
    lines,
    exited,
    async waitForLine(match, what, timeoutMs = 15_000) {
      const started = Date.now();
      for (;;) {
        const found = lines.find(match);
        if (found !== undefined) return found;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited before ${what}: ${stderr}`);
        if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    go: () => { child.stdin.write('go\n'); },
    async result<T>() {
      const { code } = await exited;
      const line = lines.find((l) => l.startsWith('result '));
      if (code !== 0 || !line) throw new Error(`worker ${task.worker} failed (exit ${code}): ${stderr}`);
      return JSON.parse(line.slice('result '.length)) as T;
    },
  };
}
