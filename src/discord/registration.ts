/**
 * `handle-bot register-discord [--guild <id>]`: compare the commands Discord holds with the
 * ones generated from `commands/` and bulk-overwrite them only when they differ. Guild
 * commands (development) update at once; global ones are what a real deployment uses.
 * Registration is an explicit step, never part of start-up: Discord rate-limits command
 * writes, and an unchanged deployment has nothing to write.
 */
import { REST, Routes } from 'discord.js';
import type { Command } from '../core/types.js';
import { list, obj, type Untyped } from '../domain/untyped.js';
import type { Config } from '../ops/config.js';
import type { Logger } from '../ops/logger.js';
import { buildDiscordCommands } from './command-definitions.js';

export type RegistrationResult = { changed: boolean; scope: 'guild' | 'global'; commands: number };

export type RegisterOptions = {
  /** Register to this guild only (development); default DISCORD_GUILD_ID, else global. */
  guildId?: string;
  /** The command definitions (the engine port's list). */
  commands: readonly Command[];
};

type RegistrationConfig = Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_API_URL' | 'DISCORD_GUILD_ID'>;

export async function registerDiscordCommands(config: RegistrationConfig, log: Logger, options: RegisterOptions): Promise<RegistrationResult> {
  const token = config.DISCORD_TOKEN;
  const applicationId = config.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) {
    throw new Error('register-discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (Developer Portal → Bot, and General Information)');
  }
  const guildId = options.guildId ?? config.DISCORD_GUILD_ID;
  if (guildId !== undefined && !/^\d{15,25}$/.test(guildId)) throw new Error(`--guild must be a numeric server id, not "${guildId}"`);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const scope = guildId ? 'guild' : 'global';
  const wanted = buildDiscordCommands(options.commands);

  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(token);
  try {
    const remote = (await rest.get(route)) as unknown[];
    if (sameCommands(remote, wanted)) {
      log.info({ scope, guildId, commands: wanted.length }, 'Discord commands are up to date; nothing registered');
      return { changed: false, scope, commands: wanted.length };
    }
    await rest.put(route, { body: wanted });
    log.info({ scope, guildId, commands: wanted.length }, 'Discord commands registered (bulk overwrite)');
    return { changed: true, scope, commands: wanted.length };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

/** True when both lists define the same commands, ignoring what Discord adds (ids, versions, defaults). */
export function sameCommands(remote: unknown[], wanted: unknown[]): boolean {
  return JSON.stringify(canonicalList(remote)) === JSON.stringify(canonicalList(wanted));
}

function canonicalList(commands: readonly unknown[]): Untyped[] {
  return commands.map((c) => canonicalCommand(obj(c) ?? {})).sort((a, b) => `${String(a.type)}:${String(a.name)}`.localeCompare(`${String(b.type)}:${String(b.name)}`));
}

const sortedNumbers = (value: unknown) => list(value)?.filter((n): n is number => typeof n === 'number').sort();
const canonicalOptions = (value: unknown) => (list(value) ?? []).map((o) => canonicalOption(obj(o) ?? {}));

function canonicalCommand(c: Untyped): Untyped {
  return {
    type: c.type ?? 1,
    name: c.name,
    description: c.description ?? '',
    name_localizations: localizations(c.name_localizations),
    description_localizations: localizations(c.description_localizations),
    default_member_permissions: c.default_member_permissions ?? null,
    nsfw: c.nsfw ?? false,
    contexts: sortedNumbers(c.contexts) ?? null,
    integration_types: sortedNumbers(c.integration_types) ?? [0],
    options: canonicalOptions(c.options),
  };
}

const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

function canonicalOption(o: Untyped): Untyped {
  const head = {
    type: o.type,
    name: o.name,
    description: o.description ?? '',
    name_localizations: localizations(o.name_localizations),
    description_localizations: localizations(o.description_localizations),
  };
  if (o.type === SUBCOMMAND || o.type === SUBCOMMAND_GROUP) {
    return { ...head, options: canonicalOptions(o.options) };
  }
  return {
    ...head,
    required: o.required ?? false,
    autocomplete: o.autocomplete ?? false,
    min_length: o.min_length,
    max_length: o.max_length,
    min_value: o.min_value,
    max_value: o.max_value,
    channel_types: sortedNumbers(o.channel_types),
    choices: list(o.choices)?.length ? o.choices : undefined,
  };
}

function localizations(value: unknown): unknown {
  return value && typeof value === 'object' && Object.keys(value).length > 0 ? value : undefined;
}
