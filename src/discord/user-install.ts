/**
 * Discord user installs: a person can install the app to their own account and use /handle in
 * any server or DM, without the bot being in that server. Discord says which installation
 * authorised an interaction (`authorizing_integration_owners`): key "0" is a server install
 * (its value the server, or "0" in the bot's DM), key "1" the person's own. Without key "0" the
 * bot acts only for the person: that server's settings, admins and channels are not the bot's
 * business (no scope), nothing is announced there, and the claimer is told why privately.
 * Replies go through the interaction webhook, which works without the bot in the server.
 */
import { ApplicationIntegrationType, type BaseInteraction } from 'discord.js';
import { catalogue, localeFromTag } from '../core/messages/index.js';
import type { CommandResult, Reply } from '../core/types.js';

export function installedForUserOnly(interaction: BaseInteraction): boolean {
  return interaction.authorizingIntegrationOwners[ApplicationIntegrationType.GuildInstall] === undefined;
}

/** The replies, with the private note on a claim made where the bot could not announce it. */
export function withUserInstallNote(interaction: BaseInteraction, result: CommandResult): Reply[] {
  if (result.outcome.kind !== 'created' || !installedForUserOnly(interaction) || interaction.guildId === null) return result.replies;
  const note = catalogue(localeFromTag(interaction.locale)).discordUserInstallNote();
  let added = false;
  return result.replies.map((reply) => {
    if (added || reply.visibility !== 'private') return reply;
    added = true;
    return { ...reply, body: [...(reply.body ?? []), note] };
  });
}
