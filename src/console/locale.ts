/**
 * The console operator's language: `--locale` when given, else the POSIX locale variables in
 * their order of precedence (LC_ALL, LC_MESSAGES, LANG: `pt_BR.UTF-8` → pt-BR). `C`/`POSIX`
 * or nothing set says nothing (the console workspace's language setting decides).
 */
import { localeFromTag, type Locale } from '../core/messages/index.js';

export function consoleLocale(flag: string | undefined, env: NodeJS.ProcessEnv): Locale | undefined {
  if (flag) return localeFromTag(flag);
  const tag = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '');
  return localeFromTag(tag);
}
