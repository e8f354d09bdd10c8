/**
 * What the key store needs from a backend: one keyv per namespace for plain reads and writes,
 * plus the few operations keyv cannot express atomically, each done with the backend's own
 * primitive (see the implementations in ./backends/).
 */
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import { deserializeEntry, serializeEntry } from './codec.js';
import type { Turn } from './types.js';
import type { Namespace } from './layout.js';

export type BackendKind = 'sqlite' | 'redis' | 'postgres';

export type { Turn } from './types.js';

/**
 * One acknowledged command not yet answered, as a backend keeps it (store/intents.ts seals the
 * box): who runs it (`owner`, a process) until when (`lease`, epoch ms), how often another
 * process took it over, and when it arrived.
 */
export type IntentRow = { id: string; box: unknown; owner: string; lease: number; takeovers: number; created: number };

export interface Backend {
  readonly kind: BackendKind;
  readonly kv: Readonly<Record<Namespace, Keyv>>;
  /** Resolves when the backend can take commands, or soon anyway (the command then fails fast). */
  ready(): Promise<void>;
  /**
   * Replaces `key` in `namespace` only while it still holds exactly `expected` (stored text,
   * see codec.storedText). Lets read-modify-write paths (meta updates, re-sealing) lose to a
   * concurrent `setKey` instead of resurrecting an older key.
   */
  replaceIfUnchanged(namespace: Namespace, key: string, expected: string, next: string): Promise<boolean>;
  /** true for exactly one caller until `ttlMs` has passed; an expired claim can be won again. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /**
   * The next turn of a queue whose turns start at least `intervalMs` apart (the `claims`
   * namespace holds when the next turn may start): atomically, a turn starting in `waitMs`
   * (0 when the queue is idle), or — when that would be more than `maxWaitMs` away — none,
   * and how long until one would be. Times are the backend's own clock, so replicas agree.
   */
  reserveTurn(key: string, intervalMs: number, maxWaitMs: number): Promise<Turn>;
  /** Writes one history record (key from layout.historyKey). */
  appendHistory(identity: string, key: string, entry: unknown, at: number): Promise<void>;
  /** Removes one history record, and its place in the identity's index where the backend keeps one. */
  removeHistoryEntry(identity: string, key: string): Promise<void>;
  /** Decoded values of one identity's history records, newest first. */
  listHistory(identity: string, limit: number): Promise<unknown[]>;
  deleteHistory(identity: string): Promise<void>;
  /** Every key in a namespace (without the namespace prefix). For rare, whole-store jobs. */
  listKeys(namespace: Namespace): Promise<string[]>;
  close(): Promise<void>;

  // Durable command intents (store/intents.ts): one row per acknowledged command until answered.
  /**
   * Atomically, in one round trip: the delivery's seen-mark (as `claim(seenKey, seenTtlMs)`)
   * and, only when that mark was free, the intent row (gone after `maxAgeMs` whatever happens).
   * false for a redelivery: nothing written.
   */
  beginIntent(seenKey: string, seenTtlMs: number, row: IntentRow, maxAgeMs: number): Promise<boolean>;
  /** Moves to `lease` the lease of each listed intent that `owner` still holds: one write for all. */
  renewIntents(owner: string, ids: readonly string[], lease: number): Promise<void>;
  /** Removes intent rows (their commands were answered). */
  finishIntents(ids: readonly string[]): Promise<void>;
  /** Up to `limit` intents whose lease ended at or before `now`, from the index of leases. */
  expiredIntents(now: number, limit: number): Promise<IntentRow[]>;
  /**
   * Hands an intent over from the owner and lease it was read with to `to`, counting one
   * takeover. Compare-and-set: true for exactly one caller across processes.
   */
  takeIntent(id: string, from: { owner: string; lease: number }, to: { owner: string; lease: number }): Promise<boolean>;
}

/** A keyv that throws instead of answering "nothing there" when the backend fails. */
export function namespaceKeyv(
  store: KeyvStoreAdapter,
  namespace: string,
  onError: (error: unknown) => void,
  options: { useKeyPrefix?: boolean } = {},
): Keyv {
  const kv = new Keyv(store, {
    namespace,
    throwOnErrors: true,
    serialize: serializeEntry,
    deserialize: deserializeEntry,
    ...(options.useKeyPrefix === undefined ? {} : { useKeyPrefix: options.useKeyPrefix }),
  });
  kv.on('error', onError);
  return kv;
}
