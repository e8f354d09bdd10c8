/**
 * /handle-admin: Discord decides who may run it (Manage Server by default; server owners can
 * grant it to others), plus ADMIN_USERS. An admin verb that reaches the bot any other way is
 * refused to everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/action-codec.js';
import { option } from '../fakes/discord.js';
import { ALICE, embedText, GUILD, type Harness, HIDDEN, LISTED, MOD, NOTIFY, OWNER, startHarness, MODES } from './harness.js';

describe.each(MODES)('%s mode', (mode) => {

  let h: Harness;
  beforeAll(async () => { h = await startHarness({ mode }); });
  afterAll(async () => { await h.close(); });

  const admin = (subcommand: string, options: Parameters<Harness['run']>[1], user: string, where: Parameters<Harness['run']>[3] = {}) =>
    h.run(subcommand, options, user, { command: 'handle-admin', ...where });

  describe('/handle-admin', () => {
    it('every admin subcommand, from a member with Manage Server', async () => {
      const notify = embedText(await admin('notify', { channel: option.channel(NOTIFY) }, MOD).original());
      expect(notify).toMatch(new RegExp(`^\\*\\*Admin notifications now go to <#${NOTIFY}>\\*\\*\n`));
      expect(notify).toContain(`Admin notifications: <#${NOTIFY}>`);
      expect(embedText(await admin('notify-off', {}, MOD).original())).toMatch(/^Admin notifications are off/);
      expect(embedText(await admin('announce', { enabled: false }, MOD).original())).toMatch(/^Claims are no longer announced/);
      expect(embedText(await admin('announce', { enabled: true }, MOD).original())).toMatch(/^Claims are announced in the channel again/);
      const onboarding = embedText(await admin('onboarding', { enabled: true, welcome: 'Hi *there*' }, MOD).original());
      expect(onboarding).toMatch(/^Onboarding is on/);
      expect(onboarding).toContain('Welcome text: Hi \\*there\\*');
      expect(embedText(await admin('key-events', { enabled: true }, MOD).original())).toMatch(/^Key events are reported to admins/);
      expect(await h.runtime.store.getSettings(`discord:${GUILD}`)).toMatchObject({ announce: true, onboarding: true, keyEvents: true, welcomeText: 'Hi *there*' });
    });

    it('from the server owner (all permissions)', async () => {
      expect(embedText(await admin('announce', { enabled: true }, OWNER).original())).toMatch(/^Claims are announced/);
    });

    it('from a member listed in ADMIN_USERS', async () => {
      expect(embedText(await admin('key-events', { enabled: false }, LISTED).original())).toMatch(/^Key events are no longer reported/);
      // …who also sees the admin commands in help.
      expect(embedText(await h.run('help', {}, LISTED).original())).toContain('Admins:');
    });

    it('from a member an owner granted /handle-admin to: Discord delivered it, so it is allowed', async () => {
      expect(embedText(await admin('announce', { enabled: true }, ALICE).original())).toMatch(/^Claims are announced/);
    });

    it('in a DM (only if an old registration still offered it there) the answer is that settings belong to a server', async () => {
      expect(embedText(await admin('notify-off', {}, MOD, { guildId: null }).original())).toMatch(/^This only works inside a workspace or server/);
    });

    it('an admin verb that did not come through /handle-admin is refused to everyone else', async () => {
      const id = encodeAction({ verb: 'admin notify-off', args: {} });
      expect(embedText(await h.press(id, ALICE, { message: h.carrying({}) }).original())).toMatch(/^Only admins can change the bot’s settings/);
      expect(embedText(await h.press(id, LISTED, { message: h.carrying({}) }).original())).toMatch(/^Admin notifications are off/);
      expect(embedText(await h.press(id, MOD, { message: h.carrying({}) }).original())).toMatch(/^Admin notifications are off/);
    });

    it('refuses a notification channel the bot cannot post in (checked from the gateway cache)', async () => {
      const reply = embedText(await admin('notify', { channel: option.channel(HIDDEN) }, MOD).original());
      expect(reply).toBe(`**The bot cannot post in <#${HIDDEN}>**\nThe bot lacks View Channel in <#${HIDDEN}>. In the channel’s settings → Permissions, allow View Channel for the bot’s role (or the bot), then try again. Admin notifications need View Channel, Send Messages and Embed Links.\nNothing was changed.`);
    });

    it('turning onboarding on while the bot cannot see joins (DISCORD_MEMBERS_INTENT off) says what to do', async () => {
      const on = embedText(await admin('onboarding', { enabled: true }, MOD).original());
      expect(on).toMatch(/^Onboarding is on\n/);
      expect(on).toContain('⚠️ The bot cannot see people join yet, so nobody will be welcomed: enable Server Members Intent in the Discord Developer Portal (your application → Bot → Privileged Gateway Intents), then set `DISCORD_MEMBERS_INTENT=true` for the bot and restart it.');
      expect(await h.runtime.store.getSettings(`discord:${GUILD}`)).toMatchObject({ onboarding: true });
      // Turning it off needs no warning.
      expect(embedText(await admin('onboarding', { enabled: false }, MOD).original())).not.toContain('Server Members Intent');
    });
  });
});
