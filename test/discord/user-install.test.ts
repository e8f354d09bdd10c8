/**
 * User installs: the app installed to a person's account works in a server the bot is not in
 * (and in DMs that are not the bot's). The reply arrives through the interaction webhook;
 * nothing is announced or notified in that server — even if its id had settings saying so —
 * and a private note says why; server settings are not offered there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { option } from '../fakes/discord.js';
import { ALICE, embedText, type Harness, MODES, NOTIFY, startHarness } from './harness.js';

/** A server the bot was never added to; Alice is not a member the fake knows either. */
const ELSEWHERE = '1200000000000000077';

describe.each(MODES)('%s mode', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode, env: { NOTIFY_COALESCE_SECONDS: '0' } });
    await h.linkKey(ALICE);
    // Settings that would announce and notify, were that server the bot's: they must not be used.
    await h.runtime.store.updateSettings(`discord:${ELSEWHERE}`, { announce: true, notifyChannel: NOTIFY });
  });
  afterAll(async () => { await h.close(); });

  const channelPosts = () => h.discord.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/channels/'));

  it('a claim in a server without the bot: the reply arrives, nothing is announced there, a private note says why', async () => {
    const x = h.run('create', { name: 'user-installed' }, ALICE, { guildId: ELSEWHERE, userInstall: true });
    expect(await x.callback()).toMatchObject({ type: 5, data: { flags: 64 } });
    const reply = embedText(await x.original());
    expect(reply).toMatch(/^You claimed `user-installed`/);
    expect(reply).toContain('the bot is not installed in this server, so the claim was not announced here');
    await x.settled();
    await h.bot.notifications.idle();
    // One message, the private one: no public follow-up (announcement), no channel post (admin notice).
    expect(h.discord.webhooksFor(x.id).map((w) => [w.method, w.messageId])).toEqual([['PATCH', '@original']]);
    expect(channelPosts()).toEqual([]);
    expect(h.mail.requests.some((r) => r.path === '/api/handle/create')).toBe(true);
  });

  it('in a group DM that is not the bot’s (context 2), /handle list answers privately', async () => {
    const x = h.run('list', {}, ALICE, { guildId: null, userInstall: true });
    expect(embedText(await x.original())).toContain('user-installed');
  });

  it('server settings are not offered: /handle-admin is for server installs, and a crafted one changes nothing', async () => {
    const x = h.run('notify', { channel: option.channel(NOTIFY) }, ALICE, { command: 'handle-admin', guildId: ELSEWHERE, userInstall: true, memberPermissions: 1n << 5n });
    expect(embedText(await x.original())).not.toMatch(/^Admin notifications/);
    await x.settled();
    expect(channelPosts()).toEqual([]);
  });
});
