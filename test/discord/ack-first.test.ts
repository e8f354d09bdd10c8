/**
 * Ack first: the private defer reaches Discord before the bot waits on anything. Asserted by
 * order, not time — the defer is already recorded while the fake mail API still holds the
 * request — for one command and for 200 in flight at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, embedText, type Harness, startHarness, MODES } from './harness.js';

describe.each(MODES)('%s mode', (mode) => {

  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode });
    await h.linkKey(ALICE);
  });
  afterAll(async () => { await h.close(); });

  const creates = () => h.mail.requests.filter((r) => r.path === '/api/handle/create');

  describe('ack first', () => {
    it('the defer is recorded before the create reaches the mail API, which is still holding it', async () => {
      h.mail.hold();
      const x = h.run('create', { name: 'held' });
      const held = await h.mail.waitFor((r) => r.path === '/api/handle/create' && (r.body as { handle?: string }).handle === 'held');
      expect(held.status).toBeUndefined(); // not answered yet
      const [defer] = h.discord.callbacksFor(x.id);
      // Over HTTP the defer is the endpoint's HTTP response itself, not a callback request.
      expect(defer).toMatchObject({ type: 5, data: { flags: 64 }, via: mode === 'http' ? 'http' : 'rest' });
      expect(defer!.at).toBeLessThan(held.at);
      expect(h.discord.webhooksFor(x.id)).toEqual([]);

      h.mail.release();
      expect(embedText(await x.original())).toMatch(/^You claimed `held`/);
    });

    it('200 interactions in flight: every defer is recorded while the mail API has answered none', async () => {
      const before = creates().length;
      h.mail.hold();
      const burst = Array.from({ length: 200 }, (_, i) => h.run('create', { name: `burst-${i}` }));
      await h.mail.waitFor((r) => r.path === '/api/handle/create' && /^burst-/.test(String((r.body as { handle?: string }).handle)));
      const defers = await Promise.all(burst.map((x) => x.callback()));
      expect(defers.every((d) => d.type === 5 && d.status === 204)).toBe(true);
      expect(creates().slice(before).every((r) => r.status === undefined)).toBe(true);
      expect(burst.every((x) => h.discord.webhooksFor(x.id).length === 0)).toBe(true);

      h.mail.release();
      const answers = await Promise.all(burst.map((x) => x.original()));
      expect(answers.every((a) => a.status === 200 && embedText(a).startsWith('You claimed `burst-'))).toBe(true);
    });
  });
});
