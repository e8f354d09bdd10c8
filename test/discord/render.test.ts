/**
 * renderDiscordReply is pure: a Reply in, embeds/components/allowedMentions out. Everything a
 * user or the service supplied shows literally; Discord's limits are never exceeded.
 */
import { escapeMarkdown } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { actionButtonId, confirmButtonId, parseButtonId } from '../../src/discord/custom-ids.js';
import { escapeDiscord, inlineCode, renderText } from '../../src/discord/markdown.js';
import { LIMITS, renderConfirmation, renderDiscordReply, TONE_COLOURS } from '../../src/discord/render.js';
import { catalogue } from '../../src/core/messages/index.js';

const messages = catalogue('en');
import type { Reply } from '../../src/core/types.js';

const reply = (extra: Partial<Reply> = {}): Reply => ({ visibility: 'private', tone: 'info', title: ['Title'], ...extra });

describe('renderDiscordReply', () => {
  it('draws one embed with the tone colour, title, body, fields and the request id in the footer', () => {
    const out = renderDiscordReply(reply({
      tone: 'service_error',
      title: ['The mail service is busy'],
      body: [['First paragraph.'], ['Second one.']],
      fields: [{ label: 'Key', value: [{ code: '…ab12' }] }],
      requestId: 'hb-abc123',
    }));
    expect(out.embeds).toEqual([{
      color: TONE_COLOURS.service_error,
      title: 'The mail service is busy',
      description: 'First paragraph.\nSecond one.',
      fields: [{ name: 'Key', value: '`…ab12`', inline: true }],
      footer: { text: 'Request id: hb-abc123' },
    }]);
    expect(new Set(Object.values(TONE_COLOURS)).size).toBe(4);
  });

  it('shows a handle full of markdown specials literally, in inline code a backtick cannot break', () => {
    const out = renderDiscordReply(messages.claimedDetail('x*_~`|&', 'me@example.com', ['example.test']));
    expect(out.embeds[0]?.title).toBe('You claimed `` x*_~`|& ``');
    expect(out.embeds[0]?.description).toContain('`` x*_~`|&@example.test ``');
  });

  it('inline code: plain, double-backtick with padding, and escaped text for backtick runs', () => {
    expect(inlineCode('alice')).toBe('`alice`');
    expect(inlineCode('a`b')).toBe('`` a`b ``');
    expect(inlineCode('`edge`')).toBe('`` `edge` ``');
    expect(inlineCode('a``b*')).toBe('a\\`\\`b\\*');
  });

  it('escapes every literal string: markdown, block starts, mention and timestamp syntax', () => {
    expect(escapeDiscord('**bold** _it_ ~~s~~ ||spoiler|| `c` \\')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\`c\\` \\\\');
    expect(escapeDiscord('# heading')).toBe('\\# heading');
    expect(escapeDiscord('> quote')).toBe('\\> quote');
    expect(escapeDiscord('- item')).toBe('\\- item');
    expect(escapeDiscord('-# small')).toBe('\\-# small');
    expect(escapeDiscord('[x](https://evil.example)')).toBe('\\[x](https://evil.example)');
    expect(escapeDiscord('<@123> <t:1:R> @everyone')).toBe('\\<@123> \\<t:1:R> @everyone');
    // Adjacent literal strings are escaped as one: `~` + `~` is not a strikethrough.
    expect(renderText(['a~', '~b'])).toBe('a\\~\\~b');
  });

  it('gives the same text as the full escape whether or not a string takes the shortcut for plain sentences', () => {
    // The full escape, as escapeDiscord applied it to every string before its shortcut.
    const full = (text: string) => escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
      .replaceAll('<', '\\<').replace(/^(\s*)>/gm, '$1\\>').replace(/^(\s*)-#/gm, '$1\\-#');
    const samples = [
      'You claimed the handle', 'Você reivindicou o identificador', 'Try it again in 1 second.', 'a.b-c+d', 'plain, with: punctuation; (and) quotes "x" ’y’ …',
      '1. first', ' 12. indented', 'line\n2. second', '-dash start', ' - item', 'x - y', '> quote', 'a\n> quote', '  >x', '-# small', 'a -# b',
      '# h', 'a # b', '*', '_', '~', '~~', '|', '||', '\\', '`', '[a](b)', '[', '<t:1:R>', 'a<b', 'https://x.example/a_b*c', ':emoji_name:', '1.5 seconds',
      'tab\tthen', 'new\nline', '\n- after newline', 'ünïcödé ✅ ❌ ⚠️', '',
    ];
    for (const sample of samples) expect(escapeDiscord(sample), JSON.stringify(sample)).toBe(full(sample));
  });

  it('renders mentions, channels, times, links and bold natively', () => {
    expect(renderText([{ mention: 'discord:42' }, ' in ', { channel: '77' }, ' ', { time: 1700000000 }])).toBe('<@42> in <#77> <t:1700000000:f> (<t:1700000000:R>)');
    // Discord's timestamps: each reader sees the date in their own time zone and language; "in 45 seconds" alone when relative.
    expect(renderText(['again ', { time: 1700000045, relative: true }])).toBe('again <t:1700000045:R>');
    const link: { link: { url: string; label: string } } = { link: { url: 'https://example.test/a', label: 'the [docs]' } };
    const bold: { bold: string } = { bold: 'a*b' };
    expect(renderText([link])).toBe('[the \\[docs\\]](<https://example.test/a>)');
    expect(renderText([bold])).toBe('**a\\*b**');
    expect(renderText([{ mention: 'slack:T1:U2' }])).toBe('@U2');
  });

  it('a title with a mention, channel or timestamp leads the description in bold (embed titles do not render them)', () => {
    const out = renderDiscordReply(messages.claimedAnnouncement('discord:42', 'a*b', ['example.test']));
    expect(out.embeds[0]?.title).toBeUndefined();
    expect(out.embeds[0]?.description).toBe('**🎉 <@42> claimed `a*b`**\nMail to `a*b@example.test` now reaches them.');
    expect(renderDiscordReply(reply({ title: ['Plain ', { code: 'x' }] })).embeds[0]?.title).toBe('Plain `x`');
  });

  it('refers to admin commands as /handle-admin', () => {
    expect(renderText([{ code: '/handle admin notify off' }])).toBe('`/handle-admin notify-off`');
    expect(renderText([{ code: '/handle admin onboarding on' }])).toBe('`/handle-admin onboarding on`');
  });

  it('pings only the users it names: never @everyone, @here or roles', () => {
    const announcement = renderDiscordReply(messages.claimedAnnouncement('discord:1300000000000000001', 'alice', ['example.test']));
    expect(announcement.allowedMentions).toEqual({ parse: [], users: ['1300000000000000001'] });
    expect(renderDiscordReply(reply({ title: ['@everyone <@&1> hello'] })).allowedMentions).toEqual({ parse: [], users: [] });
  });

  it('cuts long texts at Discord limits without breaking a code span or an escape', () => {
    const long = 'x*'.repeat(3000);
    const out = renderDiscordReply(reply({
      title: [long],
      body: Array.from({ length: 60 }, (_, i): Reply['title'] => [`paragraph ${i} `, { code: 'y'.repeat(60) }, ' ', long.slice(0, 200)]),
      fields: Array.from({ length: 40 }, (_, i) => ({ label: `field ${i}`, value: [long] })),
    }));
    const embed = out.embeds[0]!;
    expect(embed.title!.length).toBeLessThanOrEqual(LIMITS.title);
    expect(embed.title!.endsWith('…')).toBe(true);
    expect(embed.title).not.toMatch(/(^|[^\\])\\…$/); // no dangling backslash before the ellipsis
    expect(embed.description!.length).toBeLessThanOrEqual(LIMITS.description);
    expect(embed.fields!.length).toBeLessThanOrEqual(LIMITS.fields);
    for (const field of embed.fields!) expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    const total = embed.title!.length + embed.description!.length + embed.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);
    // Every code span that was started is closed.
    expect((embed.description!.match(/(?<!\\)`/g) ?? []).length % 2).toBe(0);
  });

  it('draws actions as buttons: ≤ 5 per row, ≤ 5 rows, labels ≤ 80, ids ≤ 100 through the action codec', () => {
    const actions = Array.from({ length: 30 }, (_, i) => ({ verb: 'create', args: { name: `h${i}` }, label: `Claim ${'h'.repeat(100)}${i}` }));
    const out = renderDiscordReply(reply({ actions }));
    expect(out.components).toHaveLength(5);
    for (const row of out.components) {
      expect(row.components.length).toBeLessThanOrEqual(5);
      for (const b of row.components) {
        expect(b.label!.length).toBeLessThanOrEqual(80);
        expect(b.custom_id.length).toBeLessThanOrEqual(100);
      }
    }
    expect(parseButtonId(out.components[0]!.components[0]!.custom_id)).toEqual({ kind: 'action', step: 'run', verb: ['create'], args: { name: 'h0' } });
  });

  it('an irreversible action asks first; the confirmation carries Confirm (as the action) and Cancel', () => {
    const handle = 'a'.repeat(64);
    const [action] = messages.confirmDeleteReply(handle, true).actions!;
    const ask = actionButtonId(action!)!;
    expect(ask.length).toBeLessThanOrEqual(100);
    expect(parseButtonId(ask)).toEqual({ kind: 'action', step: 'ask', verb: ['delete'], args: { name: handle, confirmed: 'yes' } });
    const confirmation = renderConfirmation(action!, action!.confirm);
    const [confirm, cancel] = confirmation.components[0]!.components;
    expect(confirm).toMatchObject({ custom_id: confirmButtonId(action!), style: 4 });
    expect(parseButtonId(confirm!.custom_id)).toMatchObject({ step: 'confirmed', args: { name: handle, confirmed: 'yes' } });
    expect(parseButtonId(cancel!.custom_id)).toEqual({ kind: 'cancel' });
    expect(confirmation.embeds[0]?.description).toContain(`Delete \`${handle}\` for good?`);
    expect(parseButtonId('something-else')).toEqual({ kind: 'unknown' });
  });

  it('every action the catalogue offers fits in a custom_id with its step marker', () => {
    const handle = 'z'.repeat(64);
    const all = [
      ...messages.takenReply(handle, [handle], false).actions!,
      ...messages.confirmDeleteReply(handle, true).actions!,
      ...messages.forgetConfirmReply().actions!,
      messages.linkKeyAction,
    ];
    for (const action of all) {
      expect(actionButtonId(action), action.verb).toBeDefined();
      expect(confirmButtonId(action), action.verb).toBeDefined();
    }
  });

  it('a very long invalid handle: the title shows its start, shortened inside its code span, not just “…”', () => {
    const handle = 'q'.repeat(400);
    const embed = renderDiscordReply(catalogue('en').invalidHandleReply({ handle, problem: { code: 'too_long', length: 400 } })).embeds[0]!;
    expect(embed.title!.length).toBeLessThanOrEqual(LIMITS.title);
    expect(embed.title).toMatch(/^`q{200,}…`…$/);
    // Alone in its text, a long code span ends inside its backticks with no extra ellipsis.
    expect(renderText([{ code: 'z'.repeat(50) }], 20)).toBe(`\`${'z'.repeat(17)}…\``);
    expect(renderText([{ code: 'z'.repeat(50) }], 20).length).toBe(20);
  });
});
