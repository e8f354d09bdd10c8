/**
 * Admin notifications on Slack: the NotificationTarget the front door registers with the core's
 * channel notifier (what goes where and when is decided there). A post is `chat.postMessage` of the rendered reply to the
 * workspace's notification channel; if the bot was removed from a public channel since the
 * channel was chosen, it joins again (channels:join) and retries once.
 */
import type { webApi } from '@slack/bolt';
import type { NotificationTarget } from '../core/channel-notifier.js';
import { isSlackScope } from '../domain/scope.js';
import type { Logger } from '../ops/logger.js';
import { platformError } from './channel-check.js';
import { renderSlackReply } from './render.js';
import { isRevokedToken } from './revocation.js';

/**
 * The settings scopes this deployment has met: the workspace of the bot token (auth.test) and
 * every workspace a command or event came from (an org-wide install on Enterprise Grid serves
 * several). Outage notices go to each of them that has a notification channel.
 */
export type SlackScopes = { add(scope: string): void; list(): string[] };

export function createSlackScopes(initial: string[] = []): SlackScopes {
  const known = new Set(initial);
  return {
    add(scope) {
      if (isSlackScope(scope)) known.add(scope);
    },
    list: () => [...known],
  };
}

type PostingClient = { chat: Pick<webApi.WebClient['chat'], 'postMessage'>; conversations: Pick<webApi.WebClient['conversations'], 'join'> };

/** Hosted mode: each workspace's own bot token, and what to do when Slack refuses it. */
export type WorkspaceTokens = {
  tokenFor?: (teamId: string) => Promise<string | undefined>;
  onRevoked?: (teamId: string) => Promise<unknown>;
};

export function slackNotificationTarget(client: PostingClient, scopes: SlackScopes, log: Logger, tokens: WorkspaceTokens = {}): NotificationTarget {
  return {
    // Only the Slack front door can deliver to a Slack workspace's channel.
    owns: isSlackScope,
    scopes: () => scopes.list(),
    async post(scope, channelId, reply) {
      const teamId = scope.slice('slack:'.length);
      const token = await tokens.tokenFor?.(teamId);
      if (tokens.tokenFor && !token) {
        log.info({ scope }, 'no installation for this workspace any more; its notice is dropped');
        return;
      }
      const message = { channel: channelId, ...renderSlackReply(reply), unfurl_links: false, unfurl_media: false, ...(token ? { token } : {}) };
      try {
        await client.chat.postMessage(message);
      } catch (error) {
        if (isRevokedToken(error) && tokens.onRevoked) {
          log.warn({ scope, error: platformError(error) }, 'slack refused this workspace\'s token while posting a notice: removing the workspace');
          await tokens.onRevoked(teamId);
          return;
        }
        if (platformError(error) !== 'not_in_channel') throw error;
        log.info({ scope, channelId }, 'the bot left the admin channel; joining it again');
        await client.conversations.join({ channel: channelId, ...(token ? { token } : {}) });
        await client.chat.postMessage(message);
      }
    },
  };
}
