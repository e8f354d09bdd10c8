/**
 * Delivers notifier events to admin channels. Built once (the runtime); each platform adds a
 * NotificationTarget (which scopes it owns, how to post) while it runs. This module decides
 * what is posted where and when:
 * - scoped events go to the scope's notification channel (key events only when switched on);
 * - a burst of the same kind within NOTIFY_COALESCE_SECONDS becomes one summary: the first
 *   event is posted at once, the rest of the window as "N … in the last minute";
 * - "service looks down" / "recovered" are posted once per scope across replicas: a replica
 *   posts to a scope only if it wins the shared claim for that transition there, and releases
 *   the opposite one.
 * - each post is written in the scope's language (the admin setting, or what the platform says
 *   about the place), when it is posted.
 * Failures are logged and never reach the user's command.
 */
import type { Logger } from '../ops/logger.js';
import type { Store } from '../store/types.js';
import { addToBurst, catalogue, startBurst, workspaceLocale, type Burst, type Catalogue, type Locale } from './messages/index.js';
import type { Notifier, NotifierEvent } from './notifier.js';
import type { Reply } from './types.js';

export type NotificationTarget = {
  /** Whether this platform delivers for a scope (`slack:T1` for Slack, `discord:<guild>` for Discord). */
  owns(scope: string): boolean;
  /** The scopes that should hear about global events (the service's outages). */
  scopes(): string[];
  post(scope: string, channelId: string, reply: Reply): Promise<void>;
  /** What the platform says is the place's language (Discord's server locale), for scopes whose setting is `auto`. */
  locale?(scope: string): Locale | undefined;
};

/** A notice, written when it is posted: in the language of the scope it goes to. */
type Notice = (messages: Catalogue) => Reply;

type Scoped = Extract<NotifierEvent, { scope: string }>;
type Outage = Exclude<NotifierEvent, { scope: string }>;

/** How long an outage transition stays claimed if the replica holding it dies before releasing. */
const OUTAGE_CLAIM_SECONDS = 24 * 60 * 60;
const OUTAGE_CLAIMS = { service_down: 'notify:outage:down', service_recovered: 'notify:outage:recovered' } as const;

/** One platform's part: its pending posts, and its end (what is coalescing for it is posted first). */
export type TargetRegistration = {
  /** Posts what is waiting in open windows now (shutdown, tests). */
  flush(): Promise<void>;
  /** Resolves when every delivery started so far has finished. */
  idle(): Promise<void>;
  /** Posts what is still coalescing for this target, waits for deliveries, and drops its events from then on. */
  close(): Promise<void>;
};

export type ChannelNotifier = Notifier & TargetRegistration & {
  /** A platform starts delivering (its scopes' events go to it until its registration closes). */
  addTarget(target: NotificationTarget): TargetRegistration;
};

export function createChannelNotifier(options: {
  store: Pick<Store, 'getSettings' | 'claimOnce' | 'releaseClaim'>;
  /** A first target (tests); platforms use addTarget. */
  target?: NotificationTarget;
  coalesceSeconds: number;
  log: Logger;
}): ChannelNotifier {
  const { store, coalesceSeconds, log } = options;
  const targets = new Set<NotificationTarget>(options.target ? [options.target] : []);
  const ownerOf = (scope: string) => [...targets].find((t) => t.owns(scope));
  // Per scope and kind: the burst so far (counts and a few names) and who was counted.
  const windows = new Map<string, { burst?: Burst; seen: Set<string>; timer: NodeJS.Timeout }>();
  const inFlight = new Set<Promise<void>>();

  const track = (work: Promise<void>) => {
    const done = work.catch((error: unknown) => { log.warn({ err: error }, 'admin notification failed'); }).finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  async function postToScope(scope: string, notice: Notice, onlyIfKeyEvents = false): Promise<void> {
    const target = ownerOf(scope);
    if (!target) return; // its platform stopped meanwhile
    const settings = await store.getSettings(scope);
    if (!settings.notifyChannel) return;
    if (onlyIfKeyEvents && !settings.keyEvents) return;
    const messages = catalogue(workspaceLocale(settings.language, target.locale?.(scope)));
    await target.post(scope, settings.notifyChannel, notice(messages));
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
    const notice: Notice = (m) => (burst.count === 1 ? m.notificationReply(burst.first) : m.burstReply(burst, coalesceSeconds));
    track(postToScope(burst.first.scope, notice, isKeyEvent(burst.first)));
  }

  function openWindow(id: string): void {
    const timer = setTimeout(() => { closeWindow(id); }, coalesceSeconds * 1000);
    timer.unref();
    windows.set(id, { seen: new Set(), timer });
  }

  function scoped(event: Scoped): void {
    if (!ownerOf(event.scope)) return;
    const id = `${event.scope}|${event.type}`;
    const window = windows.get(id);
    if (window) {
      window.burst ??= startBurst(event);
      addToBurst(window.burst, event, window.seen);
      return;
    }
    if (coalesceSeconds > 0) openWindow(id);
    track(postToScope(event.scope, (m) => m.notificationReply(event), isKeyEvent(event)));
  }

  async function outage(event: Outage): Promise<void> {
    const mine = OUTAGE_CLAIMS[event.type];
    const opposite = event.type === 'service_down' ? OUTAGE_CLAIMS.service_recovered : OUTAGE_CLAIMS.service_down;
    // Claimed per scope, not once globally: replicas serving the same workspace/guild post once,
    // while another platform's notifier on the same store (Slack and Discord in one deployment)
    // still tells its own admins.
    await Promise.all([...targets].flatMap((target) => target.scopes()).map(async (scope) => {
      if (!(await store.claimOnce(`${mine}:${scope}`, OUTAGE_CLAIM_SECONDS))) {
        log.info({ scope, event: event.type }, 'outage notice already posted by another replica');
        return;
      }
      await store.releaseClaim(`${opposite}:${scope}`);
      await postToScope(scope, (m) => m.notificationReply(event));
    }));
  }

  /** Posts what the open windows of the matching scopes hold now. */
  async function flush(matches: (scope: string) => boolean = () => true): Promise<void> {
    for (const [id, window] of [...windows]) {
      const scope = id.slice(0, id.lastIndexOf('|'));
      if (!matches(scope)) continue;
      clearTimeout(window.timer);
      closeWindow(id);
      const reopened = windows.get(id);
      if (reopened) clearTimeout(reopened.timer);
      windows.delete(id);
    }
    await idle();
  }

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  }

  // After close() a platform is going away: its later events are dropped, not half-delivered.
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
    addTarget(target) {
      targets.add(target);
      return {
        flush: () => flush((scope) => target.owns(scope)),
        idle,
        async close() {
          await flush((scope) => target.owns(scope));
          targets.delete(target);
        },
      };
    },
    flush: () => flush(),
    idle,
    async close() {
      closed = true;
      await flush();
    },
  };
}
