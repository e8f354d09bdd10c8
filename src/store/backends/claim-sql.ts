/**
 * The claim upsert of the SQL backends, written once: `claim` runs it alone, and `beginIntent`
 * runs it as the seen-mark half of its one write. It inserts the row, or takes over a row whose
 * claim has expired; a live claim is left alone (no change, no RETURNING row).
 */

/** SQLite (`{t}`: the table): key, value, expires (ms), now (ms). */
export const SQLITE_CLAIM = `INSERT INTO {t} (key, value, expires) VALUES (?, ?, ?)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires
  WHERE {t}.expires IS NOT NULL AND {t}.expires <= ?`;

/** Postgres: $1 key, $2 value, $3 time to live in ms; without RETURNING (the caller adds it). */
export function postgresClaim(table: string): string {
  return `INSERT INTO ${table} AS existing (key, value, expires_at) VALUES ($1, $2, now() + $3::bigint * interval '1 millisecond')
   ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
   WHERE existing.expires_at IS NOT NULL AND existing.expires_at <= now()`;
}
