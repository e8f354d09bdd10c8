/**
 * The claim ledger's memory while the store is away: bounded (the oldest settlement goes first,
 * logged and counted), written in order once the store answers, and never a rejection for the
 * command that settles.
 */
import { describe, expect, it } from 'vitest';
import { createClaimLedger, type LedgerEvent } from '../../src/core/claim-ledger.js';
import { createLogger } from '../../src/ops/logger.js';
import { StorageUnavailableError, type PendingClaim, type SettledStatus } from '../../src/store/types.js';

describe('the claim ledger', () => {
  it('keeps at most `limit` settlements while the store fails, drops the oldest, then writes the rest in order', async () => {
    let up = false;
    const written: string[] = [];
    const events: LedgerEvent[] = [];
    const store = {
      beginClaim: (identity: string, entry: { handle: string; at: number }) => Promise.resolve<PendingClaim>({ identity, key: entry.handle, handle: entry.handle, at: entry.at }),
      settleClaim: (claim: PendingClaim, status: SettledStatus | undefined) => {
        if (!up) return Promise.reject(new StorageUnavailableError('down'));
        written.push(`${claim.handle}:${status ?? 'gone'}`);
        return Promise.resolve();
      },
    };
    const ledger = createClaimLedger({ store, log: createLogger({ level: 'silent' }), limit: 2, retryMs: 60_000, onEvent: (event) => { events.push(event); } });
    for (const handle of ['a', 'b', 'c']) await ledger.settle(await ledger.begin('console:x', handle, `hb-${handle}`), 'claimed');
    expect(ledger.waiting()).toBe(2);
    expect(events).toEqual(['kept', 'kept', 'dropped', 'kept']);
    up = true;
    await ledger.flush();
    expect(written).toEqual(['b:claimed', 'c:claimed']);
    expect(ledger.waiting()).toBe(0);
    await ledger.close();
  });
});
