/**
 * How often one person may have the mail service e-mail a new key: every request makes the
 * service send mail to an address they choose, out of a quota the whole bot shares, so one
 * person must not use it up for everyone. Counted in the store (claims every replica shares):
 * at most one request every KEY_REQUEST_INTERVAL_SECONDS, and KEY_REQUESTS_PER_DAY in 24 hours.
 */
import type { Identity } from '../domain/identity.js';
import type { Store } from '../store/types.js';

const DAY_SECONDS = 24 * 60 * 60;

export type KeyRequestLimits = { intervalSeconds: number; perDay: number };

export type KeyRequestAllowance =
  | { ok: true }
  | { ok: false; rule: 'interval'; retryAfterSeconds: number }
  | { ok: false; rule: 'daily' };

/**
 * Spends one of the person's key requests, or says which rule stands in the way. Rejects with
 * StorageUnavailableError when the store cannot count: the request is then not sent either.
 */
export async function spendKeyRequest(store: Pick<Store, 'reserveTurn' | 'claimOnce'>, identity: Identity, limits: KeyRequestLimits): Promise<KeyRequestAllowance> {
  if (limits.intervalSeconds > 0) {
    // A queue that never waits: the turn is free now, or the refusal says when it will be.
    const turn = await store.reserveTurn(`key-request:${identity}`, limits.intervalSeconds, 0);
    if (!turn.ok) return { ok: false, rule: 'interval', retryAfterSeconds: Math.max(1, Math.ceil(turn.retryAfterMs / 1000)) };
  }
  // One slot per request of the day, each held for 24 hours from when it was taken.
  for (let slot = 0; slot < limits.perDay; slot += 1) {
    if (await store.claimOnce(`key-request:${identity}:day:${slot}`, DAY_SECONDS)) return { ok: true };
  }
  return limits.perDay > 0 ? { ok: false, rule: 'daily' } : { ok: true };
}
