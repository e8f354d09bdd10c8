/**
 * A command's form as a Slack modal, drawn from its declaration and the catalogue's words: the
 * form (one input per input to ask, then the intro), a "working…" view the submission's ack
 * shows at once, and the result, with the inputs offered again (empty, under fresh block ids:
 * Slack keeps typed values per block id, and a key must never be put back into a view) when
 * something needs fixing. Pure view builders: no I/O. A form is drawn in the locale it was
 * opened in (kept in its metadata, so the views that follow a submission stay in it).
 */
import type { types } from '@slack/bolt';
import { formInputs, formLimits } from '../core/interactions.js';
import { catalogue, isLocale, type Locale } from '../core/messages/index.js';
import type { Command, Option, Reply } from '../core/types.js';
import { renderReplyBlocks, SLACK_LIMITS, truncate } from './render.js';

type ModalView = types.ModalView;

const CALLBACK_PREFIX = 'hb_';

/**
 * Ids earlier versions put into views for these inputs; kept, so that a modal opened before an
 * upgrade still submits after it. Any other input's id is its option's name.
 */
const FIELD_IDS: Readonly<Record<string, string>> = { key: 'api_key', name: 'handle' };

const fieldId = (option: Option) => FIELD_IDS[option.name] ?? option.name;

/**
 * What a submit handler needs to rebuild the invocation: the channel the command came from,
 * which attempt this is (a fresh block id each time), and whether the modal was opened from
 * App Home (which is then published again with the result).
 */
export type FormMetadata = { channelId?: string; attempt: number; fromHome?: boolean; locale?: Locale };

export function encodeMetadata(meta: FormMetadata): string {
  return JSON.stringify({ c: meta.channelId ?? null, a: meta.attempt, ...(meta.fromHome ? { h: 1 } : {}), ...(meta.locale ? { l: meta.locale } : {}) });
}

export function decodeMetadata(raw: string | undefined): FormMetadata {
  try {
    const parsed = JSON.parse(raw ?? '') as { c?: unknown; a?: unknown; h?: unknown; l?: unknown };
    return {
      ...(typeof parsed.c === 'string' ? { channelId: parsed.c } : {}),
      attempt: typeof parsed.a === 'number' && Number.isInteger(parsed.a) ? parsed.a : 0,
      ...(parsed.h === 1 ? { fromHome: true } : {}),
      ...(isLocale(parsed.l) ? { locale: parsed.l } : {}),
    };
  } catch {
    return { attempt: 0 };
  }
}

/** The callback id of a command's form, and back. */
export function formCallbackId(command: Command): string {
  return `${CALLBACK_PREFIX}${command.form ?? command.verb.join('_')}`;
}
export const FORM_CALLBACK = new RegExp(`^${CALLBACK_PREFIX}`);
export function formIdOf(callbackId: string): string {
  return callbackId.slice(CALLBACK_PREFIX.length);
}

function plain(text: string, max: number = SLACK_LIMITS.modalButton): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

function words(command: Command, locale: Locale | undefined) {
  const messages = catalogue(locale);
  const form = command.form ? messages.forms[command.form] : undefined;
  return { title: form?.title ?? command.verb.join(' '), submit: form?.submit ?? messages.formButtons.retry, intro: form?.intro, form, buttons: messages.formButtons };
}

function inputBlock(command: Command, option: Option, meta: FormMetadata): types.InputBlock {
  const field = words(command, meta.locale).form?.fields[option.name];
  const attempt = meta.attempt;
  const id = fieldId(option);
  const placeholder = field?.placeholder ? { placeholder: plain(field.placeholder, 150) } : {};
  const { min, max } = formLimits(option);
  const element: types.InputBlock['element'] = option.type === 'email'
    ? { type: 'email_text_input', action_id: id, ...placeholder }
    : { type: 'plain_text_input', action_id: id, ...placeholder, ...(min !== undefined ? { min_length: min } : {}), max_length: max };
  return {
    type: 'input',
    block_id: `${id}_${attempt}`,
    label: plain(field?.label ?? option.name, 2000),
    ...(field?.hint ? { hint: plain(field.hint, 2000) } : {}),
    element,
  };
}

function introBlocks(text: string | undefined): types.ContextBlock[] {
  return text ? [{ type: 'context', elements: [plain(text, SLACK_LIMITS.contextText)] }] : [];
}

/** The form asking for `inputs`; `notice` (plain text) goes above them. */
export function formModal(command: Command, inputs: Option[], meta: FormMetadata, notice?: string): ModalView {
  const { title, submit, intro, buttons } = words(command, meta.locale);
  const top: types.KnownBlock[] = notice ? [{ type: 'section', text: plain(`⚠️ ${notice}`, SLACK_LIMITS.sectionText) }] : [];
  return {
    type: 'modal',
    callback_id: formCallbackId(command),
    private_metadata: encodeMetadata(meta),
    title: plain(title),
    submit: plain(submit),
    close: plain(buttons.cancel),
    blocks: [...top, ...inputs.map((option) => inputBlock(command, option, meta)), ...introBlocks(intro)],
  };
}

/** What the submission's ack shows while the service is asked. */
export function formWorkingModal(command: Command, meta: FormMetadata, values: Readonly<Record<string, string>>): ModalView {
  const { title, form, buttons } = words(command, meta.locale);
  return {
    type: 'modal',
    callback_id: formCallbackId(command),
    private_metadata: encodeMetadata(meta),
    title: plain(title),
    close: plain(buttons.close),
    blocks: [{ type: 'section', text: plain(form?.working(values) ?? '…', SLACK_LIMITS.sectionText) }],
  };
}

/**
 * The result. Buttons stay out (a press inside a modal has no response_url to answer on); when
 * the answer asks the person to fix something, the inputs come back, empty, for another try.
 */
export function formResultModal(command: Command, inputs: Option[], replies: Reply[], meta: FormMetadata): ModalView {
  const retry = replies.some((r) => r.tone === 'user_error' || r.tone === 'service_error');
  const blocks: types.KnownBlock[] = [];
  for (const reply of replies) blocks.push(...renderReplyBlocks(reply, { withoutActions: true }));
  const next = { ...meta, attempt: meta.attempt + 1 };
  if (retry) blocks.push({ type: 'divider' }, ...inputs.map((option) => inputBlock(command, option, next)));
  const { title, buttons } = words(command, meta.locale);
  return {
    type: 'modal',
    callback_id: formCallbackId(command),
    private_metadata: encodeMetadata(next),
    title: plain(title),
    close: plain(buttons.close),
    ...(retry ? { submit: plain(buttons.retry) } : {}),
    blocks: blocks.slice(0, 100),
  };
}

type ViewState = { values: Record<string, Record<string, { value?: string | null } | undefined>> };

/** The inputs a submitted form held, each with what was typed and the block it came from (for inline errors). */
export function submittedInputs(command: Command, state: ViewState | undefined): { option: Option; blockId: string; value: string }[] {
  const found: { option: Option; blockId: string; value: string }[] = [];
  // A payload without `state` (or without values) holds no input: the caller acks and says so.
  const values: unknown = state?.values;
  if (typeof values !== 'object' || values === null) return found;
  for (const option of formInputs(command)) {
    const id = fieldId(option);
    for (const [blockId, actions] of Object.entries(values as ViewState['values'])) {
      const input = actions[id];
      if (blockId.startsWith(`${id}_`) && input) found.push({ option, blockId, value: input.value ?? '' });
    }
  }
  return found;
}
