/**
 * What every locale's catalogue shares and nothing in it is a word of any language: how a
 * command is written in a message, the shape of a form's words, and the shape of a command's
 * words (its description and its options' descriptions, shown in help and Discord's picker).
 */
import type { CommonFailure } from '../../mail-api/outcomes.js';
import type { Command, Reply, Text } from '../types.js';
import type { Locale } from './locales.js';

/** The Discord permissions an admin channel needs (each locale names them as Discord's settings do). */
export const DISCORD_PERMISSIONS = ['ViewChannel', 'SendMessages', 'EmbedLinks'] as const;
export type DiscordPermission = (typeof DISCORD_PERMISSIONS)[number];

/** How a command is referred to in a message (the console accepts the `/handle` prefix too). */
export function cmd(verbAndArgs: string): { code: string } {
  return { code: `/handle ${verbAndArgs}` };
}

export type FieldText = { label: string; hint?: string; hintShort?: string; placeholder?: string };

/** Forms by id, each a FormText (keeps the ids as a type: `FormId`). */
export function formsById<Id extends string>(forms: Record<Id, FormText>): Record<Id, FormText> {
  return forms;
}

export type FormText = {
  title: string;
  submit: string;
  /** Under the inputs: why this is safe, or what happens next. */
  intro: string;
  /** Shown at once while the service is asked; `values` are the checked inputs. */
  working(values: Readonly<Record<string, string>>): string;
  fields: Readonly<Record<string, FieldText>>;
};

/**
 * A command's words in one locale. English lives in the command's own definition
 * (`commands/<verb>.ts`: description, usage, each option's description); another locale
 * translates them in its `commands.ts`, keyed by the verb as typed (`'key set'`). The
 * locale-completeness test names every command or option a locale lacks.
 */
export type CommandWords = {
  description: string;
  /** The usage with its placeholders translated (`create <nome>`); the verb itself stays as typed. */
  usage?: string;
  options?: Readonly<Record<string, string>>;
};

export type CommandTranslations = Readonly<Record<string, CommandWords>>;

/** A command's description, usage and option descriptions in a locale (English from the definition when the locale has none). */
export function commandWords(translations: CommandTranslations, command: Command): { description: string; usage: string; option(name: string): string } {
  const words = translations[command.verb.join(' ')];
  return {
    description: words?.description ?? command.description,
    usage: words?.usage ?? command.usage,
    option: (name) => words?.options?.[name] ?? command.options.find((o) => o.name === name)?.description ?? name,
  };
}

/**
 * A locale's reply builders: every reply records the locale it is written in (so that a front
 * door's own words around it match), and lists read "a, b and c" with the locale's "and" and
 * "and N more".
 */
export function replyBuilders(locale: Locale, list: { and: string; more: (hidden: number) => string }) {
  function listOf<T>(items: readonly T[], render: (item: T) => Text): Text {
    const out: Text = [];
    items.forEach((item, i) => {
      if (i > 0) out.push(i === items.length - 1 ? list.and : ', ');
      out.push(...render(item));
    });
    return out;
  }
  return {
    privateReply: (tone: Reply['tone'], title: Text, rest: Omit<Reply, 'visibility' | 'tone' | 'title' | 'locale'> = {}): Reply =>
      ({ visibility: 'private', tone, title, ...rest, locale }),
    /** What the channel sees (a claim's announcement, an admin notice). */
    channelReply: (tone: Reply['tone'], title: Text, body: Text[] = []): Reply => ({ visibility: 'channel', tone, title, body, locale }),
    listOf,
    /** The whole list, or the first items and how many more of `total` there are. */
    listWithMore: <T>(shown: readonly T[], total: number, render: (item: T) => Text): Text => {
      const hidden = total - shown.length;
      if (hidden <= 0) return listOf(shown, render);
      const out: Text = [];
      shown.forEach((item, i) => {
        if (i > 0) out.push(', ');
        out.push(...render(item));
      });
      out.push(list.more(hidden));
      return out;
    },
  };
}

/** Which of a locale's failure replies explains a failure; `doing` completes "…while <doing>". */
export function explainFailureWith(replies: {
  keyRejectedReply(requestId?: string): Reply;
  bannedReply(outcome: Extract<CommonFailure, { kind: 'banned' }>): Reply;
  rateLimitedReply(outcome: Extract<CommonFailure, { kind: 'rate_limited' }>): Reply;
  serviceFaultReply(outcome: Exclude<CommonFailure, { kind: 'key_missing' | 'key_malformed' | 'key_rejected' | 'banned' | 'rate_limited' }>, doing: Text): Reply;
}) {
  return (outcome: CommonFailure, doing: Text): Reply => {
    switch (outcome.kind) {
      case 'key_missing':
      case 'key_malformed':
      case 'key_rejected':
        return replies.keyRejectedReply(outcome.requestId);
      case 'banned':
        return replies.bannedReply(outcome);
      case 'rate_limited':
        return replies.rateLimitedReply(outcome);
      default:
        return replies.serviceFaultReply(outcome, doing);
    }
  };
}
