/**
 * Where settings live: one scope per Slack workspace (`slack:<team id>`), per Discord server
 * (`discord:<guild id>`), and one for the console. A Discord DM has none (except for the buttons
 * of a welcome DM, which act for the server that sent it).
 */
export type Scope = string;

export const SLACK_SCOPE_PREFIX = 'slack:';
export const DISCORD_SCOPE_PREFIX = 'discord:';
export const CONSOLE_SCOPE: Scope = 'console';

export function slackScope(teamId: string): Scope {
  return `${SLACK_SCOPE_PREFIX}${teamId}`;
}

export function discordScope(guildId: string): Scope {
  return `${DISCORD_SCOPE_PREFIX}${guildId}`;
}

export function isSlackScope(scope: Scope): boolean {
  return scope.startsWith(SLACK_SCOPE_PREFIX);
}

export function isDiscordScope(scope: Scope): boolean {
  return scope.startsWith(DISCORD_SCOPE_PREFIX);
}
