/**
 * Console rendering: every line of a reply starts with `[private]` or `[channel]`, so a
 * script (or a test) can tell what a chat user would see privately from what the channel
 * would see. Actions are numbered: typing the number runs it, as pressing the button would.
 * Times are local, with how long ago, in the reply's own locale.
 */
import { parseIdentity, type Identity } from '../domain/identity.js';
import { catalogue, DEFAULT_LOCALE } from '../core/messages/index.js';
import { plainText, withoutTerminalControls, type Text } from '../core/text.js';
import type { Reply } from '../core/types.js';
import { consoleTime } from './time.js';

const TONE_MARK: Record<Reply['tone'], string> = { success: '✅', info: 'ℹ️', user_error: '⚠️', service_error: '❌' };

function mentionName(identity: Identity): string {
  return `@${parseIdentity(identity).userId}`;
}

export function renderConsoleReply(reply: Reply, firstActionNumber: number, nowMs: number = Date.now()): string[] {
  const locale = reply.locale ?? DEFAULT_LOCALE;
  const words = catalogue(locale).consoleText;
  const text = (t: Text) => plainText(t, mentionName, (epochSeconds, relative) => consoleTime(epochSeconds, locale, { nowMs, relative }));
  const tag = `[${reply.visibility}]`;
  const lines: string[] = [];
  const push = (line: string) => {
    // Whatever the input held (an escape sequence in a name), the terminal only ever gets text.
    for (const part of line.split('\n')) lines.push(`${tag} ${withoutTerminalControls(part)}`);
  };
  push(`${TONE_MARK[reply.tone]} ${text(reply.title)}`);
  for (const field of reply.fields ?? []) push(`  ${field.label}: ${text(field.value)}`);
  for (const paragraph of reply.body ?? []) push(`  ${text(paragraph)}`);
  (reply.actions ?? []).forEach((action, i) => {
    push(`  ${words.action(firstActionNumber + i, action.label, action.confirm !== undefined)}`);
  });
  if (reply.requestId) push(`  ${words.requestId(reply.requestId)}`);
  return lines;
}
