/**
 * How should the SQLite store wait for a lock another process holds? (issue 18, point 2)
 * Three ways, measured side by side on one file:
 * - sync-5s:     before — better-sqlite3 on the main thread with SQLite's 5 s busy timeout;
 * - async-retry: candidate A, the one chosen — busy timeout 0 and retries on timers (src/store/backends/sqlite-file.ts);
 * - worker:      candidate B — the connection on a worker thread (./worker.ts) with a 3 s busy timeout.
 * Each op runs under a 3 s deadline, as the store's guard does.
 *   1. No contention: 3000 writes, then 3000 reads, one at a time: latency per op.
 *   2. Another process holds the write lock for --hold s (default 5) while a write and a read start
 *      every 50 ms: the main thread's event-loop delay (what every ack waits behind), how the
 *      writes and reads end, and how long after the release the first write goes through.
 *
 *   npx tsx bench/sqlite-wait/run.ts [--hold 5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SqliteFile } from '../../src/store/backends/sqlite-file.js';
import { holdSqliteLock } from '../../test/store/lock-holder.js';

const { values } = parseArgs({ options: { hold: { type: 'string', default: '5' } } });
const HOLD_MS = Number(values.hold) * 1000;
const DEADLINE_MS = 3000;
const OPS = 3000;
const WRITE = 'INSERT INTO bench (key, value, expires) VALUES (?, ?, NULL) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
const READ = 'SELECT value FROM bench WHERE key = ?';

type Strategy = { write(key: string): Promise<unknown>; read(key: string): Promise<unknown>; close(): Promise<void> };

function syncStrategy(file: string): Strategy {
  const db = new Database(file, { timeout: 5000 });
  const write = db.prepare(WRITE);
  const read = db.prepare(READ);
  return {
    write: (key) => Promise.resolve().then(() => write.run(key, 'v')),
    read: (key) => Promise.resolve().then(() => read.get(key)),
    close: () => { db.close(); return Promise.resolve(); },
  };
}

function asyncRetryStrategy(file: string): Strategy {
  const sqlite = new SqliteFile(file, 'bench', DEADLINE_MS);
  return {
    write: (key) => sqlite.run(WRITE.replace('bench', '{t}'), (s) => s.run(key, 'v')),
    read: (key) => sqlite.run(READ.replace('bench', '{t}'), (s) => s.get(key)),
    close: () => { sqlite.close(); return Promise.resolve(); },
  };
}

function workerStrategy(file: string): Strategy {
  // Node 20 does not pass --import hooks to workers: the worker registers tsx itself, then loads the TypeScript.
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { file, busyMs: DEADLINE_MS } });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error === undefined) w?.resolve(m.result);
    else w?.reject(new Error(m.error));
  });
  const post = (sql: string, mode: 'run' | 'get', params: unknown[]) => new Promise((resolve, reject) => {
    next += 1;
    waiting.set(next, { resolve, reject });
    worker.postMessage({ id: next, sql, mode, params });
  });
  return {
    write: (key) => post(WRITE, 'run', [key, 'v']),
    read: (key) => post(READ, 'get', [key]),
    close: async () => { await worker.terminate(); },
  };
}

/** The store guard's deadline: the op's own outcome, or 'timeout'. */
async function withDeadline(op: Promise<unknown>): Promise<'ok' | 'failed' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => { resolve('timeout'); }, DEADLINE_MS); });
  const outcome = op.then(() => 'ok' as const, () => 'failed' as const);
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const count = (outcomes: string[]) => outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o]: (acc[o] ?? 0) + 1 }), {});

/**
 * What an ack waits behind: a 10 ms timer, re-armed each time it fires, records how late it
 * fired. A blocked event loop shows as one long lateness (monitorEventLoopDelay cannot see a
 * loop that never turns).
 */
function lateness(): { stop(): number[] } {
  const late: number[] = [];
  let timer: NodeJS.Timeout;
  const arm = () => {
    const due = performance.now() + 10;
    timer = setTimeout(() => {
      late.push(performance.now() - due);
      arm();
    }, 10);
  };
  arm();
  return {
    stop() {
      clearTimeout(timer);
      return late;
    },
  };
}

async function uncontended(strategy: Strategy): Promise<string> {
  const times = { write: [] as number[], read: [] as number[] };
  for (const kind of ['write', 'read'] as const) {
    for (let i = 0; i < OPS; i += 1) {
      const started = performance.now();
      await strategy[kind](`k${String(i % 500)}`);
      times[kind].push((performance.now() - started) * 1000);
    }
  }
  const us = (v: number) => `${v.toFixed(0)} µs`;
  return `write p50 ${us(quantile(times.write, 0.5))} p99 ${us(quantile(times.write, 0.99))}; read p50 ${us(quantile(times.read, 0.5))} p99 ${us(quantile(times.read, 0.99))}`;
}

async function underLock(strategy: Strategy, file: string): Promise<string> {
  const holder = holdSqliteLock(file);
  await holder.locked;
  const probe = lateness();
  const cpuBefore = process.cpuUsage();
  const writes: Promise<string>[] = [];
  const reads: Promise<{ outcome: string; ms: number }>[] = [];
  const lockedAt = Date.now();
  for (let i = 0; Date.now() - lockedAt < HOLD_MS; i += 1) {
    writes.push(withDeadline(strategy.write(`held-${String(i)}`)));
    const started = performance.now();
    reads.push(withDeadline(strategy.read('k1')).then((outcome) => ({ outcome, ms: performance.now() - started })));
    await sleep(50);
  }
  const late = probe.stop();
  const cpu = process.cpuUsage(cpuBefore);
  await holder.release();
  const releasedAt = performance.now();
  const first = await withDeadline(strategy.write('after-release'));
  const firstMs = performance.now() - releasedAt;
  const readResults = await Promise.all(reads);
  const okReads = readResults.filter((r) => r.outcome === 'ok').map((r) => r.ms);
  return [
    `a 10 ms timer fired late by p50 ${quantile(late, 0.5).toFixed(1)} ms, p99 ${quantile(late, 0.99).toFixed(1)} ms, max ${Math.max(...late).toFixed(1)} ms`,
    `main-thread CPU while held: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
    `writes ${JSON.stringify(count(await Promise.all(writes)))}`,
    `reads ${JSON.stringify(count(readResults.map((r) => r.outcome)))}${okReads.length > 0 ? `, answered in p50 ${quantile(okReads, 0.5).toFixed(1)} ms` : ''}`,
    `first write after the release: ${first} in ${firstMs.toFixed(1)} ms`,
  ].join('\n    ');
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-sqlite-wait-'));
try {
  for (const [name, make] of [['sync-5s', syncStrategy], ['async-retry', asyncRetryStrategy], ['worker', workerStrategy]] as const) {
    const file = path.join(dir, `${name}.sqlite`);
    const setup = new Database(file);
    setup.pragma('journal_mode = WAL');
    setup.exec('CREATE TABLE bench (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, expires INTEGER) WITHOUT ROWID');
    setup.close();
    const strategy = make(file);
    await strategy.read('warm-up');
    console.log(`${name}:\n  no contention: ${await uncontended(strategy)}\n  lock held ${String(HOLD_MS / 1000)} s:\n    ${await underLock(strategy, file)}`);
    await strategy.close();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
