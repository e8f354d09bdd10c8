/** Small builders shared by the catalogue's modules. */
import type { Action, Reply, Text } from '../types.js';

/** How a command is referred to in a message (the console accepts the `/handle` prefix too). */
export function cmd(verbAndArgs: string): { code: string } {
  return { code: `/handle ${verbAndArgs}` };
}

export function privateReply(tone: Reply['tone'], title: Text, rest: Omit<Reply, 'visibility' | 'tone' | 'title'> = {}): Reply {
  return { visibility: 'private', tone, title, ...rest };
}

/** A claim is permanent, so every button that claims asks first. */
export function claimAction(handle: string): Action {
  return {
    verb: 'create',
    args: { name: handle },
    label: `Claim ${handle}`,
    style: 'primary',
    confirm: [
      'Claim ', { code: handle }, '? A handle is yours for good: it cannot be renamed, and even after you delete it nobody (you included) can claim it again.',
    ],
  };
}

export const linkKeyAction: Action = { verb: 'key set', args: {}, label: 'Link my API key', style: 'primary' };

export function seconds(n: number): string {
  if (n < 60) return n === 1 ? '1 second' : `${n} seconds`;
  const minutes = Math.ceil(n / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}

/** "a, b and c" */
export function listOf<T>(items: T[], render: (item: T) => Text): Text {
  const out: Text = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(i === items.length - 1 ? ' and ' : ', ');
    out.push(...render(item));
  });
  return out;
}

/** "a, b and c", or "a, b, c and 4 more" when only some of `total` items are shown. */
export function listWithMore<T>(shown: T[], total: number, render: (item: T) => Text): Text {
  const hidden = total - shown.length;
  if (hidden <= 0) return listOf(shown, render);
  const out: Text = [];
  shown.forEach((item, i) => {
    if (i > 0) out.push(', ');
    out.push(...render(item));
  });
  out.push(` and ${hidden} more`);
  return out;
}

/** A command that arrives while the process is shutting down (a new one is usually starting). */
export function restartingReply(): Reply {
  return privateReply('service_error', ['The bot is restarting'], {
    body: [['Nothing was done. Please run your command again in a few seconds.']],
  });
}
