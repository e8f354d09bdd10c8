/**
 * Discord application commands generated from `commands/`: everyone's verbs become
 * subcommands of `/handle` (a two-word verb such as `key set` becomes the subcommand `set`
 * of the group `key`), the admin verbs become subcommands of `/handle-admin`, which Discord
 * shows only to members with Manage Server unless a server owner grants it to others.
 * The same tables map an incoming interaction back to its verb. Names stay English (they are
 * what people type); every description carries `description_localizations` for each locale
 * the catalogue speaks (Discord shows the one of the reader's client).
 */
import {
  type APIApplicationCommandBasicOption, type APIApplicationCommandOption, type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType, ApplicationCommandType, ApplicationIntegrationType, ChannelType, InteractionContextType,
  type LocalizationMap, PermissionFlagsBits, type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { formOnly } from '../core/interactions.js';
import { catalogue, commandWords, DEFAULT_LOCALE, DISCORD_LOCALES, LOCALES, type Catalogue } from '../core/messages/index.js';
import type { Command, Option } from '../core/types.js';

export const HANDLE_COMMAND = 'handle';
export const ADMIN_COMMAND = 'handle-admin';
/** Admin verbs are written `admin <name>`; under /handle-admin the `admin` word is implied. */
const ADMIN_PREFIX = 'admin';

const DESCRIPTION_MAX = 100;
const OPTIONS_MAX = 25;

export type DiscordCommandBody = RESTPutAPIApplicationCommandsJSONBody[number];

export function buildDiscordCommands(commands: readonly Command[]): DiscordCommandBody[] {
  const everyone = commands.filter((c) => c.who === 'everyone');
  const admin = commands.filter((c) => c.who === 'admin');
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: HANDLE_COMMAND,
      ...describedAs((m) => m.discordCommandText.handle),
      options: subcommandTree(everyone, []),
      // Installed to servers or to a person's own account (user install: any server or DM, no admin needed);
      // usable in servers, in a DM with the bot (key handling is natural there) and, user-installed, in other DMs and groups.
      integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: ADMIN_COMMAND,
      ...describedAs((m) => m.discordCommandText.admin),
      options: subcommandTree(admin, [ADMIN_PREFIX]),
      default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
      // Server settings: only where the server installed the bot.
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: [InteractionContextType.Guild],
    },
  ];
}

/** The verb an interaction names: `/handle key set` → ['key', 'set'], `/handle-admin notify` → ['admin', 'notify']. */
export function verbOf(commandName: string, group: string | null, subcommand: string | null): string[] {
  const path = [group, subcommand].filter((part): part is string => part !== null);
  return commandName === ADMIN_COMMAND ? [ADMIN_PREFIX, ...path] : path;
}

function subcommandTree(commands: readonly Command[], prefix: string[]): APIApplicationCommandOption[] {
  const top: APIApplicationCommandOption[] = [];
  for (const command of commands) {
    const path = command.verb.slice(prefix.length);
    if (!prefix.every((word, i) => command.verb[i] === word) || path.length < 1 || path.length > 2) {
      throw new Error(`cannot place "${command.verb.join(' ')}" under a Discord command (a verb is one or two words after "${prefix.join(' ')}")`);
    }
    const [first = '', second] = path;
    if (second === undefined) {
      top.push(subcommand(first, command));
      continue;
    }
    let group = top.find((o) => o.type === ApplicationCommandOptionType.SubcommandGroup && o.name === first);
    if (!group) {
      group = { type: ApplicationCommandOptionType.SubcommandGroup, name: first, ...describedAs((m) => groupDescription(m, first)), options: [] };
      top.push(group);
    }
    if (group.type === ApplicationCommandOptionType.SubcommandGroup) (group.options ??= []).push(subcommand(second, command));
  }
  if (top.length > OPTIONS_MAX) throw new Error(`Discord allows ${OPTIONS_MAX} subcommands per command; ${top.length} were generated`);
  return top;
}

function groupDescription(messages: Catalogue, group: string): string {
  return group === 'key' ? messages.discordCommandText.keyGroup : group;
}

/**
 * A description in English and its translations, each within Discord's 100 characters. The
 * localizations are listed in a fixed order, so that comparing with what Discord holds is stable.
 */
function describedAs(describe: (messages: Catalogue) => string): { description: string; description_localizations?: LocalizationMap } {
  const description = clip(describe(catalogue(DEFAULT_LOCALE)));
  const localizations: Record<string, string> = {};
  for (const locale of LOCALES) {
    for (const discordLocale of DISCORD_LOCALES[locale]) localizations[discordLocale] = clip(describe(catalogue(locale)));
  }
  return Object.keys(localizations).length > 0 ? { description, description_localizations: localizations } : { description };
}

function subcommand(name: string, command: Command): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    ...describedAs((m) => commandWords(m.commands, command).description),
    // What arrives in a form (a key) is never a slash-command option.
    options: command.options.filter((o) => !formOnly(o)).map((o) => option(command, o)),
  };
}

function option(command: Command, definition: Option): APIApplicationCommandBasicOption {
  const base = {
    name: definition.name,
    ...describedAs((m) => commandWords(m.commands, command).option(definition.name)),
    ...(definition.required ? { required: true } : {}),
  };
  switch (definition.type) {
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'channel':
      return { ...base, type: ApplicationCommandOptionType.Channel, channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] };
    case 'string':
    case 'handle':
    case 'email':
    case 'api_key':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(definition.choices
          // Choices are values (`auto`, `pt-BR`), shown as they are typed in every language; they need no length limits.
          ? { choices: definition.choices.map((value) => ({ name: value, value })) }
          : {
              ...(definition.min !== undefined ? { min_length: definition.min } : {}),
              ...(definition.max !== undefined ? { max_length: definition.max } : {}),
              ...(definition.complete ? { autocomplete: true } : {}),
            }),
      };
  }
}

function clip(text: string): string {
  return text.length <= DESCRIPTION_MAX ? text : `${text.slice(0, DESCRIPTION_MAX - 1)}…`;
}
