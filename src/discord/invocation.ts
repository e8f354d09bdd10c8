/**
 * Who is asking, and where, as the core needs it. Identity is the Discord user id (global);
 * the settings scope is the guild, absent in a DM. Admin rights follow Discord: Manage Server
 * (Administrator implies it), or any /handle-admin command Discord delivered — Discord shows
 * it only to those allowed (Manage Server by default, or whoever a server owner granted it
 * to), and the bot respects that rather than second-guessing it. ADMIN_USERS is added by the
 * core's guard.
 */
import {
  type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction, PermissionFlagsBits,
} from 'discord.js';
import { discordIdentity } from '../core/identity.js';
import * as messages from '../core/messages/index.js';
import type { Invocation } from '../core/types.js';
import { ADMIN_COMMAND } from './command-definitions.js';

type Source = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

export function discordInvocation(interaction: Source, requestId: string, extra: { fromAction?: boolean } = {}): Invocation {
  const inGuild = interaction.guildId !== null;
  const deliveredAdminCommand = interaction.isChatInputCommand() && interaction.commandName === ADMIN_COMMAND;
  const managesServer = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
  return {
    platform: 'discord',
    identity: discordIdentity(interaction.user.id),
    ...(inGuild ? { scope: `discord:${interaction.guildId}` } : {}),
    ...(interaction.channelId ? { channelId: interaction.channelId } : {}),
    displayName: displayName(interaction),
    platformAdmin: (inGuild && managesServer) || deliveredAdminCommand,
    requestId,
    ...(extra.fromAction ? { fromAction: true } : {}),
    checkChannel: (channelId) => Promise.resolve(checkChannel(interaction, channelId)),
  };
}

function displayName(interaction: Source): string {
  const member = interaction.member;
  const nick = member ? ('nickname' in member ? member.nickname : member.nick) : null;
  return nick ?? interaction.user.globalName ?? interaction.user.username;
}

/**
 * Can the bot post in the channel an admin chose for notifications? Answered from the gateway
 * cache (no I/O). When the guild or channel is not cached the answer is yes: delivery will
 * report a real refusal later.
 */
function checkChannel(interaction: Source, channelId: string): { ok: true } | { ok: false; fix: ReturnType<typeof messages.discordChannelPermissionsFix> } {
  const guild = interaction.guild;
  const channel = guild?.channels.cache.get(channelId);
  const me = guild?.members.me;
  if (!guild || !channel || !me) return { ok: true };
  if (!channel.isTextBased()) return { ok: false, fix: messages.discordChannelNotTextFix(channelId) };
  const permissions = channel.permissionsFor(me);
  const needed = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks];
  return permissions.has(needed) ? { ok: true } : { ok: false, fix: messages.discordChannelPermissionsFix(channelId) };
}
