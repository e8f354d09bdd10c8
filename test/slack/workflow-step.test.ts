/**
 * The Workflow Builder step "Claim an e-mail handle", driven by `function_executed` events
 * through the real Bolt app: it is acknowledged at once, acts only for the person running the
 * workflow (the interactor of Slack's interactivity input) with that person's own key, outputs
 * the handle and its addresses, and always ends with functions.completeSuccess or
 * functions.completeError, exactly once — also without a key, on a refusal, when Slack refuses
 * the completion, when something throws, and past its deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionExecutedEvent, type SlackCall } from '../fakes/slack.js';
import { blocksText, buttonsOf, GENERAL, startSlackHarness, type SlackHarness } from './harness.js';

const interactivity = (user: string) => ({ interactor: { id: user, secret: 'interactor-secret-0123' }, interactivity_pointer: '1234567890.0987654321.abcdef' });

/** Every completion call of one run (there must be exactly one). */
function endsOf(h: SlackHarness, executionId: string): SlackCall[] {
  return h.slack.calls.filter((c) => (c.method === 'functions.completeSuccess' || c.method === 'functions.completeError') && c.body.function_execution_id === executionId);
}

describe('the claim step', () => {
  let h: SlackHarness;
  let aliceKey: string;
  let bobKey: string;
  beforeAll(async () => {
    h = await startSlackHarness({
      env: { NOTIFY_COALESCE_SECONDS: '0' },
      users: [{ id: 'UCAROL', name: 'carol', real_name: 'Carol' }, { id: 'UDAVE', name: 'dave', real_name: 'Dave', dmClosed: 'cannot_dm_bot' }],
    });
    aliceKey = await h.linkKey('UALICE', undefined, 'alice.flow@example.com');
    bobKey = await h.linkKey('UBOB', undefined, 'bob.flow@example.com');
    await h.command(`admin notify <#${GENERAL}|general>`, { user: 'UADMIN' });
    await h.front.whenIdle();
  });
  afterAll(async () => {
    await h.close();
  });

  it('is acknowledged at once, claims with the runner’s own key, and completes with the handle and its addresses', async () => {
    h.mail.hold();
    const run = await h.runStep({ handle: '  Flow-Alice ', interactivity: interactivity('UALICE') }, { botAccessToken: 'xwfp-workflow-token-1' });
    // The ack (HTTP 200, empty) came back while the service still held the claim.
    expect(run.http).toMatchObject({ status: 200, text: '' });
    const held = await h.mail.waitFor((r) => r.path === '/api/handle/create');
    expect(held.status).toBeUndefined();
    h.mail.release();

    const end = await h.stepEnd(run.executionId);
    expect(end.method).toBe('functions.completeSuccess');
    expect(end.body.outputs).toEqual({ handle: 'flow-alice', addresses: 'flow-alice@example.test, flow-alice@example2.test' });
    // Bolt completes with the workflow's own token.
    expect(end.headers.authorization).toBe('Bearer xwfp-workflow-token-1');
    expect(held.headers['x-api-key']).toBe(aliceKey);
    expect(h.mail.handleState('flow-alice')).toMatchObject({ active: true });
    await h.front.whenIdle();
    expect(endsOf(h, run.executionId)).toHaveLength(1);

    // The same bookkeeping as /handle create: history and the admin notification.
    expect((await h.runtime.store.listHistory(h.identity('UALICE'), 1))[0]).toMatchObject({ handle: 'flow-alice', status: 'claimed' });
    await h.front.notifications.idle();
    expect(blocksText(h.postsTo(GENERAL).at(-1)?.body.blocks)).toBe('🆕 @UALICE claimed flow-alice');
  });

  it('acts only for the person running the workflow: a user id passed as an input is ignored', async () => {
    const creates = h.mail.requests.filter((r) => r.path === '/api/handle/create').length;
    // Carol runs the workflow; someone mapped Bob (who has a key) into extra inputs.
    const run = await h.runStep({ handle: 'not-bobs', interactivity: interactivity('UCAROL'), user_id: 'UBOB', user: 'UBOB', interactor: { id: 'UBOB' } });
    const end = await h.stepEnd(run.executionId);
    expect(end.method).toBe('functions.completeError');
    expect(end.body.error).toContain('you have not linked a mail-service API key');
    expect(h.mail.requests.filter((r) => r.path === '/api/handle/create')).toHaveLength(creates);
    expect(h.mail.requests.some((r) => r.headers['x-api-key'] === bobKey && r.path === '/api/handle/create')).toBe(false);
    expect(h.mail.handleState('not-bobs')).toBeUndefined();
  });

  it('refuses to run when Slack does not say who is running it, whatever else the inputs say', async () => {
    const creates = h.mail.requests.length;
    for (const inputs of [{ handle: 'nobody', user_id: 'UBOB' }, { handle: 'nobody', interactivity: { interactivity_pointer: 'x' } }, { handle: 'nobody', interactivity: 'UBOB' }]) {
      const run = await h.runStep(inputs);
      const end = await h.stepEnd(run.executionId);
      expect(end.method).toBe('functions.completeError');
      expect(end.body.error).toBe('Nothing was claimed: Slack did not say who is running this workflow, and the step acts only for that person. Start the workflow from a link, a shortcut or a button.');
    }
    expect(h.mail.requests).toHaveLength(creates);
  });

  it('without a linked key: a DM that shows how to link one, and a readable error', async () => {
    const run = await h.runStep({ handle: 'carol', interactivity: interactivity('UCAROL') });
    const end = await h.stepEnd(run.executionId);
    expect(end.body.error).toBe('Nothing was claimed: you have not linked a mail-service API key with the bot yet. The bot sent you a direct message that shows how.');
    const [dm] = h.dmsTo('UCAROL');
    expect(blocksText(dm?.blocks)).toContain('The workflow step “Claim an e-mail handle” needs your API key');
    expect(blocksText(dm?.blocks)).toContain('/handle key set');
    expect(buttonsOf(dm ?? {}).map((b) => b.text.text)).toEqual(['Link my API key']);

    // The DM's button opens the key modal, as everywhere else.
    const press = await h.press(buttonsOf(dm!)[0]!, { user: 'UCAROL', channel: 'DCAROL', ephemeral: false });
    expect((await h.slack.waitForCall('views.open', (c) => c.body.trigger_id === press.triggerId)).body.view.callback_id).toBe('hb_key_set');
    await h.front.whenIdle();
  });

  it('without a key and with DMs closed: the error itself says how to link one', async () => {
    const run = await h.runStep({ handle: 'dave', interactivity: interactivity('UDAVE') });
    const end = await h.stepEnd(run.executionId);
    expect(end.body.error).toBe('Nothing was claimed: you have not linked a mail-service API key with the bot yet. Type /handle key set in any channel to link it.');
  });

  it('a refusal by the rule or the service fails the step with the words the bot would say in chat', async () => {
    const invalid = await h.runStep({ handle: 'Bad Name', interactivity: interactivity('UALICE') });
    expect((await h.stepEnd(invalid.executionId)).body.error).toBe('`bad name` is not a valid handle. It can’t be used because it contains a space.');

    h.mail.takeHandle('taken-by-flow');
    const taken = await h.runStep({ handle: 'taken-by-flow', interactivity: interactivity('UALICE') });
    expect((await h.stepEnd(taken.executionId)).body.error).toBe('`taken-by-flow` is already taken. A handle can be claimed only once, ever: deleting one keeps it reserved, so nobody (its owner included) can claim it again.');
  });

  it('when Slack refuses the completion, the step is failed instead, never left running', async () => {
    h.slack.failNext('functions.completeSuccess', 'internal_error');
    const run = await h.runStep({ handle: 'complete-refused', interactivity: interactivity('UALICE') });
    await h.slack.waitForCall('functions.completeError', (c) => c.body.function_execution_id === run.executionId);
    await h.front.whenIdle();
    expect(endsOf(h, run.executionId).map((c) => [c.method, c.response.ok])).toEqual([['functions.completeSuccess', false], ['functions.completeError', true]]);
    expect(endsOf(h, run.executionId)[1]?.body.error).toMatch(/^Something went wrong inside the bot, so the step did not finish\. .*request id \S+\.$/);
  });

  it('when something throws, the step fails with the request id', async () => {
    const store = h.runtime.store;
    const getKey = store.getKey.bind(store);
    store.getKey = () => Promise.reject(new Error('disk on fire'));
    try {
      const run = await h.runStep({ handle: 'boom', interactivity: interactivity('UALICE') });
      const end = await h.stepEnd(run.executionId);
      expect(end.method).toBe('functions.completeError');
      expect(end.body.error).toContain('Something went wrong inside the bot');
    } finally {
      store.getKey = getKey;
    }
    // The step reads nothing itself: the engine caught the throw and logged it.
    expect(h.logLines.some((l) => l.includes('command failed') && l.includes('disk on fire'))).toBe(true);
  });

  it('a redelivered run (same event, X-Slack-Retry-Num) is acknowledged and runs once', async () => {
    const creates = h.mail.requests.filter((r) => r.path === '/api/handle/create').length;
    const event = functionExecutedEvent({ callback_id: 'claim_handle', inputs: { handle: 'once-only', interactivity: interactivity('UALICE') } });
    const first = await h.event(event, { event_id: 'EvSameRun' });
    expect(first.http).toMatchObject({ status: 200, text: '' });
    await h.stepEnd(String(event.function_execution_id));
    const retry = await h.event(event, { event_id: 'EvSameRun', retryNum: 1 });
    expect(retry.http).toMatchObject({ status: 200, text: '' });
    await h.front.whenIdle();
    expect(h.mail.requests.filter((r) => r.path === '/api/handle/create')).toHaveLength(creates + 1);
    expect(endsOf(h, String(event.function_execution_id))).toHaveLength(1);
  });

  it('never logs or sends back the interactor’s secret', () => {
    expect(h.logLines.join('\n')).not.toContain('interactor-secret-0123');
    const sent = JSON.stringify(h.slack.calls.filter((c) => c.method.startsWith('functions.') || c.method === 'chat.postMessage').map((c) => c.body));
    expect(sent).not.toContain('interactor-secret-0123');
  });
});

describe('the claim step’s deadline', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ slack: { stepDeadlineMs: 300 } });
    await h.linkKey('UALICE');
  });
  afterAll(async () => {
    await h.close();
  });

  it('past it, the step fails with a readable error; the claim still finishes and is recorded, and nothing completes twice', async () => {
    h.mail.hold();
    const run = await h.runStep({ handle: 'slow-one', interactivity: interactivity('UALICE') });
    const end = await h.stepEnd(run.executionId);
    expect(end.method).toBe('functions.completeError');
    expect(end.body.error).toBe('The claim of slow-one did not finish in time, so the step gave up. The handle may be yours already: check with /handle list before trying again.');
    h.mail.release();
    await h.front.whenIdle();
    expect(h.mail.handleState('slow-one')).toMatchObject({ active: true });
    expect((await h.runtime.store.listHistory(h.identity('UALICE'), 1))[0]).toMatchObject({ handle: 'slow-one', status: 'claimed' });
    expect(endsOf(h, run.executionId)).toHaveLength(1);
  });
});

describe('the claim step in Socket Mode', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ mode: 'socket' });
    await h.linkKey('UALICE');
  });
  afterAll(async () => {
    await h.close();
  });

  it('acknowledges the envelope at once and completes', async () => {
    h.mail.hold();
    const run = await h.runStep({ handle: 'socket-step', interactivity: interactivity('UALICE') });
    expect(run.ack?.payload).toEqual({});
    expect((await h.mail.waitFor((r) => r.path === '/api/handle/create')).status).toBeUndefined();
    h.mail.release();
    const end = await h.stepEnd(run.executionId);
    expect(end.body.outputs).toEqual({ handle: 'socket-step', addresses: 'socket-step@example.test, socket-step@example2.test' });
  });
});

describe('the claim step while the bot stops', () => {
  it('a run that arrives during the drain fails at once (run it again), the one in flight still completes', async () => {
    const h = await startSlackHarness();
    try {
      await h.linkKey('UALICE');
      h.mail.hold();
      const inFlight = await h.runStep({ handle: 'before-stop', interactivity: interactivity('UALICE') });
      await h.mail.waitFor((r) => r.path === '/api/handle/create');
      const stopped = h.front.stop();
      const late = await h.runStep({ handle: 'during-stop', interactivity: interactivity('UALICE') });
      const lateEnd = await h.stepEnd(late.executionId);
      expect(lateEnd.method).toBe('functions.completeError');
      expect(lateEnd.body.error).toBe('The bot is restarting. Nothing was done. Please run your command again in a few seconds.');
      h.mail.release();
      expect((await h.stepEnd(inFlight.executionId)).method).toBe('functions.completeSuccess');
      await stopped;
      expect(h.mail.handleState('during-stop')).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
