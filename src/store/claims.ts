/**
 * Write-ahead claims: a create is recorded as `pending` in the person's history before the mail
 * service is asked, and the same record is settled after — overwritten with what happened
 * (`claimed`, `unconfirmed`), or removed when the service said no. A process killed in between
 * leaves the pending record, so `list` can say the handle may be theirs instead of forgetting
 * a claim the service may have made.
 */
import type { Identity } from '../domain/identity.js';
import type { Backend } from './backend.js';
import type { Guard } from './guard.js';
import { historyKey } from './layout.js';
import type { HistoryEntry, PendingClaim, SettledStatus } from './types.js';

export type ClaimJournal = {
  beginClaim(identity: Identity, entry: { handle: string; at: number; requestId?: string }): Promise<PendingClaim>;
  settleClaim(claim: PendingClaim, status: SettledStatus | undefined): Promise<void>;
};

export function createClaimJournal(backend: Backend, guard: Guard): ClaimJournal {
  const entryOf = (claim: PendingClaim, status: HistoryEntry['status']): HistoryEntry => ({
    handle: claim.handle, status, at: claim.at, ...(claim.requestId === undefined ? {} : { requestId: claim.requestId }),
  });
  return {
    beginClaim(identity, entry) {
      const at = Math.floor(entry.at);
      const claim: PendingClaim = { identity, key: historyKey(identity, at), handle: entry.handle, at, ...(entry.requestId === undefined ? {} : { requestId: entry.requestId }) };
      return guard('beginClaim', async () => {
        await backend.appendHistory(identity, claim.key, entryOf(claim, 'pending'), at);
        return claim;
      });
    },
    settleClaim(claim, status) {
      // The same key: the settled record replaces the pending one (it keeps the attempt's time).
      return guard('settleClaim', async () => {
        if (status === undefined) await backend.removeHistoryEntry(claim.identity, claim.key);
        else await backend.appendHistory(claim.identity, claim.key, entryOf(claim, status), claim.at);
      });
    },
  };
}
