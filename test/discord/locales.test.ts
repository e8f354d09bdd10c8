/**
 * Each person in their own language on Discord: the interaction's `locale` (their client's)
 * chooses the private replies, the server's language (guild_locale, or the admin setting) the
 * channel's announcement and the admin notices. Names of commands and options stay English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { option } from '../fakes/discord.js';
import { ALICE, buttonIds, embedText, type Harness, MOD, NOTIFY, startHarness, MODES } from './harness.js';

describe.each(MODES)('%s mode', (mode) => {

  const PT = { locale: 'pt-BR' } as const;
  const EN = { locale: 'en-US' } as const;

  describe('a server in English (guild_locale en-US), a member whose Discord is in Portuguese', () => {
    let h: Harness;
    beforeAll(async () => { h = await startHarness({ mode, env: { NOTIFY_COALESCE_SECONDS: '0' } }); });
    afterAll(async () => { await h.close(); });

    it('answers her privately in Portuguese while the channel reads English; a colleague in English gets English', async () => {
      await h.linkKey(ALICE, 'alice@owner.example');
      const claim = h.run('create', { name: 'ana.pt' }, ALICE, PT);
      expect(embedText(await claim.original())).toMatch(/^Você registrou `ana\.pt`\nOs e-mails para `ana\.pt@example\.test` e `ana\.pt@example2\.test` são encaminhados para `alice@owner\.example`\./);
      // The announcement is the server's, in the server's language.
      expect(embedText(await claim.followUp())).toBe(`**🎉 <@${ALICE}> claimed \`ana.pt\`**\nMail to \`ana.pt@example.test\` and \`ana.pt@example2.test\` now reaches them.`);

      const help = await h.run('help', {}, ALICE, PT).original();
      expect(embedText(help)).toMatch(/^Registre um handle de e-mail com a sua própria chave de API\n/);
      expect(embedText(help)).toContain('`/handle create <nome>` — Registre um handle de e-mail com a sua chave vinculada');

      // Dates are Discord's own: each reader's client formats them.
      const list = await h.run('list', {}, ALICE, PT).original();
      expect(embedText(list)).toMatch(/^Seus handles\n• `ana\.pt` — registrado, <t:(\d+):f> \(<t:\1:R>\)/);

      await h.linkKey(MOD, 'mod@owner.example');
      const colleague = await h.run('list', {}, MOD, EN).original();
      expect(embedText(colleague)).toMatch(/^You have no handles yet/);
    });

    it('asks before deleting in Portuguese — the question, the confirmation step and its buttons — and names stay English', async () => {
      const asked = await h.run('delete', { name: 'ana.pt' }, ALICE, PT).original();
      expect(embedText(asked)).toMatch(/^Excluir `ana\.pt`\?\nOs e-mails para ele deixarão de ser encaminhados/);
      expect(asked.body.components[0].components[0].label).toBe('Excluir ana.pt');
      const [askId] = buttonIds(asked);
      const step = await h.press(askId!, ALICE, { ...PT, message: h.carrying(asked.body) }).callback();
      expect(embedText(step.data)).toMatch(/^Confirme, por favor\nExcluir `ana\.pt` de vez\? Não dá para desfazer\./);
      expect(step.data.components[0].components.map((b: { label: string }) => b.label)).toEqual(['Excluir ana.pt', 'Cancelar']);
    });

    it('opens the key form in Portuguese for her, in English for him', async () => {
      const pt = await h.run('set', {}, ALICE, { ...PT, group: 'key' }).callback();
      expect(pt).toMatchObject({ type: 9, data: { title: 'Vincular chave de API' } });
      expect(JSON.stringify(pt.data.components)).toContain('"label":"Chave de API"');
      const en = await h.run('set', {}, MOD, { ...EN, group: 'key' }).callback();
      expect(en).toMatchObject({ type: 9, data: { title: 'Link your API key' } });
    });
  });

  describe('a server in Brazilian Portuguese (guild_locale pt-BR), and the admin setting', () => {
    let h: Harness;
    beforeAll(async () => { h = await startHarness({ mode, guildLocale: 'pt-BR', env: { NOTIFY_COALESCE_SECONDS: '0' } }); });
    afterAll(async () => { await h.close(); });
    const admin = (subcommand: string, options: Parameters<Harness['run']>[1], where: { locale: string } = EN) => h.run(subcommand, options, MOD, { ...where, command: 'handle-admin' });

    it('announces and notifies admins in the server’s language while a member in English reads English privately', async () => {
      expect(embedText(await admin('notify', { channel: option.channel(NOTIFY) }).original())).toMatch(/^\*\*Admin notifications now go to/);
      await h.linkKey(ALICE, 'alice@owner.example');
      const before = h.posts(NOTIFY).length;
      const claim = h.run('create', { name: 'bia' }, ALICE, EN);
      expect(embedText(await claim.original())).toMatch(/^You claimed `bia`/);
      expect(embedText(await claim.followUp())).toBe(`**🎉 <@${ALICE}> registrou \`bia\`**\nAgora os e-mails para \`bia@example.test\` e \`bia@example2.test\` chegam à caixa de entrada de quem registrou.`);
      const [notice] = (await h.waitForPosts(NOTIFY, before + 1)).slice(before);
      expect(embedText(notice!.body)).toBe(`**🆕 <@${ALICE}> registrou \`bia\`**`);
    });

    it('an admin can pin the server’s posts to English; everyone still reads their private replies in their own language', async () => {
      const set = await admin('language', { language: 'en' }, PT).original();
      expect(embedText(set)).toMatch(/^As publicações do bot aqui agora são em inglês\n/);
      expect(embedText(set)).toContain('Idioma: inglês');
      const before = h.posts(NOTIFY).length;
      const claim = h.run('create', { name: 'bia.two' }, ALICE, PT);
      expect(embedText(await claim.original())).toMatch(/^Você registrou `bia\.two`/);
      expect(embedText(await claim.followUp())).toMatch(new RegExp(`^\\*\\*🎉 <@${ALICE}> claimed \`bia\\.two\`\\*\\*`));
      const [notice] = (await h.waitForPosts(NOTIFY, before + 1)).slice(before);
      expect(embedText(notice!.body)).toBe(`**🆕 <@${ALICE}> claimed \`bia.two\`**`);
      await admin('language', { language: 'auto' }).original();
      expect((await h.runtime.store.getSettings('discord:1200000000000000001')).language).toBeUndefined();
    });
  });
});
