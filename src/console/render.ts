/**
 * Console rendering: every line of a reply starts with `[private]` or `[channel]`, so a
 * script (or a test) can tell what a chat user would see privately from what the channel
 * would see. Actions are numbered: typing the number runs it, as pressing the button would.
 */
import { parseIdentity, type Identity } from '../domain/identity.js';
import { plainText } from '../core/text.js';
import type { Reply } from '../core/types.js';

const TONE_MARK: Record<Reply['tone'], string> = { success: '✅', info: 'ℹ️', user_error: '⚠️', service_error: '❌' };

function mentionName(identity: Identity): string {
  return `@${parseIdentity(identity).userId}`;
}

export function renderConsoleReply(reply: Reply, firstActionNumber: number): string[] {
  const tag = `[${reply.visibility}]`;
  const lines: string[] = [];
  const push = (text: string) => {
    for (const line of text.split('\n')) lines.push(`${tag} ${line}`);
  };
  push(`${TONE_MARK[reply.tone]} ${plainText(reply.title, mentionName)}`);
  for (const field of reply.fields ?? []) push(`  ${field.label}: ${plainText(field.value, mentionName)}`);
  for (const paragraph of reply.body ?? []) push(`  ${plainText(paragraph, mentionName)}`);
  (reply.actions ?? []).forEach((action, i) => {
    push(`  → [${firstActionNumber + i}] ${action.label}  (type ${firstActionNumber + i}${action.confirm ? ', you will be asked to confirm' : ''})`);
  });
  if (reply.requestId) push(`  request id: ${reply.requestId}`);
  return lines;
}


