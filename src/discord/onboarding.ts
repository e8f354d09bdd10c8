/**
 * Welcoming a newcomer on Discord: `guildMemberAdd` (delivered only with the privileged Server
 * Members intent, DISCORD_MEMBERS_INTENT) → the core's welcome, once per person and guild,
 * as a direct message. Bots are not welcomed. When the person does not accept DMs from the
 * bot (Discord's 50007), the guild's admin channel hears about it instead.
 *
 * The DM's buttons are pressed in a DM, which has no guild and so no settings. They carry the
 * guild they came from (`_g`, see custom-ids.ts) so that what they lead to — a claim, a linked
 * key — is reported to that guild's admins like the same action taken in one of its channels.
 */
import { type GuildMember, RESTJSONErrorCodes } from 'discord.js';
import { discordIdentity } from '../domain/identity.js';
import { discordScope } from '../domain/scope.js';
import { localeFromTag } from '../core/messages/index.js';
import type { EnginePort } from '../core/port.js';
import type { Reply } from '../core/types.js';
import type { Logger } from '../ops/logger.js';
import type { ConfirmationMemory } from './confirmations.js';
import { withWelcomeGuild } from './custom-ids.js';
import { describeDiscordError } from './errors.js';
import { confirmationsOf, renderDiscordReply } from './render.js';

export type WelcomeDeps = {
  /** The welcome itself, and where `welcome_undeliverable` goes. */
  engine: Pick<EnginePort, 'welcome' | 'notify'>;
  confirmations: ConfirmationMemory;
  log: Logger;
};

export type WelcomeOutcome = 'bot' | 'not_wanted' | 'sent' | 'dm_closed' | 'failed';

export async function welcomeNewcomer(deps: WelcomeDeps, member: GuildMember): Promise<WelcomeOutcome> {
  const { log } = deps;
  const scope = discordScope(member.guild.id);
  const identity = discordIdentity(member.id);
  const outcome = await attempt(deps, member, scope, identity);
  log.debug({ scope, user: member.id, outcome }, 'member join handled');
  return outcome;
}

async function attempt(deps: WelcomeDeps, member: GuildMember, scope: string, identity: string): Promise<WelcomeOutcome> {
  if (member.user.bot) return 'bot';
  let welcome: Reply | undefined;
  try {
    // Off for this guild, or this person was already welcomed here (a redelivered event, a re-join).
    // Discord does not say a newcomer's own language before they interact: the server's (or the admin setting) is used.
    welcome = await deps.engine.welcome({ scope, identity, displayName: member.displayName, scopeLocale: localeFromTag(member.guild.preferredLocale) });
  } catch (error) {
    deps.log.warn({ scope, user: member.id, err: error }, 'could not decide on a welcome (store unavailable)');
    return 'failed';
  }
  if (!welcome) return 'not_wanted';

  const reply = withWelcomeGuild(welcome, member.guild.id);
  for (const { buttonId, confirm } of confirmationsOf(reply)) deps.confirmations.remember(buttonId, confirm);
  try {
    await member.send(renderDiscordReply(reply));
    return 'sent';
  } catch (error) {
    if ((error as { code?: unknown }).code === RESTJSONErrorCodes.CannotSendMessagesToThisUser) {
      deps.engine.notify({ type: 'welcome_undeliverable', scope, who: identity });
      deps.log.info({ scope, user: member.id }, 'newcomer does not accept DMs from the bot; told the admins');
      return 'dm_closed';
    }
    deps.log.warn({ scope, user: member.id, err: describeDiscordError(error) }, 'could not send the welcome DM');
    return 'failed';
  }
}
