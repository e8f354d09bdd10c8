/**
 * Block Kit rendering: user- and service-supplied text can never format, mrkdwn is escaped
 * where it is still used, buttons carry their action and ask before irreversible steps, and
 * Slack's limits hold whatever the reply.
 */
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { decodeAction } from '../../src/core/action-codec.js';
import { catalogue } from '../../src/core/messages/index.js';

const messages = catalogue('en');
import type { Action, Reply } from '../../src/core/types.js';
import { validateHandle } from '../../src/domain/handle.js';
import { escapeMrkdwn, renderSlackReply as renderReply, SLACK_LIMITS, truncate } from '../../src/slack/render.js';
import type { JsonObject } from '../fakes/slack.js';
import { blocksText, buttonsOf, textElements } from './harness.js';

const SPECIALS = 'x*_~`|&';

/** The rendered message as loose JSON, the way Slack receives it. */
const renderSlackReply = (reply: Reply) => renderReply(reply) as unknown as { text: string; blocks: JsonObject[] };

/** Every text object anywhere in the blocks, with its type (plain_text / mrkdwn). */
function textObjects(value: unknown, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(value)) for (const v of value) textObjects(v, out);
  else if (value && typeof value === 'object') {
    const obj = value as JsonObject;
    if ((obj.type === 'plain_text' || obj.type === 'mrkdwn') && typeof obj.text === 'string') out.push(obj);
    for (const v of Object.values(obj)) textObjects(v, out);
  }
  return out;
}

function expectWithinLimits(rendered: { text: string; blocks: JsonObject[] }): void {
  expect(rendered.text.length).toBeGreaterThan(0);
  expect(rendered.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  expect(rendered.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  const ids = new Set<string>();
  for (const block of rendered.blocks) {
    if (block.type === 'actions') expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.elementsPerActionsBlock);
    if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  }
  for (const button of buttonsOf(rendered)) {
    expect(ids.has(button.action_id)).toBe(false);
    ids.add(button.action_id);
    expect(button.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
    expect(button.value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
    expect(button.action_id.length).toBeLessThanOrEqual(SLACK_LIMITS.actionId);
    if (button.confirm) {
      expect(button.confirm.title.text.length).toBeLessThanOrEqual(SLACK_LIMITS.confirmTitle);
      expect(button.confirm.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.confirmText);
      expect(button.confirm.confirm.text.length).toBeLessThanOrEqual(SLACK_LIMITS.confirmButton);
      expect(button.confirm.deny.text.length).toBeLessThanOrEqual(SLACK_LIMITS.confirmButton);
    }
  }
  for (const element of textElements(rendered.blocks)) expect(element.text.length).toBeLessThanOrEqual(SLACK_LIMITS.richTextElement);
}

describe('renderSlackReply', () => {
  it(`shows a valid handle full of mrkdwn specials (${SPECIALS}) literally, as code-styled rich text`, () => {
    expect(validateHandle(SPECIALS)).toMatchObject({ ok: true, handle: SPECIALS });
    const rendered = renderSlackReply(messages.claimedDetail(SPECIALS, 'owner@example.com', ['example.test']));

    const title = textElements([rendered.blocks[0]!]);
    expect(title).toContainEqual({ type: 'text', text: SPECIALS, style: { bold: true, code: true } });
    expect(textElements(rendered.blocks)).toContainEqual({ type: 'text', text: `${SPECIALS}@example.test`, style: { code: true } });
    expect(blocksText(rendered.blocks)).toContain(`You claimed ${SPECIALS}`);
    // No text object that Slack would parse as mrkdwn carries the handle.
    for (const object of textObjects(rendered.blocks)) {
      if (object.type === 'mrkdwn') expect(object.text).not.toContain(SPECIALS);
    }
    // The fallback is mrkdwn: & is escaped, and the backtick (which mrkdwn cannot escape, and
    // which would end the code span) is shown as a look-alike (issue 18 point 11).
    expect(rendered.text).toContain('`x*_~ˋ|&amp;`');
    expectWithinLimits(rendered);
  });

  it('escapes & < > in the plain text fallback, and only there does text pass through mrkdwn', () => {
    const reply: Reply = { visibility: 'private', tone: 'info', title: ['<!channel> & <@U1|x> ', { code: 'a<b>&c' }], body: [['Reason: <https://evil|click>']] };
    const rendered = renderSlackReply(reply);
    expect(rendered.text).toBe('&lt;!channel&gt; &amp; &lt;@U1|x&gt; `a&lt;b&gt;&amp;c`\nReason: &lt;https://evil|click&gt;');
    expect(escapeMrkdwn('&<>')).toBe('&amp;&lt;&gt;');
    // In rich text the same characters are plain characters.
    expect(textElements(rendered.blocks).map((e) => e.text)).toEqual(['<!channel> & <@U1|x> ', 'a<b>&c', 'Reason: <https://evil|click>']);
  });

  it('maps mentions, channels, times, links and bold to rich text elements', () => {
    const docs: { link: { url: string; label: string } } = { link: { url: 'https://example.test/x', label: 'the docs' } };
    const now: { bold: string } = { bold: 'now' };
    const reply: Reply = {
      visibility: 'channel',
      tone: 'success',
      title: [{ mention: 'slack:T1:U42' }, ' in ', { channel: 'C77' }],
      body: [['at ', { time: 1_700_000_000 }, ', see ', docs, ' ', now]],
    };
    const rendered = renderSlackReply(reply);
    const [title, body] = rendered.blocks;
    // A channel reply has no tone mark.
    expect(title).toEqual({
      type: 'rich_text',
      elements: [{ type: 'rich_text_section', elements: [
        { type: 'user', user_id: 'U42', style: { bold: true } },
        { type: 'text', text: ' in ', style: { bold: true } },
        { type: 'channel', channel_id: 'C77', style: { bold: true } },
      ] }],
    });
    expect(body?.elements[0].elements).toEqual([
      { type: 'text', text: 'at ' },
      { type: 'date', timestamp: 1_700_000_000, format: '{date_short_pretty} at {time}', fallback: '2023-11-14 22:13 UTC' },
      { type: 'text', text: ', see ' },
      { type: 'link', url: 'https://example.test/x', text: 'the docs' },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'now', style: { bold: true } },
    ]);
    expect(rendered.text).toBe('<@U42> in <#C77>\nat <!date^1700000000^{date_short_pretty} at {time}|2023-11-14 22:13 UTC>, see the docs (https://example.test/x) now');
  });

  it('dates are Slack’s own tokens (the reader’s time zone and language) with a readable fallback; relative ones say how soon', () => {
    const soon = renderSlackReply(messages.credentialsCooldownReply('me@example.com', '2023-11-14T22:14:05Z'));
    const dates = soon.blocks.filter((b) => b.type === 'rich_text')
      .flatMap((b) => (b.elements as JsonObject[]).flatMap((s) => s.elements as JsonObject[])).filter((e) => e.type === 'date');
    expect(dates).toEqual([{ type: 'date', timestamp: 1_700_000_045, format: '{ago}', fallback: '2023-11-14 22:14 UTC' }]);
    expect(soon.text).toContain('You can ask again <!date^1700000045^{ago}|2023-11-14 22:14 UTC>.');
    const pt = renderSlackReply(catalogue('pt-BR').keyStatusReply({ fingerprint: '…ab12', linkedAt: 1_700_000_000_000 }, 'ok'));
    expect(JSON.stringify(pt.blocks)).toContain('"format":"{date_short_pretty} às {time}"');
  });

  it('renders fields as label/value lines and the request id as a context line', () => {
    const rendered = renderSlackReply(messages.keyStatusReply({ fingerprint: '…ab12', linkedAt: 1_700_000_000_000 }, 'rejected'));
    expect(blocksText(rendered.blocks)).toContain('Key: …ab12');
    const withId = renderSlackReply(messages.internalErrorReply('hb-Abc_12-x'));
    expect(withId.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Request id: `hb-Abc_12-x`', verbatim: true }] });
    // An id that is not ours cannot inject mrkdwn.
    const odd = renderSlackReply({ ...messages.internalErrorReply('x'), requestId: '<@U1> *x*' });
    expect(odd.blocks.at(-1)?.elements[0]).toMatchObject({ type: 'plain_text', text: 'Request id: <@U1> *x*' });
  });

  it('turns actions into buttons whose value decodes back to the action, irreversible ones behind a confirm dialog', () => {
    const rendered = renderSlackReply(messages.takenReply(SPECIALS, ['alice2', 'alice.x'], false));
    const buttons = buttonsOf(rendered);
    expect(buttons).toHaveLength(2);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(2);
    expect(buttons.every((b) => b.action_id.startsWith('hb.'))).toBe(true);
    expect(decodeAction(buttons[0]!.value)).toEqual({ verb: ['create'], args: { name: 'alice2' } });
    expect(buttons[0]!.confirm).toEqual({
      title: { type: 'plain_text', text: 'Claim alice2', emoji: true },
      text: { type: 'plain_text', text: expect.stringContaining('Claim `alice2`?'), emoji: true },
      confirm: { type: 'plain_text', text: 'Claim alice2', emoji: true },
      deny: { type: 'plain_text', text: 'Cancel', emoji: true },
      style: 'primary',
    });
    const del = buttonsOf(renderSlackReply(messages.confirmDeleteReply('a'.repeat(64), true)))[0]!;
    expect(del.style).toBe('danger');
    expect(del.confirm.style).toBe('danger');
    // "Delete <64 characters>" does not fit a 30-character confirm button: a short word does.
    expect(del.confirm.confirm.text).toBe('Yes');
    expect(decodeAction(del.value)).toEqual({ verb: ['delete'], args: { name: 'a'.repeat(64), confirmed: 'yes' } });
    // A reversible action has no dialog.
    const link = buttonsOf(renderSlackReply(messages.noKeyLinkedReply()))[0]!;
    expect(link.confirm).toBeUndefined();
    expect(decodeAction(link.value)?.verb).toEqual(['key', 'set']);
  });

  it('respects Block Kit limits whatever the reply: long texts are cut, too many buttons are dropped', () => {
    const long = 'é'.repeat(5000);
    const actions: Action[] = Array.from({ length: 1300 }, (_, i) => ({
      verb: 'create', args: { name: `h${i}` }, label: `Claim ${'x'.repeat(100)}`, confirm: [long],
    }));
    const reply: Reply = { visibility: 'private', tone: 'info', title: [long], body: [[long], [{ code: long }]], actions };
    const rendered = renderSlackReply(reply);
    expectWithinLimits(rendered);
    expect(rendered.blocks).toHaveLength(SLACK_LIMITS.blocksPerMessage);
    expect(textElements(rendered.blocks).some((e) => e.text.endsWith('…'))).toBe(true);
  });

  it('cuts text without splitting an emoji', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('keeps every reply of the catalogue within limits', () => {
    const samples: Reply[] = [
      messages.helpReply(commands, true),
      messages.unknownCommandReply('frobnicate', commands, false),
      messages.claimedAnnouncement('slack:T1:U1', SPECIALS, ['a.test', 'b.test']),
      messages.takenReply('alice', ['alice1', 'alice2', 'alice3'], true),
      messages.keyNotAcceptedReply('hb-x'),
      messages.forgetConfirmReply(),
      messages.restartingReply(),
      messages.notifyChannelRefusedReply('C1', messages.channelPrivateFix('slack:T1:UBOT')),
    ];
    for (const reply of samples) expectWithinLimits(renderSlackReply(reply));
  });
});

describe('the text fallback and a handle with backticks (issue 18 point 11)', () => {
  it('keeps the code span whole: a backtick in a name cannot end it and let *bold* into notification previews', () => {
    const reply: Reply = { visibility: 'channel', tone: 'success', title: ['🎉 claimed ', { code: 'a`*b*`c' }] };
    const { text, blocks } = renderReply(reply);
    expect(text).toBe('🎉 claimed `aˋ*b*ˋc`');
    expect(text.match(/`/g)).toHaveLength(2);
    // The blocks (what Slack shows) keep the name exactly as it is.
    expect(JSON.stringify(blocks)).toContain('a`*b*`c');
  });
});
