/**
 * How requests reach the app and how it copes: signatures and timestamps are checked before
 * anything runs; a redelivered request runs once (also across replicas sharing the store);
 * the ack never waits for the mail service, even with 200 commands in flight; a failing
 * listener apologises and the process lives on; a failing response_url is only logged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { blockActionsPayload, eventCallback, interactiveForm, newTriggerId, signedPost, slashCommandForm } from '../fakes/slack.js';
import { blocksText, buttonsOf, GENERAL, SIGNING_SECRET, startSlackHarness, type SlackHarness } from './harness.js';

const started: SlackHarness[] = [];
async function harness(options?: Parameters<typeof startSlackHarness>[0]): Promise<SlackHarness> {
  const h = await startSlackHarness(options);
  started.push(h);
  return h;
}
afterEach(async () => {
  // Replicas first: they share the first harness's fakes and store.
  while (started.length > 0) await started.pop()?.close();
});

const creates = (h: SlackHarness) => h.mail.requests.filter((r) => r.path === '/api/handle/create');

describe('request verification', () => {
  it('refuses a bad signature and a stale timestamp with 401 and runs nothing', async () => {
    const h = await harness();
    await h.linkKey('UALICE');
    const responseUrl = h.slack.newResponseUrl();
    const form = slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: 'create sneaky', response_url: responseUrl });
    const callsBefore = h.slack.calls.length;

    expect((await signedPost(h.endpoint, 'not-the-secret', form)).status).toBe(401);
    expect((await signedPost(h.endpoint, SIGNING_SECRET, form, { signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await signedPost(h.endpoint, SIGNING_SECRET, form, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);

    expect(h.front.inflight).toBe(0);
    expect(h.slack.calls.length).toBe(callsBefore);
    expect(h.slack.responsesTo(responseUrl)).toHaveLength(0);
    expect(creates(h)).toHaveLength(0);
    expect(h.mail.handleState('sneaky')).toBeUndefined();
  });
});

describe('redelivery', () => {
  it('a retried slash command (same trigger id, X-Slack-Retry-Num) is acked but runs once', async () => {
    const h = await harness();
    await h.linkKey('UALICE');
    const responseUrl = h.slack.newResponseUrl();
    const form = slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: 'create once-only', response_url: responseUrl, trigger_id: newTriggerId() });
    const first = await signedPost(h.endpoint, SIGNING_SECRET, form);
    const again = await signedPost(h.endpoint, SIGNING_SECRET, form, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect([first.status, again.status]).toEqual([200, 200]);
    await h.front.whenIdle();
    expect(creates(h)).toHaveLength(1);
    expect(h.slack.responsesTo(responseUrl)).toHaveLength(2);
    expect(h.logLines.some((l) => l.includes('slack redelivery ignored'))).toBe(true);
  });

  it('two replicas on one store: the same delivery reaching both runs once', async () => {
    const a = await harness();
    const b = await harness({ shareWith: a });
    await a.linkKey('UALICE');
    const responseUrl = a.slack.newResponseUrl();
    const form = slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: 'create replica-safe', response_url: responseUrl, trigger_id: newTriggerId() });
    const [ra, rb] = await Promise.all([signedPost(a.endpoint, SIGNING_SECRET, form), signedPost(b.endpoint, SIGNING_SECRET, form)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    await Promise.all([a.front.whenIdle(), b.front.whenIdle()]);
    expect(creates(a)).toHaveLength(1);
    expect(a.slack.responsesTo(responseUrl).map((r) => r.body.response_type)).toEqual(['in_channel', 'ephemeral']);
  });

  it('a redelivered button press (same action_ts and user) runs once', async () => {
    const h = await harness();
    await h.linkKey('UALICE');
    const asked = await h.command('create pressed-once');
    await h.replies(asked.responseUrl, 2);
    const ask = await h.command('delete pressed-once');
    const [reply] = await h.replies(ask.responseUrl, 1);
    const button = buttonsOf(reply!.body)[0]!;
    const payload = blockActionsPayload({ user_id: 'UALICE', channel_id: GENERAL, action_id: button.action_id, value: button.value, response_url: h.slack.newResponseUrl() });
    const form = interactiveForm(payload);
    expect((await signedPost(h.endpoint, SIGNING_SECRET, form)).status).toBe(200);
    expect((await signedPost(h.endpoint, SIGNING_SECRET, form)).status).toBe(200);
    await h.front.whenIdle();
    expect(h.mail.requests.filter((r) => r.path === '/api/handle/delete')).toHaveLength(1);
  });
});

describe('ack first', () => {
  it('the ack is recorded while the mail service still holds its answer', async () => {
    const h = await harness();
    await h.linkKey('UALICE');
    h.mail.hold();
    const sent = await h.command('create held-answer');
    expect(sent.http?.status).toBe(200);
    const held = await h.mail.waitFor((r) => r.path === '/api/handle/create');
    expect(held.status).toBeUndefined();
    expect(h.slack.responsesTo(sent.responseUrl)).toHaveLength(0);
    h.mail.release();
    expect(await h.replies(sent.responseUrl, 2)).toHaveLength(2);
  });

  it('with 200 commands in flight, every ack is back before the mail service answers any of them', async () => {
    const h = await harness();
    const users = Array.from({ length: 200 }, (_, i) => `ULOAD${String(i).padStart(3, '0')}`);
    for (const id of users) {
      h.slack.addUser({ id, name: id.toLowerCase() });
      await h.linkKey(id);
    }
    h.mail.hold();
    const sent = await Promise.all(users.map((user, i) => h.command(`create load-${String(i)}`, { user })));
    expect(sent.every((s) => s.http?.status === 200 && s.http.text === '')).toBe(true);
    // Every create reaches the held service (the work runs after its ack, so wait on the traffic).
    const isCreateOf = (i: number) => (r: { path: string; body: unknown }) =>
      r.path === '/api/handle/create' && (r.body as { handle?: string } | undefined)?.handle === `load-${String(i)}`;
    for (let i = 0; i < users.length; i++) await h.mail.waitFor(isCreateOf(i), 20_000);
    // Everything is acknowledged, nothing is answered: the mail service is still holding.
    expect(creates(h)).toHaveLength(200);
    expect(creates(h).every((r) => r.status === undefined)).toBe(true);
    expect(h.front.inflight).toBe(200);
    h.mail.release();
    expect((await h.front.whenIdle(20_000)).left).toBe(0);
    expect(sent.every((s) => h.slack.responsesTo(s.responseUrl).length === 2)).toBe(true);
  });
});

describe('failures', () => {
  it('a failing listener answers with the apology and the request id, logs the cause, and the app lives on', async () => {
    const h = await harness();
    const engine = h.runtime.engine;
    const original = engine.dispatchLine.bind(engine);
    engine.dispatchLine = () => Promise.reject(new Error('boom in the engine'));
    const sent = await h.command('domains');
    const [apology] = await h.replies(sent.responseUrl, 1);
    expect(apology?.body.response_type).toBe('ephemeral');
    const shown = blocksText(apology?.body.blocks);
    expect(shown).toContain('Sorry, something went wrong inside the bot');
    const requestId = /Request id: `(hb-[\w-]+)`/.exec(shown)?.[1];
    expect(requestId).toBeDefined();
    const logged = h.logLines.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.msg === 'slack listener failed');
    expect(logged).toMatchObject({ requestId, listener: 'command', err: { message: 'boom in the engine' } });

    engine.dispatchLine = original;
    const next = await h.command('domains');
    expect(blocksText((await h.replies(next.responseUrl, 1))[0]?.body.blocks)).toContain('example.test');
  });

  it('a response_url that fails (404, 500) is logged, not thrown', async () => {
    const h = await harness();
    for (const status of [404, 500]) {
      const sent = await h.command('domains', { responseUrl: h.slack.newResponseUrl({ status }) });
      expect(sent.http?.status).toBe(200);
      await h.front.whenIdle();
    }
    const warnings = h.logLines.filter((l) => l.includes('could not deliver a reply through response_url'));
    expect(warnings).toHaveLength(2);
    const next = await h.command('domains');
    expect(await h.replies(next.responseUrl, 1)).toHaveLength(1);
  });
});

describe('graceful stop', () => {
  it('stops taking new work, finishes what is in flight, then closes the receiver', async () => {
    const h = await harness();
    await h.linkKey('UALICE');
    h.mail.hold();
    const inFlight = await h.command('create finishing-up');
    await h.mail.waitFor((r) => r.path === '/api/handle/create');

    const stopped = h.front.stop();
    // Unhealthy while draining, so a load balancer sends work elsewhere.
    const health = await fetch(`http://127.0.0.1:${String(h.front.port)}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ parts: { slack: { ok: false, detail: 'stopping' } } });
    // New work is acknowledged and told to come back.
    const late = await h.command('domains');
    const [restarting] = await h.replies(late.responseUrl, 1);
    expect(blocksText(restarting?.body.blocks)).toContain('The bot is restarting');

    h.mail.release();
    await stopped;
    expect(h.slack.responsesTo(inFlight.responseUrl)).toHaveLength(2);
    expect(h.front.health.snapshot().parts.slack).toEqual({ ok: false, detail: 'stopped' });
    await expect(fetch(`http://127.0.0.1:${String(h.front.port)}/healthz`)).rejects.toThrow();
  });
});

describe('events and the last line of defence', () => {
  it('a redelivered event (same event_id, X-Slack-Retry-Num) reaches listeners once', async () => {
    const h = await harness();
    let seen = 0;
    h.front.app.event('app_home_opened', async () => {
      seen += 1;
      await Promise.resolve();
    });
    const body = eventCallback({ type: 'app_home_opened', user: 'UALICE', channel: 'DALICE', tab: 'home', event_ts: '1700000000.000100' });
    expect((await signedPost(h.endpoint, SIGNING_SECRET, body)).status).toBe(200);
    expect((await signedPost(h.endpoint, SIGNING_SECRET, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    await h.front.whenIdle();
    expect(seen).toBe(1);
  });

  it('an error that escapes a listener reaches app.error: logged, apologised for, and the app lives on', async () => {
    const h = await harness();
    h.front.app.action('some_other_button', async ({ ack }) => {
      await ack();
      throw new Error('escaped the listener');
    });
    const press = await h.press({ action_id: 'some_other_button', value: 'x' });
    expect(press.http?.status).toBe(200);
    const [apology] = await h.replies(press.responseUrl, 1);
    expect(blocksText(apology?.body.blocks)).toContain('Sorry, something went wrong inside the bot');
    expect(h.logLines.some((l) => l.includes('slack: unhandled error') && l.includes('escaped the listener'))).toBe(true);
    const next = await h.command('domains');
    expect(await h.replies(next.responseUrl, 1)).toHaveLength(1);
  });
});
