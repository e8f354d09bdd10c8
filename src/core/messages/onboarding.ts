/** The newcomer's welcome: what the bot does, and one button for each next step. */
import { suggestHandle } from '../../mail-api/handle-rule.js';
import type { Action, Reply, Text } from '../types.js';
import { claimAction, cmd, linkKeyAction, privateReply } from './common.js';

export const requestKeyAction: Action = { verb: 'key request', args: {}, label: 'I need a key' };

export function welcomeReply(displayName: string, welcomeText?: string): Reply {
  const suggestion = suggestHandle(displayName);
  const body: Text[] = [];
  if (welcomeText) body.push([welcomeText]);
  body.push(
    ['This bot gets you your own e-mail handle: claim ', { code: 'alice' }, ' and mail to alice@ on every domain of the mail service reaches your inbox.'],
    ['1. Link your mail-service API key, or ask the service for one.'],
    ['2. Claim a handle', ...(suggestion ? [' (', { code: suggestion }, ' would be a good start)'] : []), '.'],
    ['Any time: ', cmd('help'), '.'],
  );
  return privateReply('info', ['👋 Welcome! Get your own e-mail handle'], {
    body,
    actions: [{ ...linkKeyAction, label: 'I have a key — link it' }, requestKeyAction, ...(suggestion ? [claimAction(suggestion)] : [])],
  });
}

/** The "I need a key" form, shared by Slack's and Discord's modals. */
export const KEY_REQUEST_FORM = {
  title: 'Ask for an API key',
  emailLabel: 'Your e-mail address',
  emailHint: 'The mail service e-mails a confirmation link here, then your key. Use your own address, not one of the service’s domains.',
  submit: 'Send',
} as const;
