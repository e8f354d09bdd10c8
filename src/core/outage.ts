/**
 * Notices when the mail service looks down: OUTAGE_THRESHOLD consecutive faults (5xx,
 * timeouts, unreachable) across all users raise one `service_down`; the next healthy answer
 * raises one `service_recovered`. One message each way, never one per failure.
 */
import { isServiceFault, type MailApi, type MailOutcome } from '../mail-api/outcomes.js';
import type { Notifier } from './notifier.js';

export type OutageTracker = { observe(outcome: MailOutcome): void; readonly down: boolean };

export function createOutageTracker(threshold: number, notifier: Notifier): OutageTracker {
  let consecutiveFaults = 0;
  let down = false;
  return {
    get down() {
      return down;
    },
    observe(outcome) {
      if (isServiceFault(outcome)) {
        consecutiveFaults++;
        if (!down && consecutiveFaults >= threshold) {
          down = true;
          notifier.notify({ type: 'service_down', failures: consecutiveFaults });
        }
        return;
      }
      consecutiveFaults = 0;
      if (down) {
        down = false;
        notifier.notify({ type: 'service_recovered' });
      }
    },
  };
}

/** The same client, with every outcome shown to the tracker. */
export function observeOutages(mail: MailApi, tracker: OutageTracker): MailApi {
  const seen = <T extends MailOutcome>(outcome: T): T => {
    tracker.observe(outcome);
    return outcome;
  };
  return {
    createHandle: async (key, handle, call) => seen(await mail.createHandle(key, handle, call)),
    deleteHandle: async (key, handle, call) => seen(await mail.deleteHandle(key, handle, call)),
    checkKey: async (key, call) => seen(await mail.checkKey(key, call)),
    requestCredentials: async (email, days, call) => seen(await mail.requestCredentials(email, days, call)),
    domains: async (call) => seen(await mail.domains(call)),
    close: () => mail.close(),
  };
}
