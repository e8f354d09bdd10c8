/**
 * The locales the bot speaks, and how a language tag from a platform (Discord's `pt-BR`, Slack's
 * `pt-BR`, a console's `LANG=pt_BR.UTF-8`) picks one. Every locale is a catalogue with the same
 * ids and placeholders as English (`Catalogue` is the English catalogue's type, so a missing or
 * misshapen message does not type-check, and the locale-completeness test names it).
 *
 * Adding a locale: copy `en/` to a folder named after it, translate, and register it here —
 * its id in LOCALES, the language subtags that choose it, the Discord locales whose command
 * descriptions it fills, and its catalogue in CATALOGUES.
 */
import { en } from './en/index.js';
import { ptBR } from './pt-BR/index.js';

export const LOCALES = ['en', 'pt-BR'] as const;
export type Locale = (typeof LOCALES)[number];

/** What the bot speaks when nothing says otherwise (and the language of the Slack manifest). */
export const DEFAULT_LOCALE: Locale = 'en';

export type Catalogue = typeof en;

const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, 'pt-BR': ptBR };

/** The primary language subtags each locale answers for; any other language gets DEFAULT_LOCALE. */
const LANGUAGES: Readonly<Record<Locale, readonly string[]>> = { en: ['en'], 'pt-BR': ['pt'] };

/** The Discord locales (https://discord.com/developers/docs/reference#locales) whose descriptions each locale fills. */
export const DISCORD_LOCALES: Readonly<Record<Locale, readonly string[]>> = { en: [], 'pt-BR': ['pt-BR'] };

export function catalogue(locale: Locale | undefined): Catalogue {
  return CATALOGUES[locale ?? DEFAULT_LOCALE];
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The locale for a language tag as a platform gives it: `pt-BR`, `pt-PT` and `pt` all choose
 * pt-BR; any other language chooses English. No tag at all (or the POSIX `C` locale) says
 * nothing: undefined, so that the workspace's language decides.
 */
export function localeFromTag(tag: string | null | undefined): Locale | undefined {
  const language = /^([a-z]{2,3})(?:[-_.@]|$)/i.exec(tag?.trim() ?? '')?.[1]?.toLowerCase();
  if (!language) return undefined;
  return LOCALES.find((locale) => LANGUAGES[locale].includes(language)) ?? DEFAULT_LOCALE;
}

/** The admin setting `/handle admin language`: one locale for the whole workspace's posts, or `auto`. */
export type LanguageSetting = 'auto' | Locale;
export const LANGUAGE_SETTINGS: readonly LanguageSetting[] = ['auto', ...LOCALES];

/** A stored setting (anything unknown, such as a locale since removed, is `auto`). */
export function parseLanguageSetting(value: string | undefined): LanguageSetting {
  return isLocale(value) ? value : 'auto';
}

/** What an admin typed: `auto`, a locale id in any case (`pt-br`, `pt_BR`), or its language (`pt`); undefined for anything else. */
export function languageSettingFromInput(input: string): LanguageSetting | undefined {
  const typed = input.trim().toLowerCase().replace('_', '-');
  if (typed === 'auto') return 'auto';
  return LOCALES.find((locale) => locale.toLowerCase() === typed || LANGUAGES[locale].includes(typed));
}

/**
 * The language of a workspace/server: what its channel posts (announcements, admin notices)
 * and welcome messages use, and the fallback for a person whose own language is not known.
 * The admin setting wins; `auto` follows what the platform says about the place (Discord's
 * server locale), else English.
 */
export function workspaceLocale(setting: string | undefined, platformSays: Locale | undefined): Locale {
  const chosen = parseLanguageSetting(setting);
  return chosen === 'auto' ? (platformSays ?? DEFAULT_LOCALE) : chosen;
}
