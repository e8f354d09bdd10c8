/**
 * The SQLite backend: one file shared by any number of processes on one host. keyv handles
 * plain reads and writes; the atomic operations are single SQL statements, which SQLite runs
 * under its write lock, so they are atomic across processes too.
 */
import type { Keyv } from 'keyv';
import { type Backend, namespaceKeyv } from '../backend.js';
import { deserializeEntry, serializeEntry } from '../codec.js';

/** What a turn's row holds besides its time (keyv's layout; nothing reads it). */
const TURN_VALUE = serializeEntry({ value: 'turn' });
import { historyPrefix, NAMESPACES, type Namespace, prefixRange } from '../layout.js';
import { SQLITE_CLAIM } from './claim-sql.js';
import { SqliteFile } from './sqlite-file.js';
import { SqliteKeyvStore } from './sqlite-keyv-store.js';
import { sqliteIntentOps } from './sqlite-intents.js';

export function openSqliteBackend(options: {
  file: string;
  table: string;
  /** How long a call waits for a lock another process holds (the store's deadline). */
  waitMs: number;
  onError: (namespace: Namespace, error: unknown) => void;
}): Backend {
  const file = new SqliteFile(options.file, options.table, options.waitMs);
  const kv = Object.fromEntries(
    NAMESPACES.map((ns) => [ns, namespaceKeyv(new SqliteKeyvStore(file), ns, (error) => { options.onError(ns, error); })]),
  ) as Record<Namespace, Keyv>;
  const stored = (namespace: Namespace, key: string) => `${namespace}:${key}`;
  const historyRange = (identity: string) => prefixRange(stored('history', historyPrefix(identity)));
  let closed = false;

  return {
    kind: 'sqlite',
    kv,
    ...sqliteIntentOps(file, (key) => stored('claims', key)),
    ready: () => Promise.resolve(),
    async replaceIfUnchanged(namespace, key, expected, next) {
      const { changes } = await file.run('UPDATE {t} SET value = ? WHERE key = ? AND value = ?', (s) => s.run(next, stored(namespace, key), expected));
      file.wrote();
      return changes === 1;
    },
    async claim(key, ttlMs) {
      // Inserts, or takes over a row whose claim has expired; a live claim is left alone (0 changes).
      // The clock is read at each attempt: a claim that waited for a lock still lasts ttlMs.
      const { changes } = await file.run(
        SQLITE_CLAIM,
        (s) => {
          const now = Date.now();
          return s.run(stored('claims', key), serializeEntry({ value: true, expires: now + ttlMs }), now + ttlMs, now);
        },
      );
      file.wrote();
      return changes === 1;
    },
    async reserveTurn(key, intervalMs, maxWaitMs) {
      // `expires` is when the next turn may start; past it (or absent) the queue is idle. One
      // statement under the file's write lock: atomic across processes. The clock is read at
      // each attempt, so a turn that waited for another process's lock is still measured from now.
      let now = Date.now();
      const row = (await file.run(
        `INSERT INTO {t} (key, value, expires) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET expires = MAX(COALESCE({t}.expires, 0), excluded.expires - ?) + ?
         WHERE MAX(COALESCE({t}.expires, 0), excluded.expires - ?) - ? <= ?
         RETURNING expires`,
        (s) => {
          now = Date.now();
          return s.get(stored('claims', key), TURN_VALUE, now + intervalMs, intervalMs, intervalMs, intervalMs, now, maxWaitMs);
        },
      )) as { expires: number } | undefined;
      file.wrote();
      if (row) return { ok: true, waitMs: Math.max(0, row.expires - intervalMs - now) };
      const held = (await file.run('SELECT expires FROM {t} WHERE key = ?', (s) => s.get(stored('claims', key)))) as { expires: number | null } | undefined;
      return { ok: false, retryAfterMs: Math.max(1, (held?.expires ?? now) - now - maxWaitMs) };
    },
    async appendHistory(_identity, key, entry) {
      await kv.history.set(key, entry);
    },
    async removeHistoryEntry(_identity, key) {
      await kv.history.delete(key);
    },
    async listHistory(identity, limit) {
      const [low, high] = historyRange(identity);
      const rows = (await file.run('SELECT value FROM {t} WHERE key >= ? AND key < ? ORDER BY key DESC LIMIT ?', (s) =>
        s.all(low, high, limit),
      )) as Array<{ value: string }>;
      return rows.map((row) => deserializeEntry(row.value)?.value);
    },
    async deleteHistory(identity) {
      const [low, high] = historyRange(identity);
      await file.run('DELETE FROM {t} WHERE key >= ? AND key < ?', (s) => s.run(low, high));
    },
    async listKeys(namespace) {
      const prefix = `${namespace}:`;
      const [low, high] = prefixRange(prefix);
      const rows = (await file.run('SELECT key FROM {t} WHERE key >= ? AND key < ?', (s) => s.all(low, high))) as Array<{ key: string }>;
      return rows.map((row) => row.key.slice(prefix.length));
    },
    close() {
      if (!closed) {
        closed = true;
        file.close();
      }
      return Promise.resolve();
    },
  };
}
