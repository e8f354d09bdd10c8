/**
 * Each person in their own language on Slack: users.info (include_locale) says a person's
 * language, asked once and cached with their other details; private replies, forms and App
 * Home follow it, while what the channel reads (the claim's announcement, admin notices) is in
 * the workspace's language — English, unless an admin sets `/handle admin language`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, SlackResponseUrlPost } from '../fakes/slack.js';
import { blocksText, buttonsOf, GENERAL, startSlackHarness, type SlackHarness } from './harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    users: [{ id: 'UBRUNA', name: 'bruna', real_name: 'Bruna Souza', display_name: 'bruna', locale: 'pt-BR' }],
    env: { NOTIFY_COALESCE_SECONDS: '0' },
  });
});
afterAll(async () => {
  await h.close();
});

async function run(text: string, user: string): Promise<SlackResponseUrlPost[]> {
  const sent = await h.command(text, { user, channel: GENERAL });
  expect((await h.front.whenIdle()).left).toBe(0);
  return h.slack.responsesTo(sent.responseUrl);
}
const text = (post: SlackResponseUrlPost | undefined) => blocksText(post?.body.blocks);
const dates = (blocks: JsonObject[]) => blocks.filter((b) => b.type === 'rich_text')
  .flatMap((b) => (b.elements as JsonObject[]).flatMap((s) => s.elements as JsonObject[])).filter((e) => e.type === 'date');

describe('a Portuguese-speaking member and an English-speaking colleague in one channel', () => {
  it('she reads her private replies in Portuguese, the channel its announcement in the workspace’s English, he reads English', async () => {
    await h.linkKey('UBRUNA', undefined, 'bruna@private.example');
    await h.linkKey('UBOB', undefined, 'bob@private.example');
    const [announcement, detail] = await run('create bruna', 'UBRUNA');
    expect(announcement?.body.response_type).toBe('in_channel');
    expect(text(announcement)).toMatch(/^🎉 @UBRUNA claimed bruna\nMail to bruna@example\.test and bruna@example2\.test now reaches them\./);
    expect(detail?.body.response_type).toBe('ephemeral');
    expect(text(detail)).toMatch(/^✅ Você registrou bruna\nOs e-mails para bruna@example\.test e bruna@example2\.test são encaminhados para bruna@private\.example\./);

    const [list] = await run('list', 'UBRUNA');
    expect(text(list)).toMatch(/^Seus handles\n• bruna — registrado, /);
    // The date is Slack's own, formatted in her time zone and language.
    expect(dates(list!.body.blocks)).toEqual([expect.objectContaining({ type: 'date', format: '{date_short_pretty} às {time}' })]);

    const [his] = await run('list', 'UBOB');
    expect(text(his)).toMatch(/^You have no handles yet/);
    const [help] = await run('help', 'UBOB');
    expect(text(help)).toMatch(/^Claim an e-mail handle with your own API key/);
  });

  it('asks Slack who she is once: later commands use the cached language', async () => {
    const asked = () => h.slack.callsTo('users.info').filter((c) => c.body.user === 'UBRUNA');
    const before = asked().length;
    expect(before).toBe(1);
    expect(text((await run('domains', 'UBRUNA'))[0])).toMatch(/^O serviço de e-mail administra 2 domínios/);
    expect(asked()).toHaveLength(before);
  });

  it('her delete question and its dialog are Portuguese; an unknown command is explained in Portuguese', async () => {
    const [question] = await run('delete bruna', 'UBRUNA');
    expect(text(question)).toMatch(/^Excluir bruna\?\nOs e-mails para ele deixarão de ser encaminhados/);
    const [button] = buttonsOf(question!.body);
    expect(button).toMatchObject({ text: { text: 'Excluir bruna' }, confirm: { deny: { text: 'Cancelar' }, text: { text: 'Excluir `bruna` de vez? Não dá para desfazer.' } } });
    expect(text((await run('frobnicate', 'UBRUNA'))[0])).toMatch(/^⚠️ Não conheço o comando frobnicate\. Veja o que eu sei fazer:/);
  });

  it('her key form is Portuguese, and refuses a malformed key in Portuguese', async () => {
    const before = h.slack.callsTo('views.open').length;
    await h.command('key set', { user: 'UBRUNA' });
    const open = await h.slack.waitForCall('views.open', (c) => h.slack.callsTo('views.open').indexOf(c) >= before);
    expect(open.body.view).toMatchObject({ title: { text: 'Vincular chave de API' }, submit: { text: 'Vincular chave' }, close: { text: 'Cancelar' } });
    const { http } = await h.submitKey('curta', { user: 'UBRUNA' });
    expect(Object.values(http?.json?.errors ?? {})).toEqual(['Isso não parece uma chave de API: ela tem 5 caracteres, e uma chave de API tem exatamente 64. As chaves têm 64 caracteres de 0–9 e a–f.']);
  });

  it('her App Home is Portuguese', async () => {
    const home = await h.openHome('UBRUNA');
    expect(blocksText(home.blocks)).toMatch(/Sua chave de API[\s\S]*Vinculada: a chave terminada em …[0-9a-f]{4}, desde /);
    expect(home.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Seus handles de e-mail' } });
  });
});

describe('the workspace’s language for what the channel reads', () => {
  it('after `admin language pt-BR`, announcements and admin notices are Portuguese; private replies stay each person’s', async () => {
    const [set] = await run('admin language pt-BR', 'UADMIN');
    expect(text(set)).toMatch(/^✅ The bot’s posts here are now in Brazilian Portuguese\n/);
    expect(text((await run('admin notify <#C0GENERAL|general>', 'UADMIN'))[0])).toMatch(/Admin notifications now go to/);
    const posted = h.postsTo(GENERAL).length;

    const [announcement, detail] = await run('create bob.pt', 'UBOB');
    expect(text(announcement)).toMatch(/^🎉 @UBOB registrou bob\.pt\nAgora os e-mails para bob\.pt@example\.test e bob\.pt@example2\.test chegam à caixa de entrada de quem registrou\./);
    expect(text(detail)).toMatch(/^✅ You claimed bob\.pt/);
    await h.slack.waitFor(() => h.postsTo(GENERAL).length > posted);
    expect(blocksText(h.postsTo(GENERAL)[posted]!.body.blocks)).toBe('🆕 @UBOB registrou bob.pt');

    await run('admin language auto', 'UADMIN');
    const [back] = await run('create bob.en', 'UBOB');
    expect(text(back)).toMatch(/^🎉 @UBOB claimed bob\.en/);
  });
});
