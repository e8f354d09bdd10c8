/**
 * Nothing a user was told is lost: every create is written ahead as `pending` (the store must
 * take it, or the service is not asked), and settled after. A settlement the store cannot take
 * right then is kept here — in memory, bounded, logged and counted — and written as soon as the
 * store answers again, so a claim the channel heard about shows in `list` once the store is back.
 */
import type { Logger } from '../ops/logger.js';
import type { Identity } from '../domain/identity.js';
import type { PendingClaim, SettledStatus, Store } from '../store/types.js';

/** What happened to a settlement that missed the store (for metrics). */
export type LedgerEvent = 'kept' | 'written' | 'dropped';

export type ClaimLedger = {
  /** Records a create as pending; rejects (StorageUnavailableError) when the store cannot take it. */
  begin(identity: Identity, handle: string, requestId: string): Promise<PendingClaim>;
  /** Settles it (`undefined`: the service said no, the record goes); never rejects. */
  settle(claim: PendingClaim, status: SettledStatus | undefined): Promise<void>;
  /** Settlements waiting for the store. */
  waiting(): number;
  /** Tries to write every waiting settlement now; resolves when the attempt is over. */
  flush(): Promise<void>;
  /** Stops retrying after one last attempt. */
  close(): Promise<void>;
};

export type ClaimLedgerOptions = {
  store: Pick<Store, 'beginClaim' | 'settleClaim'>;
  log: Logger;
  /** Most settlements kept while the store is away; the oldest goes first (its pending record stays, shown as "may be yours"). */
  limit?: number;
  retryMs?: number;
  onEvent?: (event: LedgerEvent, waiting: number) => void;
};

type Settlement = { claim: PendingClaim; status: SettledStatus | undefined };

export function createClaimLedger(options: ClaimLedgerOptions): ClaimLedger {
  const { store, log } = options;
  const limit = options.limit ?? 1000;
  const retryMs = options.retryMs ?? 2000;
  const queue: Settlement[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let closed = false;
  const event = (name: LedgerEvent) => options.onEvent?.(name, queue.length);

  function keep(settlement: Settlement, error: unknown): void {
    queue.push(settlement);
    if (queue.length > limit) {
      const dropped = queue.shift();
      log.error({ requestId: dropped?.claim.requestId, waiting: queue.length }, 'too many settled claims waiting for the store: the oldest is dropped (its pending record stays)');
      event('dropped');
    }
    log.warn({ err: error, requestId: settlement.claim.requestId, status: settlement.status ?? 'refused', waiting: queue.length }, 'the store could not take a settled claim: kept in memory until it answers again');
    event('kept');
    schedule();
  }

  function schedule(): void {
    if (timer || closed || queue.length === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush().finally(schedule);
    }, retryMs);
    timer.unref();
  }

  async function writeWaiting(): Promise<void> {
    while (queue.length > 0) {
      const next = queue[0] as Settlement;
      try {
        await store.settleClaim(next.claim, next.status);
      } catch {
        return; // still away: try again later, in order
      }
      queue.shift();
      log.info({ requestId: next.claim.requestId, waiting: queue.length }, 'a settled claim kept in memory is written now');
      event('written');
    }
  }

  function flush(): Promise<void> {
    flushing ??= writeWaiting().finally(() => { flushing = undefined; });
    return flushing;
  }

  return {
    begin(identity, handle, requestId) {
      return store.beginClaim(identity, { handle, at: Date.now(), requestId });
    },
    async settle(claim, status) {
      try {
        await store.settleClaim(claim, status);
      } catch (error) {
        keep({ claim, status }, error);
        return;
      }
      // The store answers: anything kept from an earlier failure goes now.
      if (queue.length > 0) void flush();
    },
    waiting: () => queue.length,
    flush,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await flush();
      if (queue.length > 0) log.error({ waiting: queue.length }, 'stopping with settled claims the store never took (their pending records stay, shown as "may be yours")');
    },
  };
}
