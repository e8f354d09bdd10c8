/**
 * Onboarding on Slack: a newcomer (`team_join`) gets the welcome as a direct message when the
 * workspace turned onboarding on, once; when the DM cannot be delivered the admin channel hears
 * it. Each button of the DM works: link a key (the key modal), "I need a key" (an e-mail modal,
 * the service's credentials request with the bot-source headers, then "check your inbox", and
 * the kind answers to the cooldown and the rate limits), and "Claim <suggestion>" (confirmed,
 * then created, privately: a DM is nobody's channel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../fakes/slack.js';
import { blocksText, buttonsOf, GENERAL, startSlackHarness, type SlackHarness } from './harness.js';

const BOT_SOURCE_TOKEN = 'bot-source-token-for-tests';
const text = (message: JsonObject | undefined) => blocksText(message?.blocks);

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    env: { NOTIFY_COALESCE_SECONDS: '0', MAIL_API_BOT_TOKEN: BOT_SOURCE_TOKEN },
    mail: { rateLimits: {}, botTokens: [BOT_SOURCE_TOKEN] },
    users: [
      { id: 'UNEW', name: 'john', real_name: 'Jöhn Doe', display_name: 'Jöhn Doe' },
      { id: 'UCLOSED', name: 'carol', real_name: 'Carol Closed', dmClosed: 'cannot_dm_bot' },
      { id: 'ULATE', name: 'late', real_name: 'Late Comer' },
    ],
  });
});
afterAll(async () => {
  await h.close();
});

async function admin(line: string): Promise<string> {
  const sent = await h.command(line, { user: 'UADMIN' });
  const [reply] = await h.replies(sent.responseUrl, 1);
  return text(reply?.body);
}

function joined(id: string, name: string, displayName: string): JsonObject {
  return {
    type: 'team_join',
    user: { id, team_id: 'T0TEST', name, real_name: displayName, is_bot: false, deleted: false, profile: { display_name: displayName, real_name: displayName } },
    event_ts: String(Date.now() / 1000),
  };
}

/** The welcome DM the newcomer got (the DM is D + their id without the U). */
function welcomeOf(user: string): JsonObject | undefined {
  return h.dmsTo(user).find((m) => text(m).includes('Welcome!'));
}

describe('the welcome DM', () => {
  it('nobody is welcomed while onboarding is off (the default)', async () => {
    await h.event(joined('ULATE', 'late', 'Late Comer'));
    await h.front.whenIdle();
    expect(h.slack.callsTo('conversations.open')).toHaveLength(0);
    expect(h.dmsTo('ULATE')).toHaveLength(0);
  });

  it('with onboarding on, a newcomer gets the welcome text, what the bot does, and three buttons, once', async () => {
    expect(await admin(`admin notify <#${GENERAL}|general>`)).toContain('Admin notifications now go to');
    expect(await admin('admin onboarding on Welcome to *Acme*! Ask #help if stuck.')).toContain('Onboarding is on');

    const first = await h.event(joined('UNEW', 'john', 'Jöhn Doe'));
    expect(first.http?.status).toBe(200);
    await h.slack.waitForCall('chat.postMessage', (c) => c.response.channel === 'DNEW');
    expect(h.slack.callsTo('conversations.open').at(-1)?.body.users).toBe('UNEW');

    const dm = welcomeOf('UNEW');
    expect(text(dm)).toBe([
      '👋 Welcome! Get your own e-mail handle',
      'Welcome to *Acme*! Ask #help if stuck.',
      'This bot gets you your own e-mail handle: claim alice and mail to alice@ on every domain of the mail service reaches your inbox.',
      '1. Link your mail-service API key, or ask the service for one.',
      '2. Claim a handle (john.doe would be a good start).',
      'Any time: /handle help.',
      '[I have a key — link it] [I need a key] [Claim john.doe]',
    ].join('\n'));
    // The admin's text stays literal: mrkdwn cannot format it in the fallback either.
    expect(dm?.text).toContain('Welcome to *Acme*! Ask #help if stuck.');

    // A redelivery of the same event, and a second join event for the same person: still one DM.
    await h.event(first.body.event as JsonObject, { event_id: String(first.body.event_id), retryNum: 1 });
    await h.event(joined('UNEW', 'john', 'Jöhn Doe'));
    await h.front.whenIdle();
    expect(h.dmsTo('UNEW')).toHaveLength(1);
  });

  it('a newcomer who does not accept DMs: the admin channel is told instead of failing silently', async () => {
    const before = h.postsTo(GENERAL).length;
    await h.event(joined('UCLOSED', 'carol', 'Carol Closed'));
    await h.front.whenIdle();
    await h.front.notifications.idle();
    const [notice] = h.postsTo(GENERAL).slice(before);
    expect(text(notice?.body)).toBe('✉️ Could not welcome @UCLOSED\nThey don’t accept direct messages from the bot, so they did not get the onboarding message. Point them to /handle help.');
    expect(h.logLines.some((l) => l.includes('could not deliver the welcome message') && l.includes('cannot_dm_bot'))).toBe(true);
  });

  it('bots are not welcomed', async () => {
    const opened = h.slack.callsTo('conversations.open').length;
    await h.event({ type: 'team_join', user: { id: 'UBOTTY', name: 'botty', is_bot: true, profile: {} } });
    await h.front.whenIdle();
    expect(h.slack.callsTo('conversations.open')).toHaveLength(opened);
  });
});

describe('the buttons of the welcome DM', () => {
  const button = (label: string) => {
    const found = buttonsOf(welcomeOf('UNEW')!).find((b) => String(b.text.text).startsWith(label));
    if (!found) throw new Error(`no button ${label}`);
    return found;
  };
  const pressInDm = (b: JsonObject) => h.press(b, { user: 'UNEW', channel: 'DNEW', ephemeral: false });

  it('"I have a key — link it" opens the key modal with the press’s trigger id', async () => {
    const press = await pressInDm(button('I have a key'));
    const open = await h.slack.waitForCall('views.open', (c) => c.body.trigger_id === press.triggerId);
    expect(open.body.view.callback_id).toBe('hb_key_set');
  });

  it('"I need a key": an e-mail modal; a malformed address is refused inline, a good one is sent with the bot-source headers, then "check your inbox"', async () => {
    const press = await pressInDm(button('I need a key'));
    const open = await h.slack.waitForCall('views.open', (c) => c.body.trigger_id === press.triggerId);
    const view = open.body.view;
    expect(view).toMatchObject({ callback_id: 'hb_key_request', title: { text: 'Ask for an API key' }, submit: { text: 'Send' } });
    const input = (view.blocks as JsonObject[]).find((b) => b.type === 'input');
    expect(input).toMatchObject({ block_id: 'email_0', label: { text: 'Your e-mail address' }, element: { type: 'email_text_input', action_id: 'email' } });
    await h.front.whenIdle();

    const requests = h.mail.requests.length;
    const refused = await h.submitLatest('not an address', { user: 'UNEW' });
    expect(refused.http?.json).toEqual({ response_action: 'errors', errors: { email_0: 'That does not look like an e-mail address: it needs a name, an @ and a domain, like you@example.com.' } });
    expect(h.mail.requests).toHaveLength(requests);

    h.mail.hold();
    const accepted = await h.submitLatest('john.doe@example.org', { user: 'UNEW' });
    const held = await h.mail.waitFor((r) => r.path === '/api/credentials/create');
    expect(held.status).toBeUndefined();
    expect(accepted.http?.json).toMatchObject({ response_action: 'update', view: { callback_id: 'hb_key_request' } });
    expect(blocksText(accepted.http?.json?.view.blocks)).toBe('Asking the mail service to e-mail you…');
    h.mail.release();

    const result = await h.slack.waitForCall('views.update', (c) => c.body.view.callback_id === 'hb_key_request');
    expect(blocksText(result.body.view.blocks)).toContain('✅ Check your inbox');
    expect(blocksText(result.body.view.blocks)).toContain('The mail service sent a confirmation link to john.doe@example.org');
    expect(result.body.view.submit).toBeUndefined();
    expect(held.body).toMatchObject({ email: 'john.doe@example.org' });
    expect(held.headers['x-bot-auth-token']).toBe(BOT_SOURCE_TOKEN);
    expect(held.headers['x-bot-source']).toBe(h.identity('UNEW'));
    await h.front.whenIdle();
  });

  async function requestAgain(email: string): Promise<string> {
    const press = await pressInDm(button('I need a key'));
    await h.slack.waitForCall('views.open', (c) => c.body.trigger_id === press.triggerId);
    await h.front.whenIdle();
    const before = h.slack.callsTo('views.update').length;
    await h.submitLatest(email, { user: 'UNEW' });
    const update = await h.slack.waitForCall('views.update', (c) => h.slack.callsTo('views.update').indexOf(c) >= before && c.body.view.callback_id === 'hb_key_request');
    await h.front.whenIdle();
    return blocksText(update.body.view.blocks);
  }

  it('asking again within the minute: the cooldown answer; past the service’s limit for the address: the rate-limit answer, kindly', async () => {
    expect(await requestAgain('john.doe@example.org')).toContain('A confirmation e-mail was sent moments ago');
    expect(await requestAgain('john.doe@example.org')).toContain('A confirmation e-mail was sent moments ago');
    const limited = await requestAgain('john.doe@example.org');
    expect(limited).toContain('Too many key requests for now');
    expect(limited).toContain('The mail service allows only a few key requests per hour (3 per address, and a few more from this bot)');
    expect(limited).toMatch(/Please try again in about \d+ minutes?/);
    expect(limited).toMatch(/Request id: /);
    // The form comes back, so another address can be tried at once.
    expect((h.latestView()?.blocks as JsonObject[]).some((b) => b.type === 'input' && b.block_id === 'email_1')).toBe(true);
  });

  it('past the service’s limit for the bot’s origin (this person’s X-Bot-Source): the rate-limit answer too', async () => {
    h.mail.setRateLimits({ credentialsPerHourOrigin: 1 });
    try {
      expect(await requestAgain('first.other@example.org')).toContain('Check your inbox');
      // Another address does not help: the limit is on where the requests come from.
      expect(await requestAgain('second.other@example.org')).toContain('Too many key requests for now');
    } finally {
      h.mail.setRateLimits({});
    }
  });

  it('"Claim john.doe" asks to confirm; without a key it says how to link one; with a key it claims, privately in the DM', async () => {
    const claim = button('Claim john.doe');
    expect(claim.confirm?.text.text).toContain('is yours for good');

    const noKey = await pressInDm(claim);
    await h.front.whenIdle();
    const [refusal] = h.slack.responsesTo(noKey.responseUrl);
    expect(text(refusal?.body)).toContain('You have not linked an API key yet');
    expect(buttonsOf(refusal!.body)[0]?.text.text).toBe('Link my API key');

    await h.linkKey('UNEW');
    const press = await pressInDm(claim);
    await h.front.whenIdle();
    const replies = h.slack.responsesTo(press.responseUrl);
    expect(replies.map((r) => r.body.response_type)).toEqual(['ephemeral']);
    expect(text(replies[0]?.body)).toContain('You claimed john.doe');
    expect(h.mail.handleState('john.doe')).toMatchObject({ active: true });
  });

  it('a claim typed as a command in a DM is private too: a DM is nobody’s channel', async () => {
    await h.linkKey('UBOB');
    const sent = await h.command('create dm-typed', { user: 'UBOB', channel: 'DBOB' });
    await h.front.whenIdle();
    expect(h.slack.responsesTo(sent.responseUrl).map((r) => r.body.response_type)).toEqual(['ephemeral']);
    // In a channel the same command is announced (announcements are on by default).
    const inChannel = await h.command('create channel-typed', { user: 'UBOB' });
    await h.front.whenIdle();
    expect(h.slack.responsesTo(inChannel.responseUrl).map((r) => r.body.response_type)).toEqual(['in_channel', 'ephemeral']);
  });
});
