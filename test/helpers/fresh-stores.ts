/**
 * A store of its own on the shared Redis or Postgres, for tests and benchmarks that start real
 * `handle-bot start` processes (which use the default key prefix / table): a Redis database
 * nobody uses right now, or a Postgres database created for the run. `drop()` removes it.
 */
import { createClient } from '@keyv/redis';
import pg from 'pg';
import { TEST_POSTGRES_URL, TEST_REDIS_URL, uniquePrefix } from './services.js';

export type FreshStore = { url: string; drop(): Promise<void> };

/** A Redis database (0–15) nobody uses right now; its handle-bot keys are deleted afterwards. */
export async function freshRedis(): Promise<FreshStore> {
  for (let db = 15; db >= 1; db--) {
    const url = `${TEST_REDIS_URL.replace(/\/\d*$/, '')}/${db}`;
    const client = createClient({ url });
    await client.connect();
    const empty = (await client.dbSize()) === 0;
    await client.quit();
    if (!empty) continue;
    return {
      url,
      async drop() {
        const cleaner = createClient({ url });
        await cleaner.connect();
        for await (const keys of cleaner.scanIterator({ MATCH: 'handle_bot:*', COUNT: 500 })) if (keys.length > 0) await cleaner.del(keys);
        await cleaner.quit();
      },
    };
  }
  throw new Error('no empty Redis database (1–15) for the replica test');
}

/** A Postgres database of its own, dropped afterwards. */
export async function freshPostgres(): Promise<FreshStore> {
  const name = uniquePrefix('replicas');
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

