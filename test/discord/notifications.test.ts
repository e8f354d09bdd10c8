/**
 * Admin notifications on Discord (issue 7): what the engine raises is posted as a short embed
 * in the guild's chosen channel — who (a mention that renders but pings nobody) and what,
 * never a key or an owner's e-mail; bursts become one summary; the service's outage and
 * recovery are one message each way; a channel the bot cannot post in is refused with the
 * permissions to fix; and a post that fails never changes what the user is told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../src/core/text.js';
import { option } from '../fakes/discord.js';
import {
  ALICE, embedText, GENERAL, GUILD, type Harness, HIDDEN, LISTED, MOD, NO_EMBEDS, NOTIFY, READ_ONLY, startHarness, MODES,
} from './harness.js';

describe.each(MODES)('%s mode', (mode) => {

  const admin = (h: Harness, subcommand: string, options: Parameters<Harness['run']>[1] = {}) =>
    h.run(subcommand, options, MOD, { command: 'handle-admin' });

  /** The text an admin reads in the channel, from the recorded request that posted it. */
  const postText = (post: { body: any }) => embedText(post.body);

  describe('notifications, one by one (NOTIFY_COALESCE_SECONDS=0)', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ mode, env: { NOTIFY_COALESCE_SECONDS: '0', OUTAGE_THRESHOLD: '2' } });
      expect(embedText(await admin(h, 'notify', { channel: option.channel(NOTIFY) }).original())).toMatch(/^\*\*Admin notifications now go to/);
    });
    afterAll(async () => { await h.close(); });

    /** The n-th (0-based) post in the admin channel after `mark` posts, once it is there. */
    async function notice(mark: number, n = 0): Promise<{ body: any }> {
      const posts = await h.waitForPosts(NOTIFY, mark + n + 1);
      return posts[mark + n]!;
    }

    it('a claim and a delete: who and which handle, in the admin channel, pinging nobody', async () => {
      const key = await h.linkKey(ALICE, 'alice.private@owner.example');
      const before = h.posts(NOTIFY).length;
      expect(embedText(await h.run('create', { name: 'newbie' }).original())).toMatch(/^You claimed `newbie`/);
      const [claimed] = (await h.waitForPosts(NOTIFY, before + 1)).slice(before);
      expect(postText(claimed!)).toBe(`**🆕 <@${ALICE}> claimed \`newbie\`**`);
      // The mention renders, but allowed_mentions is empty: no user, role, @everyone or @here is notified.
      expect(claimed!.body.allowed_mentions).toEqual({ parse: [] });
      expect(claimed!.body.components ?? []).toEqual([]);
      const raw = JSON.stringify(claimed!.body);
      expect(raw).not.toContain(key);
      expect(raw).not.toContain('alice.private');

      const deleted = h.press('hb1:delete:confirmed=yes&_c=1:newbie', ALICE, { message: h.carrying({}) });
      expect(embedText(await deleted.original())).toMatch(/^Deleted `newbie`/);
      const gone = await notice(before, 1);
      expect(postText(gone)).toBe(`**🗑️ <@${ALICE}> deleted \`newbie\`**`);
      expect(gone.body.allowed_mentions).toEqual({ parse: [] });
    });

    it('a create refused because the owner is banned: who and the kind of ban, never the address', async () => {
      const key = await h.linkKey(LISTED, 'spammer@banned.example');
      h.mail.ban({ type: 'domain', value: 'banned.example' });
      const mark = h.posts(NOTIFY).length;
      expect(embedText(await h.run('create', { name: 'spam-king' }, LISTED).original())).toMatch(/^The mail service has blocked your account/);
      const refused = await notice(mark);
      expect(postText(refused)).toBe(
        `**⛔ The mail service refused a handle for <@${LISTED}>**\nEvery create with their key will fail: their e-mail domain is banned. Only the service’s operators can lift it.`,
      );
      const raw = JSON.stringify(refused.body);
      expect(raw).not.toContain('spammer');
      expect(raw).not.toContain('banned.example');
      expect(raw).not.toContain(key);
    });

    it('key linked and removed: only while key-events is on, and never the key', async () => {
      await h.runtime.store.forget(`discord:${MOD}`);
      await admin(h, 'key-events', { enabled: false }).original();
      const quiet = h.mail.newKey('mod@owner.example');
      expect(embedText(await h.submitModal('hb-key-set', { key: quiet }, MOD).original())).toMatch(/^Your API key is linked/);
      await h.bot.notifications.idle();
      const before = h.posts(NOTIFY).length;

      await admin(h, 'key-events', { enabled: true }).original();
      const key = h.mail.newKey('mod@owner.example');
      expect(embedText(await h.submitModal('hb-key-set', { key }, MOD).original())).toMatch(/^Your new API key is linked/);
      const linked = await notice(before);
      expect(postText(linked)).toBe(`**🔑 <@${MOD}> linked an API key**`);
      expect(embedText(await h.run('remove', {}, MOD, { group: 'key' }).original())).toMatch(/^Your API key is removed/);
      const removed = await notice(before, 1);
      expect(postText(removed)).toBe(`**🔑 <@${MOD}> removed their API key**`);
      expect(h.posts(NOTIFY).length).toBe(before + 2); // the link while key-events was off was not posted
      for (const post of [linked, removed]) {
        expect(JSON.stringify(post.body)).not.toContain(key);
        expect(JSON.stringify(post.body)).not.toContain(key.slice(-4)); // not even the fingerprint
      }
      await admin(h, 'key-events', { enabled: false }).original();
    });

    it('the service looks down, then recovers: one message each way, not one per failure (and Slack’s notifier on the same store does not swallow it)', async () => {
      // Slack's notifier in the same process, sharing the store: both platforms must hear about the outage.
      const slackPosts: string[] = [];
      await h.runtime.store.updateSettings('slack:T1', { notifyChannel: 'CADMIN' });
      const slack = h.runtime.frontDoor.engine.registerTarget({
        owns: (s) => s.startsWith('slack:'), scopes: () => ['slack:T1'], post: (_s, _c, reply) => { slackPosts.push(plainText(reply.title)); return Promise.resolve(); },
      });

      await h.linkKey(ALICE);
      const before = h.posts(NOTIFY).length;
      h.mail.inject({ kind: 'status', status: 500 });
      for (let i = 0; i < 4; i++) {
        expect(embedText(await h.run('status', {}, ALICE, { group: 'key' }).original())).toMatch(/^Your API key is linked/);
      }
      const down = await notice(before);
      expect(postText(down)).toBe('🔴 The mail service looks down\n2 requests in a row failed (errors, timeouts or no connection). People’s commands are answered with an apology until it recovers; you will hear when it does.');
      h.mail.clearFaults();
      for (let i = 0; i < 2; i++) await h.run('status', {}, ALICE, { group: 'key' }).original();
      const up = await notice(before, 1);
      expect(postText(up)).toBe('🟢 The mail service is answering again');
      await Promise.all([h.bot.notifications.idle(), slack.idle()]);
      expect(h.posts(NOTIFY).slice(before).map(postText)).toEqual([postText(down), postText(up)]);
      expect(slackPosts).toEqual(['🔴 The mail service looks down', '🟢 The mail service is answering again']);
    });

    it('a failing post never changes the user’s reply (and says in the log what to fix)', async () => {
      await h.linkKey(ALICE);
      h.discord.failNext(`POST /channels/${NOTIFY}/messages`, 403, { message: 'Missing Permissions', code: 50013 });
      const x = h.run('create', { name: 'quiet-claim' });
      const reply = embedText(await x.original());
      expect(reply).toMatch(/^You claimed `quiet-claim`/);
      expect(embedText(await x.followUp())).toMatch(new RegExp(`^\\*\\*🎉 <@${ALICE}> claimed \`quiet-claim\`\\*\\*`));
      const logged = await h.waitForLog((e) => e.msg === 'could not post an admin notification to Discord');
      expect(logged).toMatchObject({ scope: `discord:${GUILD}`, channel: NOTIFY, fix: expect.stringContaining('Send Messages') });

      // A channel that fails outright (500) is no different for the user.
      h.discord.failNext(`POST /channels/${NOTIFY}/messages`, 500, { message: 'Internal Server Error', code: 0 });
      expect(embedText(await h.run('create', { name: 'quiet-claim2' }).original())).toMatch(/^You claimed `quiet-claim2`/);
      await h.bot.notifications.idle();
    });
  });

  describe('choosing the admin channel: the bot must be able to post there', () => {
    let h: Harness;
    beforeAll(async () => { h = await startHarness({ mode }); });
    afterAll(async () => { await h.close(); });

    const refusal = (channel: string, missing: string) =>
      `**The bot cannot post in <#${channel}>**\nThe bot lacks ${missing} in <#${channel}>. In the channel’s settings → Permissions, allow ${missing} for the bot’s role (or the bot), then try again. Admin notifications need View Channel, Send Messages and Embed Links.\nNothing was changed.`;

    it('a channel it can post in is accepted; the next claim is posted there', async () => {
      expect(embedText(await admin(h, 'notify', { channel: option.channel(NOTIFY) }).original())).toMatch(new RegExp(`^\\*\\*Admin notifications now go to <#${NOTIFY}>\\*\\*`));
      await h.linkKey(ALICE);
      await h.run('create', { name: 'first-post' }).original();
      expect(postText((await h.waitForPosts(NOTIFY))[0]!)).toBe(`**🆕 <@${ALICE}> claimed \`first-post\`**`);
    });

    it('each missing permission is named, with where to fix it; the setting is unchanged', async () => {
      expect(embedText(await admin(h, 'notify', { channel: option.channel(HIDDEN) }).original())).toBe(refusal(HIDDEN, 'View Channel'));
      expect(embedText(await admin(h, 'notify', { channel: option.channel(NO_EMBEDS) }).original())).toBe(refusal(NO_EMBEDS, 'Embed Links'));
      expect(embedText(await admin(h, 'notify', { channel: option.channel(READ_ONLY) }).original())).toBe(refusal(READ_ONLY, 'Send Messages and Embed Links'));
      expect((await h.runtime.store.getSettings(`discord:${GUILD}`)).notifyChannel).toBe(NOTIFY);
      // Nothing was posted in the refused channels.
      for (const channel of [HIDDEN, NO_EMBEDS, READ_ONLY, GENERAL]) expect(h.posts(channel)).toEqual([]);
    });
  });

  describe('bursts (NOTIFY_COALESCE_SECONDS=2)', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ mode, env: { NOTIFY_COALESCE_SECONDS: '2' } });
      await admin(h, 'notify', { channel: option.channel(NOTIFY) }).original();
      await h.linkKey(ALICE);
      await h.linkKey(MOD);
    });
    afterAll(async () => { await h.close(); });

    it('the first claim is posted at once, the rest of the window as one summary when it closes', async () => {
      const started = Date.now();
      for (const [name, user] of [['burst-1', ALICE], ['burst-2', MOD], ['burst-3', ALICE], ['burst-4', MOD]] as const) {
        await h.run('create', { name }, user).original();
      }
      const [first] = await h.waitForPosts(NOTIFY, 1);
      expect(postText(first!)).toBe(`**🆕 <@${ALICE}> claimed \`burst-1\`**`);
      await h.bot.notifications.idle();
      expect(h.posts(NOTIFY)).toHaveLength(1); // the others wait for the window

      const [, summary] = await h.waitForPosts(NOTIFY, 2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(postText(summary!)).toBe(`3 handles claimed in the last 2 seconds\nBy <@${MOD}> and <@${ALICE}>.\nHandles: \`burst-2\`, \`burst-3\` and \`burst-4\`.`);
      expect(summary!.body.allowed_mentions).toEqual({ parse: [] });
    });

    it('what is still coalescing when the bot stops is posted before it disconnects', async () => {
      // A new burst of deletes: the first goes out at once, the second waits in the window…
      for (const name of ['burst-1', 'burst-3']) {
        await h.press(`hb1:delete:confirmed=yes&_c=1:${name}`, ALICE, { message: h.carrying({}) }).original();
      }
      await h.bot.notifications.idle();
      const before = h.posts(NOTIFY).length;
      // …and stop() flushes it.
      await h.bot.stop();
      const after = h.posts(NOTIFY).slice(before).map(postText);
      expect(after).toEqual([`**🗑️ <@${ALICE}> deleted \`burst-3\`**`]);
    });
  });
});
