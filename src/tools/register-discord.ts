/**
 * `handle-bot register-discord [--guild <id>]`, with the mistakes people make explained: a
 * server id that is too short to be one, and Discord's bare "Missing Access", which means the
 * application id is not this bot's or the bot is not in that server.
 */
import { REST, Routes } from 'discord.js';
import { commands } from '../../commands/index.js';
import type { Config } from '../ops/config.js';
import { consoleLogger } from '../ops/logger.js';

/** Discord ids (snowflakes) have 17 to 20 digits today; the configuration accepts 15–25 for the future. */
export function guildIdProblem(id: string): string | undefined {
  if (!/^\d+$/.test(id)) return `--guild "${id}" is not a server id: a server id is only digits (with Developer Mode on, right-click the server → Copy Server ID).`;
  if (id.length < 15) return `--guild ${id} is too short to be a server id: Discord server ids have 17 to 20 digits (with Developer Mode on, right-click the server → Copy Server ID).`;
  if (id.length > 25) return `--guild ${id} is too long to be a server id: Discord server ids have 17 to 20 digits.`;
  return undefined;
}

export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=19456`;
}

/** What a registration failure means, in words that say what to fix; undefined when there is nothing to add. */
export function explainRegistrationError(error: unknown, config: Pick<Config, 'DISCORD_APPLICATION_ID'>, guildId: string | undefined): string | undefined {
  const { code, status } = error as { code?: unknown; status?: unknown };
  const app = config.DISCORD_APPLICATION_ID ?? '(unset)';
  if (code === 50001) {
    const where = guildId ? `the commands of server ${guildId}` : 'the global commands';
    return `Discord answered "Missing Access" for ${where}. Either DISCORD_APPLICATION_ID (${app}) is not this bot's application ` +
      '(Developer Portal → your application → General Information → Application ID)' +
      (guildId ? `, or the bot is not a member of server ${guildId}: invite it with ${inviteUrl(app)}` : '') + '.';
  }
  if (status === 401) return 'Discord refused DISCORD_TOKEN: copy the bot token again from the Developer Portal (your application → Bot → Reset Token).';
  if (code === 10002 || status === 404) return `Discord does not know application ${app}: check DISCORD_APPLICATION_ID (Developer Portal → General Information).`;
  return undefined;
}

/** Overwrites a server's command list with nothing; returns how many there were. */
async function removeGuildCommands(config: Config, guildId: string): Promise<number> {
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) throw new Error('register-discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  try {
    const route = Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, guildId);
    const existing = (await rest.get(route)) as unknown[];
    if (existing.length > 0) await rest.put(route, { body: [] });
    return existing.length;
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

/**
 * `remove`: register an empty list in that server, which deletes the server-only commands
 * (left from development; next to the global ones they would show twice).
 */
export async function registerDiscordCommand(config: Config, guildOption: string | undefined, remove = false): Promise<number> {
  const guildId = guildOption ?? config.DISCORD_GUILD_ID;
  const problem = guildOption === undefined ? undefined : guildIdProblem(guildOption);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    return 2;
  }
  if (remove && !guildId) {
    process.stderr.write('--remove deletes the commands of one server: name it with --guild <server id>.\n');
    return 2;
  }
  try {
    if (remove && guildId) {
      const removed = await removeGuildCommands(config, guildId);
      process.stdout.write(removed > 0 ? `Removed handle-bot's ${removed} command(s) from server ${guildId}.\n` : `Server ${guildId} has no handle-bot commands: nothing to do.\n`);
      return 0;
    }
    const { registerDiscordCommands } = await import('../discord/index.js');
    const log = consoleLogger({ ...config, LOG_LEVEL: config.LOG_LEVEL ?? 'info' });
    const result = await registerDiscordCommands(config, log, { commands, ...(guildId ? { guildId } : {}) });
    process.stdout.write(result.changed
      ? `Registered ${result.commands} command(s) ${result.scope === 'guild' ? `in server ${guildId ?? ''}` : 'globally (may take up to an hour to appear)'}.\n`
      : `The ${result.scope === 'guild' ? 'server' : 'global'} commands are already up to date: nothing to do.\n`);
    if (result.changed && result.scope === 'global') {
      process.stdout.write('If you registered them in a server while developing, remove those there, or they show twice: see README, "Create the Discord application".\n');
    }
    return 0;
  } catch (error) {
    const explained = explainRegistrationError(error, config, guildId);
    if (explained === undefined) throw error;
    process.stderr.write(`${explained}\n`);
    return 1;
  }
}
