/**
 * What admins read in their notification channel: one short line per event, or one summary
 * for a burst. Never a key, never an owner's e-mail address (at most its kind of ban).
 */
import type { Identity } from '../../../domain/identity.js';
import type { NotifierEvent } from '../../notifier.js';
import type { Reply, Text } from '../../types.js';
import type { Burst, ScopedEvent } from '../bursts.js';
import { channelReply, cmd, listWithMore } from './common.js';

type Scoped = ScopedEvent;

const BAN_WORDS: Record<string, string> = {
  email: 'their e-mail address is banned',
  domain: 'their e-mail domain is banned',
  ip: 'the bot’s network address is banned',
  unknown: 'the service gave no detail',
};

const notice = channelReply;

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
