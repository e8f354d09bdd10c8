/**
 * Platform-neutral rich text. Plain strings are literal: every adapter escapes them for its
 * platform. Anything a user or the service supplied (handles above all: they may contain
 * `* _ ~ \` | &`) goes into a `code` segment so that no platform formats it.
 */
import type { Identity } from '../domain/identity.js';

export type Segment =
  | string
  | { code: string }
  | { mention: Identity }
  | { channel: string }
  | { time: number /* epoch seconds */ }
  | { link: { url: string; label: string } }
  | { bold: string };

export type Text = Segment[];

/** Plain rendering (console, Slack/Discord notification fallbacks, logs, tests). */
export function plainText(text: Text, mentionName: (id: Identity) => string = (id) => `@${id.split(':').pop() ?? id}`): string {
  return text
    .map((segment) => {
      if (typeof segment === 'string') return segment;
      if ('code' in segment) return `\`${segment.code}\``;
      if ('mention' in segment) return mentionName(segment.mention);
      if ('channel' in segment) return `#${segment.channel}`;
      if ('time' in segment) return new Date(segment.time * 1000).toISOString().replace('.000Z', 'Z');
      if ('link' in segment) return `${segment.link.label} (${segment.link.url})`;
      return segment.bold;
    })
    .join('');
}
