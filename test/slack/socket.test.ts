/**
 * Socket Mode: envelopes from the fake Slack, ack frames back, replies through response_url.
 * A full command, the modal, a redelivered envelope, and a clean shutdown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { blocksText, startSlackHarness, type SlackHarness } from './harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Socket Mode', () => {
  it('connects with the app token and reports healthy', async () => {
    h = await startSlackHarness({ mode: 'socket' });
    expect(h.front.mode).toBe('socket');
    expect(h.slack.callsTo('apps.connections.open')[0]?.headers.authorization).toBe('Bearer xapp-test-app-token-0123456789');
    expect(h.slack.openSockets).toBe(1);
    expect(h.front.health.snapshot()).toEqual({ ok: true, parts: { slack: { ok: true, detail: 'socket mode connected' } } });
  });

  it('a full create: a bare ack frame first (while the service holds its answer), then the announcement and the detail', async () => {
    h = await startSlackHarness({ mode: 'socket' });
    await h.linkKey('UALICE');
    h.mail.hold();
    const sent = await h.command('create sockety');
    expect(sent.ack?.payload).toEqual({});
    const held = await h.mail.waitFor((r) => r.path === '/api/handle/create');
    expect(held.status).toBeUndefined();
    h.mail.release();
    const [announcement, detail] = await h.replies(sent.responseUrl, 2);
    expect(announcement?.body.response_type).toBe('in_channel');
    expect(blocksText(announcement?.body.blocks)).toContain('@UALICE claimed sockety');
    expect(detail?.body.response_type).toBe('ephemeral');
  });

  it('the key modal: the malformed key is refused in the ack frame, a good one is checked and linked', async () => {
    h = await startSlackHarness({ mode: 'socket' });
    const opened = await h.command('key set');
    expect(opened.ack?.payload).toEqual({});
    await h.slack.waitForCall('views.open');
    const bad = await h.submitKey('12345');
    expect(bad.ack?.payload).toEqual({ response_action: 'errors', errors: { api_key_0: expect.stringContaining('it has 5 characters') } });
    const key = h.mail.newKey('sock@example.com');
    const good = await h.submitKey(key);
    expect(good.ack?.payload).toMatchObject({ response_action: 'update' });
    const update = await h.slack.waitForCall('views.update');
    expect(blocksText(update.body.view.blocks)).toContain('Your API key is linked');
    expect(JSON.stringify(h.slack.acks)).not.toContain(key);
  });

  it('a redelivered envelope (same command, new envelope, retry_attempt) is acked and runs once', async () => {
    h = await startSlackHarness({ mode: 'socket' });
    await h.linkKey('UALICE');
    const first = await h.command('create socket-once');
    const again = await h.command('create socket-once', { responseUrl: first.responseUrl, triggerId: first.triggerId, retryAttempt: 1 });
    expect(h.slack.traffic.filter((t) => t.kind === 'envelope').at(-1)).toMatchObject({ frame: { retry_attempt: 1 } });
    expect(first.ack).toBeDefined();
    expect(again.ack).toBeDefined();
    await h.front.whenIdle();
    expect(h.mail.requests.filter((r) => r.path === '/api/handle/create')).toHaveLength(1);
    expect(h.slack.responsesTo(first.responseUrl)).toHaveLength(2);
  });

  it('shuts down cleanly: in-flight work finishes, late work is told to retry, the socket closes', async () => {
    h = await startSlackHarness({ mode: 'socket' });
    await h.linkKey('UALICE');
    h.mail.hold();
    const inFlight = await h.command('create last-one');
    await h.mail.waitFor((r) => r.path === '/api/handle/create');

    const stopped = h.front.stop();
    const late = await h.command('list');
    const [restarting] = await h.replies(late.responseUrl, 1);
    expect(blocksText(restarting?.body.blocks)).toContain('The bot is restarting');

    h.mail.release();
    await stopped;
    expect(h.slack.responsesTo(inFlight.responseUrl)).toHaveLength(2);
    const closed = await h.slack.waitFor((t) => t.kind === 'socket' && t.event === 'close');
    expect(closed).toMatchObject({ kind: 'socket', event: 'close' });
    expect(h.slack.openSockets).toBe(0);
    expect(h.front.health.snapshot().parts.slack).toEqual({ ok: false, detail: 'stopped' });
  });
});
