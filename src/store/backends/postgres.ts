/**
 * The Postgres backend, for replicas. @keyv/postgres runs the plain reads and writes, but over
 * a pool this store owns: the package's built-in pool is module-global per URI (the first
 * `disconnect()` ends it for every store in the process, a second one throws) and has no
 * 'error' listener, so a server restart dropping an idle connection would crash the process.
 *
 * One table, `<prefix>` (key, value, expires_at). keyv's rows leave expires_at empty; claims
 * set it and are compared with the server's clock, so replicas with skewed clocks still agree.
 * An index on `key COLLATE "C"` makes "all keys with this prefix" (one user's history) an index
 * range scan whatever the database's collation.
 * The schema is created on first use and retried after a failure, so a store opened while
 * Postgres is down starts working when it comes back.
 */
import KeyvPostgres, { type KeyvPostgresOptions } from '@keyv/postgres';
import type { Keyv } from 'keyv';
import pg from 'pg';
import { type Backend, namespaceKeyv } from '../backend.js';
import { deserializeEntry, serializeEntry } from '../codec.js';
import { historyPrefix, NAMESPACES, type Namespace, prefixRange } from '../layout.js';
import { postgresClaim } from './claim-sql.js';
import { postgresIntentOps } from './postgres-intents.js';

type Run = (sql: string, values?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** Expired claims are deleted every this many claims (nothing else would ever read them). */
const SWEEP_EVERY_CLAIMS = 200;
/** What a turn's row holds besides its time (keyv's layout; nothing reads it). */
const TURN_VALUE = serializeEntry({ value: 'turn' });

class PooledKeyvPostgres extends KeyvPostgres {
  // Called by the base constructor; `run` arrives through the options it has just stored.
  override connect(): Promise<Run> {
    const { run } = this.opts as { run?: Run };
    if (!run) return Promise.reject(new Error('PooledKeyvPostgres needs a `run` function'));
    return Promise.resolve(run);
  }

  // The backend owns the pool and ends it once, in close().
  override disconnect(): Promise<void> {
    return Promise.resolve();
  }
}

export function openPostgresBackend(options: {
  url: string;
  table: string;
  /** The store's deadline: the server abandons a statement that runs longer (e.g. waiting for a lock). */
  deadlineMs: number;
  onError: (namespace: Namespace | 'connection', error: unknown) => void;
}): Backend {
  if (!/^[a-z][a-z0-9_]{0,50}$/.test(options.table)) throw new Error(`invalid Postgres table name: ${options.table}`);
  // Schema-qualified like @keyv/postgres's own statements, whatever the search_path says.
  const table = `public.${options.table}`;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 10,
    connectionTimeoutMillis: 2000,
    // The guard gives up on a call at the deadline; the server then abandons the statement too,
    // so a write that waited for another transaction's lock does not happen after the user
    // was told it failed, nor keep a pooled connection busy. query_timeout frees the client
    // from a server that does not answer at all.
    statement_timeout: options.deadlineMs,
    query_timeout: options.deadlineMs + 1000,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  pool.on('error', (error) => { options.onError('connection', error); });

  let schemaReady: Promise<void> | undefined;
  const createSchema = async (attempt = 1): Promise<void> => {
    try {
      await pool.query(`
        CREATE TABLE IF NOT EXISTS ${table} (key VARCHAR(255) PRIMARY KEY, value TEXT, expires_at TIMESTAMPTZ);
        ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS expires_at TIMESTAMPTZ;
        CREATE INDEX IF NOT EXISTS ${options.table}_key_c ON ${table} (key COLLATE "C");`);
    } catch (error) {
      // Two processes creating the same table at once: one loses with a duplicate; look again.
      const code = (error as { code?: unknown }).code;
      if (attempt < 3 && (code === '23505' || code === '42P07')) return createSchema(attempt + 1);
      throw error;
    }
  };
  const schema = () => {
    schemaReady ??= createSchema().catch((error: unknown) => {
      schemaReady = undefined;
      throw error;
    });
    return schemaReady;
  };
  const run: Run = async (sql, values) => {
    await schema();
    const result = await pool.query(sql, values);
    return result.rows as Array<Record<string, unknown>>;
  };

  const kv = Object.fromEntries(
    NAMESPACES.map((ns) => {
      const store = new PooledKeyvPostgres({ table: options.table, run } as KeyvPostgresOptions);
      return [ns, namespaceKeyv(store, ns, (error) => { options.onError(ns, error); })];
    }),
  ) as Record<Namespace, Keyv>;
  const stored = (namespace: Namespace, key: string) => `${namespace}:${key}`;
  const inRange = `key COLLATE "C" >= $1 AND key COLLATE "C" < $2`;
  let claims = 0;
  let closed = false;

  const sweepExpiredClaims = () => {
    run(`DELETE FROM ${table} WHERE expires_at IS NOT NULL AND expires_at <= now()`).catch((error: unknown) => {
      options.onError('claims', error);
    });
  };
  /** Every claim written (alone, or as a command intent's seen-mark) brings the next sweep closer. */
  const claimWritten = () => {
    claims += 1;
    if (claims % SWEEP_EVERY_CLAIMS === 0) sweepExpiredClaims();
  };

  return {
    kind: 'postgres',
    kv,
    ...postgresIntentOps(run, table, (key) => stored('claims', key), claimWritten),
    ready: () => Promise.resolve(),
    async replaceIfUnchanged(namespace, key, expected, next) {
      const rows = await run(`UPDATE ${table} SET value = $1 WHERE key = $2 AND value = $3 RETURNING key`, [next, stored(namespace, key), expected]);
      return rows.length === 1;
    },
    async claim(key, ttlMs) {
      // Concurrent inserts of one key serialise on the primary key; the loser sees the winner's
      // live claim in the WHERE and updates nothing, so exactly one RETURNING row exists.
      const rows = await run(
        `${postgresClaim(table)} RETURNING key`,
        [stored('claims', key), serializeEntry({ value: true, expires: Date.now() + ttlMs }), Math.ceil(ttlMs)],
      );
      claimWritten();
      return rows.length === 1;
    },
    async reserveTurn(key, intervalMs, maxWaitMs) {
      // expires_at is when the next turn may start; now() is the database's clock, which every
      // replica shares. The row lock of the upsert makes it atomic.
      const ms = `* interval '1 millisecond'`;
      const rows = await run(
        `INSERT INTO ${table} AS existing (key, value, expires_at) VALUES ($1, $2, now() + $3::bigint ${ms})
         ON CONFLICT (key) DO UPDATE SET expires_at = GREATEST(existing.expires_at, now()) + $3::bigint ${ms}
         WHERE GREATEST(existing.expires_at, now()) - now() <= $4::bigint ${ms}
         RETURNING (extract(epoch FROM expires_at - now()) * 1000)::float8 AS ahead`,
        [stored('claims', key), TURN_VALUE, Math.ceil(intervalMs), Math.ceil(maxWaitMs)],
      );
      const ahead = rows[0]?.ahead;
      if (typeof ahead === 'number') return { ok: true, waitMs: Math.max(0, Math.round(ahead - intervalMs)) };
      const held = await run(`SELECT (extract(epoch FROM expires_at - now()) * 1000)::float8 AS ahead FROM ${table} WHERE key = $1`, [stored('claims', key)]);
      const queued = typeof held[0]?.ahead === 'number' ? held[0].ahead : 0;
      return { ok: false, retryAfterMs: Math.max(1, Math.round(queued - maxWaitMs)) };
    },
    async appendHistory(_identity, key, entry) {
      await kv.history.set(key, entry);
    },
    async removeHistoryEntry(_identity, key) {
      await kv.history.delete(key);
    },
    async listHistory(identity, limit) {
      const [low, high] = prefixRange(stored('history', historyPrefix(identity)));
      const rows = await run(`SELECT value FROM ${table} WHERE ${inRange} ORDER BY key COLLATE "C" DESC LIMIT $3`, [low, high, limit]);
      return rows.map((row) => (typeof row.value === 'string' ? deserializeEntry(row.value)?.value : undefined));
    },
    async deleteHistory(identity) {
      const [low, high] = prefixRange(stored('history', historyPrefix(identity)));
      await run(`DELETE FROM ${table} WHERE ${inRange}`, [low, high]);
    },
    async listKeys(namespace) {
      const prefix = stored(namespace, '');
      const [low, high] = prefixRange(prefix);
      const rows = await run(`SELECT key FROM ${table} WHERE ${inRange}`, [low, high]);
      return rows.map((row) => String(row.key).slice(prefix.length));
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
