/**
 * Words only the Slack front door needs: the `key set`, "I need a key" and claim modals, the
 * admin-channel check, App Home, the Workflow Builder step, and the answer while the bot
 * restarts. Modal fields are plain strings (Slack's plain_text); Block Kit limits are noted
 * where a text must stay short.
 */
import type { HandleProblem } from '../../mail-api/outcomes.js';
import type { HistoryEntry, KeyRecordView } from '../../store/types.js';
import type { ApiKeyProblem } from '../api-key.js';
import { plainText } from '../text.js';
import type { Identity } from '../identity.js';
import type { Action, Reply, Text } from '../types.js';
import { linkKeyAction, privateReply } from './common.js';
import { describeKeyProblem, noKeyLinkedReply } from './failures.js';
import { describeHandleProblem } from './handle-problems.js';
import { requestKeyAction } from './onboarding.js';

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

/** The admin channel cannot be checked or joined because the app lacks a permission. */
export function channelScopeMissingFix(scope: string | undefined, bot?: Identity): Text {
  return [
    'The bot is missing the Slack permission ', { code: scope ?? 'channels:join' },
    '. Reinstall the app with the current manifest (', { code: 'commands/slack-manifest.json' }, '), or invite ', ...botRef(bot),
    ' to the channel (', { code: '/invite' }, ' in the channel), then try again.',
  ];
}

// ---------------------------------------------------------------------------------------------
// Onboarding modals: "I need a key" and "Claim a handle" (titles and buttons ≤ 24 characters)
// ---------------------------------------------------------------------------------------------

/** Slack's "I need a key" modal; the field words are the shared KEY_REQUEST_FORM. */
export const slackKeyRequestModalText = {
  placeholder: 'you@example.com',
  intro: 'Your address goes to the mail service only. It allows 3 requests per hour for one address, so check your spam folder before asking again.',
  checking: 'Asking the mail service to e-mail you…',
  retry: 'Try again',
  cancel: 'Cancel',
  close: 'Close',
} as const;

/** Under the e-mail input when what was typed cannot be an address (plain text). */
export function invalidEmailInlineError(): string {
  return 'That does not look like an e-mail address: it needs a name, an @ and a domain, like you@example.com.';
}

export const slackClaimModalText = {
  title: 'Claim a handle',
  submit: 'Claim',
  retry: 'Try again',
  cancel: 'Cancel',
  close: 'Close',
  label: 'Handle',
  placeholder: 'e.g. alice',
  intro: 'Mail to your handle on every domain of the mail service reaches your inbox. A handle is yours for good: it cannot be renamed, and even after you delete it nobody (you included) can claim it again.',
} as const;

/** The "working" view while the claim is with the service (plain text: nothing in it formats). */
export function claimingText(handle: string): string {
  return `Claiming ${handle} with your API key…`;
}

/** Under the handle input: the precise reason from the handle rule, and a corrected suggestion. */
export function invalidHandleInlineError(problem: HandleProblem, suggestion?: string): string {
  const why = plainText(['It can’t be used because ', ...describeHandleProblem(problem), '.']);
  return suggestion ? `${why} Did you mean ${suggestion}?` : why;
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
} as const;

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
} as const satisfies Record<string, Action>;

// ---------------------------------------------------------------------------------------------
// The Workflow Builder step "Claim an e-mail handle"
// ---------------------------------------------------------------------------------------------

/** What Workflow Builder shows for the step and its inputs and outputs (the manifest's words). */
export const claimStepText = {
  title: 'Claim an e-mail handle',
  description: 'Claims a handle on the mail-forwarding service for the person running the workflow, with their own linked API key',
  handleTitle: 'Handle',
  handleDescription: 'The handle to claim: the part before the @',
  handleHint: 'Letters a–z, digits and . _ - + ; for example the person’s name',
  interactivityTitle: 'Person running the workflow',
  interactivityDescription: 'Who started the workflow: the step acts only for them, with their own API key',
  outHandleTitle: 'Handle',
  outHandleDescription: 'The handle that was claimed',
  outAddressesTitle: 'Addresses',
  outAddressesDescription: 'Every address of the handle, comma-separated',
} as const;

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
