/** The newcomer's welcome: what the bot does, and one button for each next step. */
import { suggestHandle } from '../../../domain/handle.js';
import type { Reply, Text } from '../../types.js';
import { claimAction, linkKeyAction, requestKeyAction } from './actions.js';
import { cmd, privateReply } from './common.js';

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
