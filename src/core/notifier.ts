/**
 * Admin notifications: the core raises events; adapters deliver them to the configured
 * channel (issue: admin notifications). Never carries a key or a full owner e-mail.
 */
import type { Identity } from '../domain/identity.js';
import type { BanKind } from '../mail-api/outcomes.js';

export type NotifierEvent =
  | { type: 'handle_claimed'; scope: string; who: Identity; handle: string }
  | { type: 'handle_deleted'; scope: string; who: Identity; handle: string }
  | { type: 'owner_banned'; scope: string; who: Identity; banKind: BanKind | 'unknown' }
  | { type: 'service_down'; failures: number }
  | { type: 'service_recovered' }
  | { type: 'key_linked'; scope: string; who: Identity }
  | { type: 'key_removed'; scope: string; who: Identity }
  /** A newcomer's welcome message could not be delivered (DMs closed). */
  | { type: 'welcome_undeliverable'; scope: string; who: Identity };

export interface Notifier {
  /** Never throws and never delays the user's command: delivery failures are logged. */
  notify(event: NotifierEvent): void;
}

/** Until a platform delivers notifications (and on the console), events are logged. */
export function loggingNotifier(log: { info(obj: object, msg: string): void }): Notifier {
  return {
    notify(event) {
      log.info({ notification: event }, `admin notification: ${event.type}`);
    },
  };
}
