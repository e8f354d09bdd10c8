/**
 * Latency of one sealed write (setKey: seal + store) and one sealed read (getKey: load + open)
 * on each backend, one call at a time. Run: `npx tsx bench/store-latency.ts [ops]`.
 * SQLite always; Redis and Postgres at TEST_REDIS_URL / TEST_POSTGRES_URL when they answer.
 * Uses its own temporary file / key prefix / table and removes them afterwards.
 */
import type { ApiKey } from '../src/domain/api-key.js';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@keyv/redis';
import pg from 'pg';
import { createLogger } from '../src/ops/logger.js';
import { openStore } from '../src/store/index.js';
import type { Store } from '../src/store/types.js';

const OPS = Number(process.argv[2] ?? 2000);
const WARMUP = 200;
const USERS = 100;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const log = createLogger({ level: 'warn' });
const secret = randomBytes(32).toString('hex');
const prefix = `hb_bench_${process.pid}_${Date.now().toString(36)}`;
const identity = (i: number) => `slack:TBENCH:U${i % USERS}`;
const apiKey = (i: number) => createHash('sha256').update(String(i)).digest('hex') as ApiKey;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, op: (i: number) => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i += 1) await op(i);
  const times: number[] = [];
  for (let i = 0; i < OPS; i += 1) {
    const started = process.hrtime.bigint();
    await op(i);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { label, median: percentile(times, 50), p99: percentile(times, 99) };
}

async function bench(name: string, open: () => Promise<Store>, cleanup: () => Promise<void>) {
  let store: Store | undefined;
  try {
    store = await open();
    const s = store;
    const write = await measure('sealed write (setKey)', (i) => s.setKey(identity(i), apiKey(i)));
    const read = await measure('sealed read (getKey)', async (i) => {
      const opened = await s.getKey(identity(i));
      if (opened.status !== 'linked') throw new Error(`unexpected ${opened.status}`);
    });
    for (const r of [write, read]) {
      console.log(`${name.padEnd(9)} ${r.label.padEnd(22)} median ${r.median.toFixed(3).padStart(7)} ms   p99 ${r.p99.toFixed(3).padStart(7)} ms`);
    }
  } catch (error) {
    console.log(`${name.padEnd(9)} skipped: ${(error as Error).message}`);
  } finally {
    await store?.close();
    await cleanup().catch(() => undefined);
  }
}

console.log(`store latency: ${OPS} operations each after ${WARMUP} warm-up, one at a time, ${USERS} users, Node ${process.version}`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-bench-'));
await bench(
  'sqlite',
  () => openStore({ url: `sqlite://${path.join(dir, 'bench.sqlite')}`, secret, dataDir: dir, log }),
  () => {
    fs.rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  },
);

await bench(
  'redis',
  () => openStore({ url: REDIS_URL, secret, dataDir: dir, log, namespacePrefix: prefix, deadlineMs: 10_000 }),
  async () => {
    const client = createClient({ url: REDIS_URL });
    client.on('error', () => undefined);
    await client.connect();
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) keys.push(...batch);
    if (keys.length > 0) await client.unlink(keys);
    client.destroy();
  },
);

await bench(
  'postgres',
  () => openStore({ url: POSTGRES_URL, secret, dataDir: dir, log, namespacePrefix: prefix, deadlineMs: 10_000 }),
  async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS ${prefix}`);
    await client.end();
  },
);
