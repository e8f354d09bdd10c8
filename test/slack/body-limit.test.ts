/**
 * The body limit fits what Slack really sends us (issue 18, point 9). The biggest payloads are
 * echoes of our own surfaces, built here with every input at its maximum and non-ASCII text
 * (3 UTF-8 bytes, 9 once form-encoded):
 * - block_actions from the welcome DM (the message comes back whole) with a 1000-character welcome;
 * - block_actions from App Home (the whole view comes back) with a full history of 64-character handles;
 * - view_submission of the claim form and of the key modal, filled to their max_length.
 * Each, form-encoded as Slack posts it, must fit in a quarter of the limit: room for the fields
 * Slack adds to the echoes (bot profile, block ids, state) and for growth of our own surfaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/core/action-codec.js';
import { DEFAULT_BODY_LIMITS } from '../../src/ops/http-guard.js';
import { commands } from '../../commands/index.js';
import { HOME_HISTORY_LIMIT } from '../../src/core/home.js';
import { formCallbackId } from '../../src/slack/forms.js';
import { blockActionsPayload, interactiveForm, signedPost, viewSubmissionPayload, type JsonObject } from '../fakes/slack.js';
import { GENERAL, SIGNING_SECRET, startSlackHarness, type SlackHarness } from './harness.js';

const SAFETY_FACTOR = 4;
const callbackOf = (verb: string) => formCallbackId(commands.find((c) => c.verb.join(' ') === verb)!);
const CLAIM_CALLBACK_ID = callbackOf('create');
const KEY_SET_CALLBACK_ID = callbackOf('key set');
const WIDE = '€'; // 3 bytes in UTF-8
const longHandle = (i: number) => `${String(i).padStart(2, '0')}${'h'.repeat(62)}`;

let h: SlackHarness;
/** The measured sizes, printed once at the end (the figures behind DEFAULT_BODY_LIMITS). */
const sizes: Record<string, number> = {};
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h.close();
  if (process.env.SHOW_BODY_SIZES) console.info('form-encoded payload bytes:', sizes);
});

const formBytes = (payload: JsonObject) => Buffer.byteLength(interactiveForm(payload).toString());

/** What Slack sends when `payload` is posted, checked against the limit and actually accepted by the bot. */
async function fits(payload: JsonObject): Promise<number> {
  const bytes = formBytes(payload);
  expect(bytes * SAFETY_FACTOR).toBeLessThanOrEqual(DEFAULT_BODY_LIMITS.maxBytes);
  const result = await signedPost(h.endpoint, SIGNING_SECRET, payload);
  expect(result.status).not.toBe(413);
  return bytes;
}

/** A modal as Slack echoes it in view_submission: our blocks, plus the state holding `value`. */
function submission(callbackId: string, view: JsonObject, value: string): JsonObject {
  const input = (view.blocks as JsonObject[]).find((b) => b.type === 'input')!;
  const payload = viewSubmissionPayload({
    user_id: 'UALICE',
    callback_id: callbackId,
    private_metadata: String(view.private_metadata ?? ''),
    values: { [input.block_id]: { [input.element.action_id]: value } },
  });
  payload.view = { ...payload.view, ...view, state: payload.view.state };
  return payload;
}

describe('the body limit fits the largest payload Slack sends us', () => {
  it('block_actions from the welcome DM with the longest welcome text', async () => {
    await h.command(`admin onboarding on ${WIDE.repeat(1000)}`, { user: 'UADMIN' });
    await h.event({ type: 'team_join', user: { id: 'UNEWBIE', team_id: 'T0TEST', name: 'n', real_name: 'N', is_bot: false, deleted: false, profile: {} }, event_ts: String(Date.now() / 1000) });
    const dm = await h.slack.waitForCall('chat.postMessage', (c) => c.response.channel === 'DNEWBIE');
    const button = (dm.body.blocks as JsonObject[]).find((b) => b.type === 'actions')!.elements[0] as JsonObject;
    const message = { type: 'message', user: 'UBOT', bot_id: 'BBOT', app_id: 'A1', ts: dm.response.ts, team: 'T0TEST', text: dm.body.text, blocks: dm.body.blocks };
    sizes.welcomeDm = await fits(blockActionsPayload({ user_id: 'UNEWBIE', channel_id: 'DNEWBIE', action_id: button.action_id, value: button.value, message, response_url: h.slack.newResponseUrl() }));
  });

  it('block_actions from App Home with a full history of the longest handles', async () => {
    await h.linkKey('UALICE');
    for (let i = 0; i < HOME_HISTORY_LIMIT + 2; i += 1) {
      await h.runtime.store.addHistory(h.identity('UALICE'), { handle: longHandle(i), status: i % 2 === 0 ? 'claimed' : 'unconfirmed', at: Date.now() + i });
    }
    const view = await h.openHome('UALICE');
    const button = (view.blocks as JsonObject[]).find((b) => b.type === 'actions')!.elements[0] as JsonObject;
    sizes.home = await fits(blockActionsPayload({ user_id: 'UALICE', action_id: button.action_id, value: button.value, view: { ...view, id: 'VHOME', type: 'home' } }));
  });

  it('view_submission of the claim form and of the key modal, filled to their max_length', async () => {
    // The claim form opens from App Home's "claim" button (no name yet); the key modal from `key set`.
    const home = await h.openHome('UBOB');
    const claim = (home.blocks as JsonObject[]).flatMap((b) => (b.type === 'actions' ? (b.elements as JsonObject[]) : []))
      .find((e) => decodeAction(String(e.value))?.verb.join(' ') === 'create')!;
    await h.pressInHome(claim, { user: 'UBOB' });
    await h.command('key set', { user: 'UBOB', channel: GENERAL });
    for (const callbackId of [CLAIM_CALLBACK_ID, KEY_SET_CALLBACK_ID]) {
      const opened = await h.slack.waitForCall('views.open', (c) => c.body.view.callback_id === callbackId);
      const view = opened.body.view as JsonObject;
      const input = (view.blocks as JsonObject[]).find((b) => b.type === 'input')!;
      sizes[callbackId] = await fits(submission(callbackId, view, WIDE.repeat(Number(input.element.max_length ?? 200))));
    }
  });
});
