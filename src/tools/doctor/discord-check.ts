/**
 * The doctor's check of Discord: the token is valid, it belongs to DISCORD_APPLICATION_ID, the
 * Server Members intent is allowed when DISCORD_MEMBERS_INTENT asks for it, and the commands
 * Discord holds match the definitions (drift means `register-discord` is due).
 */
import { commands } from '../../../commands/index.js';
import { buildDiscordCommands } from '../../discord/command-definitions.js';
import { sameCommands } from '../../discord/registration.js';
import type { Config } from '../../ops/config.js';
import { httpCall, ok, problem, skipped, type Check } from './check.js';

const NAME = 'Discord';
/** Application flags: the Server Members intent allowed (verified apps / apps in under 100 servers). */
const GATEWAY_GUILD_MEMBERS = 1 << 14;
const GATEWAY_GUILD_MEMBERS_LIMITED = 1 << 15;

export async function discordCheck(config: Config): Promise<Check> {
  const token = config.DISCORD_TOKEN;
  if (!token) return skipped(NAME, 'not configured (DISCORD_TOKEN is empty)');
  const api = `${config.DISCORD_API_URL.replace(/\/+$/, '')}/v10`;
  const get = (route: string) => httpCall(`${api}${route}`, { headers: { authorization: `Bot ${token}` } });

  const app = await get('/applications/@me');
  if (app.kind === 'failed') return problem(NAME, `could not reach Discord at DISCORD_API_URL (${config.DISCORD_API_URL}): ${app.reason}`, 'check DISCORD_API_URL and this host\'s network access to it');
  if (app.status === 401) return problem(NAME, 'Discord refused DISCORD_TOKEN', 'copy the bot token again (Developer Portal → your application → Bot → Reset Token)');
  const application = (app.json ?? {}) as { id?: unknown; name?: unknown; flags?: unknown };
  if (app.status !== 200 || typeof application.id !== 'string') return problem(NAME, `GET /applications/@me answered ${app.status}`, 'check DISCORD_API_URL');
  if (application.id !== config.DISCORD_APPLICATION_ID) {
    return problem(NAME, `DISCORD_TOKEN belongs to application ${application.id}, but DISCORD_APPLICATION_ID is ${config.DISCORD_APPLICATION_ID ?? '(unset)'}`,
      `set DISCORD_APPLICATION_ID=${application.id} (Developer Portal → General Information → Application ID)`);
  }
  const flags = typeof application.flags === 'number' ? application.flags : 0;
  if (config.DISCORD_MEMBERS_INTENT && (flags & (GATEWAY_GUILD_MEMBERS | GATEWAY_GUILD_MEMBERS_LIMITED)) === 0) {
    return problem(NAME, 'DISCORD_MEMBERS_INTENT=true, but the Server Members intent is off for this application',
      'enable it (Developer Portal → Bot → Privileged Gateway Intents → Server Members Intent), or set DISCORD_MEMBERS_INTENT=false');
  }
  const scope = config.DISCORD_GUILD_ID ? `server ${config.DISCORD_GUILD_ID}` : 'global';
  const route = config.DISCORD_GUILD_ID ? `/applications/${application.id}/guilds/${config.DISCORD_GUILD_ID}/commands` : `/applications/${application.id}/commands`;
  const registered = await get(route);
  const who = `application ${String(application.name)} (${application.id})${config.DISCORD_MEMBERS_INTENT ? ', Server Members intent allowed' : ''}`;
  if (registered.kind === 'failed' || registered.status !== 200 || !Array.isArray(registered.json)) {
    const why = registered.kind === 'failed' ? registered.reason : `HTTP ${registered.status}`;
    const fix = registered.kind === 'answer' && registered.status === 403
      ? `"Missing Access": the bot is not a member of server ${config.DISCORD_GUILD_ID ?? ''} (invite it) or the application id is wrong`
      : 'check DISCORD_GUILD_ID and the bot\'s membership of that server';
    return problem(NAME, `${who}; the ${scope} commands could not be read (${why})`, fix);
  }
  if (!sameCommands(registered.json, buildDiscordCommands(commands))) {
    return problem(NAME, `${who}; the ${scope} commands differ from this version's definitions (${registered.json.length} registered)`,
      `run \`handle-bot register-discord${config.DISCORD_GUILD_ID ? ` --guild ${config.DISCORD_GUILD_ID}` : ''}\``);
  }
  return ok(NAME, `${who}; the ${scope} commands match this version`);
}
