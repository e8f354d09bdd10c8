import type { Config } from '../ops/config.js';
import type { Invocation } from './types.js';

/**
 * Who may change the bot's settings: the platform's own admins (Slack workspace
 * admins/owners; on Discord whoever Discord lets run /handle-admin), anyone listed in
 * ADMIN_USERS, and the console's operator (who already controls the process).
 */
export function isAdmin(invocation: Invocation, config: Pick<Config, 'ADMIN_USERS'>): boolean {
  return invocation.platform === 'console' || invocation.platformAdmin || config.ADMIN_USERS.includes(invocation.identity);
}

/**
 * The same question for an admin verb, asked of the platform now when the invocation's answer
 * may be cached: rights that grant something are never older than the command.
 */
export async function isAdminNow(invocation: Invocation, config: Pick<Config, 'ADMIN_USERS'>): Promise<boolean> {
  if (invocation.platform === 'console' || config.ADMIN_USERS.includes(invocation.identity)) return true;
  return invocation.currentAdmin ? invocation.currentAdmin() : invocation.platformAdmin;
}
