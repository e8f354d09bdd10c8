/**
 * `/handle <verb>` over signed HTTP to the real Bolt app: every verb answers through the
 * response_url, privately unless it is the create announcement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, SlackResponseUrlPost } from '../fakes/slack.js';
import { blocksText, buttonsOf, GENERAL, startSlackHarness, type SlackHarness } from './harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h.close();
});

/** Sends `/handle <text>`, checks the bare ack, waits until the command finished, returns every reply. */
async function run(text: string, user = 'UALICE', channel = GENERAL): Promise<SlackResponseUrlPost[]> {
  const sent = await h.command(text, { user, channel });
  expect(sent.http?.status).toBe(200);
  expect(sent.http?.text).toBe('');
  expect((await h.front.whenIdle()).left).toBe(0);
  return h.slack.responsesTo(sent.responseUrl);
}

function only(replies: SlackResponseUrlPost[]): JsonObject {
  expect(replies).toHaveLength(1);
  return replies[0]!.body;
}

const text = (message: JsonObject) => blocksText(message.blocks);

describe('/handle over HTTP', () => {
  it('asks Slack who someone is once (their language, name and rights), then answers from the cache', async () => {
    h.slack.addUser({ id: 'UNEWCOMER', name: 'newcomer', real_name: 'New Comer', display_name: 'newcomer' });
    const asked = () => h.slack.callsTo('users.info').filter((c) => c.body.user === 'UNEWCOMER');
    await run('list', 'UNEWCOMER');
    expect(asked()).toHaveLength(1);
    expect(asked()[0]?.body.include_locale).toBe('true');
    await run('domains', 'UNEWCOMER');
    await run('help', 'UNEWCOMER');
    expect(asked()).toHaveLength(1);
  });

  it('empty text answers the help, privately', async () => {
    const help = only(await run(''));
    expect(help.response_type).toBe('ephemeral');
    expect(text(help)).toContain('/handle create <name>');
    expect(text(help)).not.toContain('/handle admin');
    expect(help.text.length).toBeGreaterThan(0);
  });

  it('an unknown verb answers the help, privately, and admins see their verbs too', async () => {
    const unknown = only(await run('frobnicate now'));
    expect(unknown.response_type).toBe('ephemeral');
    expect(text(unknown)).toContain('I don’t know the command frobnicate now');
    expect(text(only(await run('help', 'UADMIN')))).toContain('/handle admin announce <on|off>');
  });

  it('help <verb> explains one command', async () => {
    expect(text(only(await run('help create')))).toContain('Claim an e-mail handle with your linked key');
  });

  it('create without a linked key says how to link one, with a button that opens the modal', async () => {
    const reply = only(await run('create alice', 'UBOB'));
    expect(reply.response_type).toBe('ephemeral');
    expect(text(reply)).toContain('You have not linked an API key yet');
    expect(buttonsOf(reply).map((b) => b.text.text)).toEqual(['Link my API key']);
  });

  it('create announces in the channel (mentioning the user, never the e-mail) and gives the detail privately, in that order', async () => {
    await h.linkKey('UALICE');
    const [announcement, detail] = await run('create alice');
    expect(announcement?.body.response_type).toBe('in_channel');
    expect(text(announcement!.body)).toBe('🎉 @UALICE claimed alice\nMail to alice@example.test and alice@example2.test now reaches them.');
    expect(JSON.stringify(announcement!.body)).not.toContain('owner@example.com');
    expect(detail?.body.response_type).toBe('ephemeral');
    expect(text(detail!.body)).toContain('is forwarded to alice.owner@example.com');
    expect(announcement!.at).toBeLessThan(detail!.at);
    expect(h.mail.handleState('alice')).toMatchObject({ active: true });
  });

  it('a taken handle gets a private "already taken" reply with claim buttons for alternatives', async () => {
    h.mail.takeHandle('bobby');
    await h.linkKey('UBOB');
    const reply = only(await run('create bobby', 'UBOB'));
    expect(reply.response_type).toBe('ephemeral');
    expect(text(reply)).toContain('bobby is already taken');
    const buttons = buttonsOf(reply);
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.every((b) => b.confirm !== undefined)).toBe(true);
  });

  it('an invalid handle is refused privately with the rule, without calling the service', async () => {
    const before = h.mail.requests.filter((r) => r.path === '/api/handle/create').length;
    const reply = only(await run('create bad..name'));
    expect(reply.response_type).toBe('ephemeral');
    expect(text(reply)).toContain('two dots in a row');
    expect(h.mail.requests.filter((r) => r.path === '/api/handle/create')).toHaveLength(before);
  });

  it('list shows the caller’s handles, privately', async () => {
    const reply = only(await run('list'));
    expect(reply.response_type).toBe('ephemeral');
    expect(text(reply)).toContain('alice');
  });

  it('domains lists the service’s domains, privately', async () => {
    const reply = only(await run('domains'));
    expect(reply.response_type).toBe('ephemeral');
    expect(text(reply)).toContain('example2.test');
  });

  it('delete asks first, with a danger button behind a confirmation dialog', async () => {
    const reply = only(await run('delete alice'));
    expect(text(reply)).toContain('Delete alice?');
    const [button] = buttonsOf(reply);
    expect(button).toMatchObject({ style: 'danger', confirm: { style: 'danger', title: { type: 'plain_text' } } });
    expect(h.mail.handleState('alice')).toMatchObject({ active: true });
  });

  it('key status and key remove answer privately', async () => {
    await h.linkKey('UBOB');
    expect(text(only(await run('key status', 'UBOB')))).toContain('The mail service accepts it right now.');
    expect(text(only(await run('key remove', 'UBOB')))).toContain('Your API key is removed');
    expect(text(only(await run('key status', 'UBOB')))).toContain('You have not linked an API key yet');
  });

  it('key request asks the service to e-mail a key, privately', async () => {
    const reply = only(await run('key request bob@example.org', 'UBOB'));
    expect(reply.response_type).toBe('ephemeral');
    expect(text(reply)).toContain('Check your inbox');
    expect(h.mail.credentialsSends.at(-1)).toMatchObject({ email: 'bob@example.org' });
  });

  it('forget asks to confirm first', async () => {
    const reply = only(await run('forget', 'UBOB'));
    expect(text(reply)).toContain('Forget everything the bot holds about you?');
    expect(buttonsOf(reply)[0]).toMatchObject({ style: 'danger', confirm: expect.any(Object) });
  });

  it('admin verbs are refused to members and work for workspace admins (users.info)', async () => {
    expect(text(only(await run('admin announce off', 'UALICE')))).toContain('Only admins can change the bot’s settings');
    const reply = only(await run('admin key-events on', 'UADMIN'));
    expect(text(reply)).toContain('Key events are reported to admins');
    expect(h.slack.callsTo('users.info').some((c) => c.body.user === 'UADMIN')).toBe(true);
  });

  it('a demoted admin is refused the next admin verb at once: admin rights are asked of users.info, never the cache (issue 18 point 6)', async () => {
    h.slack.addUser({ id: 'UDEMOTED', name: 'dee', real_name: 'Dee Mote', display_name: 'dee', is_admin: true });
    const asked = () => h.slack.callsTo('users.info').filter((c) => c.body.user === 'UDEMOTED').length;
    expect(text(only(await run('admin announce on', 'UDEMOTED')))).toContain('announced in the channel again');
    const before = asked();
    h.slack.addUser({ id: 'UDEMOTED', name: 'dee', real_name: 'Dee Mote', display_name: 'dee', is_admin: false });
    expect(text(only(await run('admin announce off', 'UDEMOTED')))).toContain('Only admins can change the bot’s settings');
    expect(asked()).toBe(before + 1);
    // Other uses of the cached details stay cached: no new users.info for a plain verb.
    await run('list', 'UDEMOTED');
    expect(asked()).toBe(before + 1);
  });

  it('admin notify takes the escaped channel Slack sends, joins a public channel, refuses a private one it is not in', async () => {
    const set = only(await run('admin notify <#C0RANDOM|random>', 'UADMIN'));
    expect(text(set)).toContain('Admin notifications now go to #C0RANDOM');
    expect(h.slack.callsTo('conversations.join').at(-1)?.body.channel).toBe('C0RANDOM');
    const refused = only(await run('admin notify <#G0SECRET|secret>', 'UADMIN'));
    expect(text(refused)).toContain('It is a private channel the bot is not in. Invite @UBOT');
    expect(text(only(await run('admin notify off', 'UADMIN')))).toContain('Admin notifications are off');
    expect(text(only(await run('admin notify-off', 'UADMIN')))).toContain('Admin notifications are off');
  });

  it('admin onboarding keeps the welcome text literally', async () => {
    const reply = only(await run('admin onboarding on Hi *there* _you_ <!channel> & co', 'UADMIN'));
    expect(text(reply)).toContain('Welcome text: Hi *there* _you_ <!channel> & co');
  });

  it('announcements off: a claim answers privately only; on again: announced', async () => {
    expect(text(only(await run('admin announce off', 'UADMIN')))).toContain('no longer announced');
    await h.linkKey('UALICE');
    const quiet = only(await run('create quiet-one'));
    expect(quiet.response_type).toBe('ephemeral');
    expect(text(quiet)).toContain('You claimed quiet-one');

    expect(text(only(await run('admin announce on', 'UADMIN')))).toContain('announced in the channel again');
    const loud = await run('create loud-one');
    expect(loud.map((r) => r.body.response_type)).toEqual(['in_channel', 'ephemeral']);
  });

  it('looks a user up once (users.info is cached) across several commands', async () => {
    const before = h.slack.callsTo('users.info').filter((c) => c.body.user === 'UALICE').length;
    await run('domains');
    await run('list');
    expect(h.slack.callsTo('users.info').filter((c) => c.body.user === 'UALICE').length).toBe(before);
  });

  it('serves /healthz on the same port', async () => {
    const response = await fetch(`http://127.0.0.1:${String(h.front.port)}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, parts: { slack: { ok: true } } });
  });
});
