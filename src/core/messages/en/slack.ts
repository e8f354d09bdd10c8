/**
 * Words only the Slack front door needs: the admin-channel check, App Home and the Workflow
 * Builder step. They live in the catalogue (not in src/slack) so that every word a person reads
 * is translated in one place; the forms every front door shares are in forms.ts.
 */
import type { HistoryEntry, KeyRecordView } from '../../../store/types.js';
import { plainText } from '../../text.js';
import type { Identity } from '../../../domain/identity.js';
import type { Action, Reply, Text } from '../../types.js';
import { claimStepText } from '../manifest-words.js';
import { linkKeyAction, requestKeyAction } from './actions.js';
import { noKeyLinkedReply } from './failures.js';

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

/** The admin channel cannot be checked or joined because the app lacks a permission. */
export function channelScopeMissingFix(scope: string | undefined, bot?: Identity): Text {
  return [
    'The bot is missing the Slack permission ', { code: scope ?? 'channels:join' },
    '. Reinstall the app with the current manifest (', { code: 'commands/slack-manifest.json' }, '), or invite ', ...botRef(bot),
    ' to the channel (', { code: '/invite' }, ' in the channel), then try again.',
  ];
}

/**
 * Slack's own parts of a message: the confirmation dialog's buttons, the request id's label,
 * and how a date reads (Slack's tokens, which Slack fills in the reader's own time zone and
 * language: "Today at 23:56"; `relativeDateFormat` for "in 45 seconds").
 */
export const slackText = {
  confirm: 'Yes',
  deny: 'Cancel',
  requestId: 'Request id',
  dateFormat: '{date_short_pretty} at {time}',
  relativeDateFormat: '{ago}',
};

/** At the top of the key form when a key was typed after `/handle key set` (it was not stored). */
export function slackKeyTypedNotice(): string {
  return 'You typed a key after /handle key set. It was not stored: a command line travels through Slack and can stay in your history, so the bot takes a key only in this private form. If you pasted it where others can read it, ask for a new key with /handle key request and link that one.';
}

// ---------------------------------------------------------------------------------------------
// App Home
// ---------------------------------------------------------------------------------------------

export const slackHomeText = {
  title: 'Your e-mail handles',
  intro: 'Claim an e-mail handle on the mail-forwarding service with your own API key: mail to it on every domain of the service reaches your inbox.',
  keyHeading: 'Your API key',
  handlesHeading: 'Your recent handles',
  footer: 'Everything else, from any channel: /handle help',
};

export function homeKeyLinked(record: KeyRecordView): Text[] {
  const lines: Text[] = [['Linked: the key ending in ', { code: record.fingerprint }, ', since ', { time: Math.floor(record.linkedAt / 1000) }, '.']];
  if (record.verifyResult === 'rejected') lines.push(['⚠️ The mail service refused it the last time it was used (expired or revoked): replace it with a new one.']);
  return lines;
}

export function homeKeyNone(): Text[] {
  return [['Not linked yet. Link the key the mail service e-mailed you, or ask the service for one: it is stored encrypted and never shown again.']];
}

export function homeKeyUnreadable(reason: 'tampered' | 'unknown_secret'): Text[] {
  return [
    reason === 'unknown_secret'
      ? ['⚠️ Your stored key can’t be opened: the bot’s encryption secret changed since you linked it. Link it again.']
      : ['⚠️ Your stored key is damaged, so the bot refuses to use it. Link it again.'],
  ];
}

const HOME_STATUS: Record<HistoryEntry['status'], string> = {
  claimed: 'claimed',
  deleted: 'deleted',
  unconfirmed: '⚠️ unconfirmed: the service did not answer in time, it may be yours',
  pending: '⚠️ may be yours — the bot stopped before the service answered; check with the service',
};

export function homeHandleLine(entry: HistoryEntry): Text {
  return ['• ', { code: entry.handle }, ` — ${HOME_STATUS[entry.status]}, `, { time: Math.floor(entry.at / 1000) }];
}

export function homeNoHandles(): Text {
  return ['No handles yet. Claim your first one below.'];
}

/** App Home buttons. A claim without a name, or a key request without an address, opens a modal. */
export const homeActions = {
  link: linkKeyAction,
  replace: { verb: 'key set', args: {}, label: 'Replace my key' },
  remove: {
    verb: 'key remove', args: {}, label: 'Remove my key', style: 'danger',
    confirm: ['Remove your API key from the bot? Your handles stay yours; you can link a key again any time.'],
  },
  request: requestKeyAction,
  claim: { verb: 'create', args: {}, label: 'Claim a handle', style: 'primary' },
} satisfies Record<string, Action>;

// ---------------------------------------------------------------------------------------------
// The Workflow Builder step "Claim an e-mail handle"
// ---------------------------------------------------------------------------------------------

/** The step's error when Slack did not say who is running the workflow. */
export function stepNoInteractorError(): string {
  return 'Nothing was claimed: Slack did not say who is running this workflow, and the step acts only for that person. Start the workflow from a link, a shortcut or a button.';
}

/** The step's error without a linked key (the person was sent a direct message, when possible). */
export function stepNoKeyError(dmSent: boolean): string {
  return dmSent
    ? 'Nothing was claimed: you have not linked a mail-service API key with the bot yet. The bot sent you a direct message that shows how.'
    : 'Nothing was claimed: you have not linked a mail-service API key with the bot yet. Type /handle key set in any channel to link it.';
}

/** The direct message that tells the person running the workflow how to link a key. */
export function stepNeedsKeyReply(): Reply {
  const base = noKeyLinkedReply();
  return {
    ...base,
    title: ['The workflow step “', claimStepText.title, '” needs your API key'],
    body: [['It claims handles with your own key, and you have not linked one yet, so nothing was claimed.'], ...(base.body ?? []).slice(1)],
  };
}

/** The step's error when its work ran past the deadline. */
export function stepTimeoutError(handle: string): string {
  return `The claim of ${handle} did not finish in time, so the step gave up. The handle may be yours already: check with /handle list before trying again.`;
}

/** The step's error from the reply the bot would have shown in chat: its title and first line, as plain text. */
export function stepFailedError(reply: Reply): string {
  const first = reply.body?.[0];
  const text = plainText(reply.title) + (first ? `. ${plainText(first)}` : '.') + (reply.requestId ? ` (request id ${reply.requestId})` : '');
  return text.length <= 1000 ? text : `${text.slice(0, 999)}…`;
}

export function stepInternalError(requestId: string): string {
  return `Something went wrong inside the bot, so the step did not finish. If it keeps happening, tell the bot’s operator and quote request id ${requestId}.`;
}
