/**
 * Admin notifications on Slack, through the real Bolt app: each kind of event is posted to the
 * workspace's notification channel with chat.postMessage, short and without a key or an owner's
 * e-mail; bursts are coalesced; `admin notify` checks that the bot can post in the channel and
 * says what to fix when it cannot; a failing post never changes anybody's reply.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, SlackCall, SlackResponseUrlPost } from '../fakes/slack.js';
import { blocksText, buttonsOf, GENERAL, OWNER_EMAIL, startSlackHarness, type SlackHarness } from './harness.js';

const text = (message: JsonObject) => blocksText(message.blocks);

async function run(h: SlackHarness, line: string, user = 'UALICE'): Promise<SlackResponseUrlPost[]> {
  const sent = await h.command(line, { user });
  expect(sent.http?.status).toBe(200);
  expect((await h.front.whenIdle()).left).toBe(0);
  return h.slack.responsesTo(sent.responseUrl);
}

/** Waits until every notification under way is posted, then returns the posts to `channel` after `from`. */
async function postsAfter(h: SlackHarness, channel: string, from: number): Promise<SlackCall[]> {
  await h.front.notifications.idle();
  return h.postsTo(channel).slice(from);
}

describe('each kind of admin notification, posted to the configured channel', () => {
  let h: SlackHarness;
  let key: string;
  beforeAll(async () => {
    h = await startSlackHarness({ env: { NOTIFY_COALESCE_SECONDS: '0', OUTAGE_THRESHOLD: '2' } });
    key = await h.linkKey('UALICE');
    expect(text((await run(h, `admin notify <#${GENERAL}|general>`, 'UADMIN'))[0]!.body)).toContain(`Admin notifications now go to #${GENERAL}`);
  });
  afterAll(async () => {
    await h.close();
  });

  it('a claim and a delete: who and which handle, as one short line each', async () => {
    const from = h.postsTo(GENERAL).length;
    await run(h, 'create note-me');
    const [claimed] = await postsAfter(h, GENERAL, from);
    expect(claimed?.response.ok).toBe(true);
    expect(text(claimed!.body)).toBe('🆕 @UALICE claimed note-me');
    expect(claimed!.body.text).toBe('🆕 <@UALICE> claimed `note-me`');

    const ask = (await run(h, 'delete note-me'))[0]!.body;
    const press = await h.press(buttonsOf(ask)[0]!);
    await h.front.whenIdle();
    expect(text(h.slack.responsesTo(press.responseUrl)[0]!.body)).toContain('Deleted note-me');
    const [, deleted] = await postsAfter(h, GENERAL, from);
    expect(text(deleted!.body)).toBe('🗑️ @UALICE deleted note-me');
  });

  it('a create refused because the owner is banned: who and the kind of ban, never the address', async () => {
    const from = h.postsTo(GENERAL).length;
    h.mail.ban({ type: 'email', value: OWNER_EMAIL });
    try {
      const [reply] = await run(h, 'create banned-try');
      expect(text(reply!.body)).toContain('The mail service has blocked your account');
    } finally {
      h.mail.unban('email', OWNER_EMAIL);
    }
    const [banned] = await postsAfter(h, GENERAL, from);
    expect(text(banned!.body)).toBe('⛔ The mail service refused a handle for @UALICE\nEvery create with their key will fail: their e-mail address is banned. Only the service’s operators can lift it.');
  });

  it('key linked and removed: only once key-events is on', async () => {
    const from = h.postsTo(GENERAL).length;
    await run(h, 'key remove', 'UBOB');
    await h.linkKey('UBOB');
    await run(h, 'key remove', 'UBOB');
    expect(await postsAfter(h, GENERAL, from)).toHaveLength(0);

    expect(text((await run(h, 'admin key-events on', 'UADMIN'))[0]!.body)).toContain('Key events are reported to admins');
    await run(h, 'key set', 'UBOB');
    await h.submitKey(h.mail.newKey('bob.owner@example.com'), { user: 'UBOB' });
    await h.slack.waitForCall('views.update', (c) => blocksText(c.body.view.blocks).includes('Your API key is linked'));
    await h.front.whenIdle();
    await run(h, 'key remove', 'UBOB');
    const posts = await postsAfter(h, GENERAL, from);
    expect(posts.map((p) => text(p.body))).toEqual(['🔑 @UBOB linked an API key', '🔑 @UBOB removed their API key']);
  });

  it('the service looks down after OUTAGE_THRESHOLD failures in a row, and recovered: one message each way', async () => {
    const from = h.postsTo(GENERAL).length;
    h.mail.inject({ kind: 'status', status: 500 }, { times: 3, path: '/api/handle/create' });
    for (const name of ['down-1', 'down-2', 'down-3']) {
      expect(text((await run(h, `create ${name}`))[0]!.body)).toContain('The mail service had an internal problem');
    }
    await run(h, 'create back-up');
    const posts = (await postsAfter(h, GENERAL, from)).map((p) => text(p.body));
    expect(posts.filter((p) => p.startsWith('🔴'))).toEqual([
      '🔴 The mail service looks down\n2 requests in a row failed (errors, timeouts or no connection). People’s commands are answered with an apology until it recovers; you will hear when it does.',
    ]);
    expect(posts.filter((p) => p.startsWith('🟢'))).toEqual(['🟢 The mail service is answering again']);
  });

  it('nothing posted to the channel ever carries the key or the owner’s e-mail', () => {
    const all = JSON.stringify(h.postsTo(GENERAL).map((p) => p.body));
    expect(h.postsTo(GENERAL).length).toBeGreaterThanOrEqual(6);
    expect(all).not.toContain(key);
    expect(all.toLowerCase()).not.toContain(OWNER_EMAIL);
    expect(all).not.toContain('bob.owner@example.com');
  });
});

describe('bursts', () => {
  let h: SlackHarness;
  afterEach(async () => {
    await h.close();
  });

  it('the first claim is posted at once, the rest of the window as one summary', async () => {
    h = await startSlackHarness({ env: { NOTIFY_COALESCE_SECONDS: '30' } });
    await h.linkKey('UALICE');
    await h.linkKey('UBOB');
    await run(h, `admin notify <#${GENERAL}|general>`, 'UADMIN');
    for (const [name, user] of [['burst-a', 'UALICE'], ['burst-b', 'UBOB'], ['burst-c', 'UALICE'], ['burst-d', 'UBOB']] as const) await run(h, `create ${name}`, user);
    await h.front.notifications.idle();
    expect(h.postsTo(GENERAL).map((p) => text(p.body))).toEqual(['🆕 @UALICE claimed burst-a']);

    // The window closes (flush: as at its end, or on shutdown).
    await h.front.notifications.flush();
    const summary = h.postsTo(GENERAL).slice(1).map((p) => text(p.body));
    expect(summary).toEqual(['3 handles claimed in the last 30 seconds\nBy @UBOB and @UALICE.\nHandles: burst-b, burst-c and burst-d.']);
  });

  it('what a window still holds is posted when the bot stops', async () => {
    h = await startSlackHarness({ env: { NOTIFY_COALESCE_SECONDS: '30' } });
    await h.linkKey('UALICE');
    await run(h, `admin notify <#${GENERAL}|general>`, 'UADMIN');
    await run(h, 'create stop-a');
    await run(h, 'create stop-b');
    await h.front.stop();
    expect(h.postsTo(GENERAL).map((p) => text(p.body))).toEqual(['🆕 @UALICE claimed stop-a', '🆕 @UALICE claimed stop-b']);
  });
});

describe('the notification channel', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ env: { NOTIFY_COALESCE_SECONDS: '0' } });
    await h.linkKey('UALICE');
    h.slack.addChannel({ id: 'C0OLD', name: 'old', is_member: true, is_archived: true });
    h.slack.addChannel({ id: 'C0LOCKED', name: 'locked', is_member: false });
  });
  afterAll(async () => {
    await h.close();
  });

  const notify = async (channel: string) => text((await run(h, `admin notify <#${channel}|x>`, 'UADMIN'))[0]!.body);

  it('a channel the bot is in: accepted as is', async () => {
    const joins = h.slack.callsTo('conversations.join').length;
    expect(await notify(GENERAL)).toContain(`Admin notifications now go to #${GENERAL}`);
    expect(h.slack.callsTo('conversations.join')).toHaveLength(joins);
  });

  it('a public channel the bot is not in: joined (channels:join), then accepted, and notifications arrive there', async () => {
    expect(await notify('C0RANDOM')).toContain('Admin notifications now go to #C0RANDOM');
    expect(h.slack.callsTo('conversations.join').at(-1)?.body.channel).toBe('C0RANDOM');
    await run(h, 'create lands-in-random');
    await h.front.notifications.idle();
    expect(h.postsTo('C0RANDOM').map((p) => [p.response.ok, text(p.body)])).toEqual([[true, '🆕 @UALICE claimed lands-in-random']]);
  });

  it('refused, with what to fix: a private channel the bot is not in, an archived one, one it cannot see, one it may not join', async () => {
    expect(await notify('G0SECRET')).toBe(
      '⚠️ The bot cannot post in #G0SECRET\nIt is a private channel the bot is not in. Invite @UBOT to it first (/invite in the channel), then try again.\nNothing was changed.');
    expect(await notify('C0OLD')).toContain('That channel is archived. Pick a channel that is in use.');
    expect(await notify('C0NOWHERE')).toContain('The bot cannot see that channel. If it is private, invite @UBOT to it first');
    h.slack.failNext('conversations.join', 'missing_scope', { extra: { needed: 'channels:join' } });
    expect(await notify('C0LOCKED')).toContain('The bot is missing the Slack permission channels:join. Reinstall the app with the current manifest');
    // Every refusal left the working channel in place.
    expect((await h.runtime.store.getSettings('slack:T0TEST')).notifyChannel).toBe('C0RANDOM');
  });

  it('if the bot was removed from the public channel since, it joins again and posts', async () => {
    h.slack.addChannel({ id: 'C0RANDOM', name: 'random', is_member: false });
    await run(h, 'create after-kick');
    await h.front.notifications.idle();
    const attempts = h.postsTo('C0RANDOM').slice(-2);
    expect(attempts.map((p) => p.response.ok === true ? 'ok' : p.response.error)).toEqual(['not_in_channel', 'ok']);
    expect(text(attempts[1]!.body)).toBe('🆕 @UALICE claimed after-kick');
  });

  it('a failing chat.postMessage never changes the user’s reply; it is logged', async () => {
    const normal = await run(h, 'create reply-baseline');
    h.slack.failNext('chat.postMessage', 'channel_not_found', { times: 2 });
    const during = await run(h, 'create reply-during');
    await h.front.notifications.idle();
    expect(during.map((r) => r.body.response_type)).toEqual(normal.map((r) => r.body.response_type));
    expect(during.map((r) => text(r.body).replace(/reply-during/g, 'X'))).toEqual(normal.map((r) => text(r.body).replace(/reply-baseline/g, 'X')));
    expect(h.logLines.some((l) => l.includes('admin notification failed') && l.includes('channel_not_found'))).toBe(true);
  });
});
