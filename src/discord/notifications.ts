/**
 * Admin notifications on Discord: the platform half of the core's channel notifier. It says
 * which scopes are Discord's (`discord:<guild>`; every guild the bot is in hears about
 * outages) and posts a notification as one embed in the guild's chosen channel. Mentions
 * render (admins see who) but never notify anyone: `allowed_mentions` is empty, so no user,
 * role, @everyone or @here is pinged from an admin channel. A post that fails is logged with
 * what to fix; it never reaches the command that raised the event.
 */
import { type Client, RESTJSONErrorCodes, Routes } from 'discord.js';
import { createChannelNotifier, type ChannelNotifier, type NotificationTarget } from '../core/channel-notifier.js';
import type { Notifier } from '../core/notifier.js';
import type { Reply } from '../core/types.js';
import type { Logger } from '../ops/logger.js';
import type { Store } from '../store/types.js';
import { describeDiscordError } from './errors.js';
import { renderDiscordReply } from './render.js';

export const DISCORD_SCOPE_PREFIX = 'discord:';

export function discordScope(guildId: string): string {
  return `${DISCORD_SCOPE_PREFIX}${guildId}`;
}

/** The body of a notification message: the embed only, with nobody pinged. */
export function renderNotification(reply: Reply): { embeds: ReturnType<typeof renderDiscordReply>['embeds']; allowed_mentions: { parse: [] } } {
  return { embeds: renderDiscordReply({ ...reply, actions: [] }).embeds, allowed_mentions: { parse: [] } };
}

const POST_FIXES: Partial<Record<number, string>> = {
  [RESTJSONErrorCodes.MissingPermissions]: 'give the bot View Channel, Send Messages and Embed Links in that channel, or pick another with /handle-admin notify',
  [RESTJSONErrorCodes.MissingAccess]: 'the bot cannot see that channel: give it View Channel there, or pick another with /handle-admin notify',
  [RESTJSONErrorCodes.UnknownChannel]: 'the channel no longer exists: pick another with /handle-admin notify',
};

export function discordNotificationTarget(client: Client, log: Logger): NotificationTarget {
  return {
    owns: (scope) => scope.startsWith(DISCORD_SCOPE_PREFIX),
    scopes: () => [...client.guilds.cache.keys()].map(discordScope),
    async post(scope, channelId, reply) {
      try {
        await client.rest.post(Routes.channelMessages(channelId), { body: renderNotification(reply) });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        log.warn(
          { scope, channel: channelId, err: describeDiscordError(error), ...(typeof code === 'number' && POST_FIXES[code] ? { fix: POST_FIXES[code] } : {}) },
          'could not post an admin notification to Discord',
        );
      }
    },
  };
}

export type DiscordNotifications = Notifier & Pick<ChannelNotifier, 'flush' | 'idle'> & {
  /** Posts what is still coalescing, waits for deliveries, and ignores events from then on. */
  close(): Promise<void>;
};

/** The channel notifier for Discord's scopes; events after close() are dropped (the client is going away). */
export function createDiscordNotifications(options: {
  client: Client;
  store: Pick<Store, 'getSettings' | 'claimOnce' | 'releaseClaim'>;
  coalesceSeconds: number;
  log: Logger;
}): DiscordNotifications {
  return createChannelNotifier({
    store: options.store,
    target: discordNotificationTarget(options.client, options.log),
    coalesceSeconds: options.coalesceSeconds,
    log: options.log,
  });
}
