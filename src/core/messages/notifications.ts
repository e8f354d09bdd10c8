/**
 * What admins read in their notification channel: one short line per event, or one summary
 * for a burst. Never a key, never an owner's e-mail address (at most its kind of ban).
 */
import type { Identity } from '../../domain/identity.js';
import type { NotifierEvent } from '../notifier.js';
import type { Reply, Text } from '../types.js';
import { cmd, listWithMore } from './common.js';

type Scoped = Extract<NotifierEvent, { scope: string }>;

const BAN_WORDS: Record<string, string> = {
  email: 'their e-mail address is banned',
  domain: 'their e-mail domain is banned',
  ip: 'the bot’s network address is banned',
  unknown: 'the service gave no detail',
};

function notice(tone: Reply['tone'], title: Text, body: Text[] = []): Reply {
  return { visibility: 'channel', tone, title, body };
}

export function notificationReply(event: NotifierEvent): Reply {
  switch (event.type) {
    case 'handle_claimed':
      return notice('success', ['🆕 ', { mention: event.who }, ' claimed ', { code: event.handle }]);
    case 'handle_deleted':
      return notice('info', ['🗑️ ', { mention: event.who }, ' deleted ', { code: event.handle }]);
    case 'owner_banned':
      return notice('user_error', ['⛔ The mail service refused a handle for ', { mention: event.who }], [
        [`Every create with their key will fail: ${BAN_WORDS[event.banKind] ?? BAN_WORDS.unknown}. Only the service’s operators can lift it.`],
      ]);
    case 'service_down':
      return notice('service_error', ['🔴 The mail service looks down'], [
        [`${event.failures} requests in a row failed (errors, timeouts or no connection). People’s commands are answered with an apology until it recovers; you will hear when it does.`],
      ]);
    case 'service_recovered':
      return notice('success', ['🟢 The mail service is answering again']);
    case 'key_linked':
      return notice('info', ['🔑 ', { mention: event.who }, ' linked an API key']);
    case 'key_removed':
      return notice('info', ['🔑 ', { mention: event.who }, ' removed their API key']);
    case 'welcome_undeliverable':
      return notice('user_error', ['✉️ Could not welcome ', { mention: event.who }], [
        ['They don’t accept direct messages from the bot, so they did not get the onboarding message. Point them to ', cmd('help'), '.'],
      ]);
  }
}

const BURST_WORDS: Record<Scoped['type'], [string, string]> = {
  handle_claimed: ['handle claimed', 'handles claimed'],
  handle_deleted: ['handle deleted', 'handles deleted'],
  owner_banned: ['create refused for a banned account', 'creates refused for banned accounts'],
  key_linked: ['key linked', 'keys linked'],
  key_removed: ['key removed', 'keys removed'],
  welcome_undeliverable: ['welcome not delivered', 'welcomes not delivered'],
};

/**
 * What a coalescing window keeps of a burst: counts and the first few names, never every
 * event (a busy minute can hold thousands).
 */
export type Burst = {
  first: Scoped;
  count: number;
  /** Distinct people, in order of appearance; only the first SHOWN are kept beyond counting. */
  people: Identity[];
  peopleCount: number;
  handles: string[];
  handleCount: number;
};

const SHOWN = 10;

export function startBurst(first: Scoped): Burst {
  return { first, count: 0, people: [], peopleCount: 0, handles: [], handleCount: 0 };
}

/** Adds an event to a burst; `seen` remembers who was counted (bounded by the caller). */
export function addToBurst(burst: Burst, event: Scoped, seen: Set<Identity>): void {
  burst.count++;
  if (!seen.has(event.who)) {
    seen.add(event.who);
    burst.peopleCount++;
    if (burst.people.length < SHOWN) burst.people.push(event.who);
  }
  if ('handle' in event) {
    burst.handleCount++;
    if (burst.handles.length < SHOWN) burst.handles.push(event.handle);
  }
}

/** A burst of the same kind of event, in one message. */
export function burstReply(burst: Burst, windowSeconds: number): Reply {
  const { first, count } = burst;
  const [one, many] = BURST_WORDS[first.type];
  const body: Text[] = [['By ', ...listWithMore(burst.people, burst.peopleCount, (who: Identity) => [{ mention: who }]), '.']];
  if (burst.handleCount > 0) body.push(['Handles: ', ...listWithMore(burst.handles, burst.handleCount, (h) => [{ code: h }]), '.']);
  const tone = first.type === 'owner_banned' || first.type === 'welcome_undeliverable' ? 'user_error' : 'info';
  return notice(tone, [`${count} ${count === 1 ? one : many} in ${lastPeriod(windowSeconds)}`], body);
}

/** "the last minute", "the last second", "the last 30 seconds", "the last 5 minutes". */
function lastPeriod(windowSeconds: number): string {
  if (windowSeconds === 1) return 'the last second';
  if (windowSeconds < 60) return `the last ${windowSeconds} seconds`;
  const minutes = Math.round(windowSeconds / 60);
  return minutes === 1 ? 'the last minute' : `the last ${minutes} minutes`;
}
