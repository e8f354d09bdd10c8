/**
 * What every locale's catalogue shares and nothing in it is a word of any language: how a
 * command is written in a message, the shape of a form's words, and the shape of a command's
 * words (its description and its options' descriptions, shown in help and Discord's picker).
 */
import type { Command } from '../types.js';

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
