/**
 * Every message of every locale, drawn by each front door: Slack (Block Kit, modals, App Home),
 * Discord (embeds, buttons, the confirmation step, modals, the command picker) and the console.
 * Each platform's limits hold without cutting a word — Portuguese runs longer than English, so
 * a text that only fits when truncated fails here and names the message.
 */
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { renderConsoleReply } from '../../src/console/render.js';
import { formInputs } from '../../src/core/interactions.js';
import { catalogue, commandWords, DISCORD_LOCALES, LOCALES, type Locale } from '../../src/core/messages/index.js';
import { plainText, type Text } from '../../src/core/text.js';
import type { Reply } from '../../src/core/types.js';
import { buildDiscordCommands } from '../../src/discord/command-definitions.js';
import { formModal as discordModal } from '../../src/discord/forms.js';
import { renderText } from '../../src/discord/markdown.js';
import { LIMITS, renderConfirmation, renderDiscordReply } from '../../src/discord/render.js';
import { formModal as slackModal, formResultModal, formWorkingModal } from '../../src/slack/forms.js';
import { homeView } from '../../src/slack/home.js';
import { renderSlackReply, SLACK_LIMITS } from '../../src/slack/render.js';
import type { JsonObject } from '../fakes/slack.js';
import { AT, everyReply, HANDLE } from './locale-samples.js';

/** Every string in a rendered structure, with where it sits (`blocks[2].elements[0].text`). */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

const Discord100 = 100;
const SLACK_MODAL_TEXT = 24;
const DISCORD_MODAL_TEXT = 45;

describe.each(LOCALES)('every %s message, drawn by each front door', (locale: Locale) => {
  const m = catalogue(locale);
  const replies = everyReply(m);

  it('Slack: within Block Kit’s limits, nothing cut, buttons and their dialogs whole', () => {
    for (const [key, reply] of replies) {
      const rendered = renderSlackReply(reply);
      expect(rendered.blocks.length, key).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      expect(rendered.text.length, key).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
      // Slack's renderer cuts only what is over a limit: every piece of words is under it.
      for (const text of [reply.title, ...(reply.body ?? []), ...(reply.fields ?? []).map((f) => f.value)]) {
        for (const segment of text) if (typeof segment === 'string') expect(segment.length, key).toBeLessThanOrEqual(SLACK_LIMITS.richTextElement);
      }
      for (const action of reply.actions ?? []) {
        expect(action.label.length, `${key}: button "${action.label}"`).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
        if (action.confirm) expect(plainText(action.confirm).length, `${key}: the dialog of "${action.label}"`).toBeLessThanOrEqual(SLACK_LIMITS.confirmText);
      }
    }
    expect(m.slackText.confirm.length).toBeLessThanOrEqual(SLACK_LIMITS.confirmButton);
    expect(m.slackText.deny.length).toBeLessThanOrEqual(SLACK_LIMITS.confirmButton);
  });

  it('Slack: every form (modal) fits — title and buttons in 24 characters — and App Home fits', () => {
    for (const command of commands.filter((c) => c.form)) {
      const inputs = formInputs(command);
      const meta = { attempt: 0, locale };
      const views = [
        slackModal(command, inputs, meta, m.slackKeyTypedNotice()),
        formWorkingModal(command, meta, { name: HANDLE }),
        formResultModal(command, inputs, [m.internalErrorReply('hb-x')], meta),
      ];
      for (const view of views) {
        for (const part of [view.title, view.submit, view.close]) {
          if (part) expect(part.text.length, `${command.form ?? ''}: "${part.text}"`).toBeLessThanOrEqual(SLACK_MODAL_TEXT);
        }
      }
      const form = m.forms[command.form!];
      expect(form.title.length).toBeLessThanOrEqual(SLACK_LIMITS.modalTitle);
      expect(form.submit.length).toBeLessThanOrEqual(SLACK_LIMITS.modalButton);
      expect(form.intro.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
      expect(form.working({ name: HANDLE }).length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      for (const field of Object.values(form.fields)) {
        expect((field.hint ?? '').length).toBeLessThanOrEqual(2000);
        expect((field.placeholder ?? '').length).toBeLessThanOrEqual(150);
      }
    }
    for (const button of Object.values(m.formButtons)) expect(button.length, button).toBeLessThanOrEqual(SLACK_LIMITS.modalButton);
    const home = homeView({
      key: { status: 'linked', record: { fingerprint: '…ab12', linkedAt: AT * 1000, verifyResult: 'rejected' } },
      history: Array.from({ length: 10 }, (_, i) => ({ handle: `${HANDLE}${i}`, status: 'unconfirmed' as const, at: AT * 1000 })),
      notice: [m.storageUnavailableReply('hb-x')],
    }, m);
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    expect(m.slackHomeText.title.length).toBeLessThanOrEqual(150);
    for (const text of Object.values(m.slackHomeText)) expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    for (const action of Object.values(m.homeActions)) expect(action.label.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
  });

  it('Discord: within the embed and component limits, nothing cut; the confirmation step fits', () => {
    const whole = (text: Text, limit: number, key: string) => {
      expect(renderText(text, limit), `${key} was cut at ${limit}`).toBe(renderText(text));
    };
    for (const [key, reply] of replies) {
      const { embeds, components } = renderDiscordReply(reply);
      const [embed] = embeds;
      const size = (embed?.title?.length ?? 0) + (embed?.description?.length ?? 0) + (embed?.footer?.text.length ?? 0)
        + (embed?.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
      expect(size, key).toBeLessThanOrEqual(LIMITS.embedTotal);
      whole(reply.title, LIMITS.title, `${key} title`);
      for (const [i, line] of (reply.body ?? []).entries()) whole(line, LIMITS.description, `${key} body[${i}]`);
      for (const field of reply.fields ?? []) whole(field.value, LIMITS.fieldValue, `${key} field ${field.label}`);
      for (const row of components) for (const button of row.components) expect(button.label?.endsWith('…'), `${key}: button "${button.label ?? ''}"`).toBe(false);
      for (const action of reply.actions ?? []) {
        const step = renderConfirmation(action, action.confirm, locale);
        for (const row of step.components) for (const button of row.components) expect((button.label ?? '').length).toBeLessThanOrEqual(LIMITS.buttonLabel);
      }
    }
  });

  it('Discord: every form (modal) fits — title and labels in 45 characters, hints in 100 — without cutting a word', () => {
    for (const command of commands.filter((c) => c.form)) {
      const form = m.forms[command.form!];
      const modal = discordModal(command, formInputs(command), undefined, locale);
      expect(modal.title, 'the title was cut').toBe(form.title);
      expect(form.title.length).toBeLessThanOrEqual(DISCORD_MODAL_TEXT);
      for (const [name, field] of Object.entries(form.fields)) {
        expect(field.label.length, `${command.form ?? ''}.${name} label`).toBeLessThanOrEqual(DISCORD_MODAL_TEXT);
        expect((field.hintShort ?? field.hint ?? '').length, `${command.form ?? ''}.${name} hint`).toBeLessThanOrEqual(Discord100);
        expect((field.placeholder ?? '').length).toBeLessThanOrEqual(Discord100);
      }
    }
  });
});

describe('the Discord command picker', () => {
  const definitions = buildDiscordCommands(commands);
  const described = strings(definitions).filter(([path]) => path.endsWith('description') || path.includes('description_localizations'));

  it('carries a description of at most 100 characters for every command, group and option, in every locale, none cut', () => {
    for (const [path, text] of described) expect(text.length, path).toBeLessThanOrEqual(Discord100);
    // The registration cuts only what is longer: every source text fits as written.
    for (const locale of LOCALES) {
      const m = catalogue(locale);
      for (const text of Object.values(m.discordCommandText)) expect(text.length, `${locale}: "${text}"`).toBeLessThanOrEqual(Discord100);
      for (const command of commands) {
        const words = commandWords(m.commands, command);
        expect(words.description.length, `${locale}: ${command.verb.join(' ')}`).toBeLessThanOrEqual(Discord100);
        for (const option of command.options) expect(words.option(option.name).length, `${locale}: ${command.verb.join(' ')} ${option.name}`).toBeLessThanOrEqual(Discord100);
      }
    }
  });

  it('gives each description its translation for every Discord locale the catalogue speaks (names stay English)', () => {
    for (const locale of LOCALES) {
      for (const discordLocale of DISCORD_LOCALES[locale]) {
        const handle = definitions.find((d) => d.name === 'handle') as JsonObject;
        expect(handle.description_localizations[discordLocale]).toBe(catalogue(locale).discordCommandText.handle);
        const create = (handle.options as JsonObject[]).find((o) => o.name === 'create')!;
        const words = commandWords(catalogue(locale).commands, commands.find((c) => c.verb[0] === 'create')!);
        expect(create.description_localizations[discordLocale]).toBe(words.description);
        expect(create.options[0]).toMatchObject({ name: 'name', description_localizations: { [discordLocale]: words.option('name') } });
      }
    }
    expect(strings(definitions).filter(([path]) => path.endsWith('.name') || path === 'name').map(([, name]) => name))
      .not.toContain('nome');
  });
});

describe('the console', () => {
  it('draws every pt-BR message with [private]/[channel] lines, Portuguese words around it, and no ISO date', () => {
    for (const [key, reply] of everyReply(catalogue('pt-BR'))) {
      const lines = renderConsoleReply(reply, 1, (AT + 90) * 1000);
      for (const line of lines) expect(line, key).toMatch(/^\[(private|channel)\] /);
      expect(lines.join('\n'), key).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
      if ((reply.actions ?? []).length > 0) expect(lines.join('\n'), key).toMatch(/\(digite 1/);
      if (reply.requestId) expect(lines.join('\n'), key).toContain('ID da solicitação: ');
    }
  });

  it('English replies keep English words around them', () => {
    const [[, reply]] = everyReply(catalogue('en')).filter(([, r]) => (r.actions ?? []).length > 0 && r.requestId) as [[string, Reply]];
    expect(renderConsoleReply(reply, 1).join('\n')).toMatch(/\(type 1[\s\S]*request id: /);
  });
});
