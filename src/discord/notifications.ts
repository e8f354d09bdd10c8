/**
 * Admin notifications on Discord: the target the front door registers with the core's channel
 * notifier. It says which scopes are Discord's (`discord:<guild>`; every guild the bot is in
 * hears about outages) and posts a notification as one embed in the guild's chosen channel. Mentions
 * render (admins see who) but never notify anyone: `allowed_mentions` is empty, so no user,
 * role, @everyone or @here is pinged from an admin channel. A post that fails is logged with
 * what to fix; it never reaches the command that raised the event.
 */
import { type Client, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { GuildDirectory } from './guild-directory.js';
import type { NotificationTarget } from '../core/channel-notifier.js';
import type { Reply } from '../core/types.js';
import { discordScope, isDiscordScope } from '../domain/scope.js';
import { localeFromTag } from '../core/messages/index.js';
import type { Logger } from '../ops/logger.js';
import { describeDiscordError } from './errors.js';
import { renderDiscordReply } from './render.js';

/** The body of a notification message: the embed only, with nobody pinged. */
export function renderNotification(reply: Reply): { embeds: ReturnType<typeof renderDiscordReply>['embeds']; allowed_mentions: { parse: [] } } {
  return { embeds: renderDiscordReply({ ...reply, actions: [] }).embeds, allowed_mentions: { parse: [] } };
}

const POST_FIXES: Partial<Record<number, string>> = {
  [RESTJSONErrorCodes.MissingPermissions]: 'give the bot View Channel, Send Messages and Embed Links in that channel, or pick another with /handle-admin notify',
  [RESTJSONErrorCodes.MissingAccess]: 'the bot cannot see that channel: give it View Channel there, or pick another with /handle-admin notify',
  [RESTJSONErrorCodes.UnknownChannel]: 'the channel no longer exists: pick another with /handle-admin notify',
};

export function discordNotificationTarget(client: Client, guilds: GuildDirectory, log: Logger): NotificationTarget {
  return {
    owns: isDiscordScope,
    scopes: () => guilds.ids().map(discordScope),
    // The server's own language (Community servers set it; others default to en-US).
    locale: (scope) => localeFromTag(guilds.locale(scope.slice(scope.indexOf(':') + 1))),
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
