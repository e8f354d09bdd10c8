/**
 * Who is asking. An identity is a stable string that names one chat user:
 * `slack:<enterprise-or-team id>:<user id>`, `discord:<user id>` (Discord ids are global),
 * `console:<name>`. It keys the user's sealed API key, history and cooldowns, and is sent
 * to the mail service as X-Bot-Source.
 */
export type Identity = string;
export type Platform = 'slack' | 'discord' | 'console';

export function slackIdentity(teamOrEnterpriseId: string, userId: string): Identity {
  return `slack:${teamOrEnterpriseId}:${userId}`;
}
export function discordIdentity(userId: string): Identity {
  return `discord:${userId}`;
}
export function consoleIdentity(name: string): Identity {
  return `console:${name}`;
}

/** The platform and platform user id of an identity (for mentions). */
export function parseIdentity(identity: Identity): { platform: Platform; userId: string; teamId?: string } {
  const [platform, a, b] = identity.split(':');
  if (platform === 'slack' && a && b) return { platform, teamId: a, userId: b };
  if (platform === 'discord' && a) return { platform, userId: a };
  return { platform: 'console', userId: identity.slice('console:'.length) };
}
