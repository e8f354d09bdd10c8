/**
 * The `key set` modal: one input for the API key, a "checking…" view while the service is
 * asked, and the result. The key itself is never put into any view we send: after a refusal
 * the input comes back empty under a fresh block id (Slack keeps typed values per block id).
 */
import type { types } from '@slack/bolt';
import * as messages from '../core/messages/index.js';
import type { Reply } from '../core/types.js';
import { renderReplyBlocks, SLACK_LIMITS, truncate } from './render.js';

export const KEY_SET_CALLBACK_ID = 'hb_key_set';
export const KEY_INPUT_ACTION_ID = 'api_key';
const KEY_BLOCK_PREFIX = 'api_key_';

type ModalView = types.ModalView;

/**
 * What a submit handler needs to rebuild the invocation: the channel the command came from,
 * which attempt this is (a fresh block id each time), and whether the modal was opened from
 * App Home (which is then published again with the result). Shared by every modal of the bot.
 */
export type KeySetMetadata = { channelId?: string; attempt: number; fromHome?: boolean };
export type ModalMetadata = KeySetMetadata;

export function encodeMetadata(meta: ModalMetadata): string {
  return JSON.stringify({ c: meta.channelId ?? null, a: meta.attempt, ...(meta.fromHome ? { h: 1 } : {}) });
}

export function decodeMetadata(raw: string | undefined): ModalMetadata {
  try {
    const parsed = JSON.parse(raw ?? '') as { c?: unknown; a?: unknown; h?: unknown };
    return {
      ...(typeof parsed.c === 'string' ? { channelId: parsed.c } : {}),
      attempt: typeof parsed.a === 'number' && Number.isInteger(parsed.a) ? parsed.a : 0,
      ...(parsed.h === 1 ? { fromHome: true } : {}),
    };
  } catch {
    return { attempt: 0 };
  }
}

function plain(text: string, max: number = SLACK_LIMITS.modalButton): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

function keyInputBlock(attempt: number): types.InputBlock {
  return {
    type: 'input',
    block_id: `${KEY_BLOCK_PREFIX}${attempt}`,
    label: plain(messages.keySetModalText.label, 2000),
    hint: plain(messages.keySetModalText.hint, 2000),
    element: {
      type: 'plain_text_input',
      action_id: KEY_INPUT_ACTION_ID,
      placeholder: plain(messages.keySetModalText.placeholder, 150),
      min_length: 1,
      max_length: 200,
    },
  };
}

function introBlock(): types.ContextBlock {
  return { type: 'context', elements: [plain(messages.keySetModalText.intro, SLACK_LIMITS.contextText)] };
}

/** The modal `key set` opens. */
export function keySetModal(meta: KeySetMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: KEY_SET_CALLBACK_ID,
    private_metadata: encodeMetadata(meta),
    title: plain(messages.keySetModalText.title),
    submit: plain(messages.keySetModalText.submit),
    close: plain(messages.keySetModalText.cancel),
    blocks: [keyInputBlock(meta.attempt), introBlock()],
  };
}

/** Shown at once after a well-formed key is submitted (the ack carries it). */
export function keyCheckingModal(meta: KeySetMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: KEY_SET_CALLBACK_ID,
    private_metadata: encodeMetadata(meta),
    title: plain(messages.keySetModalText.title),
    close: plain(messages.keySetModalText.close),
    blocks: [{ type: 'section', text: plain(messages.keySetModalText.checking, SLACK_LIMITS.sectionText) }],
  };
}

/**
 * The result: the replies (linked with the fingerprint, or why it was refused). After a
 * refusal the input is offered again, empty, so the user can paste another key right away.
 */
export function keyResultModal(replies: Reply[], meta: KeySetMetadata): ModalView {
  const linked = replies.some((r) => r.tone === 'success');
  const blocks: types.KnownBlock[] = [];
  // Buttons stay out: a press inside a modal has no response_url to answer on, and the
  // only one these replies carry ("Link my API key") is this very modal.
  for (const reply of replies) blocks.push(...renderReplyBlocks(reply, { withoutActions: true }));
  const next = { ...meta, attempt: meta.attempt + 1 };
  if (!linked) blocks.push({ type: 'divider' }, keyInputBlock(next.attempt));
  return {
    type: 'modal',
    callback_id: KEY_SET_CALLBACK_ID,
    private_metadata: encodeMetadata(next),
    title: plain(messages.keySetModalText.title),
    close: plain(messages.keySetModalText.close),
    ...(linked ? {} : { submit: plain(messages.keySetModalText.retry) }),
    blocks: blocks.slice(0, 100),
  };
}

/** Finds the submitted key in a view_submission's state, with the block it came from. */
export function submittedKey(state: { values: Record<string, Record<string, { value?: string | null } | undefined>> }): { blockId: string; value: string } | undefined {
  for (const [blockId, actions] of Object.entries(state.values)) {
    const input = actions[KEY_INPUT_ACTION_ID];
    if (blockId.startsWith(KEY_BLOCK_PREFIX) && input) return { blockId, value: input.value ?? '' };
  }
  return undefined;
}
