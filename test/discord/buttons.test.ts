/**
 * Buttons: a press is a new invocation by whoever pressed it. Irreversible actions first show
 * a private confirmation (the action's question, Confirm and Cancel); only Confirm runs them,
 * and its result replaces the question so it cannot be pressed twice.
 * Autocomplete for `delete name` offers the caller's own handles.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseButtonId } from '../../src/discord/custom-ids.js';
import { ALICE, buttonIds, embedText, type Harness, MOD, startHarness, MODES } from './harness.js';

describe.each(MODES)('%s mode', (mode) => {

  let h: Harness;
  beforeAll(async () => { h = await startHarness({ mode }); });
  afterAll(async () => { await h.close(); });
  beforeEach(async () => {
    await h.runtime.store.forget(`discord:${ALICE}`);
    await h.runtime.store.forget(`discord:${MOD}`);
  });

  /** Press the first button of a recorded message (as its owner), on that message. */
  function pressFirst(message: { body: any }, user = ALICE) {
    const [id] = buttonIds(message);
    return h.press(id!, user, { message: h.carrying(message.body) });
  }

  describe('confirmations', () => {
    it('claiming a suggested alternative: ask, confirm, then the claim and its announcement', async () => {
      await h.linkKey(ALICE);
      h.mail.takeHandle('taken');
      const taken = await h.run('create', { name: 'taken' }).original();
      const [firstAlternative] = buttonIds(taken);
      const parsed = parseButtonId(firstAlternative!);
      if (parsed.kind !== 'action') throw new Error('not an action button');
      const alternative = parsed.args.name!;

      const ask = pressFirst(taken);
      const question = await ask.callback();
      expect(question).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(embedText(question.data)).toBe(`Please confirm\nClaim \`${alternative}\`? A handle is yours for good: it cannot be renamed, and even after you delete it nobody (you included) can claim it again.`);
      const [confirm, cancel] = question.data.components[0].components;
      expect(confirm).toMatchObject({ label: `Claim ${alternative}`, style: 1 });
      expect(cancel).toMatchObject({ label: 'Cancel', custom_id: 'hb-cancel' });
      expect(h.mail.requests.some((r) => r.path === '/api/handle/create' && (r.body as { handle?: string }).handle === alternative)).toBe(false);

      const confirmed = pressFirst({ body: question.data });
      expect(await confirmed.callback()).toMatchObject({ type: 6 }); // deferUpdate: the question becomes the answer
      const result = await confirmed.original();
      expect(embedText(result)).toMatch(new RegExp(`^You claimed \`${alternative}\``));
      expect(result.body.components).toEqual([]);
      expect(embedText(await confirmed.followUp())).toContain(`claimed \`${alternative}\``);
    });

    it('Cancel replaces the question and changes nothing', async () => {
      const forget = await h.run('forget').original();
      const question = await pressFirst(forget).callback();
      const cancel = h.press('hb-cancel', ALICE, { message: h.carrying(question.data) });
      const update = await cancel.callback();
      expect(update).toMatchObject({ type: 7, data: { components: [] } });
      expect(embedText(update.data)).toBe('Cancelled\nNothing was changed.');
    });

    it('deleting a handle: the command asks, the button asks again, Confirm deletes', async () => {
      await h.linkKey(ALICE);
      await h.run('create', { name: 'short-lived' }).original();
      const asked = await h.run('delete', { name: 'short-lived' }).original();
      const question = await pressFirst(asked).callback();
      expect(embedText(question.data)).toBe('Please confirm\nDelete `short-lived` for good? This cannot be undone.');
      expect(question.data.components[0].components[0]).toMatchObject({ label: 'Delete short-lived', style: 4 });
      const done = pressFirst({ body: question.data });
      expect(embedText(await done.original())).toMatch(/^Deleted `short-lived`/);
      expect(h.mail.handleState('short-lived')).toMatchObject({ active: false });
    });

    it('forget: Confirm removes the key and history', async () => {
      await h.linkKey(ALICE);
      const asked = await h.run('forget').original();
      const question = await pressFirst(asked).callback();
      expect(embedText(await pressFirst({ body: question.data }).original())).toMatch(/^Done: the bot has forgotten you/);
      expect((await h.runtime.store.getKey(`discord:${ALICE}`)).status).toBe('none');
    });

    it('after a restart the question is forgotten: a generic one with the button’s own label is asked', async () => {
      const message = { components: [{ type: 1, components: [{ type: 2, style: 4, label: 'Delete old-one', custom_id: 'hb1:delete:confirmed=yes&_a=1:old-one' }] }] };
      const question = await h.press('hb1:delete:confirmed=yes&_a=1:old-one', ALICE, { message: h.carrying(message) }).callback();
      expect(embedText(question.data)).toBe('Please confirm\nDelete old-one? This cannot be undone.');
      expect(question.data.components[0].components[0]).toMatchObject({ label: 'Delete old-one', style: 4 });
    });

    it('a button the bot no longer understands gets a polite private answer', async () => {
      const x = h.press('v0-something-old');
      const callback = await x.callback();
      expect(callback).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(embedText(callback.data)).toMatch(/^This button no longer works/);
    });

    it('a press runs the guards for the person who pressed: without a key, no claim', async () => {
      const confirmed = h.press('hb1:create:_c=1:someone-elses-idea', MOD, { message: h.carrying({}) });
      expect(embedText(await confirmed.original())).toMatch(/^You have not linked an API key yet/);
    });
  });

  describe('autocomplete for /handle delete name', () => {
    it('offers the caller’s handles that are still theirs, newest first, matching what is typed', async () => {
      const store = h.runtime.store;
      const at = Date.now();
      await store.addHistory(`discord:${ALICE}`, { handle: 'alpha', status: 'claimed', at: at - 3000 });
      await store.addHistory(`discord:${ALICE}`, { handle: 'beta', status: 'claimed', at: at - 2000 });
      await store.addHistory(`discord:${ALICE}`, { handle: 'gamma-al', status: 'claimed', at: at - 1500 });
      await store.addHistory(`discord:${ALICE}`, { handle: 'beta', status: 'deleted', at: at - 1000 });
      await store.addHistory(`discord:${MOD}`, { handle: 'almost', status: 'claimed', at });

      const all = await h.autocomplete('').callback();
      expect(all).toMatchObject({ type: 8, data: { choices: [{ name: 'gamma-al', value: 'gamma-al' }, { name: 'alpha', value: 'alpha' }] } });
      const typed = await h.autocomplete('AL').callback();
      expect(typed.data.choices.map((c: { name: string }) => c.name)).toEqual(['alpha', 'gamma-al']); // prefix matches first
    });

    it('never offers more than 25', async () => {
      for (let i = 0; i < 30; i++) await h.runtime.store.addHistory(`discord:${ALICE}`, { handle: `h${i}`, status: 'claimed', at: Date.now() + i });
      const choices = (await h.autocomplete('h').callback()).data.choices as { name: string }[];
      expect(choices).toHaveLength(25);
      expect(choices[0]?.name).toBe('h29');
    });
  });
});
