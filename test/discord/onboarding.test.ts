/**
 * Team onboarding on Discord (issue 8): with DISCORD_MEMBERS_INTENT and onboarding on, a
 * newcomer gets a welcome DM with three buttons that work in the DM — link a key (the key
 * modal), ask for a key (an e-mail modal, the service's credentials request, "check your
 * inbox", its cooldown and rate-limit answers) and claim the suggested handle (asks first). A
 * DM has no guild: the buttons act for the guild that welcomed the person, so its admins hear
 * of the claim, and nothing is announced in the DM. Closed DMs are reported to the admins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordIdentity } from '../../src/domain/identity.js';
import { type JsonObject, option } from '../fakes/discord.js';
import { confirmButtonId, withWelcomeGuildArgs } from '../../src/discord/custom-ids.js';
import { ALICE, buttonIds, embedText, GUILD, type Harness, LISTED, MOD, NOTIFY, startHarness, MODES } from './harness.js';

describe.each(MODES)('%s mode', (mode) => {

  const NEWCOMER = '1300000000000000010';
  const CLOSED = '1300000000000000011';
  const ROBOT = '1300000000000000012';
  const LATECOMER = '1300000000000000013';
  const BOT_TOKEN = 'operator-issued-bot-token';
  const WELCOME_TEXT = 'Welcome to the Test Server crew!';

  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      mode,
      // HTTP mode: joins arrive through the events-only gateway, the DM's buttons through the endpoint.
      env: { DISCORD_MEMBERS_INTENT: 'true', NOTIFY_COALESCE_SECONDS: '0', MAIL_API_BOT_TOKEN: BOT_TOKEN, ...(mode === 'http' ? { DISCORD_GATEWAY: 'events' } : {}) },
      // The service's real limits, with the per-origin credentials limit lowered to 3 an hour to reach it quickly.
      mail: { rateLimits: { credentialsPerHourOrigin: 3 }, botTokens: [BOT_TOKEN] },
    });
    const admin = (subcommand: string, options: Parameters<Harness['run']>[1]) => h.run(subcommand, options, MOD, { command: 'handle-admin' }).original();
    await admin('notify', { channel: option.channel(NOTIFY) });
    await admin('key-events', { enabled: true });
    const on = embedText(await admin('onboarding', { enabled: true, welcome: WELCOME_TEXT }));
    expect(on).toMatch(/^Onboarding is on/);
    expect(on).not.toContain('Server Members Intent'); // the intent is on: nothing to warn about
  });
  afterAll(async () => { await h.close(); });

  /** The bot has finished with a join (welcomed, skipped or failed). */
  const joinHandled = (user: string) => h.waitForLog((e) => e.msg === 'member join handled' && e.user === user);

  /** The welcome DM a user received (waits for it). */
  async function welcomeDm(user: string): Promise<JsonObject> {
    await h.discord.waitFor(() => h.discord.dmsTo(user).length > 0);
    return h.discord.dmsTo(user)[0]!;
  }

  /** The DM button with this label. */
  function buttonLabelled(message: JsonObject, label: string): string {
    const buttons = (message.components as JsonObject[]).flatMap((row) => row.components as JsonObject[]);
    const found = buttons.find((b) => b.label === label);
    if (!found) throw new Error(`no button "${label}" among ${buttons.map((b) => String(b.label)).join(', ')}`);
    return found.custom_id as string;
  }

  /** A press in the DM with the bot, on the message that carries the button. */
  const pressInDm = (customId: string, message: JsonObject) => h.press(customId, NEWCOMER, { guildId: null, message });

  let dm: JsonObject;

  describe('joining', () => {
    it('a newcomer gets the welcome DM: the server’s text, what the bot does, and three buttons', async () => {
      expect(h.discord.joinMember(GUILD, { user: { id: NEWCOMER, username: 'dana', global_name: 'Dana Scully' } })).not.toBeNull();
      dm = await welcomeDm(NEWCOMER);
      expect(embedText(dm)).toBe([
        '👋 Welcome! Get your own e-mail handle',
        WELCOME_TEXT,
        'This bot gets you your own e-mail handle: claim `alice` and mail to alice@ on every domain of the mail service reaches your inbox.',
        '1\\. Link your mail-service API key, or ask the service for one.',
        '2\\. Claim a handle (`dana.scully` would be a good start).',
        'Any time: `/handle help`.',
      ].join('\n'));
      const buttons = (dm.components as JsonObject[]).flatMap((row) => row.components as JsonObject[]);
      expect(buttons.map((b) => b.label)).toEqual(['I have a key — link it', 'I need a key', 'Claim dana.scully']);
      // Each remembers the server it came from (a DM has none).
      for (const id of buttonIds(dm)) expect(id).toContain(`_g=${GUILD}`);
      expect(await joinHandled(NEWCOMER)).toMatchObject({ outcome: 'sent', scope: `discord:${GUILD}` });
    });

    it('is welcomed once: a redelivered or repeated join sends nothing more', async () => {
      h.discord.joinMember(GUILD, { user: NEWCOMER });
      await h.waitForLog((e) => e.msg === 'member join handled' && e.user === NEWCOMER && e.outcome === 'not_wanted');
      expect(h.discord.dmsTo(NEWCOMER)).toHaveLength(1);
    });

    it('bots that join are not welcomed', async () => {
      h.discord.joinMember(GUILD, { user: { id: ROBOT, username: 'other-bot', bot: true } });
      expect(await joinHandled(ROBOT)).toMatchObject({ outcome: 'bot' });
      expect(h.discord.requests.filter((r) => r.path === '/users/@me/channels' && r.body.recipient_id === ROBOT)).toEqual([]);
    });

    it('with onboarding off nobody is welcomed', async () => {
      await h.runtime.store.updateSettings(`discord:${GUILD}`, { onboarding: false });
      h.discord.joinMember(GUILD, { user: { id: LATECOMER, username: 'late' } });
      expect(await joinHandled(LATECOMER)).toMatchObject({ outcome: 'not_wanted' });
      expect(h.discord.dmsTo(LATECOMER)).toEqual([]);
      await h.runtime.store.updateSettings(`discord:${GUILD}`, { onboarding: true });
    });

    it('DMs closed: the admin channel is told instead (and nobody is pinged)', async () => {
      const before = h.posts(NOTIFY).length;
      h.discord.joinMember(GUILD, { user: { id: CLOSED, username: 'private-person', dmClosed: true } });
      expect(await joinHandled(CLOSED)).toMatchObject({ outcome: 'dm_closed' });
      const [notice] = (await h.waitForPosts(NOTIFY, before + 1)).slice(before);
      expect(embedText(notice!.body)).toBe(`**✉️ Could not welcome <@${CLOSED}>**\nThey don’t accept direct messages from the bot, so they did not get the onboarding message. Point them to \`/handle help\`.`);
      expect(notice!.body.allowed_mentions).toEqual({ parse: [] });
    });
  });

  describe('the buttons of the welcome DM, pressed in the DM', () => {
    it('Claim before any key: asks first, then explains how to link one', async () => {
      const ask = pressInDm(buttonLabelled(dm, 'Claim dana.scully'), dm);
      const question = await ask.callback();
      expect(question).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(embedText(question.data)).toMatch(/^Please confirm\nClaim `dana.scully`\? A handle is yours for good/);
      const [confirm] = buttonIds(question.data);
      expect(confirm).toContain(`_g=${GUILD}`);

      const answer = await pressInDm(confirm!, h.carrying(question.data)).original();
      expect(embedText(answer)).toMatch(/^You have not linked an API key yet/);
      // Its "Link my API key" still acts for the server that welcomed them.
      expect(buttonIds(answer)).toEqual([`hb1:key.set:_g=${GUILD}:`]);
      expect(h.mail.requests.some((r) => r.path === '/api/handle/create')).toBe(false);
    });

    it('“I have a key — link it” opens the key modal; the linked key is reported to that server’s admins', async () => {
      const opened = await pressInDm(buttonLabelled(dm, 'I have a key — link it'), dm).callback();
      expect(opened).toMatchObject({ type: 9, data: { custom_id: `hb-key-set:${GUILD}`, title: 'Link your API key' } });

      const before = h.posts(NOTIFY).length;
      const key = h.mail.newKey('dana@home.example');
      const linked = h.submitModal(`hb-key-set:${GUILD}`, { key }, NEWCOMER, { guildId: null });
      expect(await linked.callback()).toMatchObject({ type: 5, data: { flags: 64 } });
      expect(embedText(await linked.original())).toMatch(new RegExp(`^Your API key is linked\\nThe mail service accepted the key ending in \`…${key.slice(-4)}\``));
      const [notice] = (await h.waitForPosts(NOTIFY, before + 1)).slice(before);
      expect(embedText(notice!.body)).toBe(`**🔑 <@${NEWCOMER}> linked an API key**`);
      expect(JSON.stringify(notice!.body)).not.toContain(key);
    });

    it('“I need a key”: an e-mail modal, the service’s request with the bot-source headers, then “check your inbox”', async () => {
      const opened = await pressInDm(buttonLabelled(dm, 'I need a key'), dm).callback();
      expect(opened).toMatchObject({ type: 9, data: { custom_id: `hb-key-request:${GUILD}`, title: 'Ask for an API key' } });
      expect(opened.data.components).toEqual([{
        type: 18, label: 'Your e-mail address', description: expect.any(String),
        component: { type: 4, custom_id: 'email', style: 1, placeholder: 'you@example.com', required: true, min_length: 3, max_length: 254 },
      }]);
      expect((opened.data.components[0].description as string).length).toBeLessThanOrEqual(100);

      const sent = h.submitModal(`hb-key-request:${GUILD}`, { email: '  dana@home.example ' }, NEWCOMER, { guildId: null });
      expect(await sent.callback()).toMatchObject({ type: 5, data: { flags: 64 } });
      const inbox = await sent.original();
      expect(embedText(inbox)).toMatch(/^Check your inbox\nThe mail service sent a confirmation link to `dana@home.example` \(valid for 15 minutes\)/);
      expect(buttonIds(inbox)).toEqual([`hb1:key.set:_g=${GUILD}:`]);
      const request = await h.mail.waitFor((r) => r.path === '/api/credentials/create');
      expect(request.body).toMatchObject({ email: 'dana@home.example', days: 30 });
      // The bot's token plus who is asking: the service counts its per-origin limit per person, not per bot.
      expect(request.headers).toMatchObject({ 'x-bot-auth-token': BOT_TOKEN, 'x-bot-source': discordIdentity(NEWCOMER) });
      expect(h.mail.credentialsSends.map((s) => s.email)).toEqual(['dana@home.example']);
    });

    it('asking again within a minute: “a confirmation e-mail was sent moments ago”, nothing new is sent', async () => {
      const again = await h.submitModal(`hb-key-request:${GUILD}`, { email: 'dana@home.example' }, NEWCOMER, { guildId: null }).original();
      expect(embedText(again)).toMatch(/^A confirmation e-mail was sent moments ago\nThe service already e-mailed `dana@home.example` a minute ago: check your inbox and spam folder\.\nYou can ask again <t:\d+:R>\./);
      expect(h.mail.credentialsSends).toHaveLength(1);
    });

    it('too many requests: the rate limit is explained kindly, and only this person is held back', async () => {
      // Third request from this person this hour: still allowed; the fourth is over the (lowered) limit of 3.
      expect(embedText(await h.submitModal(`hb-key-request:${GUILD}`, { email: 'dana@work.example' }, NEWCOMER, { guildId: null }).original())).toMatch(/^Check your inbox/);
      const limited = await h.submitModal(`hb-key-request:${GUILD}`, { email: 'dana@elsewhere.example' }, NEWCOMER, { guildId: null }).original();
      expect(embedText(limited)).toMatch(
        /^Too many key requests for now\nThe mail service allows only a few key requests per hour \(3 per address, and a few more from this bot\), to protect inboxes from spam\.\nPlease try again in about \d+ minutes\. If you already received a confirmation e-mail, you can use it\.\nRequest id: hb-/,
      );
      // Someone else is not affected: the bot-source header gives each person their own allowance.
      const other = await h.run('request', { email: 'alice@home.example' }, ALICE, { group: 'key' }).original();
      expect(embedText(other)).toMatch(/^Check your inbox/);
    });

    it('Claim after linking: confirmed in the DM, claimed, no announcement there; the server’s admins hear of it', async () => {
      const before = h.posts(NOTIFY).length;
      const question = await pressInDm(buttonLabelled(dm, 'Claim dana.scully'), dm).callback();
      const [confirm] = buttonIds(question.data);
      const claimed = pressInDm(confirm!, h.carrying(question.data));
      expect(await claimed.callback()).toMatchObject({ type: 6 }); // the question becomes the answer
      const answer = await claimed.original();
      expect(embedText(answer)).toMatch(/^You claimed `dana.scully`/);
      expect(answer.body.components).toEqual([]);
      await claimed.settled();
      // No public follow-up: a DM is no place for the channel announcement.
      expect(h.discord.webhooksFor(claimed.id).filter((w) => w.method === 'POST')).toEqual([]);
      expect(h.mail.handleState('dana.scully')).toMatchObject({ owner: 'dana@home.example', active: true });

      const [notice] = (await h.waitForPosts(NOTIFY, before + 1)).slice(before);
      expect(embedText(notice!.body)).toBe(`**🆕 <@${NEWCOMER}> claimed \`dana.scully\`**`);
      expect(JSON.stringify(notice!.body)).not.toContain('dana@home.example');
    });

    it('a crafted mark pressed by someone who is not in that server acts for nobody: no notice in its admin channel', async () => {
      const OUTSIDER = '1300000000000000066';
      h.discord.addUser({ id: OUTSIDER, username: 'outsider' });
      await h.linkKey(OUTSIDER, 'outsider@home.example');
      const before = h.posts(NOTIFY).length;
      // The Confirm button of a claim, marked for the Test Server — built by hand, never sent to this person.
      const crafted = confirmButtonId({ verb: 'create', args: withWelcomeGuildArgs({ name: 'crafted-claim' }, GUILD) })!;
      const x = h.press(crafted, OUTSIDER, { guildId: null, message: h.carrying({}) });
      expect(embedText(await x.original())).toMatch(/^You claimed `crafted-claim`/); // their own claim still works
      await x.settled();
      await h.bot.notifications.idle();
      expect(h.posts(NOTIFY).slice(before)).toEqual([]);
      expect(await h.waitForLog((e) => e.msg?.startsWith('a welcome mark named a server the person is not in') === true)).toMatchObject({ guild: GUILD, user: OUTSIDER });
    });

    it('the marks are honoured only in a DM and only for a server the bot is in', async () => {
      // In a server channel the interaction's own guild is the scope; the mark is not passed on.
      const x = h.press(`hb1:key.request:_g=${GUILD}:`, ALICE, { message: h.carrying({}) });
      expect(await x.callback()).toMatchObject({ type: 9, data: { custom_id: 'hb-key-request' } });
      // A mark for a server the bot is not in gives a DM no scope: the key is linked, nobody is told.
      const stranger = h.submitModal('hb-key-set:1999999999999999999', { key: h.mail.newKey('x@home.example') }, NEWCOMER, { guildId: null });
      expect(embedText(await stranger.original())).toMatch(/^Your new API key is linked/);
      await h.bot.notifications.idle();
      expect(h.posts(NOTIFY).map((p) => embedText(p.body)).filter((t) => t.includes('linked an API key'))).toHaveLength(1);
      // An admin verb never acts for a marked server from a DM, even for someone in ADMIN_USERS.
      const adminVerb = h.press(`hb1:admin.notify-off:_g=${GUILD}:`, LISTED, { guildId: null, message: h.carrying({}) });
      expect(embedText(await adminVerb.original())).toMatch(/^This only works inside a workspace or server/);
      expect((await h.runtime.store.getSettings(`discord:${GUILD}`)).notifyChannel).toBe(NOTIFY);
    });
  });
});
