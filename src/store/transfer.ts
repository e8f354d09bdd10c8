/**
 * Every record of a store as plain objects, and back: what `handle-bot export` writes as
 * newline-delimited JSON and `handle-bot import` loads into any backend. Values are moved as
 * stored: a link stays sealed (its secret id travels with it), history and settings as they
 * are, claims (delivery dedupe, cooldowns, onboarding markers) with their expiry time.
 *
 * Loading is idempotent: the same record written twice is stored once (history keys are unique,
 * claims are only taken when absent), and a link newer than the imported one is kept.
 */
import type { Backend } from './backend.js';
import { storedText, UNREADABLE_VALUE } from './codec.js';
import { identityOfHistoryKey, NAMESPACES, type Namespace } from './layout.js';
import { kidOf } from './sealing-inspection.js';

export type StoreRecord = { ns: Namespace; key: string; value: unknown; expires?: number };
export type ImportTally = { written: number; unchanged: number; keptNewer: number; expired: number };

const BATCH = 200;

/** Every live record, namespace by namespace, in batches (never the whole store in memory). */
export async function* readRecords(backend: Backend): AsyncGenerator<StoreRecord> {
  for (const ns of NAMESPACES) {
    const keys = (await backend.listKeys(ns)).sort();
    for (let start = 0; start < keys.length; start += BATCH) {
      const batch = keys.slice(start, start + BATCH);
      const rows = await backend.kv[ns].getManyRaw<unknown>(batch);
      for (const [index, row] of rows.entries()) {
        const key = batch[index];
        if (row === undefined || key === undefined) continue; // gone or expired meanwhile
        if (row.value === UNREADABLE_VALUE) throw new Error(`the stored ${ns} record "${key}" is not readable JSON: export stopped`);
        yield typeof row.expires === 'number' ? { ns, key, value: row.value, expires: row.expires } : { ns, key, value: row.value };
      }
    }
  }
}

/** A record from an export line, checked; throws with what is wrong. */
export function parseRecord(input: unknown): StoreRecord {
  if (input === null || typeof input !== 'object') throw new Error('not a JSON object');
  const { ns, key, value, expires } = input as Record<string, unknown>;
  if (typeof ns !== 'string' || !(NAMESPACES as readonly string[]).includes(ns)) throw new Error(`"ns" must be one of ${NAMESPACES.join(', ')}`);
  if (typeof key !== 'string' || key === '' || key.length > 240) throw new Error('"key" must be a string of 1–240 characters');
  if (value === undefined) throw new Error('"value" is missing');
  if (expires !== undefined && (typeof expires !== 'number' || !Number.isFinite(expires))) throw new Error('"expires" must be a number (epoch ms)');
  if (ns === 'history' && (identityOfHistoryKey(key) === undefined || !hasNumber(value, 'at'))) {
    throw new Error('a history record needs a key "<identity>|…" and a value with "at"');
  }
  if (ns === 'links' && kidOf(value) === undefined) {
    throw new Error('a link must be a sealed record (with "kid")');
  }
  return { ns: ns as Namespace, key, value, ...(expires === undefined ? {} : { expires }) };
}

function hasNumber(value: unknown, field: string): boolean {
  return value !== null && typeof value === 'object' && typeof Reflect.get(value, field) === 'number';
}

function linkedAt(value: unknown): number {
  return hasNumber(value, 'linkedAt') ? (Reflect.get(value as object, 'linkedAt') as number) : 0;
}

/** Writes one record; says what it did. */
export async function writeRecord(backend: Backend, record: StoreRecord, now = Date.now()): Promise<keyof ImportTally> {
  const { ns, key, value } = record;
  if (record.expires !== undefined && record.expires <= now) return 'expired';
  if (ns === 'claims') {
    // A claim is only ever taken when absent: an existing one (ours or newer) stands.
    if (record.expires === undefined) return 'unchanged';
    return (await backend.claim(key, record.expires - now)) ? 'written' : 'unchanged';
  }
  const existing = await backend.kv[ns].getRaw<unknown>(key);
  if (existing !== undefined && storedText(existing.value) === storedText(value)) return 'unchanged';
  if (ns === 'links' && existing !== undefined && linkedAt(existing.value) > linkedAt(value)) return 'keptNewer';
  if (ns === 'history') {
    const identity = identityOfHistoryKey(key);
    if (identity === undefined) throw new Error(`history key "${key}" names no identity`);
    await backend.appendHistory(identity, key, value, (value as { at: number }).at);
    return 'written';
  }
  await backend.kv[ns].set(key, value, record.expires === undefined ? undefined : record.expires - now);
  return 'written';
}
