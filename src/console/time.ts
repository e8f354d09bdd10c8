/**
 * A moment as the console shows it: the local date and time, then how long ago (or how soon),
 * both in the reader's locale — `Dec 2, 2026, 11:56 PM (3 minutes ago)`,
 * `2 de dez. de 2026 23:56 (há 3 minutos)`. The words come from the runtime's own locale data
 * (Intl), as Slack and Discord format their dates themselves.
 */
import type { Locale } from '../core/messages/index.js';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400], ['month', 30 * 86_400], ['week', 7 * 86_400], ['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1],
];

export type TimeOptions = {
  nowMs?: number;
  /** Only how long ago, or how soon ("in 45 seconds"). */
  relative?: boolean;
  /** The reader's time zone; by default the machine's (TZ). */
  timeZone?: string;
};

export function consoleTime(epochSeconds: number, locale: Locale, options: TimeOptions = {}): string {
  const { nowMs = Date.now(), relative = false, timeZone } = options;
  const date = new Date(epochSeconds * 1000);
  if (Number.isNaN(date.getTime())) return '?';
  const delta = epochSeconds - nowMs / 1000;
  const [unit, size] = UNITS.find(([, seconds]) => Math.abs(delta) >= seconds) ?? ['second', 1];
  const ago = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.round(delta / size), unit);
  if (relative) return ago;
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(date)} (${ago})`;
}
