/**
 * What a stopped replica left is answered where it was asked, by this one (core/intents.ts,
 * src/slack/intent-recovery.ts): a button press written down by a replica that then stopped
 * renewing it — as a press is written before its ack — is taken over, run as the person who
 * pressed it, and answered in place of the message the button sat in, saying the bot restarted.
 * And a press redelivered after it was written down runs once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/action-codec.js';
import { MAX_AGE_MS } from '../../src/core/intents.js';
import { ACTION_ID_PREFIX } from '../../src/slack/render.js';
import type { JsonObject } from '../fakes/slack.js';
import { blocksText, buttonsOf, GENERAL, startSlackHarness, TEAM, type SlackHarness } from './harness.js';

let h: SlackHarness;
beforeAll(async () => {
  // Swept every third of a second: what a stopped replica left is found at once.
  h = await startSlackHarness({ env: { INTENT_LEASE_SECONDS: '1' } });
  await h.linkKey('UALICE');
});
afterAll(async () => {
  await h.close();
});

describe('a button press left by a stopped replica', () => {
  it('is taken over and answered in place of its message, once, saying the bot restarted', async () => {
    const responseUrl = h.slack.newResponseUrl();
    const now = Date.now();
    const context = {
      kind: 'action', command: '/handle', action_id: `${ACTION_ID_PREFIX}create`, value: encodeAction({ verb: 'create', args: { name: 'pressed-before-kill' } }),
      in_home: 'false', ephemeral: 'true', team_id: TEAM, user_id: 'UALICE', channel_id: GENERAL, response_url: responseUrl,
    };
    // What the killed replica wrote before acknowledging the press, its lease long over.
    const written = await h.runtime.store.intents.begin('slack:seen:act:UALICE:1700000000.000001:hb.create', 600_000, {
      owner: 'replica-killed-meanwhile', lease: now - 1, created: now, payload: { platform: 'slack', text: 'create pressed-before-kill', context },
    }, MAX_AGE_MS);
    expect(written).toBeDefined();

    const replies = await h.replies(responseUrl, 2);
    await h.front.whenIdle();
    const detail = replies.find((r) => r.body.response_type === 'ephemeral')!;
    const text = blocksText(detail.body.blocks as JsonObject[]);
    expect(text.split('\n').slice(0, 2)).toEqual(['✅ The bot restarted while handling /handle create pressed-before-kill; here is the answer:', expect.stringContaining('pressed-before-kill')]);
    // The answer replaces the ephemeral message the button sat in, as a live press's does.
    expect(detail.body.replace_original).toBe(true);
    expect(h.mail.requests.filter((r) => r.path === '/api/handle/create' && JSON.stringify(r.body).includes('pressed-before-kill'))).toHaveLength(1);
    expect(await h.runtime.store.intents.expired(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    expect(h.slack.responsesTo(responseUrl)).toHaveLength(2);
  });

  it('a press redelivered after it was written down runs once', async () => {
    h.mail.takeHandle('twice-pressed');
    const sent = await h.command('create twice-pressed');
    const [taken] = await h.replies(sent.responseUrl);
    const [button] = buttonsOf(taken!.body);
    const first = await h.press(button!, { actionTs: '1700000001.000001' });
    const again = await h.press(button!, { actionTs: '1700000001.000001' });
    expect([first.http?.status, again.http?.status]).toEqual([200, 200]);
    await h.replies(first.responseUrl, 2);
    await h.front.whenIdle();
    expect(h.slack.responsesTo(again.responseUrl)).toEqual([]);
    expect(h.logLines.some((l) => l.includes('slack redelivery ignored (already handled)'))).toBe(true);
  });
});
