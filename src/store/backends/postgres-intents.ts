/**
 * Durable command intents on Postgres (layout: sql-intents.ts). Each operation is one
 * statement: the seen-mark and the intent row go in together through a data-modifying CTE, and
 * a takeover is an UPDATE whose WHERE names the owner and lease it read — under the row lock a
 * second taker re-reads the row, finds it changed and updates nothing.
 */
import type { Backend } from '../backend.js';
import { serializeEntry } from '../codec.js';
import { postgresClaim } from './claim-sql.js';
import { INTENT_PREFIX, INTENT_RANGE, intentFromStored, intentValue } from './sql-intents.js';

type Run = (sql: string, values?: unknown[]) => Promise<Array<Record<string, unknown>>>;
type IntentOps = Pick<Backend, 'beginIntent' | 'renewIntents' | 'finishIntents' | 'expiredIntents' | 'takeIntent'>;

const ms = `* interval '1 millisecond'`;
const keys = (ids: readonly string[]) => ids.map((id) => INTENT_PREFIX + id);

/** `claimWritten`: counts the seen-mark written, as `claim` counts its own (the backend sweeps expired claims every so many). */
export function postgresIntentOps(run: Run, table: string, claimKey: (key: string) => string, claimWritten: () => void): IntentOps {
  const inRange = `key COLLATE "C" >= $1 AND key COLLATE "C" < $2`;
  return {
    async beginIntent(seenKey, seenTtlMs, row, maxAgeMs) {
      const rows = await run(
        `WITH seen AS (${postgresClaim(table)} RETURNING key)
         INSERT INTO ${table} AS existing (key, value, expires_at) SELECT $4, $5, now() + $6::bigint ${ms} FROM seen
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
         RETURNING key`,
        [claimKey(seenKey), serializeEntry({ value: true, expires: Date.now() + seenTtlMs }), Math.ceil(seenTtlMs), INTENT_PREFIX + row.id, intentValue(row), Math.ceil(maxAgeMs)],
      );
      claimWritten();
      return rows.length === 1;
    },
    async renewIntents(owner, ids, lease) {
      if (ids.length === 0) return;
      await run(
        `UPDATE ${table} SET value = jsonb_set(value::jsonb, '{lease}', to_jsonb($1::bigint))::text
         WHERE key = ANY($2::text[]) AND value::jsonb->>'owner' = $3`,
        [Math.floor(lease), keys(ids), owner],
      );
    },
    async finishIntents(ids) {
      if (ids.length === 0) return;
      await run(`DELETE FROM ${table} WHERE key = ANY($1::text[])`, [keys(ids)]);
    },
    async expiredIntents(now, limit) {
      const rows = await run(
        `SELECT key, value FROM ${table} WHERE ${inRange} AND (value::jsonb->>'lease')::bigint <= $3
         ORDER BY (value::jsonb->>'lease')::bigint LIMIT $4`,
        [...INTENT_RANGE, Math.floor(now), limit],
      );
      return rows.flatMap((r) => intentFromStored(String(r.key), r.value) ?? []);
    },
    async takeIntent(id, from, to) {
      const rows = await run(
        `UPDATE ${table} SET value = jsonb_set(jsonb_set(jsonb_set(value::jsonb,
           '{owner}', to_jsonb($2::text)), '{lease}', to_jsonb($3::bigint)),
           '{takeovers}', to_jsonb(COALESCE((value::jsonb->>'takeovers')::int, 0) + 1))::text
         WHERE key = $1 AND value::jsonb->>'owner' = $4 AND (value::jsonb->>'lease')::bigint = $5
         RETURNING key`,
        [INTENT_PREFIX + id, to.owner, Math.floor(to.lease), from.owner, Math.floor(from.lease)],
      );
      return rows.length === 1;
    },
  };
}
