/**
 * Candidate B of bench/sqlite-wait.ts: the SQLite connection on a worker thread. The worker
 * owns better-sqlite3 (with SQLite's own busy timeout, so a held lock is waited for here, off
 * the main thread) and runs the statements the main thread posts, one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

type Job = { id: number; sql: string; mode: 'run' | 'get'; params: unknown[] };
const { file, busyMs } = workerData as { file: string; busyMs: number };
const db = new Database(file, { timeout: busyMs });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
const statements = new Map<string, Database.Statement>();

parentPort?.on('message', (job: Job) => {
  try {
    let statement = statements.get(job.sql);
    if (!statement) {
      statement = db.prepare(job.sql);
      statements.set(job.sql, statement);
    }
    const result: unknown = job.mode === 'run' ? statement.run(...job.params).changes : statement.get(...job.params);
    parentPort?.postMessage({ id: job.id, result });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: String((error as { code?: unknown }).code ?? error) });
  }
});
