/**
 * The Slack fake, proven against the real Bolt 5 with minimal inline bots (not the product's code).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeSlack,
  blockActionsPayload,
  eventCallback,
  functionExecutedEvent,
  interactiveForm,
  signedPost,
  slashCommandForm,
  slashCommandPayload,
  startFakeSlack,
  viewSubmissionPayload,
} from './slack.js';

const SECRET = 'test-signing-secret';

/** Everything a test started, stopped in reverse order whatever happens. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function fakeSlack(): Promise<FakeSlack> {
  const fake = await startFakeSlack({
    users: [{ id: 'U100', name: 'alice', real_name: 'Alice', display_name: 'alice', is_admin: true, is_owner: false }],
    channels: [
      { id: 'C100', name: 'general', is_member: true },
      { id: 'C200', name: 'random', is_member: false },
      { id: 'G300', name: 'secret', is_private: true, is_member: false },
    ],
  });
  cleanups.push(() => fake.close());
  return fake;
}

async function httpBot(fake: FakeSlack, setup: (app: App) => void, processBeforeResponse = false): Promise<{ app: App; endpoint: string }> {
  const app = new App({
    token: 'xoxb-test',
    signingSecret: SECRET,
    processBeforeResponse,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
  });
  setup(app);
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  cleanups.push(() => app.stop());
  // Bolt fires auth.test from its constructor without awaiting it: closing the fake before it is
  // answered turns into an unhandled rejection. Wait for it on recorded traffic.
  await fake.waitForCall('auth.test');
  const { port } = server.address() as AddressInfo;
  return { app, endpoint: `http://127.0.0.1:${String(port)}/slack/events` };
}

describe('fake Slack with Bolt in HTTP mode', () => {
  it('answers auth.test at construction, and a signed slash command is acked and answered through response_url', async () => {
    const fake = await fakeSlack();
    const { endpoint } = await httpBot(fake, (app) => {
      app.command('/handle', async ({ ack, respond, command, client }) => {
        await ack();
        await respond({ response_type: 'ephemeral', text: `got ${command.text}` });
        const info = await client.users.info({ user: command.user_id });
        await client.chat.postMessage({ channel: command.channel_id, text: `hi ${String(info.user?.real_name)}`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] });
      });
    });
    expect(fake.callsTo('auth.test')).toHaveLength(1);

    const responseUrl = fake.newResponseUrl();
    const result = await signedPost(endpoint, SECRET, slashCommandForm({ user_id: 'U100', channel_id: 'C100', text: 'create alice', response_url: responseUrl }));
    expect(result.status).toBe(200);
    expect(result.text).toBe('');

    const post = await fake.waitForCall('chat.postMessage');
    expect(post.body).toMatchObject({ channel: 'C100', text: 'hi Alice', team_id: 'T0TEST', blocks: [{ type: 'section' }] });
    expect(post.headers.authorization).toBe('Bearer xoxb-test');
    expect(post.response).toMatchObject({ ok: true, channel: 'C100' });
    const reply = fake.responsesTo(responseUrl)[0];
    expect(reply?.body).toEqual({ response_type: 'ephemeral', text: 'got create alice' });
    expect(fake.callsTo('users.info')[0]?.response.user).toMatchObject({ id: 'U100', is_admin: true, profile: { display_name: 'alice' } });
  });

  it('rejects a bad signature and a stale timestamp with 401, and accepts a JSON ack', async () => {
    const fake = await fakeSlack();
    const { endpoint } = await httpBot(fake, (app) => {
      app.command('/handle', async ({ ack }) => { await ack({ response_type: 'ephemeral', text: 'queued' }); });
    });
    const form = slashCommandForm({ user_id: 'U100', channel_id: 'C100', response_url: fake.newResponseUrl() });
    expect((await signedPost(endpoint, 'wrong-secret', form)).status).toBe(401);
    expect((await signedPost(endpoint, SECRET, form, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    // The pitfall the helper avoids: a charset makes Bolt JSON.parse the form.
    expect((await signedPost(endpoint, SECRET, form, { contentType: 'application/x-www-form-urlencoded; charset=utf-8' })).status).toBe(400);
    const ok = await signedPost(endpoint, SECRET, form);
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ response_type: 'ephemeral', text: 'queued' });
  });

  it('delivers block_actions and view_submission; a view ack with errors comes back as the HTTP body', async () => {
    const fake = await fakeSlack();
    const { endpoint } = await httpBot(fake, (app) => {
      app.action('confirm_delete', async ({ ack, respond, body, client }) => {
        await ack();
        await respond({ replace_original: true, text: `deleting ${(body as { actions: { value: string }[] }).actions[0]?.value ?? ''}` });
        await client.views.open({ trigger_id: (body as { trigger_id: string }).trigger_id, view: { type: 'modal', callback_id: 'key_set', title: { type: 'plain_text', text: 'Key' }, blocks: [] } });
      });
      app.view('key_set', async ({ ack, view }) => {
        const key = view.state.values.key_block?.key_input?.value ?? '';
        if (key.length < 10) await ack({ response_action: 'errors', errors: { key_block: 'too short' } });
        else await ack();
      });
    }, true);

    const responseUrl = fake.newResponseUrl();
    const pressed = await signedPost(endpoint, SECRET, interactiveForm(blockActionsPayload({ user_id: 'U100', channel_id: 'C100', action_id: 'confirm_delete', value: 'alice', response_url: responseUrl })));
    expect(pressed.status).toBe(200);
    // processBeforeResponse: everything the listener did is recorded when the POST returns.
    expect(fake.responsesTo(responseUrl)[0]?.body).toMatchObject({ replace_original: true, text: 'deleting alice' });
    expect(fake.callsTo('views.open')[0]?.body.view).toMatchObject({ type: 'modal', callback_id: 'key_set' });
    expect(fake.callsTo('views.open')[0]?.response.view.id).toMatch(/^V/);

    // An interactive payload object is form-encoded as `payload=<JSON>` by signedPost itself.
    const rejected = await signedPost(endpoint, SECRET, viewSubmissionPayload({ user_id: 'U100', callback_id: 'key_set', values: { key_block: { key_input: 'short' } } }));
    expect(rejected.status).toBe(200);
    expect(rejected.json).toEqual({ response_action: 'errors', errors: { key_block: 'too short' } });
    const accepted = await signedPost(endpoint, SECRET, interactiveForm(viewSubmissionPayload({ user_id: 'U100', callback_id: 'key_set', values: { key_block: { key_input: 'long-enough-key' } } })));
    expect(accepted.status).toBe(200);
    expect(accepted.text).toBe('');
  });

  it('runs a Workflow Builder step: function_executed reaches app.function and complete() calls functions.completeSuccess', async () => {
    const fake = await fakeSlack();
    const { endpoint } = await httpBot(fake, (app) => {
      app.function('claim_handle', async ({ inputs, complete }) => {
        await complete({ outputs: { address: `${String(inputs.name)}@example.test` } });
      });
    });
    const event = functionExecutedEvent({ callback_id: 'claim_handle', inputs: { name: 'alice', user_id: 'U100' }, bot_access_token: 'xwfp-workflow-token' });
    const result = await signedPost(endpoint, SECRET, eventCallback(event));
    expect(result.status).toBe(200);
    const done = await fake.waitForCall('functions.completeSuccess');
    expect(done.body).toMatchObject({ function_execution_id: event.function_execution_id, outputs: { address: 'alice@example.test' } });
    // Bolt's attachFunctionToken: the step's own token, not the bot token.
    expect(done.headers.authorization).toBe('Bearer xwfp-workflow-token');
  });

  it('models channel membership, DMs, failures and response_url errors', async () => {
    const fake = await fakeSlack();
    fake.addUser({ id: 'U900', name: 'closed', dmClosed: 'cannot_dm_user' });
    const { app } = await httpBot(fake, () => undefined);
    const client = app.client;
    await expect(client.chat.postMessage({ channel: 'C200', text: 'x' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await expect(client.conversations.join({ channel: 'G300' })).rejects.toMatchObject({ data: { error: 'method_not_supported_for_channel_type' } });
    expect((await client.conversations.join({ channel: 'C200' })).channel?.is_member).toBe(true);
    expect((await client.chat.postMessage({ channel: 'C200', text: 'x' })).ok).toBe(true);
    expect((await client.conversations.open({ users: 'U100' })).channel?.id).toBe('D100');
    expect((await client.chat.postMessage({ channel: 'U100', text: 'dm' })).channel).toBe('D100');
    await expect(client.conversations.open({ users: 'U900' })).rejects.toMatchObject({ data: { error: 'cannot_dm_user' } });
    await expect(client.users.info({ user: 'U404' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    await expect(client.apiCall('no.such.method')).rejects.toMatchObject({ data: { error: 'unknown_method' } });

    fake.failNext('chat.postMessage', 'ratelimited_by_test');
    await expect(client.chat.postMessage({ channel: 'C100', text: 'x' })).rejects.toMatchObject({ data: { error: 'ratelimited_by_test' } });
    fake.setMethodHandler('chat.postMessage', (body) => ({ channel: body.channel, ts: '1.000001', custom: true }));
    expect(await client.chat.postMessage({ channel: 'C100', text: 'x' })).toMatchObject({ ok: true, custom: true });

    const gone = fake.newResponseUrl({ status: 404 });
    const res = await fetch(gone, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"late"}' });
    expect(res.status).toBe(404);
    expect(fake.responsesTo(gone)[0]).toMatchObject({ status: 404, body: { text: 'late' } });

    fake.reset();
    expect(fake.calls).toHaveLength(0);
  });
});

describe('fake Slack with Bolt in Socket Mode', () => {
  it('says hello, delivers slash_commands and interactive envelopes, records ack frames, and shuts down cleanly', async () => {
    const fake = await fakeSlack();
    const app = new App({
      token: 'xoxb-test',
      appToken: 'xapp-test',
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });
    app.command('/handle', async ({ ack, respond, command }) => {
      await ack({ response_type: 'ephemeral', text: `queued ${command.text}` });
      await respond({ text: 'done' });
    });
    app.view('key_set', async ({ ack }) => { await ack({ response_action: 'clear' }); });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [] } });
    });
    await app.start();
    await fake.waitForCall('auth.test');
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await app.stop();
    });

    const open = fake.callsTo('apps.connections.open')[0];
    expect(open?.headers.authorization).toBe('Bearer xapp-test');
    expect(fake.openSockets).toBe(1);

    const responseUrl = fake.newResponseUrl();
    const id = fake.sendEnvelope('slash_commands', slashCommandPayload({ user_id: 'U100', channel_id: 'C100', text: 'list', response_url: responseUrl }));
    const ack = await fake.waitForAck(id);
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'queued list' });
    expect((await fake.waitForResponse((r) => r.url === responseUrl)).body).toEqual({ text: 'done' });

    const viewAck = await fake.waitForAck(fake.sendEnvelope('interactive', viewSubmissionPayload({ user_id: 'U100', callback_id: 'key_set' })));
    expect(viewAck.payload).toEqual({ response_action: 'clear' });

    const eventAck = await fake.waitForAck(fake.sendEnvelope('events_api', eventCallback({ type: 'app_home_opened', user: 'U100', channel: 'D100', tab: 'home', event_ts: '1.1' })));
    expect(eventAck.payload).toEqual({});
    expect((await fake.waitForCall('views.publish')).body).toMatchObject({ user_id: 'U100', view: { type: 'home' } });

    await app.stop();
    stopped = true;
    await fake.closeSockets();
    expect(fake.openSockets).toBe(0);
    expect(fake.traffic.at(-1)).toMatchObject({ kind: 'socket', event: 'close', code: 1000 });
  });
});
