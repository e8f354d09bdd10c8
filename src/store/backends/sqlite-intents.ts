/**
 * Durable command intents on SQLite (layout: sql-intents.ts). The seen-mark and the intent row
 * are written in one IMMEDIATE transaction (better-sqlite3 runs it synchronously: one step for
 * the event loop, all or nothing for a process killed meanwhile); the rest are single
 * statements, which SQLite runs under its write lock, so they are atomic across processes.
 */
import type Database from 'better-sqlite3';
import type { Backend } from '../backend.js';
import { serializeEntry } from '../codec.js';
import { SQLITE_CLAIM } from './claim-sql.js';
import type { SqliteFile } from './sqlite-file.js';
import { INTENT_PREFIX, INTENT_RANGE, intentFromStored, intentValue } from './sql-intents.js';

type IntentOps = Pick<Backend, 'beginIntent' | 'renewIntents' | 'finishIntents' | 'expiredIntents' | 'takeIntent'>;

const PUT = `INSERT INTO {t} (key, value, expires) VALUES (?, ?, ?)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires`;

export function sqliteIntentOps(file: SqliteFile, claimKey: (key: string) => string): IntentOps {
  // Prepared once per connection (SqliteFile reopens after a failure), not once per command.
  const puts = new WeakMap<Database.Database, Database.Statement>();
  const put = (db: Database.Database) => {
    let statement = puts.get(db);
    if (!statement) puts.set(db, (statement = db.prepare(PUT.replaceAll('{t}', file.table))));
    return statement;
  };
  /** One statement per id, in one transaction (SQLite has no array parameters). */
  const eachId = async (sql: string, ids: readonly string[], values: (id: string) => unknown[]) => {
    await file.run(sql, (s) => {
      s.database.transaction(() => { for (const id of ids) s.run(...values(INTENT_PREFIX + id)); }).immediate();
    });
  };
  return {
    async beginIntent(seenKey, seenTtlMs, row, maxAgeMs) {
      const first = await file.run(SQLITE_CLAIM, (claim) => claim.database.transaction(() => {
        const now = Date.now();
        if (claim.run(claimKey(seenKey), serializeEntry({ value: true, expires: now + seenTtlMs }), now + seenTtlMs, now).changes !== 1) return false;
        put(claim.database).run(INTENT_PREFIX + row.id, intentValue(row), now + maxAgeMs);
        return true;
      }).immediate());
      file.wrote();
      return first;
    },
    async renewIntents(owner, ids, lease) {
      if (ids.length === 0) return;
      await eachId(`UPDATE {t} SET value = json_set(value, '$.lease', ?) WHERE key = ? AND json_extract(value, '$.owner') = ?`, ids, (key) => [Math.floor(lease), key, owner]);
    },
    async finishIntents(ids) {
      if (ids.length === 0) return;
      await eachId('DELETE FROM {t} WHERE key = ?', ids, (key) => [key]);
    },
    async expiredIntents(now, limit) {
      const rows = (await file.run(
        `SELECT key, value FROM {t} WHERE key >= ? AND key < ? AND json_extract(value, '$.lease') <= ?
         ORDER BY json_extract(value, '$.lease') LIMIT ?`,
        (s) => s.all(...INTENT_RANGE, Math.floor(now), limit),
      )) as Array<{ key: string; value: string }>;
      return rows.flatMap((r) => intentFromStored(r.key, r.value) ?? []);
    },
    async takeIntent(id, from, to) {
      const { changes } = await file.run(
        `UPDATE {t} SET value = json_set(value, '$.owner', ?, '$.lease', ?, '$.takeovers', COALESCE(json_extract(value, '$.takeovers'), 0) + 1)
         WHERE key = ? AND json_extract(value, '$.owner') = ? AND json_extract(value, '$.lease') = ?`,
        (s) => s.run(to.owner, Math.floor(to.lease), INTENT_PREFIX + id, from.owner, Math.floor(from.lease)),
      );
      return changes === 1;
    },
  };
}
