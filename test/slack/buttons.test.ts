/**
 * Buttons: a press is a new invocation by whoever pressed it (guards run again for them);
 * irreversible ones were behind Slack's confirmation dialog; the answer replaces the
 * ephemeral message the button sat in, and a claim is still announced in the channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../fakes/slack.js';
import { blocksText, buttonsOf, startSlackHarness, type SlackHarness } from './harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
  await h.linkKey('UALICE');
});
afterAll(async () => {
  await h.close();
});

async function firstReply(text: string, user = 'UALICE'): Promise<JsonObject> {
  const sent = await h.command(text, { user });
  const [reply] = await h.replies(sent.responseUrl, 1);
  await h.front.whenIdle();
  return reply!.body;
}

async function pressAndCollect(button: JsonObject, user = 'UALICE'): Promise<JsonObject[]> {
  const press = await h.press(button, { user });
  expect(press.http?.status).toBe(200);
  expect(press.http?.text).toBe('');
  await h.front.whenIdle();
  return h.slack.responsesTo(press.responseUrl).map((r) => r.body);
}

describe('buttons', () => {
  it('claiming a suggested alternative: confirmed in a dialog, announced in the channel, the suggestion message replaced', async () => {
    h.mail.takeHandle('taken-name');
    const taken = await firstReply('create taken-name');
    const [button] = buttonsOf(taken);
    expect(button?.confirm?.text.text).toContain('is yours for good');

    const [announcement, detail] = await pressAndCollect(button!);
    expect(announcement).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(detail).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    const claimed = /You claimed (\S+)/.exec(blocksText(detail!.blocks))?.[1];
    expect(claimed).toBeDefined();
    expect(h.mail.handleState(claimed!)).toMatchObject({ active: true });
  });

  it('delete runs only from its confirmed button', async () => {
    await firstReply('create doomed');
    const ask = await firstReply('delete doomed');
    expect(h.mail.handleState('doomed')).toMatchObject({ active: true });
    const [reply] = await pressAndCollect(buttonsOf(ask)[0]!);
    expect(blocksText(reply!.blocks)).toContain('Deleted doomed');
    expect(h.mail.handleState('doomed')).toMatchObject({ active: false });
  });

  it('a press is judged for whoever pressed: someone without a key is asked to link one', async () => {
    await firstReply('create alices-own');
    const ask = await firstReply('delete alices-own');
    const [reply] = await pressAndCollect(buttonsOf(ask)[0]!, 'UBOB');
    expect(blocksText(reply!.blocks)).toContain('You have not linked an API key yet');
    expect(h.mail.handleState('alices-own')).toMatchObject({ active: true });
  });

  it('forget removes the key and history after the confirmed press', async () => {
    await h.linkKey('UBOB');
    const ask = await firstReply('forget', 'UBOB');
    const [reply] = await pressAndCollect(buttonsOf(ask)[0]!, 'UBOB');
    expect(blocksText(reply!.blocks)).toContain('the bot has forgotten you');
    expect((await h.runtime.store.getKey(h.identity('UBOB'))).status).toBe('none');
  });

  it('a button the bot cannot decode (an older version’s) answers the help', async () => {
    const [reply] = await pressAndCollect({ action_id: 'hb.0.old', value: 'v0:something' });
    expect(blocksText(reply!.blocks)).toContain('/handle create <name>');
  });
});
