/**
 * The onboarding modals: "I need a key" (an e-mail address, then the service's credentials
 * request) and "Claim a handle" (a name, checked against the handle rule on submit). Both follow
 * the `key set` modal's shape: the form, a "working…" view the submission's ack shows at once,
 * then the result, with the input offered again (empty, under a fresh block id) when something
 * needs fixing. Pure view builders: no I/O.
 */
import type { types } from '@slack/bolt';
import * as messages from '../core/messages/index.js';
import type { Reply } from '../core/types.js';
import { encodeMetadata, type ModalMetadata } from './modal.js';
import { renderReplyBlocks, SLACK_LIMITS, truncate } from './render.js';

type ModalView = types.ModalView;

export const KEY_REQUEST_CALLBACK_ID = 'hb_key_request';
export const CLAIM_CALLBACK_ID = 'hb_claim';

export type FormKind = 'key_request' | 'claim';

function plain(text: string, max: number = SLACK_LIMITS.modalButton): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

type FormSpec = {
  callbackId: string;
  blockPrefix: string;
  actionId: string;
  title: string;
  submit: string;
  retry: string;
  cancel: string;
  close: string;
  intro: string;
  input(attempt: number): types.InputBlock;
};

const FORMS: Record<FormKind, FormSpec> = {
  key_request: {
    callbackId: KEY_REQUEST_CALLBACK_ID,
    blockPrefix: 'email_',
    actionId: 'email',
    title: messages.KEY_REQUEST_FORM.title,
    submit: messages.KEY_REQUEST_FORM.submit,
    retry: messages.slackKeyRequestModalText.retry,
    cancel: messages.slackKeyRequestModalText.cancel,
    close: messages.slackKeyRequestModalText.close,
    intro: messages.slackKeyRequestModalText.intro,
    input: (attempt) => ({
      type: 'input',
      block_id: `email_${attempt}`,
      label: plain(messages.KEY_REQUEST_FORM.emailLabel, 2000),
      hint: plain(messages.KEY_REQUEST_FORM.emailHint, 2000),
      element: {
        type: 'email_text_input',
        action_id: 'email',
        placeholder: plain(messages.slackKeyRequestModalText.placeholder, 150),
      },
    }),
  },
  claim: {
    callbackId: CLAIM_CALLBACK_ID,
    blockPrefix: 'handle_',
    actionId: 'handle',
    title: messages.slackClaimModalText.title,
    submit: messages.slackClaimModalText.submit,
    retry: messages.slackClaimModalText.retry,
    cancel: messages.slackClaimModalText.cancel,
    close: messages.slackClaimModalText.close,
    intro: messages.slackClaimModalText.intro,
    input: (attempt) => ({
      type: 'input',
      block_id: `handle_${attempt}`,
      label: plain(messages.slackClaimModalText.label, 2000),
      hint: plain(messages.HANDLE_RULE, 2000),
      element: {
        type: 'plain_text_input',
        action_id: 'handle',
        placeholder: plain(messages.slackClaimModalText.placeholder, 150),
        // Room for a too-long name, so the handle rule (not the client) says what is wrong.
        max_length: 200,
      },
    }),
  },
};

function introBlock(text: string): types.ContextBlock {
  return { type: 'context', elements: [plain(text, SLACK_LIMITS.contextText)] };
}

/** The form a button opens. */
export function formModal(kind: FormKind, meta: ModalMetadata): ModalView {
  const form = FORMS[kind];
  return {
    type: 'modal',
    callback_id: form.callbackId,
    private_metadata: encodeMetadata(meta),
    title: plain(form.title),
    submit: plain(form.submit),
    close: plain(form.cancel),
    blocks: [form.input(meta.attempt), introBlock(form.intro)],
  };
}

/** What the submission's ack shows while the service is asked. */
export function formWorkingModal(kind: FormKind, meta: ModalMetadata, text: string): ModalView {
  const form = FORMS[kind];
  return {
    type: 'modal',
    callback_id: form.callbackId,
    private_metadata: encodeMetadata(meta),
    title: plain(form.title),
    close: plain(form.close),
    blocks: [{ type: 'section', text: plain(text, SLACK_LIMITS.sectionText) }],
  };
}

/**
 * The result. Buttons stay out (a press inside a modal has no response_url to answer on); when
 * the answer asks the person to fix something, the input comes back, empty, for another try.
 */
export function formResultModal(kind: FormKind, replies: Reply[], meta: ModalMetadata): ModalView {
  const form = FORMS[kind];
  const retry = replies.some((r) => r.tone === 'user_error' || r.tone === 'service_error');
  const blocks: types.KnownBlock[] = [];
  for (const reply of replies) blocks.push(...renderReplyBlocks(reply, { withoutActions: true }));
  const next = { ...meta, attempt: meta.attempt + 1 };
  if (retry) blocks.push({ type: 'divider' }, form.input(next.attempt));
  return {
    type: 'modal',
    callback_id: form.callbackId,
    private_metadata: encodeMetadata(next),
    title: plain(form.title),
    close: plain(form.close),
    ...(retry ? { submit: plain(form.retry) } : {}),
    blocks: blocks.slice(0, 100),
  };
}

/** The value typed into the form's input, with the block it came from (for inline errors). */
export function submittedFormValue(
  kind: FormKind,
  state: { values: Record<string, Record<string, { value?: string | null } | undefined>> },
): { blockId: string; value: string } | undefined {
  const form = FORMS[kind];
  for (const [blockId, actions] of Object.entries(state.values)) {
    const input = actions[form.actionId];
    if (blockId.startsWith(form.blockPrefix) && input) return { blockId, value: input.value ?? '' };
  }
  return undefined;
}

/** A light check before the service is asked: one @ with something on both sides, no spaces. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
