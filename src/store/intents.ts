/**
 * Durable command intents: what a front door wrote down before acknowledging a command, so a
 * process killed after the ack leaves it for another (or for itself, restarted) to finish. The
 * record carries the person's own words and where to answer, so it is sealed like an API key
 * (seal.ts), bound to the intent's id so a box copied onto another intent does not open. The
 * backends keep the rows and their leases (backend.ts: beginIntent & co); this module seals,
 * opens and bounds the keys.
 */
import type { Backend } from './backend.js';
import type { Guard } from './guard.js';
import { boundedKeyPart } from './layout.js';
import { openBytes, sealBytes, SEAL_VERSION, type SealingKey } from './seal.js';

/** What the front door needs to run the command again: opaque here, sealed whole. */
export type IntentPayload = Record<string, unknown>;

/** An intent as read back: `payload` is undefined when the box cannot be opened (another secret, damage). */
export type StoredIntent = { id: string; owner: string; lease: number; takeovers: number; created: number; payload: IntentPayload | undefined };

export type NewIntent = { owner: string; lease: number; created: number; payload: IntentPayload };

export type IntentRecords = {
  /** The id `begin(seenKey, …)` writes under (known before the write lands, or even if it never answers). */
  idOf(seenKey: string): string;
  /**
   * One write: the delivery's seen-mark `seenKey` (kept `seenTtlMs`) and the sealed intent, whose
   * id is returned; undefined when the delivery was seen already (a redelivery: nothing written).
   */
  begin(seenKey: string, seenTtlMs: number, intent: NewIntent, maxAgeMs: number): Promise<string | undefined>;
  renew(owner: string, ids: readonly string[], lease: number): Promise<void>;
  finish(ids: readonly string[]): Promise<void>;
  expired(now: number, limit: number): Promise<StoredIntent[]>;
  /** true for exactly one caller: the intent is now `owner`'s until `lease`. */
  take(intent: StoredIntent, owner: string, lease: number): Promise<boolean>;
};

function additionalData(id: string): Buffer {
  return Buffer.from(`handle-bot/intent/v${SEAL_VERSION}\u0000${id}`, 'utf8');
}

export function createIntentRecords(deps: { backend: Backend; guard: Guard; current: SealingKey; previous?: SealingKey | undefined }): IntentRecords {
  const { backend, guard, current } = deps;
  const keys = deps.previous ? [current, deps.previous] : [current];

  function open(id: string, box: unknown): IntentPayload | undefined {
    const opened = openBytes(box, additionalData(id), keys);
    if (!opened.ok) return undefined;
    try {
      const parsed: unknown = JSON.parse(opened.plain.toString('utf8'));
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as IntentPayload) : undefined;
    } catch {
      return undefined;
    } finally {
      opened.plain.fill(0);
    }
  }

  return {
    idOf: (seenKey) => boundedKeyPart(seenKey),
    begin(seenKey, seenTtlMs, intent, maxAgeMs) {
      // The seen-mark is the one `claimOnce(seenKey)` would write; the intent is named after it.
      const id = boundedKeyPart(seenKey);
      const box = sealBytes(Buffer.from(JSON.stringify(intent.payload), 'utf8'), additionalData(id), current);
      const row = { id, box, owner: intent.owner, lease: intent.lease, takeovers: 0, created: intent.created };
      return guard('beginIntent', async () => ((await backend.beginIntent(id, Math.ceil(seenTtlMs), row, Math.ceil(maxAgeMs))) ? id : undefined));
    },
    renew(owner, ids, lease) {
      return guard('renewIntents', () => backend.renewIntents(owner, ids, lease));
    },
    finish(ids) {
      return guard('finishIntents', () => backend.finishIntents(ids));
    },
    expired(now, limit) {
      return guard('expiredIntents', async () => (await backend.expiredIntents(now, limit)).map((row) => ({
        id: row.id, owner: row.owner, lease: row.lease, takeovers: row.takeovers, created: row.created, payload: open(row.id, row.box),
      })));
    },
    take(intent, owner, lease) {
      return guard('takeIntent', () => backend.takeIntent(intent.id, { owner: intent.owner, lease: intent.lease }, { owner, lease }));
    },
  };
}
