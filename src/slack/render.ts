/**
 * Block Kit rendering of a platform-neutral Reply. Pure: no I/O, no Bolt runtime.
 *
 * Everything a user or the service supplied goes into `rich_text` elements (structured, so
 * `* _ ~` and backticks in a handle can never format: mrkdwn has no escape for them) or into
 * `plain_text`. The only mrkdwn left is the request-id context line and the `text` fallback,
 * and both escape `& < >`. Block Kit limits are respected by truncating, never by failing.
 */
import type { types } from '@slack/bolt';
import { encodeAction } from '../core/action-codec.js';
import { catalogue, type Catalogue } from '../core/messages/index.js';
import { parseIdentity, type Identity } from '../domain/identity.js';
import { plainText, utcTime, type Segment, type Text } from '../core/text.js';
import type { Action, Reply } from '../core/types.js';

type KnownBlock = types.KnownBlock;
type RichTextBlock = types.RichTextBlock;
type RichTextElement = types.RichTextElement;
type RichTextSection = types.RichTextSection;
type Button = types.Button;

/** Limits from Slack's Block Kit reference. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  elementsPerActionsBlock: 25,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  sectionText: 3000,
  contextText: 2000,
  /** Not a documented per-element limit: kept at the section limit so one runaway text cannot bloat a message. */
  richTextElement: 3000,
  /** The `text` fallback (Slack truncates messages at 40 000 characters; notifications need far less). */
  fallbackText: 3000,
  modalTitle: 24,
  modalButton: 24,
} as const;

/** Prefix of every button's action_id; the listener matches on it. */
export const ACTION_ID_PREFIX = 'hb.';
/** Block id of the buttons, so a press can be told apart from other interactive blocks. */
export const ACTIONS_BLOCK_PREFIX = 'hb_actions';

const TONE_MARK: Record<Reply['tone'], string> = { success: '✅ ', info: '', user_error: '⚠️ ', service_error: '❌ ' };

/** `& < >` are the only characters mrkdwn can escape. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to at most `max` UTF-16 units, ending with "…", never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

function slackUserId(identity: Identity): string | undefined {
  const parsed = parseIdentity(identity);
  return parsed.platform === 'slack' ? parsed.userId : undefined;
}

/** `@U123` in plain text; the client shows the name for rich_text `user` elements. */
function plainMention(identity: Identity): string {
  return `@${parseIdentity(identity).userId}`;
}

type Style = NonNullable<types.RichTextText['style']>;

function segmentToElement(segment: Segment, style: Style | undefined, words: Catalogue['slackText']): RichTextElement {
  const styled = <T extends object>(element: T): T => (style ? { ...element, style } : element);
  if (typeof segment === 'string') return styled({ type: 'text', text: truncate(segment, SLACK_LIMITS.richTextElement) });
  if ('code' in segment) {
    return { type: 'text', text: truncate(segment.code, SLACK_LIMITS.richTextElement), style: { ...style, code: true } };
  }
  if ('bold' in segment) {
    return { type: 'text', text: truncate(segment.bold, SLACK_LIMITS.richTextElement), style: { ...style, bold: true } };
  }
  if ('mention' in segment) {
    const userId = slackUserId(segment.mention);
    return userId ? styled({ type: 'user', user_id: userId }) : styled({ type: 'text', text: plainMention(segment.mention) });
  }
  if ('channel' in segment) return styled({ type: 'channel', channel_id: segment.channel });
  if ('time' in segment) {
    return styled({
      type: 'date',
      timestamp: segment.time,
      format: segment.relative ? words.relativeDateFormat : words.dateFormat,
      fallback: plainText([segment]),
    });
  }
  return styled({ type: 'link', url: segment.link.url, text: truncate(segment.link.label, SLACK_LIMITS.richTextElement) });
}

/** One line of rich text: every segment becomes a structured element, so nothing in it formats. */
export function richTextSection(text: Text, style?: Style, words: Catalogue['slackText'] = catalogue(undefined).slackText): RichTextSection {
  const elements = text.filter((s) => s !== '').map((s) => segmentToElement(s, style, words));
  // Slack refuses an empty section; a single space keeps the line.
  return { type: 'rich_text_section', elements: elements.length > 0 ? elements : [{ type: 'text', text: ' ' }] };
}

function richTextBlock(sections: RichTextSection[]): RichTextBlock {
  return { type: 'rich_text', elements: sections };
}

/**
 * The plain `text` of a message: what notifications and old clients show. It is mrkdwn, so
 * every literal piece is escaped (`& < >`); mentions and channels use Slack's own syntax so
 * a notification reads "@alice", not a user id.
 */
export function fallbackText(reply: Reply): string {
  const words = catalogue(reply.locale).slackText;
  const line = (text: Text) =>
    text
      .map((segment) => {
        // Slack formats a date token in the reader's time zone; the text after | is for clients that cannot.
        if (typeof segment === 'object' && 'time' in segment && Number.isFinite(segment.time)) {
          return `<!date^${Math.floor(segment.time)}^${segment.relative ? words.relativeDateFormat : words.dateFormat}|${escapeMrkdwn(utcTime(segment.time))}>`;
        }
        if (typeof segment === 'object' && 'mention' in segment) {
          const userId = slackUserId(segment.mention);
          if (userId && /^[A-Z0-9]+$/.test(userId)) return `<@${userId}>`;
        }
        if (typeof segment === 'object' && 'channel' in segment && /^[A-Z0-9]+$/.test(segment.channel)) return `<#${segment.channel}>`;
        // mrkdwn cannot escape a backtick: one inside a code span would end it and let `*bold*` through
        // to notification previews, so it is shown as a look-alike (the blocks keep the real one).
        if (typeof segment === 'object' && 'code' in segment) return escapeMrkdwn(`\`${segment.code.replace(/`/g, 'ˋ')}\``);
        return escapeMrkdwn(plainText([segment], plainMention));
      })
      .join('');
  const lines = [reply.title, ...(reply.body ?? [])].map(line).join('\n');
  return truncateEscaped(lines, SLACK_LIMITS.fallbackText);
}

/** Truncates without cutting an entity (`&amp;`) or a `<@U…>` in half. */
function truncateEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = truncate(text, max).slice(0, -1);
  const open = Math.max(cut.lastIndexOf('&'), cut.lastIndexOf('<'));
  if (open >= 0 && !/[;>]/.test(cut.slice(open))) cut = cut.slice(0, open);
  return `${cut}…`;
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

function confirmDialog(action: Action, confirm: Text, words: Catalogue['slackText']): types.ConfirmationDialog {
  const confirmLabel = action.label.length <= SLACK_LIMITS.confirmButton ? action.label : words.confirm;
  return {
    title: plain(action.label, SLACK_LIMITS.confirmTitle),
    text: plain(plainText(confirm, plainMention), SLACK_LIMITS.confirmText),
    confirm: plain(confirmLabel, SLACK_LIMITS.confirmButton),
    deny: plain(words.deny, SLACK_LIMITS.confirmButton),
    ...(action.style === 'danger' ? { style: 'danger' as const } : { style: 'primary' as const }),
  };
}

/** A button whose value carries the action (`encodeAction`); irreversible ones ask first (their dialog in `words`' locale). */
export function renderButton(action: Action, index: number, words: Catalogue['slackText'] = catalogue(undefined).slackText): Button {
  const value = encodeAction(action);
  if (value.length > SLACK_LIMITS.buttonValue) throw new Error(`button value is ${value.length} characters`);
  return {
    type: 'button',
    action_id: `${ACTION_ID_PREFIX}${index}.${action.verb.replace(/ /g, '.')}`.slice(0, SLACK_LIMITS.actionId),
    text: plain(action.label, SLACK_LIMITS.buttonText),
    value,
    ...(action.style ? { style: action.style } : {}),
    ...(action.confirm ? { confirm: confirmDialog(action, action.confirm, words) } : {}),
  };
}

function actionBlocks(actions: Action[], words: Catalogue['slackText']): types.ActionsBlock[] {
  const blocks: types.ActionsBlock[] = [];
  for (let i = 0; i < actions.length; i += SLACK_LIMITS.elementsPerActionsBlock) {
    const chunk = actions.slice(i, i + SLACK_LIMITS.elementsPerActionsBlock);
    blocks.push({
      type: 'actions',
      block_id: `${ACTIONS_BLOCK_PREFIX}_${blocks.length}`,
      elements: chunk.map((action, j) => renderButton(action, i + j, words)),
    });
  }
  return blocks;
}

function requestIdBlock(requestId: string, words: Catalogue['slackText']): types.ContextBlock {
  // Our ids are [A-Za-z0-9_-]: safe inside a code span. Anything else goes out as plain text.
  const element: types.ContextBlockElement = /^[A-Za-z0-9_-]+$/.test(requestId)
    ? { type: 'mrkdwn', text: `${escapeMrkdwn(words.requestId)}: \`${escapeMrkdwn(requestId)}\``, verbatim: true }
    : { type: 'plain_text', text: truncate(`${words.requestId}: ${requestId}`, SLACK_LIMITS.contextText), emoji: false };
  return { type: 'context', elements: [element] };
}

export type RenderOptions = {
  /** Leave the buttons out (a modal, or a surface where a press cannot be answered). */
  withoutActions?: boolean | ((action: Action) => boolean);
};

/** The content blocks of a reply: title, body, fields, request id, buttons (Slack's own words in the reply's locale). */
export function renderReplyBlocks(reply: Reply, options: RenderOptions = {}): KnownBlock[] {
  const words = catalogue(reply.locale).slackText;
  const mark = reply.visibility === 'private' ? TONE_MARK[reply.tone] : '';
  const blocks: KnownBlock[] = [richTextBlock([richTextSection([mark, ...reply.title], { bold: true }, words)])];

  const body = (reply.body ?? []).filter((p) => p.length > 0);
  if (body.length > 0) blocks.push(richTextBlock(body.map((p) => richTextSection(p, undefined, words))));

  const fields = reply.fields ?? [];
  if (fields.length > 0) {
    blocks.push(richTextBlock(fields.map((f) => {
      const line = richTextSection(f.value, undefined, words);
      return { ...line, elements: [{ type: 'text', text: truncate(`${f.label}: `, SLACK_LIMITS.richTextElement), style: { bold: true } }, ...line.elements] };
    })));
  }
  if (reply.requestId) blocks.push(requestIdBlock(reply.requestId, words));

  const skip = options.withoutActions;
  const actions = (reply.actions ?? []).filter((a) => !(skip === true || (typeof skip === 'function' && skip(a))));
  const room = SLACK_LIMITS.blocksPerMessage - blocks.length;
  blocks.push(...actionBlocks(actions, words).slice(0, Math.max(0, room)));
  return blocks;
}

/** A whole message: the blocks and the plain `text` fallback. */
export function renderSlackReply(reply: Reply, options: RenderOptions = {}): { text: string; blocks: KnownBlock[] } {
  return { text: fallbackText(reply), blocks: renderReplyBlocks(reply, options) };
}
