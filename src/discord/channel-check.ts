/**
 * Can the bot post in the channel an admin chose for notifications? The bot's effective
 * permissions there (roles, category and channel overwrites) say. With a gateway the guild,
 * channel and the bot's member are in discord.js's cache (no I/O). Without one (HTTP mode)
 * they are read through REST, uncached so that a later change of roles is seen. When they
 * cannot be read the answer is yes: delivery will log a real refusal later.
 */
import { type Client, type Guild, type GuildMember, type GuildBasedChannel, PermissionFlagsBits } from 'discord.js';
import { DISCORD_PERMISSIONS, type Catalogue } from '../core/messages/index.js';
import type { Text } from '../core/types.js';

/** What a notification post needs (the catalogue names each as Discord's settings do, in the reader's language). */
const NEEDED = DISCORD_PERMISSIONS.map((name) => ({ flag: PermissionFlagsBits[name], name }));

type Where = { client: Client; guild: Guild | null; guildId: string | null; applicationId: string };

export async function checkNotifyChannel(where: Where, channelId: string, messages: Catalogue): Promise<{ ok: true } | { ok: false; fix: Text }> {
  const found = await resolve(where, channelId);
  if (!found) return { ok: true };
  const { channel, me } = found;
  if (!channel.isTextBased() || channel.isVoiceBased() || channel.isThread()) return { ok: false, fix: messages.discordChannelNotTextFix(channelId) };
  const permissions = channel.permissionsFor(me);
  const missing = NEEDED.filter((p) => !permissions.has(p.flag)).map((p) => p.name);
  return missing.length === 0 ? { ok: true } : { ok: false, fix: messages.discordChannelPermissionsFix(channelId, missing) };
}

async function resolve(where: Where, channelId: string): Promise<{ channel: GuildBasedChannel; me: GuildMember } | undefined> {
  const cached = where.guild;
  if (cached) {
    const channel = cached.channels.cache.get(channelId);
    const me = cached.members.me;
    return channel && me ? { channel, me } : undefined;
  }
  if (!where.guildId) return undefined;
  try {
    const guild = await where.client.guilds.fetch({ guild: where.guildId, force: true, cache: false });
    const [channel, me] = await Promise.all([
      guild.channels.fetch(channelId, { force: true, cache: false }),
      guild.members.fetch({ user: where.applicationId, force: true, cache: false }),
    ]);
    return channel ? { channel, me } : undefined;
  } catch {
    return undefined;
  }
}
