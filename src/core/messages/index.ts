/**
 * The message catalogue: everything a user reads comes from here — the words of every front
 * door included — as one catalogue per locale (`en/`, `pt-BR/`) with the same ids and
 * placeholders. Take the catalogue of the reader's locale (`catalogue(invocation.locale)`; a
 * command has it as `ctx.messages`) and call its typed functions; a reply carries the locale it
 * was written in, so a front door draws its own words around it (buttons, dates) in the same one.
 */
export {
  catalogue, DEFAULT_LOCALE, DISCORD_LOCALES, isLocale, LANGUAGE_SETTINGS, languageSettingFromInput, localeFromTag, LOCALES, parseLanguageSetting,
  workspaceLocale,
  type Catalogue, type LanguageSetting, type Locale,
} from './locales.js';
export {
  cmd, commandWords, DISCORD_PERMISSIONS, type CommandTranslations, type CommandWords, type DiscordPermission, type FieldText, type FormText,
} from './shared.js';
export { addToBurst, startBurst, type Burst, type ScopedEvent } from './bursts.js';
export { claimStepText } from './manifest-words.js';
export type { FormId } from './en/forms.js';
export type { InstallFailure, InstallPageWords } from './en/install.js';
