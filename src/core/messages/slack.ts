/**
 * Words only the Slack front door needs: the `key set` modal, the admin-channel check and
 * the answer while the bot restarts. Modal fields are plain strings (Slack's plain_text);
 * Block Kit limits are noted where a text must stay short.
 */
import type { ApiKeyProblem } from '../api-key.js';
import { plainText } from '../text.js';
import type { Identity } from '../identity.js';
import type { Reply, Text } from '../types.js';
import { privateReply } from './common.js';
import { describeKeyProblem } from './failures.js';

/** The `key set` modal. Title, submit and close are limited to 24 characters by Slack. */
export const keySetModalText = {
  title: 'Link your API key',
  submit: 'Link key',
  retry: 'Try again',
  cancel: 'Cancel',
  close: 'Close',
  label: 'API key',
  placeholder: 'Paste the 64-character key',
  hint: 'The key the mail service e-mailed you: 64 characters of 0–9 and a–f. It is checked with the service, stored encrypted, and never shown again.',
  intro: 'Your key stays private: only the bot sees it, it never appears in a channel, and you can remove it any time with /handle key remove.',
  checking: 'Checking your key with the mail service…',
} as const;

/** The inline error under the key input (plain text; never echoes what was typed). */
export function malformedKeyInlineError(problem: ApiKeyProblem): string {
  const why = plainText(describeKeyProblem(problem));
  return `That does not look like an API key: ${why}. Keys are 64 characters of 0–9 and a–f.`;
}

/** The bot as a mention when its user id is known. */
function botRef(bot: Identity | undefined): Text {
  return bot ? [{ mention: bot }] : ['the bot'];
}

/** Why the bot cannot post in a channel chosen for admin notifications, and what fixes it. */
export function channelNotVisibleFix(bot?: Identity): Text {
  return ['The bot cannot see that channel. If it is private, invite ', ...botRef(bot), ' to it first (', { code: '/invite' }, ' in the channel), then try again.'];
}

export function channelPrivateFix(bot?: Identity): Text {
  return ['It is a private channel the bot is not in. Invite ', ...botRef(bot), ' to it first (', { code: '/invite' }, ' in the channel), then try again.'];
}

export function channelArchivedFix(): Text {
  return ['That channel is archived. Pick a channel that is in use.'];
}

export function channelJoinFailedFix(bot?: Identity): Text {
  return ['The bot could not join it by itself. Invite ', ...botRef(bot), ' to it (', { code: '/invite' }, ' in the channel), then try again.'];
}

export function channelCheckFailedFix(): Text {
  return ['The bot could not check that channel with Slack just now. Try again in a minute.'];
}

/** A command that arrives while the process is shutting down (a new one is usually starting). */
export function restartingReply(): Reply {
  return privateReply('service_error', ['The bot is restarting'], {
    body: [['Nothing was done. Please run your command again in a few seconds.']],
  });
}
