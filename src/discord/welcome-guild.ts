/**
 * A welcome DM's buttons and forms carry the server they came from (`_g`, custom-ids.ts), so
 * that a claim or a linked key from the DM is reported to that server's admins. Custom ids
 * come back from the client, so anyone can craft one naming any server: the mark is honoured
 * only when the person pressing it is a member of that server — asked of Discord through REST
 * (`GET /guilds/:guild/members/:user`; no intent needed, no cache, so it holds in HTTP mode
 * too). Discord refuses it when the bot is no longer in the server: then the mark is dropped too.
 */
import { type BaseInteraction, Routes } from 'discord.js';
import type { Logger } from '../ops/logger.js';
import { describeDiscordError } from './errors.js';

/** The marked server when it may be acted for (a DM pressed by one of its members), else undefined. */
export async function verifiedWelcomeGuild(interaction: BaseInteraction, marked: string | undefined, log: Logger): Promise<string | undefined> {
  if (marked === undefined || interaction.guildId !== null) return undefined;
  try {
    await interaction.client.rest.get(Routes.guildMember(marked, interaction.user.id));
    return marked;
  } catch (error) {
    log.info({ guild: marked, user: interaction.user.id, err: describeDiscordError(error) }, 'a welcome mark named a server the person is not in (or the bot left); acting without it');
    return undefined;
  }
}
