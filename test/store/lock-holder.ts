/**
 * Starts fixtures/sqlite-lock-holder.ts: another process holding a SQLite file's write lock
 * until told to let go. `locked` resolves once it holds the lock; `release()` once it let go.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const HOLDER = fileURLToPath(new URL('./fixtures/sqlite-lock-holder.ts', import.meta.url));

export type LockHolder = { locked: Promise<void>; release(): Promise<void>; kill(): void };

export function holdSqliteLock(file: string): LockHolder {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, file], { stdio: ['pipe', 'pipe', 'inherit'], cwd: fileURLToPath(new URL('../..', import.meta.url)) });
  const lines = readline.createInterface({ input: child.stdout });
  const said = (word: string) => new Promise<void>((resolve, reject) => {
    const onLine = (line: string) => {
      if (line !== word) return;
      lines.off('line', onLine);
      resolve();
    };
    lines.on('line', onLine);
    child.once('exit', (code) => { reject(new Error(`the lock holder exited (${String(code)}) before saying "${word}"`)); });
  });
  const locked = said('locked');
  return {
    locked,
    async release() {
      const released = said('released');
      const exited = once(child, 'exit');
      child.stdin.end('release\n');
      await released;
      await exited;
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
