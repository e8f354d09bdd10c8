/**
 * `key set` in Slack: a modal opens at once; a malformed key is refused inline without being
 * echoed; a well-formed one switches the modal to "checking…", is verified with the service,
 * and the modal shows the result. The key itself never travels back to Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedPost, type JsonObject } from '../fakes/slack.js';
import { blocksText, buttonsOf, SIGNING_SECRET, startSlackHarness, type SlackHarness } from './harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h.close();
});

async function openModal(user: string): Promise<JsonObject> {
  const before = h.slack.callsTo('views.open').length;
  const sent = await h.command('key set', { user });
  expect(sent.http?.status).toBe(200);
  expect(sent.http?.text).toBe('');
  const call = await h.slack.waitForCall('views.open', (c) => h.slack.callsTo('views.open').indexOf(c) >= before);
  expect(call.body.trigger_id).toBe(sent.triggerId);
  await h.front.whenIdle();
  // The modal replaces any reply: nothing is posted to the response_url.
  expect(h.slack.responsesTo(sent.responseUrl)).toHaveLength(0);
  return call.body.view;
}

describe('the key set modal', () => {
  it('opens at once with one input (in the person’s language, asked of Slack only when not known yet)', async () => {
    const view = await openModal('UALICE');
    expect(view).toMatchObject({ type: 'modal', callback_id: 'hb_key_set', title: { type: 'plain_text', text: 'Link your API key' } });
    const inputs = (view.blocks as JsonObject[]).filter((b) => b.type === 'input');
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({ block_id: 'api_key_0', element: { type: 'plain_text_input', action_id: 'api_key' } });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit.text.length).toBeLessThanOrEqual(24);
  });

  it('a key typed after /handle key set is not stored: the form opens and says why it should be replaced, never showing it', async () => {
    const typed = h.mail.newKey('typed.on.line@example.com');
    const before = h.slack.callsTo('views.open').length;
    const sent = await h.command(`key set ${typed}`, { user: 'UADMIN' });
    const call = await h.slack.waitForCall('views.open', (c) => h.slack.callsTo('views.open').indexOf(c) >= before);
    await h.front.whenIdle();
    const view = call.body.view as JsonObject;
    expect(blocksText(view.blocks)).toMatch(/^⚠️ You typed a key after \/handle key set\. It was not stored[\s\S]*ask for a new key with \/handle key request/);
    expect(JSON.stringify(view)).not.toContain(typed);
    expect(h.slack.responsesTo(sent.responseUrl)).toHaveLength(0);
    expect((await h.runtime.store.getKey(h.identity('UADMIN'))).status).toBe('none');
    expect(h.mail.requests.filter((r) => JSON.stringify(r.headers).includes(typed))).toHaveLength(0);
    expect(h.logLines.join('\n')).not.toContain(typed);
  });

  it('refuses a malformed key inline, saying what is wrong without echoing it, and calls nobody', async () => {
    await openModal('UALICE');
    const typed = 'not-a-key-SECRET-looking-value';
    const statsBefore = h.mail.requests.length;
    const { http } = await h.submitKey(typed);
    expect(http?.status).toBe(200);
    expect(http?.json).toEqual({
      response_action: 'errors',
      errors: { api_key_0: 'That does not look like an API key: it has 30 characters, and an API key has exactly 64. Keys are 64 characters of 0–9 and a–f.' },
    });
    expect(http?.text).not.toContain(typed);
    expect(h.mail.requests).toHaveLength(statsBefore);
    expect(h.slack.callsTo('views.update')).toHaveLength(0);
  });

  it('a well-formed key the service rejects: "checking…" first, then why, with the input offered again (empty)', async () => {
    await openModal('UBOB');
    const unknownKey = 'f'.repeat(64);
    h.mail.hold();
    const { http } = await h.submitKey(unknownKey, { user: 'UBOB' });
    // Acknowledged with the checking view while the service still holds the check.
    const held = await h.mail.waitFor((r) => r.path === '/api/alias/stats');
    expect(held.status).toBeUndefined();
    expect(http?.json).toMatchObject({ response_action: 'update', view: { callback_id: 'hb_key_set' } });
    expect(blocksText(http?.json?.view.blocks)).toBe('Checking your key with the mail service…');
    h.mail.release();

    const update = await h.slack.waitForCall('views.update', (c) => c.body.view.callback_id === 'hb_key_set');
    const view = update.body.view;
    expect(blocksText(view.blocks)).toContain('The mail service does not accept this key');
    expect(buttonsOf(view)).toHaveLength(0);
    const input = (view.blocks as JsonObject[]).find((b) => b.type === 'input');
    expect(input?.block_id).toBe('api_key_1');
    expect(input?.element.initial_value).toBeUndefined();
    expect(view.submit.text).toBe('Try again');
    expect(JSON.stringify(update.body)).not.toContain(unknownKey);
    expect((await h.runtime.store.getKey(h.identity('UBOB'))).status).toBe('none');

    // The retry reads the fresh block id.
    const retry = await h.submitKey('short', { user: 'UBOB' });
    expect(Object.keys(retry.http?.json?.errors ?? {})).toEqual(['api_key_1']);
  });

  it('an accepted key is stored sealed and the modal shows its fingerprint; then create works', async () => {
    await openModal('UALICE');
    const key = h.mail.newKey('alice.modal@example.com');
    const { http } = await h.submitKey(`  ${key.toUpperCase()}  `);
    expect(http?.json).toMatchObject({ response_action: 'update' });
    const update = await h.slack.waitForCall('views.update', (c) => blocksText(c.body.view.blocks).includes('linked'));
    const shown = blocksText(update.body.view.blocks);
    expect(shown).toContain('Your API key is linked');
    expect(shown).toContain(`…${key.slice(-4)}`);
    expect(update.body.view.submit).toBeUndefined();
    expect((update.body.view.blocks as JsonObject[]).some((b) => b.type === 'input')).toBe(false);
    expect(JSON.stringify(update.body).toLowerCase()).not.toContain(key);
    expect(update.body.view_id).toBe(h.latestView()?.id);

    const opened = await h.runtime.store.getKey(h.identity('UALICE'));
    expect(opened).toMatchObject({ status: 'linked', apiKey: key });

    const sent = await h.command('create modal-made');
    const [, detail] = await h.replies(sent.responseUrl, 2);
    expect(blocksText(detail?.body.blocks)).toContain('forwarded to alice.modal@example.com');
  });

  it('when Slack refuses to open the modal (trigger expired), answers privately with a button to try again', async () => {
    h.slack.failNext('views.open', 'expired_trigger_id');
    const sent = await h.command('key set');
    const [reply] = await h.replies(sent.responseUrl, 1);
    expect(reply?.body.response_type).toBe('ephemeral');
    expect(blocksText(reply?.body.blocks)).toContain('Link your API key');
    const [button] = buttonsOf(reply!.body);
    expect(button?.text.text).toBe('Link my API key');

    // Pressing it opens the modal with the press's own trigger id.
    const press = await h.press(button!);
    const open = await h.slack.waitForCall('views.open', (c) => c.body.trigger_id === press.triggerId);
    expect(open.body.view.callback_id).toBe('hb_key_set');
  });
});

describe('a view_submission without state (issue 18 point 11)', () => {
  it('is acknowledged (200) and logged, never thrown before the ack; the next command is answered', async () => {
    const payload = {
      type: 'view_submission', team: { id: 'T0TEAM' }, user: { id: 'UALICE', team_id: 'T0TEAM' }, trigger_id: 't.1', api_app_id: 'A0APP',
      view: { id: 'V0NOSTATE', type: 'modal', callback_id: 'hb_key_set', private_metadata: '' },
    };
    const sent = await signedPost(h.endpoint, SIGNING_SECRET, payload);
    expect(sent.status).toBe(200);
    expect(h.logLines.some((l) => l.includes('a form was submitted without its input'))).toBe(true);
    const next = await h.command('list');
    expect(next.http?.status).toBe(200);
    expect((await h.replies(next.responseUrl)).length).toBe(1);
  });
});
