/**
 * App Home: opening the Home tab publishes the person's own page (link status with the key's
 * fingerprint, recent handles with unconfirmed ones marked) with buttons to link, replace or
 * remove the key, ask for a key, and claim a handle; the claim modal checks the name on submit
 * with the handle rule's precise reason. Whatever is done from the Home tab ends with a fresh
 * Home tab.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../fakes/slack.js';
import { blocksText, buttonsOf, startSlackHarness, type SlackHarness } from './harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h.close();
});

const labels = (view: JsonObject | undefined) => buttonsOf(view ?? {}).map((b) => String(b.text.text));
const button = (view: JsonObject | undefined, label: string) => {
  const found = buttonsOf(view ?? {}).find((b) => b.text.text === label);
  if (!found) throw new Error(`no button ${label} in ${labels(view).join(', ')}`);
  return found;
};

/** Waits for the next Home tab published for `user` after `before` publishes. */
async function nextHome(user: string, before: number): Promise<JsonObject> {
  const call = await h.slack.waitForCall('views.publish', (c) => c.body.user_id === user && h.slack.callsTo('views.publish').indexOf(c) >= before);
  await h.front.whenIdle();
  return call.body.view;
}

describe('the Home tab', () => {
  it('for someone new: not linked, no handles, and the buttons to start', async () => {
    const view = await h.openHome('UBOB');
    expect(view.type).toBe('home');
    expect(blocksText(view.blocks)).toBe([
      'Claim an e-mail handle on the mail-forwarding service with your own API key: mail to it on every domain of the service reaches your inbox.',
      'Your API key',
      'Not linked yet. Link the key the mail service e-mailed you, or ask the service for one: it is stored encrypted and never shown again.',
      '[Link my API key] [I need a key]',
      'Your recent handles',
      'No handles yet. Claim your first one below.',
      '[Claim a handle]',
      'Everything else, from any channel: /handle help',
    ].join('\n'));
    expect((view.blocks as JsonObject[])[0]).toMatchObject({ type: 'header', text: { text: 'Your e-mail handles' } });
  });

  it('is published only for the Home tab, not the Messages tab', async () => {
    const before = h.slack.callsTo('views.publish').length;
    await h.event({ type: 'app_home_opened', user: 'UBOB', channel: 'DBOB', tab: 'messages', event_ts: '1700000000.000200' });
    await h.front.whenIdle();
    expect(h.slack.callsTo('views.publish')).toHaveLength(before);
  });

  it('for someone with a key and handles: the fingerprint (never the key), the handles, unconfirmed ones marked', async () => {
    const key = await h.linkKey('UALICE');
    const now = Date.now();
    await h.runtime.store.addHistory(h.identity('UALICE'), { handle: 'old-one', status: 'deleted', at: now - 3000 });
    await h.runtime.store.addHistory(h.identity('UALICE'), { handle: 'alice', status: 'claimed', at: now - 2000 });
    await h.runtime.store.addHistory(h.identity('UALICE'), { handle: 'maybe-mine', status: 'unconfirmed', at: now - 1000 });
    const view = await h.openHome('UALICE');
    const shown = blocksText(view.blocks);
    expect(shown).toContain(`Linked: the key ending in …${key.slice(-4)}, since `);
    expect(shown).toMatch(/• maybe-mine — ⚠️ unconfirmed: the service did not answer in time, it may be yours, \d{4}-/);
    expect(shown).toMatch(/• alice — claimed, /);
    expect(shown).toMatch(/• old-one — deleted, /);
    expect(shown.indexOf('maybe-mine')).toBeLessThan(shown.indexOf('• alice'));
    expect(labels(view)).toEqual(['Replace my key', 'Remove my key', 'I need a key', 'Claim a handle']);
    expect(JSON.stringify(view)).not.toContain(key);
  });
});

describe('the Home tab’s buttons', () => {
  it('Remove my key asks first, then the Home tab shows the answer and "not linked"', async () => {
    await h.linkKey('UADMIN');
    const home = await h.openHome('UADMIN');
    const remove = button(home, 'Remove my key');
    expect(remove.style).toBe('danger');
    expect(remove.confirm?.text.text).toContain('Remove your API key from the bot?');

    const before = h.slack.callsTo('views.publish').length;
    const press = await h.pressInHome(remove, { user: 'UADMIN' });
    expect(press.http?.status).toBe(200);
    const after = await nextHome('UADMIN', before);
    const shown = blocksText(after.blocks);
    expect(shown.startsWith('✅ Your API key is removed\nThe bot no longer holds it.')).toBe(true);
    expect(shown).toContain('Not linked yet.');
    expect((await h.runtime.store.getKey(h.identity('UADMIN'))).status).toBe('none');
  });

  it('Link my API key opens the key modal; once linked, the Home tab shows the new fingerprint', async () => {
    const home = await h.openHome('UBOB');
    const press = await h.pressInHome(button(home, 'Link my API key'), { user: 'UBOB' });
    const open = await h.slack.waitForCall('views.open', (c) => c.body.trigger_id === press.triggerId);
    expect(open.body.view.callback_id).toBe('hb_key_set');
    await h.front.whenIdle();

    const key = h.mail.newKey('bob.home@example.com');
    const before = h.slack.callsTo('views.publish').length;
    await h.submitKey(key, { user: 'UBOB' });
    await h.slack.waitForCall('views.update', (c) => blocksText(c.body.view.blocks).includes('Your API key is linked'));
    const after = await nextHome('UBOB', before);
    expect(blocksText(after.blocks)).toContain(`Linked: the key ending in …${key.slice(-4)}`);
    expect(labels(after)).toContain('Replace my key');
  });

  it('Replace my key opens the same modal', async () => {
    const home = await h.openHome('UBOB');
    const press = await h.pressInHome(button(home, 'Replace my key'), { user: 'UBOB' });
    const open = await h.slack.waitForCall('views.open', (c) => c.body.trigger_id === press.triggerId);
    expect(open.body.view.callback_id).toBe('hb_key_set');
    await h.front.whenIdle();
  });

  it('I need a key opens the e-mail modal; the answer is shown there and the Home tab is refreshed', async () => {
    const home = await h.openHome('UBOB');
    const press = await h.pressInHome(button(home, 'I need a key'), { user: 'UBOB' });
    const open = await h.slack.waitForCall('views.open', (c) => c.body.trigger_id === press.triggerId);
    expect(open.body.view.callback_id).toBe('hb_key_request');
    await h.front.whenIdle();
    const before = h.slack.callsTo('views.publish').length;
    await h.submitLatest('bob.new@example.org', { user: 'UBOB' });
    const update = await h.slack.waitForCall('views.update', (c) => c.body.view.callback_id === 'hb_key_request');
    expect(blocksText(update.body.view.blocks)).toContain('Check your inbox');
    await nextHome('UBOB', before);
  });

  describe('Claim a handle', () => {
    async function openClaim(user: string): Promise<JsonObject> {
      const home = await h.openHome(user);
      const press = await h.pressInHome(button(home, 'Claim a handle'), { user });
      const open = await h.slack.waitForCall('views.open', (c) => c.body.trigger_id === press.triggerId);
      await h.front.whenIdle();
      return open.body.view;
    }

    it('opens a modal with a name field and what a claim means', async () => {
      const view = await openClaim('UBOB');
      expect(view).toMatchObject({ callback_id: 'hb_claim', title: { text: 'Claim a handle' }, submit: { text: 'Claim' } });
      expect((view.blocks as JsonObject[]).find((b) => b.type === 'input')).toMatchObject({
        block_id: 'handle_0', label: { text: 'Handle' }, element: { type: 'plain_text_input', action_id: 'handle' },
      });
      expect(blocksText(view.blocks)).toContain('A handle is yours for good');
    });

    it('a name the handle rule refuses is refused inline with the precise reason, and nothing is asked of the service', async () => {
      await openClaim('UBOB');
      const requests = h.mail.requests.length;
      const errorFor = async (typed: string) => (await h.submitLatest(typed, { user: 'UBOB' })).http?.json;
      expect(await errorFor('Bob Smith')).toEqual({ response_action: 'errors', errors: { handle_0: 'It can’t be used because it contains a space. Did you mean bob.smith?' } });
      expect(await errorFor('bob@example.com')).toEqual({
        response_action: 'errors',
        errors: { handle_0: 'It can’t be used because it contains `@`: type only the part before the @ (the bot adds every domain for you). Did you mean bob?' },
      });
      expect((await errorFor('bob..smith'))?.errors.handle_0).toBe('It can’t be used because it has two dots in a row. Did you mean bob.smith?');
      expect((await errorFor('x'.repeat(65)))?.errors.handle_0).toContain('it is 65 characters long, and the limit is 64');
      expect(h.mail.requests).toHaveLength(requests);
    });

    it('a valid name: "claiming…" at once, then the claim (private: no channel), and a Home tab that lists it', async () => {
      await openClaim('UBOB');
      h.mail.hold();
      const before = h.slack.callsTo('views.publish').length;
      const submitted = await h.submitLatest('  Bob.Home  ', { user: 'UBOB' });
      await h.mail.waitFor((r) => r.path === '/api/handle/create');
      expect(submitted.http?.json).toMatchObject({ response_action: 'update', view: { callback_id: 'hb_claim' } });
      expect(blocksText(submitted.http?.json?.view.blocks)).toBe('Claiming bob.home with your API key…');
      h.mail.release();

      const result = await h.slack.waitForCall('views.update', (c) => c.body.view.callback_id === 'hb_claim');
      expect(blocksText(result.body.view.blocks)).toContain('✅ You claimed bob.home');
      expect(blocksText(result.body.view.blocks)).toContain('is forwarded to bob.home@example.com');
      expect(result.body.view.submit).toBeUndefined();
      expect(h.mail.handleState('bob.home')).toMatchObject({ active: true });
      const after = await nextHome('UBOB', before);
      expect(blocksText(after.blocks)).toMatch(/• bob\.home — claimed, /);
    });

    it('a taken name: why, with the input offered again for another try', async () => {
      h.mail.takeHandle('taken-home');
      await openClaim('UBOB');
      await h.submitLatest('taken-home', { user: 'UBOB' });
      const result = await h.slack.waitForCall('views.update', (c) => blocksText(c.body.view.blocks).includes('taken-home is already taken'));
      expect(result.body.view.submit.text).toBe('Try again');
      expect((result.body.view.blocks as JsonObject[]).find((b) => b.type === 'input')?.block_id).toBe('handle_1');
      expect(buttonsOf(result.body.view)).toHaveLength(0);
      await h.front.whenIdle();
    });

    it('without a linked key: says how to link one', async () => {
      await openClaim('UADMIN');
      await h.submitLatest('ada', { user: 'UADMIN' });
      const result = await h.slack.waitForCall('views.update', (c) => c.body.view.callback_id === 'hb_claim' && blocksText(c.body.view.blocks).includes('You have not linked an API key yet'));
      expect(blocksText(result.body.view.blocks)).toContain('/handle key set');
      await h.front.whenIdle();
    });
  });
});

describe('when Slack refuses to open a modal from the Home tab (the trigger expired)', () => {
  it('the Home tab says how to do it with a command instead', async () => {
    const home = await h.openHome('UBOB');
    h.slack.failNext('views.open', 'expired_trigger_id');
    const before = h.slack.callsTo('views.publish').length;
    await h.pressInHome(button(home, 'Claim a handle'), { user: 'UBOB' });
    const after = await nextHome('UBOB', before);
    expect(blocksText(after.blocks).split('\n').slice(0, 2)).toEqual(['⚠️ /handle create needs a name', 'Usage: /handle create <name>.']);
  });
});
