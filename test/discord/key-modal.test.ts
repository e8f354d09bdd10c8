/**
 * `key set`: the modal is the first response; its submit is deferred privately, validated,
 * checked with the service, stored sealed, and answered with the fingerprint or the reason.
 * The key itself is never echoed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, embedText, type Harness, startHarness, MODES } from './harness.js';

describe.each(MODES)('%s mode', (mode) => {

  let h: Harness;
  beforeAll(async () => { h = await startHarness({ mode }); });
  afterAll(async () => { await h.close(); });
  beforeEach(async () => { await h.runtime.store.forget(`discord:${ALICE}`); });

  async function openModal(): Promise<void> {
    const opened = h.run('set', {}, ALICE, { group: 'key' });
    const callback = await opened.callback();
    expect(callback.type).toBe(9);
    // One labelled text input, short style, required.
    expect(callback.data.components).toEqual([{
      type: 18, label: 'API key', description: expect.any(String),
      component: { type: 4, custom_id: 'key', style: 1, placeholder: expect.any(String), required: true, max_length: 256 },
    }]);
  }

  describe('the key modal', () => {
    it('accepted key: deferred privately, linked, answered with the fingerprint only', async () => {
      await openModal();
      const key = h.mail.newKey('alice@owner.example');
      const x = h.submitModal('hb-key-set', { key: `  ${key.toUpperCase()}\n` });
      expect(await x.callback()).toMatchObject({ type: 5, data: { flags: 64 } });
      const reply = await x.original();
      expect(embedText(reply)).toMatch(new RegExp(`^Your API key is linked\\nThe mail service accepted the key ending in \`…${key.slice(-4)}\``));
      expect(JSON.stringify(reply.body)).not.toContain(key);
      expect((await h.runtime.store.getKey(`discord:${ALICE}`)).status).toBe('linked');
    });

    it('malformed key: the reason, no call to the service, nothing stored', async () => {
      const before = h.mail.requests.length;
      const x = h.submitModal('hb-key-set', { key: 'not-a-key' });
      const reply = await x.original();
      expect(embedText(reply)).toMatch(/^That does not look like an API key/i);
      expect(JSON.stringify(reply.body)).not.toContain('not-a-key');
      expect(h.mail.requests.length).toBe(before);
      expect((await h.runtime.store.getKey(`discord:${ALICE}`)).status).toBe('none');
    });

    it('key the service rejects: says so, offers the modal again, nothing stored', async () => {
      const unknown = 'ab'.repeat(32);
      const x = h.submitModal('hb-key-set', { key: unknown });
      const reply = await x.original();
      expect(embedText(reply)).toMatch(/^The mail service does not accept this key/);
      expect(reply.body.components[0].components[0]).toMatchObject({ label: 'Link my API key' });
      expect(JSON.stringify(reply.body)).not.toContain(unknown);
      expect((await h.runtime.store.getKey(`discord:${ALICE}`)).status).toBe('none');
    });

    it('works in a DM with the bot', async () => {
      const key = h.mail.newKey('dm@owner.example');
      const x = h.submitModal('hb-key-set', { key }, ALICE, { guildId: null });
      expect(embedText(await x.original())).toMatch(/^Your API key is linked/);
    });

    it('the "Link my API key" button opens the same modal as its first response', async () => {
      const x = h.press('hb1:key.set::');
      expect(await x.callback()).toMatchObject({ type: 9, data: { custom_id: 'hb-key-set' } });
    });
  });
});
