/**
 * Several processes on one store: claims, concurrent link/remove/read, and SQLite durability
 * across a SIGKILL. Each worker is a real `node` process (store-worker.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiKeyFor, BACKENDS, SECRET_A, sqliteUnderTest, type StoreUnderTest } from './harness.js';
import { type OperationsResult, SHARED_USER, type WorkerTask } from './worker-protocol.js';
import { startWorker, type Worker } from './workers.js';

function task(t: StoreUnderTest, mode: WorkerTask['mode'], worker: number, count: number): WorkerTask {
  return { mode, url: t.url, secret: SECRET_A, dataDir: t.dataDir, prefix: t.prefix, worker, count };
}

async function startTogether(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.waitForLine((l) => l === 'ready', 'ready')));
  for (const w of workers) w.go();
}

/**
 * The value left for a register written by several processes is legitimate when it was written
 * by some write that no other write started strictly after the acknowledgement of.
 */
function legitimateFinals(writes: OperationsResult['shared']): Set<string | null> {
  return new Set(writes.filter((w) => !writes.some((other) => other.start > w.ack)).map((w) => w.value));
}

describe.each(BACKENDS)('several processes on $name', ({ name, available, make }) => {
  let t: StoreUnderTest;
  const workers: Worker[] = [];
  beforeEach(async () => {
    if (available) t = await make();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) w.child.kill('SIGKILL');
    if (available) await t.cleanup();
  });

  describe.skipIf(!available)(`${name} backend`, () => {
    it('claimOnce has exactly one winner per key across two processes', async () => {
      const count = 50;
      workers.push(startWorker(task(t, 'claim', 1, count)), startWorker(task(t, 'claim', 2, count)));
      await startTogether(workers);
      const [one, two] = await Promise.all(workers.map((w) => w.result<{ won: number[] }>()));
      const wins = [...one!.won, ...two!.won].sort((a, b) => a - b);
      expect(wins).toEqual(Array.from({ length: count }, (_, i) => i));
    }, 40_000);

    it('reserveTurn spaces turns an interval apart across two processes (a cooldown every replica keeps)', async () => {
      workers.push(startWorker(task(t, 'turns', 1, 6)), startWorker(task(t, 'turns', 2, 6)));
      await startTogether(workers);
      const results = await Promise.all(workers.map((w) => w.result<{ starts: (number | null)[] }>()));
      const starts = results.flatMap((r) => r.starts).sort((a, b) => (a ?? 0) - (b ?? 0));
      expect(starts).toHaveLength(12);
      expect(starts.every((s) => s !== null)).toBe(true);
      // 1 s apart, give or take the time a reply took to reach its process.
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThan(850);
    }, 40_000);

    it('concurrent link/remove/read from two processes lose no acknowledged write and never cross users', async () => {
      const usersPerWorker = 50; // × (2 writes + 2 reads) + 10 shared writes: > 200 operations per process
      workers.push(startWorker(task(t, 'operations', 1, usersPerWorker)), startWorker(task(t, 'operations', 2, usersPerWorker)));
      await startTogether(workers);
      const results = await Promise.all(workers.map((w) => w.result<OperationsResult>()));
      expect(results.flatMap((r) => r.violations)).toEqual([]);

      const store = await t.open();
      const finals = Object.assign({}, ...results.map((r) => r.finals)) as Record<string, string | null>;
      expect(Object.keys(finals)).toHaveLength(2 * usersPerWorker);
      for (const [identity, expected] of Object.entries(finals)) {
        const opened = await store.getKey(identity);
        expect(opened.status === 'linked' ? opened.apiKey : null, identity).toBe(expected);
      }
      const shared = await store.getKey(SHARED_USER);
      const sharedValue = shared.status === 'linked' ? shared.apiKey : null;
      expect(shared.status).not.toBe('unreadable');
      expect(legitimateFinals(results.flatMap((r) => r.shared)).has(sharedValue)).toBe(true);
    }, 60_000);
  });
});

describe('SQLite durability', () => {
  let t: StoreUnderTest;
  let worker: Worker | undefined;
  beforeEach(async () => { t = await sqliteUnderTest(); });
  afterEach(async () => {
    worker?.child.kill('SIGKILL');
    await t.cleanup();
  });

  it('every write acknowledged before a SIGKILL is there after reopening', async () => {
    worker = startWorker(task(t, 'durability', 1, 0));
    await startTogether([worker]);
    await worker.waitForLine((l) => l === 'ack 40', '40 acknowledged writes');
    worker.child.kill('SIGKILL');
    const { signal } = await worker.exited;
    expect(signal).toBe('SIGKILL');
    const file = t.url.slice('sqlite://'.length);
    expect(fs.existsSync(`${file}-wal`)).toBe(true); // killed before any clean checkpoint

    const acknowledged = worker.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
    expect(acknowledged.length).toBeGreaterThanOrEqual(41);
    const store = await t.open();
    for (const n of acknowledged) {
      const identity = `console:durable-${n}`;
      expect(await store.getKey(identity), identity).toMatchObject({ status: 'linked', apiKey: apiKeyFor(identity) });
    }
    expect(path.basename(file)).toBe('store.sqlite');
  }, 40_000);
});
