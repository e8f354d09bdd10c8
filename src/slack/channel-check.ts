/**
 * `admin notify #channel`: can the bot post there? It can when it is a member (or it is a DM);
 * a public channel it is not in is joined (channels:join); a private one needs an invitation; an
 * archived one cannot take posts. Each refusal says exactly what to fix (catalogue words).
 */
import type { webApi } from '@slack/bolt';
import type { Identity } from '../domain/identity.js';
import type { Catalogue } from '../core/messages/index.js';
import type { Text } from '../core/text.js';
import type { Logger } from '../ops/logger.js';

export type ChannelCheck = (channelId: string) => Promise<{ ok: true } | { ok: false; fix: Text }>;

export function platformError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** The scope Slack says is missing (`needed` on a `missing_scope` error). */
function neededScope(error: unknown): string | undefined {
  const data = (error as { data?: { needed?: unknown } } | undefined)?.data;
  return typeof data?.needed === 'string' ? data.needed : undefined;
}

export function slackChannelCheck(client: Pick<webApi.WebClient, 'conversations'>, bot: Identity | undefined, log: Logger, messages: Catalogue): ChannelCheck {
  return async (channelId) => {
    let channel: { is_archived?: boolean; is_member?: boolean; is_private?: boolean; is_im?: boolean; is_mpim?: boolean } | undefined;
    try {
      channel = (await client.conversations.info({ channel: channelId })).channel;
    } catch (error) {
      const code = platformError(error);
      if (code === 'channel_not_found') return { ok: false, fix: messages.channelNotVisibleFix(bot) };
      if (code === 'missing_scope') return { ok: false, fix: messages.channelScopeMissingFix(neededScope(error), bot) };
      log.warn({ err: error, channelId }, 'conversations.info failed while checking an admin channel');
      return { ok: false, fix: messages.channelCheckFailedFix() };
    }
    if (!channel) return { ok: false, fix: messages.channelNotVisibleFix(bot) };
    if (channel.is_archived) return { ok: false, fix: messages.channelArchivedFix() };
    if (channel.is_member || channel.is_im) return { ok: true };
    if (channel.is_private || channel.is_mpim) return { ok: false, fix: messages.channelPrivateFix(bot) };
    try {
      await client.conversations.join({ channel: channelId });
      return { ok: true };
    } catch (error) {
      log.warn({ err: error, channelId }, 'conversations.join failed while setting the admin channel');
      const code = platformError(error);
      if (code === 'missing_scope') return { ok: false, fix: messages.channelScopeMissingFix(neededScope(error) ?? 'channels:join', bot) };
      if (code === 'is_archived') return { ok: false, fix: messages.channelArchivedFix() };
      return { ok: false, fix: messages.channelJoinFailedFix(bot) };
    }
  };
}
