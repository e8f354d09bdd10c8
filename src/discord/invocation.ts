/**
 * Who is asking, and where, as the core needs it. Identity is the Discord user id (global);
 * the settings scope is the guild, absent in a DM — except for the buttons of a welcome DM,
 * which act for the guild that welcomed the person (see onboarding.ts). Admin rights follow
 * Discord: Manage Server (Administrator implies it), or any /handle-admin command Discord
 * delivered — Discord shows it only to those allowed (Manage Server by default, or whoever a
 * server owner granted it to), and the bot respects that rather than second-guessing it.
 * ADMIN_USERS is added by the core's guard. The person's language is the interaction's
 * `locale` (their Discord client's), the place's is the server's `guild_locale`.
 */
import {
  type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction, PermissionFlagsBits,
} from 'discord.js';
import { discordIdentity } from '../domain/identity.js';
import { catalogue, localeFromTag, type Catalogue } from '../core/messages/index.js';
import type { Invocation, Text } from '../core/types.js';
import { checkNotifyChannel } from './channel-check.js';
import { installedForUserOnly } from './user-install.js';
import { ADMIN_COMMAND } from './command-definitions.js';
import { discordScope } from '../domain/scope.js';

type Source = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

export type InvocationExtra = {
  fromAction?: boolean;
  /** The guild a welcome DM's button or modal came from, verified (welcome-guild.ts); honoured only in a DM. */
  welcomeGuild?: string;
  /** Shown when an admin turns onboarding on (the members intent is off), in the admin's language. */
  onboardingWarning?: (messages: Catalogue) => Text;
};

export function discordInvocation(interaction: Source, requestId: string, extra: InvocationExtra = {}): Invocation {
  // Installed to the person only (user-install.ts): the server is not the bot's, as in a DM.
  const userOnly = installedForUserOnly(interaction);
  const inGuild = interaction.guildId !== null && !userOnly;
  const deliveredAdminCommand = interaction.isChatInputCommand() && interaction.commandName === ADMIN_COMMAND;
  const managesServer = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
  // Verified by the caller (welcome-guild.ts): the person is a member of it, and the bot still is.
  const welcomeGuild = !inGuild ? extra.welcomeGuild : undefined;
  const scopeGuild = inGuild ? interaction.guildId : welcomeGuild;
  const locale = localeFromTag(interaction.locale);
  const scopeLocale = localeFromTag(interaction.guildLocale);
  const messages = catalogue(locale);
  return {
    platform: 'discord',
    identity: discordIdentity(interaction.user.id),
    ...(scopeGuild ? { scope: discordScope(scopeGuild) } : {}),
    // A DM is never the place for a channel announcement, even when it acts for a guild.
    ...(inGuild && interaction.channelId ? { channelId: interaction.channelId } : {}),
    displayName: displayName(interaction),
    platformAdmin: (inGuild && managesServer) || (deliveredAdminCommand && !userOnly),
    requestId,
    ...(locale ? { locale } : {}),
    ...(scopeLocale ? { scopeLocale } : {}),
    ...(extra.fromAction ? { fromAction: true } : {}),
    ...(extra.onboardingWarning ? { onboardingWarning: extra.onboardingWarning(messages) } : {}),
    checkChannel: (channelId) => checkNotifyChannel(
      { client: interaction.client, guild: interaction.guild, guildId: interaction.guildId, applicationId: interaction.applicationId }, channelId, messages,
    ),
  };
}

function displayName(interaction: Source): string {
  const member = interaction.member;
  const nick = member ? ('nickname' in member ? member.nickname : member.nick) : null;
  return nick ?? interaction.user.globalName ?? interaction.user.username;
}
