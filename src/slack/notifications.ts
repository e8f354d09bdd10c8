/**
 * Admin notifications on Slack: the NotificationTarget the core's channel notifier delivers
 * through (what goes where and when is decided there), and the notifier the front door
 * registers with the runtime. A post is `chat.postMessage` of the rendered reply to the
 * workspace's notification channel; if the bot was removed from a public channel since the
 * channel was chosen, it joins again (channels:join) and retries once.
 */
import type { webApi } from '@slack/bolt';
import { createChannelNotifier, type ChannelNotifier, type NotificationTarget } from '../core/channel-notifier.js';
import type { Logger } from '../ops/logger.js';
import type { Store } from '../store/types.js';
import { platformError } from './channel-check.js';
import { renderSlackReply } from './render.js';

export const SLACK_SCOPE_PREFIX = 'slack:';

export function slackScope(teamId: string): string {
  return `${SLACK_SCOPE_PREFIX}${teamId}`;
}

/**
 * The settings scopes this deployment has met: the workspace of the bot token (auth.test) and
 * every workspace a command or event came from (an org-wide install on Enterprise Grid serves
 * several). Outage notices go to each of them that has a notification channel.
 */
export type SlackScopes = { remember(scope: string): void; list(): string[] };

export function createSlackScopes(initial: string[] = []): SlackScopes {
  const known = new Set(initial);
  return {
    remember(scope) {
      if (scope.startsWith(SLACK_SCOPE_PREFIX)) known.add(scope);
    },
    list: () => [...known],
  };
}

type PostingClient = { chat: Pick<webApi.WebClient['chat'], 'postMessage'>; conversations: Pick<webApi.WebClient['conversations'], 'join'> };

export function slackNotificationTarget(client: PostingClient, scopes: SlackScopes, log: Logger): NotificationTarget {
  return {
    // Only the Slack front door can deliver to a Slack workspace's channel.
    owns: (scope) => scope.startsWith(SLACK_SCOPE_PREFIX),
    scopes: () => scopes.list(),
    async post(scope, channelId, reply) {
      const message = { channel: channelId, ...renderSlackReply(reply), unfurl_links: false, unfurl_media: false };
      try {
        await client.chat.postMessage(message);
      } catch (error) {
        if (platformError(error) !== 'not_in_channel') throw error;
        log.info({ scope, channelId }, 'the bot left the admin channel; joining it again');
        await client.conversations.join({ channel: channelId });
        await client.chat.postMessage(message);
      }
    },
  };
}

/**
 * The channel notifier the Slack front door adds to the runtime. The runtime keeps every
 * notifier it was given, so after `close()` this one ignores new events instead of posting
 * through a stopped app.
 */
export function createSlackNotifier(options: {
  client: PostingClient;
  store: Pick<Store, 'getSettings' | 'claimOnce' | 'releaseClaim'>;
  scopes: SlackScopes;
  coalesceSeconds: number;
  log: Logger;
}): ChannelNotifier {
  const log = options.log.child({ part: 'slack-notifier' });
  return createChannelNotifier({
    store: options.store,
    target: slackNotificationTarget(options.client, options.scopes, log),
    coalesceSeconds: options.coalesceSeconds,
    log,
  });
}
