/**
 * Durable command intents on the SQL backends (see store/intents.ts): one row per intent in the
 * store's own table, key `intent:<id>`, value the JSON of its fields (box, owner, lease,
 * takeovers, created), expiring (the table's expiry column) after the longest life of a
 * command. The rows of the intents in flight are one key range, so "which leases ended" is an
 * index range scan over the few commands in flight, never over the whole table.
 */
import type { IntentRow } from '../backend.js';
import { prefixRange } from '../layout.js';

export const INTENT_PREFIX = 'intent:';
export const INTENT_RANGE = prefixRange(INTENT_PREFIX);

export function intentValue(row: IntentRow): string {
  return JSON.stringify({ box: row.box, owner: row.owner, lease: row.lease, takeovers: row.takeovers, created: row.created });
}

/** The row of a stored key and value, or undefined when the value is not an intent. */
export function intentFromStored(key: string, value: unknown): IntentRow | undefined {
  if (typeof value !== 'string' || !key.startsWith(INTENT_PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const { owner, lease, takeovers, created } = parsed;
    if (typeof owner !== 'string' || typeof lease !== 'number' || typeof created !== 'number') return undefined;
    return { id: key.slice(INTENT_PREFIX.length), box: parsed.box, owner, lease, takeovers: typeof takeovers === 'number' ? takeovers : 0, created };
  } catch {
    return undefined;
  }
}
