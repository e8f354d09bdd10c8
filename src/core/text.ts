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
  /**
   * A moment (epoch seconds), which each platform formats in the reader's own time zone and
   * language: by default the date and time with how long ago; `relative`: only "in 45 seconds".
   */
  | { time: number; relative?: true }
  | { link: { url: string; label: string } }
  | { bold: string };

export type Text = Segment[];

/**
 * A moment as plain text where nothing better is known: `2026-12-02 23:56 UTC`, the same in
 * every language. Front doors show times their platform formats in the reader's own time zone
 * (Slack's date tokens, Discord's timestamps, the console's local time); this is their fallback.
 */
export function utcTime(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  return Number.isNaN(date.getTime()) ? '?' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Characters that show nothing or change how the text around them reads: controls (NUL, ESC, …), format characters (bidi overrides, zero-width), line and paragraph separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0]/gu;
/** What a terminal would act on: control characters (ESC starts its sequences) and bidi overrides. Newlines and tabs stay. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROLS = /[\x00-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/g;

function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Text someone typed, shown back with each invisible character as its code point (`U+202E`), so nothing can hide or reorder what is around it. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, codePoint);
}

/** A line for a terminal: no control sequence from the input reaches it (each is shown as its code point). */
export function withoutTerminalControls(text: string): string {
  return text.replace(TERMINAL_CONTROLS, codePoint);
}

/** Plain rendering (console, Slack/Discord notification fallbacks, logs, tests). */
export function plainText(
  text: Text,
  mentionName: (id: Identity) => string = (id) => `@${id.split(':').pop() ?? id}`,
  timeText: (epochSeconds: number, relative: boolean) => string = utcTime,
): string {
  return text
    .map((segment) => {
      if (typeof segment === 'string') return segment;
      if ('code' in segment) return `\`${segment.code}\``;
      if ('mention' in segment) return mentionName(segment.mention);
      if ('channel' in segment) return `#${segment.channel}`;
      if ('time' in segment) return timeText(segment.time, segment.relative === true);
      if ('link' in segment) return `${segment.link.label} (${segment.link.url})`;
      return segment.bold;
    })
    .join('');
}
