/**
 * Every /handle subcommand through the real discord.js: a private defer first, the private
 * answer by editReply, and the create announcement as a separate public follow-up.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseButtonId } from '../../src/discord/custom-ids.js';
import { ALICE, buttonIds, embedText, type Harness, MOD, startHarness, MODES } from './harness.js';

describe.each(MODES)('%s mode', (mode) => {

  const EPHEMERAL = 64;
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ mode }); });
  afterAll(async () => { await h.close(); });
  beforeEach(async () => {
    await h.runtime.store.forget(`discord:${ALICE}`);
    await h.runtime.store.updateSettings(`discord:1200000000000000001`, { announce: true });
  });

  describe('/handle create', () => {
    it('defers privately, answers privately by editReply, and announces publicly in a follow-up', async () => {
      await h.linkKey(ALICE);
      const x = h.run('create', { name: 'alice' });
      expect(await x.callback()).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
      const detail = await x.original();
      expect(embedText(detail)).toMatch(/^You claimed `alice`\nMail to `alice@example.test` and `alice@example2.test` is forwarded to `.*@owner.example`/);
      expect(detail.body.embeds[0].color).toBe(0x57f287);
      const announcement = await x.followUp();
      expect(announcement.body.flags ?? 0).toBe(0); // public
      // A mention does not render in an embed title: the title leads the description, in bold.
      expect(announcement.body.embeds[0].title).toBeUndefined();
      expect(embedText(announcement)).toBe(`**🎉 <@${ALICE}> claimed \`alice\`**\nMail to \`alice@example.test\` and \`alice@example2.test\` now reaches them.`);
      expect(JSON.stringify(announcement.body)).not.toContain('owner.example'); // never the owner's e-mail in public
      expect(announcement.body.allowed_mentions).toEqual({ parse: [], users: [ALICE] });
      await x.settled();
      expect(h.discord.webhooksFor(x.id)).toHaveLength(2);
      expect(h.discord.callbacksFor(x.id)).toHaveLength(1);
    });

    it('shows a valid handle full of markdown specials literally, privately and in the announcement', async () => {
      await h.linkKey(ALICE);
      const x = h.run('create', { name: 'x*_~`|&' });
      expect((await x.original()).body.embeds[0].title).toBe('You claimed `` x*_~`|& ``');
      expect((await x.followUp()).body.embeds[0].description).toMatch(new RegExp(`^\\*\\*🎉 <@${ALICE}> claimed \`\` x\\*_~\`\\|& \`\`\\*\\*\n`));
    });

    it('a taken handle gets a private "already taken" reply with alternatives that ask before claiming', async () => {
      await h.linkKey(ALICE);
      h.mail.takeHandle('bob');
      const x = h.run('create', { name: 'bob' });
      const reply = await x.original();
      expect(embedText(reply)).toMatch(/^`bob` is already taken\nA handle can be claimed only once, ever/);
      const ids = buttonIds(reply);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(parseButtonId(id)).toMatchObject({ kind: 'action', step: 'ask', verb: ['create'] });
      await x.settled();
      expect(h.discord.webhooksFor(x.id).filter((w) => w.method === 'POST')).toHaveLength(0); // no announcement
    });

    it('an invalid handle is explained without calling the mail service', async () => {
      await h.linkKey(ALICE);
      const before = h.mail.requests.length;
      const x = h.run('create', { name: 'no spaces' });
      expect(embedText(await x.original())).toMatch(/space/i);
      expect(h.mail.requests.length).toBe(before);
    });

    it('without a linked key the answer offers the key modal', async () => {
      const x = h.run('create', { name: 'alice2' });
      const reply = await x.original();
      expect(embedText(reply)).toMatch(/^You have not linked an API key yet/);
      expect(buttonIds(reply).map(parseButtonId)).toEqual([{ kind: 'action', step: 'run', verb: ['key', 'set'], args: {} }]);
    });

    it('in a DM: the detail, and no announcement (there is no channel to announce in)', async () => {
      await h.linkKey(ALICE);
      const x = h.run('create', { name: 'dm-handle' }, ALICE, { guildId: null });
      expect(embedText(await x.original())).toMatch(/^You claimed `dm-handle`/);
      await x.settled();
      expect(h.discord.webhooksFor(x.id).map((w) => w.method)).toEqual(['PATCH']);
    });

    it('announcements off: the claimer still gets the detail, the channel hears nothing', async () => {
      await h.linkKey(ALICE);
      const off = h.run('announce', { enabled: false }, MOD, { command: 'handle-admin' });
      expect(embedText(await off.original())).toMatch(/^Claims are no longer announced/);
      const x = h.run('create', { name: 'quiet' });
      expect(embedText(await x.original())).toMatch(/^You claimed `quiet`/);
      await x.settled();
      expect(h.discord.webhooksFor(x.id).map((w) => w.method)).toEqual(['PATCH']);

      const on = h.run('announce', { enabled: true }, MOD, { command: 'handle-admin' });
      await on.original();
      const y = h.run('create', { name: 'loud' });
      expect(embedText(await y.followUp())).toContain('claimed `loud`');
    });
  });

  describe('the other /handle subcommands', () => {
    it('delete asks to confirm first (irreversible)', async () => {
      await h.linkKey(ALICE);
      const x = h.run('delete', { name: 'alice' });
      const reply = await x.original();
      expect(embedText(reply)).toMatch(/^Delete `alice`\?/);
      expect(buttonIds(reply).map(parseButtonId)).toEqual([{ kind: 'action', step: 'ask', verb: ['delete'], args: { name: 'alice', confirmed: 'yes' } }]);
    });

    it('list shows the handles claimed through the bot', async () => {
      await h.linkKey(ALICE);
      await (h.run('create', { name: 'listed-one' })).original();
      const x = h.run('list');
      expect(embedText(await x.original())).toMatch(/^Your handles\n• `listed-one` — claimed, <t:(\d+):f> \(<t:\1:R>\)/);
    });

    it('domains lists the service’s domains', async () => {
      const x = h.run('domains');
      expect(embedText(await x.original())).toBe('The mail service manages 2 domains\n`example.test` and `example2.test`\nA handle you claim receives mail on every one of them.');
    });

    it('help, and help for one command', async () => {
      const all = embedText(await h.run('help').original());
      expect(all).toMatch(/^Claim an e-mail handle with your own API key/);
      expect(all).not.toContain('Admins:');
      expect(embedText(await h.run('help', { command: 'create' }).original())).toMatch(/^`\/handle create <name>`\nClaim an e-mail handle/);
    });

    it('key status, key remove, key request', async () => {
      const key = await h.linkKey(ALICE);
      const status = embedText(await h.run('status', {}, ALICE, { group: 'key' }).original());
      expect(status).toContain('Your API key is linked');
      expect(status).toContain(`Key: \`…${key.slice(-4)}\``);
      expect(embedText(await h.run('remove', {}, ALICE, { group: 'key' }).original())).toMatch(/^Your API key is removed/);
      const request = h.run('request', { email: 'alice@elsewhere.example' }, ALICE, { group: 'key' });
      expect(embedText(await request.original())).toMatch(/^Check your inbox/);
    });

    it('forget asks to confirm first', async () => {
      const reply = await h.run('forget').original();
      expect(embedText(reply)).toMatch(/^Forget everything the bot holds about you\?/);
      expect(buttonIds(reply).map(parseButtonId)).toEqual([{ kind: 'action', step: 'ask', verb: ['forget'], args: { confirmed: 'yes' } }]);
    });

    it('key set answers with the modal as the first response, not a defer', async () => {
      const x = h.run('set', {}, ALICE, { group: 'key' });
      const callback = await x.callback();
      expect(callback.type).toBe(9);
      expect(callback.data).toMatchObject({ custom_id: 'hb-key-set', title: 'Link your API key' });
      expect(h.discord.callbacksFor(x.id)).toHaveLength(1);
    });
  });
});
