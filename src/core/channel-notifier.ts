/**
 * Delivers notifier events to admin channels for one platform. The engine raises events; a
 * platform adapter supplies a NotificationTarget (which scopes it owns, how to post); this
 * module decides what is posted where and when:
 * - scoped events go to the scope's notification channel (key events only when switched on);
 * - a burst of the same kind within NOTIFY_COALESCE_SECONDS becomes one summary: the first
 *   event is posted at once, the rest of the window as "N … in the last minute";
 * - "service looks down" / "recovered" are posted once per scope across replicas: a replica
 *   posts to a scope only if it wins the shared claim for that transition there, and releases
 *   the opposite one.
 * Failures are logged and never reach the user's command.
 */
import type { Logger } from '../ops/logger.js';
import type { Store } from '../store/types.js';
import { addToBurst, burstReply, notificationReply, startBurst, type Burst } from './messages/index.js';
import type { Notifier, NotifierEvent } from './notifier.js';
import type { Reply } from './types.js';

export type NotificationTarget = {
  /** Whether this platform delivers for a scope (`slack:T1` for Slack, `discord:<guild>` for Discord). */
  owns(scope: string): boolean;
  /** The scopes that should hear about global events (the service's outages). */
  scopes(): string[];
  post(scope: string, channelId: string, reply: Reply): Promise<void>;
};

type Scoped = Extract<NotifierEvent, { scope: string }>;
type Outage = Exclude<NotifierEvent, { scope: string }>;

/** How long an outage transition stays claimed if the replica holding it dies before releasing. */
const OUTAGE_CLAIM_SECONDS = 24 * 60 * 60;
const OUTAGE_CLAIMS = { service_down: 'notify:outage:down', service_recovered: 'notify:outage:recovered' } as const;

export type ChannelNotifier = Notifier & {
  /** Posts what is waiting in open windows now (shutdown, tests). */
  flush(): Promise<void>;
  /** Resolves when every delivery started so far has finished. */
  idle(): Promise<void>;
  /** Posts what is still coalescing, waits for deliveries, and ignores events from then on. */
  close(): Promise<void>;
};

export function createChannelNotifier(options: {
  store: Pick<Store, 'getSettings' | 'claimOnce' | 'releaseClaim'>;
  target: NotificationTarget;
  coalesceSeconds: number;
  log: Logger;
}): ChannelNotifier {
  const { store, target, coalesceSeconds, log } = options;
  // Per scope and kind: the burst so far (counts and a few names) and who was counted.
  const windows = new Map<string, { burst?: Burst; seen: Set<string>; timer: NodeJS.Timeout }>();
  const inFlight = new Set<Promise<void>>();

  const track = (work: Promise<void>) => {
    const done = work.catch((error: unknown) => { log.warn({ err: error }, 'admin notification failed'); }).finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  async function postToScope(scope: string, reply: Reply, onlyIfKeyEvents = false): Promise<void> {
    const settings = await store.getSettings(scope);
    if (!settings.notifyChannel) return;
    if (onlyIfKeyEvents && !settings.keyEvents) return;
    await target.post(scope, settings.notifyChannel, reply);
  }

  const isKeyEvent = (event: Scoped) => event.type === 'key_linked' || event.type === 'key_removed';

  function closeWindow(id: string): void {
    const window = windows.get(id);
    if (!window) return;
    windows.delete(id);
    const { burst } = window;
    if (!burst) return;
    // More arrived during the window: post the summary, and keep coalescing what follows.
    openWindow(id);
    const reply = burst.count === 1 ? notificationReply(burst.first) : burstReply(burst, coalesceSeconds);
    track(postToScope(burst.first.scope, reply, isKeyEvent(burst.first)));
  }

  function openWindow(id: string): void {
    const timer = setTimeout(() => { closeWindow(id); }, coalesceSeconds * 1000);
    timer.unref();
    windows.set(id, { seen: new Set(), timer });
  }

  function scoped(event: Scoped): void {
    if (!target.owns(event.scope)) return;
    const id = `${event.scope}|${event.type}`;
    const window = windows.get(id);
    if (window) {
      window.burst ??= startBurst(event);
      addToBurst(window.burst, event, window.seen);
      return;
    }
    if (coalesceSeconds > 0) openWindow(id);
    track(postToScope(event.scope, notificationReply(event), isKeyEvent(event)));
  }

  async function outage(event: Outage): Promise<void> {
    const mine = OUTAGE_CLAIMS[event.type];
    const opposite = event.type === 'service_down' ? OUTAGE_CLAIMS.service_recovered : OUTAGE_CLAIMS.service_down;
    const reply = notificationReply(event);
    // Claimed per scope, not once globally: replicas serving the same workspace/guild post once,
    // while another platform's notifier on the same store (Slack and Discord in one deployment)
    // still tells its own admins.
    await Promise.all(target.scopes().map(async (scope) => {
      if (!(await store.claimOnce(`${mine}:${scope}`, OUTAGE_CLAIM_SECONDS))) return; // another replica already said it
      await store.releaseClaim(`${opposite}:${scope}`);
      await postToScope(scope, reply);
    }));
  }

  // After close() the platform is going away: later events are dropped, not half-delivered.
  let closed = false;
  return {
    notify(event) {
      if (closed) return;
      try {
        if ('scope' in event) scoped(event);
        else track(outage(event));
      } catch (error) {
        log.warn({ err: error }, 'admin notification failed');
      }
    },
    async flush() {
      for (const [id, window] of [...windows]) {
        clearTimeout(window.timer);
        closeWindow(id);
        const reopened = windows.get(id);
        if (reopened) clearTimeout(reopened.timer);
        windows.delete(id);
      }
      await this.idle();
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async close() {
      closed = true;
      await this.flush();
    },
  };
}
