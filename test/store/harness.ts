/**
 * The three backends as the shared store suite sees them: how to open a store on a fresh,
 * private namespace (own SQLite file, Redis key prefix, Postgres table), how to read and write
 * a link record's stored text behind the store's back (tamper tests), everything the backend
 * holds as text (clear-text scans), and cleanup that deletes only what this test created.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@keyv/redis';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createLogger, type Logger } from '../../src/ops/logger.js';
import { openStore, type OpenStoreOptions } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { requireService, TEST_POSTGRES_URL, TEST_REDIS_URL, uniquePrefix } from '../helpers/services.js';

export const SECRET_A = 'a1'.repeat(32);
export const SECRET_B = Buffer.alloc(32, 0xb2).toString('base64'); // the 44-character base64 form
export const SECRET_C = 'c3'.repeat(32);

export type BackendName = 'sqlite' | 'redis' | 'postgres';

export type StoreUnderTest = {
  name: BackendName;
  url: string;
  prefix: string;
  dataDir: string;
  logLines: string[];
  log: Logger;
  /** Opens a store on this test's namespace; closed by cleanup(). */
  open(overrides?: Partial<OpenStoreOptions>): Promise<Store>;
  /** The stored text of identity's link record (`{"value":{…}}`), or undefined. */
  rawLink(identity: string): Promise<string | undefined>;
  writeRawLink(identity: string, text: string): Promise<void>;
  /** Everything the backend holds for this namespace, keys and values, as bytes. */
  dump(): Promise<Buffer>;
  cleanup(): Promise<void>;
};

function testLogger(): { log: Logger; logLines: string[] } {
  const logLines: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => { logLines.push(line); } } });
  return { log, logLines };
}

function base(name: BackendName, url: string, prefix: string, dataDir: string) {
  const { log, logLines } = testLogger();
  const stores: Store[] = [];
  return {
    name, url, prefix, dataDir, log, logLines, stores,
    async open(overrides: Partial<OpenStoreOptions> = {}) {
      const store = await openStore({ url, secret: SECRET_A, dataDir, log, namespacePrefix: prefix, ...overrides });
      stores.push(store);
      return store;
    },
    async closeStores() {
      await Promise.all(stores.map((s) => s.close()));
    },
  };
}

export function sqliteUnderTest(): Promise<StoreUnderTest> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-store-'));
  const file = path.join(dir, 'store.sqlite');
  const prefix = uniquePrefix('sqlite');
  const b = base('sqlite', `sqlite://${file}`, prefix, path.join(dir, 'data'));
  const withDb = <T>(use: (db: Database.Database) => T): T => {
    const db = new Database(file, { timeout: 5000 });
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  return Promise.resolve({
    ...b,
    rawLink: (identity) => Promise.resolve(withDb((db) =>
      (db.prepare(`SELECT value FROM ${prefix} WHERE key = ?`).get(`links:${identity}`) as { value: string } | undefined)?.value)),
    writeRawLink: (identity, text) => {
      withDb((db) => db.prepare(`INSERT INTO ${prefix} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(`links:${identity}`, text));
      return Promise.resolve();
    },
    dump: () => Promise.resolve(Buffer.concat(
      ['', '-wal', '-shm', '-journal'].flatMap((suffix) => (fs.existsSync(file + suffix) ? [fs.readFileSync(file + suffix)] : [])),
    )),
    async cleanup() {
      await b.closeStores();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

export async function redisUnderTest(): Promise<StoreUnderTest> {
  const prefix = uniquePrefix('redis');
  const b = base('redis', TEST_REDIS_URL, prefix, fs.mkdtempSync(path.join(os.tmpdir(), 'hb-store-data-')));
  const client = createClient({ url: TEST_REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  const ownKeys = async () => {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) keys.push(...batch);
    return keys;
  };
  return {
    ...b,
    rawLink: async (identity) => (await client.get(`${prefix}:links::${identity}`)) ?? undefined,
    writeRawLink: async (identity, text) => { await client.set(`${prefix}:links::${identity}`, text); },
    async dump() {
      const parts: string[] = [];
      for (const key of await ownKeys()) {
        parts.push(key);
        const type = await client.type(key);
        if (type === 'string') parts.push((await client.get(key)) ?? '');
        else if (type === 'zset') parts.push(...(await client.zRange(key, 0, -1)));
        else if (type === 'hash') parts.push(JSON.stringify(await client.hGetAll(key)));
        else parts.push(`(unexpected type ${type})`);
      }
      return Buffer.from(parts.join('\n'));
    },
    async cleanup() {
      await b.closeStores();
      const keys = await ownKeys();
      if (keys.length > 0) await client.unlink(keys); // only this test's prefix: never FLUSHDB a shared Redis
      client.destroy();
      fs.rmSync(b.dataDir, { recursive: true, force: true });
    },
  };
}

export async function postgresUnderTest(): Promise<StoreUnderTest> {
  const prefix = uniquePrefix('pg');
  const b = base('postgres', TEST_POSTGRES_URL, prefix, fs.mkdtempSync(path.join(os.tmpdir(), 'hb-store-data-')));
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  return {
    ...b,
    rawLink: async (identity) => {
      const { rows } = await client.query<{ value: string }>(`SELECT value FROM ${prefix} WHERE key = $1`, [`links:${identity}`]);
      return rows[0]?.value;
    },
    writeRawLink: async (identity, text) => {
      await client.query(`INSERT INTO ${prefix} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [`links:${identity}`, text]);
    },
    async dump() {
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${prefix} t`);
      return Buffer.from(rows.map((r) => r.row).join('\n'));
    },
    async cleanup() {
      await b.closeStores();
      await client.query(`DROP TABLE IF EXISTS ${prefix}`);
      await client.end();
      fs.rmSync(b.dataDir, { recursive: true, force: true });
    },
  };
}

const [redisUp, postgresUp] = [await requireService('redis'), await requireService('postgres')];

/** Every backend, with whether it can run here (SQLite always). */
export const BACKENDS: Array<{ name: BackendName; available: boolean; make: () => Promise<StoreUnderTest> }> = [
  { name: 'sqlite', available: true, make: sqliteUnderTest },
  { name: 'redis', available: redisUp, make: redisUnderTest },
  { name: 'postgres', available: postgresUp, make: postgresUnderTest },
];

/** The backends behind a network connection, with what a proxy in front of them needs. */
export const NETWORK_BACKENDS = [
  { name: 'redis' as const, baseUrl: TEST_REDIS_URL, defaultPort: 6379 },
  { name: 'postgres' as const, baseUrl: TEST_POSTGRES_URL, defaultPort: 5432 },
].map((n) => ({ ...n, ...BACKENDS.find((b) => b.name === n.name)! }));

/** `url` pointed at 127.0.0.1:`port` (a proxy, or a port nothing listens on). */
export function urlOnPort(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

export { apiKeyFor } from './worker-protocol.js';

/**
 * One suite per backend, each test on a fresh private namespace (`current()`), cleaned up after
 * it; a backend that is absent is skipped with its reason (failing under CI=true).
 */
export function describeEachBackend(title: string, suite: (current: () => StoreUnderTest, name: BackendName) => void): void {
  for (const { name, available, make } of BACKENDS) {
    describe.skipIf(!available)(`${title} on ${name}`, () => {
      let t: StoreUnderTest | undefined;
      beforeEach(async () => { t = await make(); });
      afterEach(async () => { await t?.cleanup(); });
      suite(() => t!, name);
    });
  }
}
