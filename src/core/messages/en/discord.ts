/**
 * Words only the Discord front door needs: the command descriptions Discord shows in its
 * picker, the confirmation step Discord has no native dialog for, and the admin-channel check.
 * They live in the catalogue (not in src/discord) so that every word a person reads is
 * translated in one place. Discord limits are noted where a text must stay short.
 */
import type { Action, Reply, Text } from '../../types.js';
import { DISCORD_PERMISSIONS, type DiscordPermission } from '../shared.js';
import { cmd, listOf, privateReply } from './common.js';

/** The permissions an admin channel needs, as Discord's own settings name them in this language. */
export const discordPermissionNames: Record<DiscordPermission, string> = {
  ViewChannel: 'View Channel',
  SendMessages: 'Send Messages',
  EmbedLinks: 'Embed Links',
};

/** Slash-command and subcommand-group descriptions (1–100 characters each). */
export const discordCommandText = {
  handle: 'Claim and manage your e-mail handles',
  admin: 'Configure handle-bot for this server (admins)',
  keyGroup: 'Your mail-service API key',
};

/** Footer of a reply that carries a request id (plain text: Discord renders no markdown there). */
export function requestIdFooter(requestId: string): string {
  return `Request id: ${requestId}`;
}

/** The step before an irreversible action; `confirm` is the action's own question when known. */
export function discordConfirmReply(action: Pick<Action, 'label'>, confirm: Text | undefined): Reply {
  return privateReply('info', ['Please confirm'], {
    body: [confirm ?? [action.label, '? This cannot be undone.']],
  });
}

export const discordCancelLabel: string = 'Cancel';

export function discordCancelledReply(): Reply {
  return privateReply('info', ['Cancelled'], { body: [['Nothing was changed.']] });
}

/** A button whose id the bot no longer understands (an older version of the bot drew it). */
export function discordStaleButtonReply(): Reply {
  return privateReply('user_error', ['This button no longer works'], {
    body: [['It was drawn by an older version of the bot. Run the command again, for example ', cmd('help'), '.']],
  });
}

/**
 * Why the bot cannot post in a channel chosen for admin notifications, and what fixes it:
 * the permissions it lacks there, by the names Discord's settings use.
 */
export function discordChannelPermissionsFix(channelId: string, missing: DiscordPermission[]): Text {
  const named = listOf(missing.length > 0 ? missing : DISCORD_PERMISSIONS, (permission) => [discordPermissionNames[permission]]);
  return [
    'The bot lacks ', ...named, ' in ', { channel: channelId }, '. In the channel’s settings → Permissions, allow ', ...named,
    ' for the bot’s role (or the bot), then try again. Admin notifications need ', ...listOf(DISCORD_PERMISSIONS, (p) => [discordPermissionNames[p]]), '.',
  ];
}

export function discordChannelNotTextFix(channelId: string): Text {
  return [{ channel: channelId }, ' is not a text channel the bot can post in. Pick a text or announcement channel.'];
}

/**
 * Shown when an admin turns onboarding on while the bot does not receive join events: Discord
 * sends them only with the privileged Server Members intent.
 */
export function discordMembersIntentWarning(): Text {
  return [
    '⚠️ The bot cannot see people join yet, so nobody will be welcomed: enable Server Members Intent in the Discord Developer Portal (your application → Bot → Privileged Gateway Intents), then set ',
    { code: 'DISCORD_MEMBERS_INTENT=true' }, ' for the bot and restart it.',
  ];
}

/**
 * Added to a claim made where the app is installed to the person's account, not to the server
 * (Discord user installs): the bot is not in that server, so it does not announce there.
 */
export function discordUserInstallNote(): Text {
  return ['ℹ️ Only you see this: the bot is not installed in this server, so the claim was not announced here.'];
}
