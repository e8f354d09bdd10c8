/**
 * The core's Text → Discord markdown. Plain strings are literal, so every one is escaped;
 * `code` segments (handles above all, which may contain `* _ ~ \` | &`) become inline code
 * that a backtick inside cannot break. Rendering is piecewise so that a text cut to a
 * Discord limit never ends inside an escape, a code span or a mention.
 */
import { escapeMarkdown } from 'discord.js';
import { parseIdentity } from '../domain/identity.js';
import type { Segment, Text } from '../core/text.js';

const ELLIPSIS = '…';
const DISCORD_ID = /^\d{1,25}$/;

/**
 * Whether a literal may need escaping: a character some escape below acts on, or a line that
 * starts like a list, a quote or subtext. Most of the catalogue's sentences have neither, and
 * escapeMarkdown runs a dozen regular expressions (lookbehinds included) over every one of them:
 * the largest single cost of rendering a Discord reply in the bench's profile.
 */
const MAY_NEED_ESCAPING = /[\\`*_~|#[<]|^\s*(?:[->]|\d+\.)/m;

/** Escapes a literal string: markdown, block starts (headings, lists, quotes, subtext) and `<…>` tokens. */
export function escapeDiscord(literal: string): string {
  if (!MAY_NEED_ESCAPING.test(literal)) return literal;
  return escapeMarkdown(literal, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
    // `<@id>`, `<#id>`, `<t:…>` and custom emoji would otherwise render from user-supplied text.
    .replaceAll('<', '\\<')
    .replace(/^(\s*)>/gm, '$1\\>')
    .replace(/^(\s*)-#/gm, '$1\\-#');
}

/**
 * Inline code. Inside a code span nothing is interpreted and backslashes do not escape, so a
 * backtick in the content needs the double-backtick form with padding (`` x`y ``). A run of
 * two or more backticks cannot be fenced reliably on Discord (three open a code block), so
 * such content is shown as escaped literal text instead: it still reads exactly as typed.
 */
export function inlineCode(content: string): string {
  const text = content.replace(/[\r\n]+/g, ' ');
  if (text === '') return '';
  if (!text.includes('`')) return `\`${text}\``;
  if (!text.includes('``')) return `\`\` ${text} \`\``;
  return escapeDiscord(text);
}

/**
 * The catalogue writes admin commands as typed on Slack and the console (`/handle admin notify off`);
 * on Discord they live under `/handle-admin`, where "notify off" is its own subcommand.
 */
function discordCommandSpelling(code: string): string {
  if (!code.startsWith('/handle admin ')) return code;
  const rest = code.slice('/handle admin '.length);
  return `/handle-admin ${rest === 'notify off' ? 'notify-off' : rest}`;
}

/** A rendered segment; `literal` (plain text) and `code` (inline code's content) can be cut to fit. */
type Piece = { rendered: string; literal?: string; code?: string };

function renderSegment(segment: Segment): Piece {
  if (typeof segment === 'string') return { rendered: escapeDiscord(segment), literal: segment };
  if ('code' in segment) {
    const code = discordCommandSpelling(segment.code);
    return { rendered: inlineCode(code), code };
  }
  if ('mention' in segment) {
    const who = parseIdentity(segment.mention);
    if (who.platform === 'discord' && DISCORD_ID.test(who.userId)) return { rendered: `<@${who.userId}>` };
    return { rendered: escapeDiscord(`@${who.userId}`) };
  }
  if ('channel' in segment) {
    return DISCORD_ID.test(segment.channel) ? { rendered: `<#${segment.channel}>` } : { rendered: escapeDiscord(`#${segment.channel}`) };
  }
  if ('time' in segment) {
    // Discord's own timestamps: each reader sees them in their time zone and language.
    const t = Math.floor(segment.time);
    return { rendered: segment.relative ? `<t:${t}:R>` : `<t:${t}:f> (<t:${t}:R>)` };
  }
  if ('link' in segment) {
    const label = escapeDiscord(segment.link.label).replace(/[[\]]/g, '\\$&');
    const url = segment.link.url;
    if (!/^https?:\/\/[^\s<>]+$/.test(url)) return { rendered: `${label} (${escapeDiscord(url)})` };
    return { rendered: `[${label}](<${url}>)` };
  }
  return { rendered: `**${escapeDiscord(segment.bold)}**` };
}

/** Adjacent literal strings are escaped together: `~` + `~` must not become a strikethrough. */
function toPieces(text: Text, limit = Number.POSITIVE_INFINITY): Piece[] {
  const merged: Segment[] = [];
  for (const segment of text) {
    const last = merged[merged.length - 1];
    if (typeof segment === 'string' && typeof last === 'string') merged[merged.length - 1] = last + segment;
    else merged.push(segment);
  }
  return merged.map((segment) =>
    renderSegment(typeof segment === 'string' && segment.length > limit ? segment.slice(0, limit + 1) : segment));
}

/** Discord user ids this text mentions (for `allowedMentions.users`). */
export function mentionedUserIds(text: Text): string[] {
  return text.flatMap((segment) => {
    if (typeof segment === 'string' || !('mention' in segment)) return [];
    const who = parseIdentity(segment.mention);
    return who.platform === 'discord' && DISCORD_ID.test(who.userId) ? [who.userId] : [];
  });
}

/**
 * Renders `text` in at most `limit` characters. When it does not fit, the text is cut at a
 * piece boundary (or inside a plain string, never inside one of its escapes) and ends with an
 * ellipsis.
 */
export function renderText(text: Text, limit = Number.POSITIVE_INFINITY): string {
  return renderWithin(text, limit).rendered;
}

export function renderWithin(text: Text, limit: number): { rendered: string; cut: boolean } {
  // Escaping only lengthens a string, so a literal longer than the limit is shortened first
  // (escapeMarkdown is quadratic on some inputs; nothing past the limit could be shown anyway).
  const pieces = toPieces(text, limit);
  const whole = pieces.map((p) => p.rendered).join('');
  if (whole.length <= limit) return { rendered: whole, cut: false };
  const budget = limit - ELLIPSIS.length;
  let out = '';
  for (const [index, piece] of pieces.entries()) {
    if (out.length + piece.rendered.length <= budget) {
      out += piece.rendered;
      continue;
    }
    if (piece.literal !== undefined) out += cutEscaped(piece.rendered, budget - out.length);
    if (piece.code !== undefined) {
      // A long handle keeps its start, shortened inside its code span, rather than vanishing into the ellipsis.
      const last = index === pieces.length - 1;
      const code = cutCode(piece.code, limit - out.length - (last ? 0 : ELLIPSIS.length));
      if (code !== '') return { rendered: out + code + (last ? '' : ELLIPSIS), cut: true };
    }
    break;
  }
  return { rendered: out + ELLIPSIS, cut: true };
}

/** Inline code of the longest start of `content` that fits `room` with its ellipsis; '' when not even a character does. */
function cutCode(content: string, room: number): string {
  const chars = Array.from(content);
  // Backticks and the ellipsis are the only additions: start from the largest possible length and step down.
  for (let n = Math.min(chars.length - 1, room - 3); n >= 1; n -= 1) {
    const code = inlineCode(`${chars.slice(0, n).join('')}${ELLIPSIS}`);
    if (code.length <= room) return code;
  }
  return '';
}

/** The first `room` characters of an escaped string, without a dangling escape backslash. */
function cutEscaped(escaped: string, room: number): string {
  let cut = escaped.slice(0, Math.max(0, room));
  const trailing = /\\*$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // half an emoji
  return cut;
}

/** Cuts plain (unrendered) text such as a button label to `limit` characters. */
export function truncatePlain(text: string, limit: number): string {
  const chars = Array.from(text);
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}${ELLIPSIS}`;
}
