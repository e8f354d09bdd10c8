/**
 * What keeps the locales whole: every message id of the English catalogue exists in every
 * locale, with the same kind (a function taking the same parameters, or a constant of the same
 * shape) and the same placeholders (every handle, request id, address or number an English
 * message shows, the other locale shows too); no locale shows a raw service code; every command
 * and option has its words; and a Portuguese message reads as Portuguese (no English left behind,
 * every reply marked pt-BR). When one of these fails, the failure names the id.
 */
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { catalogue, localeFromTag, LOCALES, type Catalogue, type Locale } from '../../src/core/messages/index.js';
import { everyOutput, NESTED_SAMPLES, SAMPLES } from './locale-samples.js';

const en = catalogue('en');
const others = LOCALES.filter((l) => l !== 'en');

const RAW_CODES = [
  'alias_taken', 'invalid_params', 'invalid_or_expired_api_key', 'invalid_api_key_format', 'missing_api_key', 'internal_error',
  'temporarily_unavailable', 'handle_not_found', 'rate_limited', 'too_many_requests', 'managed_domain_not_allowed', 'Unauthorized',
  'Conflict', '(409)', ' 409', ' 401', ' 403', ' 429', ' 500', ' 503', 'undefined', '[object Object]', 'NaN',
];
/** Keys of a reply or an action that are machinery, not words (the verb a button runs, its arguments, its style). */
const MACHINERY = new Set(['visibility', 'tone', 'locale', 'verb', 'args', 'style']);

/** What a person reads in an output: its strings and segments, `code` ones too unless `words` only. */
function readable(value: unknown, words = false): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap((v) => readable(v, words));
  if (typeof value !== 'object' || value === null) return [];
  if ('code' in value) return words ? [] : [String(value.code)];
  if ('mention' in value) return words ? [] : [String(value.mention)];
  if ('channel' in value) return words ? [] : [String(value.channel)];
  if ('time' in value) return words ? [] : [`<time ${String(value.time)}>`];
  return Object.entries(value).flatMap(([key, v]) => (MACHINERY.has(key) ? [] : readable(v, words)));
}

/** The distinctive values a sample call passes in: those a message must show in every locale if it shows them in English. */
function placeholders(args: unknown[]): string[] {
  const values = new Set<string>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 3) return;
    if (typeof v === 'string' && /^(qz7|hb-|ph@|CPH|slack:T1:UPH|d\d\.example|.* PH$)/.test(v)) values.add(v);
    else if (typeof v === 'number' && v >= 30 && v !== 1_700_000_000) values.add(String(v));
    else if (Array.isArray(v)) v.forEach((x) => { walk(x, depth + 1); });
    else if (typeof v === 'object' && v !== null && !('verb' in v && 'options' in v)) Object.values(v).forEach((x) => { walk(x, depth + 1); });
  };
  walk(args, 0);
  return [...values];
}

/** Shape of a constant: the same keys all the way down, strings where strings are, functions where functions are. */
function shapeOf(value: unknown, path: string): string[] {
  if (typeof value === 'function') return [`${path}: function/${value.length}`];
  if (typeof value !== 'object' || value === null) return [`${path}: ${typeof value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => shapeOf(v, `${path}[${i}]`));
  return Object.entries(value).flatMap(([key, v]) => shapeOf(v, `${path}.${key}`));
}

/** The functions inside a constant, by path (`forms.claim.working`), called with their samples. */
function nestedOutputs(messages: Catalogue): [string, unknown][] {
  return Object.entries(NESTED_SAMPLES).map(([path, args]) => {
    const [id, ...rest] = path.split('.');
    let target: unknown = (messages as Record<string, unknown>)[id!];
    for (const key of rest) target = (target as Record<string, unknown> | undefined)?.[key];
    if (typeof target !== 'function') throw new Error(`${path} is not a function in this locale`);
    return [path, (target as (...a: unknown[]) => unknown)(...args)];
  });
}

describe.each(others)('the %s catalogue', (locale: Locale) => {
  const m = catalogue(locale);

  it('has every message id English has, and none English lacks', () => {
    const missing = Object.keys(en).filter((id) => !(id in m));
    const extra = Object.keys(m).filter((id) => !(id in en));
    expect(missing, `${locale} lacks these messages`).toEqual([]);
    expect(extra, `${locale} has messages English does not`).toEqual([]);
  });

  it('gives each id the same kind: a function with the same parameters, or a constant of the same shape', () => {
    for (const id of Object.keys(en) as (keyof Catalogue)[]) {
      if (id === 'commands') continue; // English has none: its words are in the command definitions (checked below)
      expect(shapeOf(m[id], id), id).toEqual(shapeOf(en[id], id));
    }
    // Every nested function has samples here (a new one added without them is named).
    const nested = shapeOf(Object.fromEntries(Object.entries(en).filter(([id]) => id !== 'commands')), 'catalogue')
      .filter((line) => line.includes(': function/') && line.split('.').length > 2)
      .map((line) => line.slice('catalogue.'.length, line.indexOf(':')));
    expect(nested.filter((path) => !(path in NESTED_SAMPLES)), 'functions inside constants without samples in test/core/locale-samples.ts').toEqual([]);
  });

  it('shows the same placeholders as English in every message (handles, request ids, addresses, numbers, times)', () => {
    const mine = new Map(everyOutput(m));
    for (const [key, output] of everyOutput(en)) {
      const [id, n] = key.split('#') as [keyof typeof SAMPLES, string];
      const args = SAMPLES[id][Number(n)] ?? [];
      const theirs = readable(mine.get(key)).join('\n');
      const shown = readable(output).join('\n');
      for (const value of placeholders(args)) {
        if (shown.includes(value)) expect(theirs, `${key} in ${locale} does not show ${value}`).toContain(value);
      }
      for (const time of shown.match(/<time \d+>/g) ?? []) expect(theirs, `${key} in ${locale} lost a time`).toContain(time);
    }
  });

  it('never shows a raw service code, an HTTP status or "undefined" in any message', () => {
    for (const [key, output] of [...everyOutput(m), ...nestedOutputs(m)]) {
      const text = readable(output, true).join('\n');
      for (const code of RAW_CODES) expect(text, `${key}: ${code} in ${text}`).not.toContain(code);
    }
  });

  it('marks every reply it writes with its locale, so the front doors draw their own words in it', () => {
    for (const [key, output] of everyOutput(m)) {
      if (typeof output === 'object' && output !== null && 'visibility' in output) expect((output as { locale?: string }).locale, key).toBe(locale);
    }
  });

  it('has words for every command and every option, and none for commands that do not exist', () => {
    const verbs = commands.map((c) => c.verb.join(' '));
    for (const command of commands) {
      const words = m.commands[command.verb.join(' ')];
      expect(words?.description, `${locale}: the description of "${command.verb.join(' ')}"`).toBeTruthy();
      for (const option of command.options) expect(words?.options?.[option.name], `${locale}: option ${option.name} of "${command.verb.join(' ')}"`).toBeTruthy();
      // A translated usage keeps the verb and the shape of its placeholders.
      if (words?.usage) expect(words.usage.split(' ').slice(0, command.verb.length)).toEqual(command.verb);
      if (words?.usage) expect((words.usage.match(/[<[]/g) ?? []).length).toBe((command.usage.match(/[<[]/g) ?? []).length);
    }
    expect(Object.keys(m.commands).filter((verb) => !verbs.includes(verb)), `${locale}: words for commands that do not exist`).toEqual([]);
  });
});

describe('the Brazilian Portuguese catalogue reads as Portuguese', () => {
  const pt = catalogue('pt-BR');
  /** Words that would betray an English sentence left behind (technical names such as "Server Members Intent" do not use them). */
  const ENGLISH = /\b(the|you|your|with|please|cannot|this|that|is|are|was|has|have|will)\b/i;

  it('no message has an English sentence left in it', () => {
    for (const [key, output] of [...everyOutput(pt), ...nestedOutputs(pt)]) {
      for (const text of readable(output, true)) expect(text, `${key}: "${text}"`).not.toMatch(ENGLISH);
    }
    for (const [verb, words] of Object.entries(pt.commands)) {
      for (const text of [words.description, ...Object.values(words.options ?? {})]) expect(text, verb).not.toMatch(ENGLISH);
    }
  });

  it('no constant is simply the English one, except tokens that are the same in both', () => {
    const same = (a: unknown, b: unknown, path: string): string[] => {
      if (typeof a === 'string') return a === b && !MACHINERY.has(path.slice(path.lastIndexOf('.') + 1)) ? [path] : [];
      if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return [];
      return Object.entries(a).flatMap(([key, v]) => same(v, (b as Record<string, unknown>)[key], `${path}.${key}`));
    };
    const identical = (Object.keys(en) as (keyof Catalogue)[]).flatMap((id) => same(en[id], pt[id], id));
    expect(identical.sort()).toEqual([
      'consoleText.answerPrompt', 'consoleText.prompt', 'demoMark', 'forms.claim.fields.name.label', 'slackText.relativeDateFormat',
    ]);
  });

  it('says yes as a Brazilian would on the console, and still understands y', () => {
    for (const yes of ['s', 'Sim', 'y', 'yes']) expect(pt.consoleText.isYes(yes), yes).toBe(true);
    for (const no of ['', 'n', 'não', 'talvez']) expect(pt.consoleText.isYes(no), no).toBe(false);
  });
});

describe('choosing a locale from what a platform says', () => {
  it.each([
    ['pt-BR', 'pt-BR'], ['pt-PT', 'pt-BR'], ['pt', 'pt-BR'], ['pt_BR.UTF-8', 'pt-BR'], ['en-US', 'en'], ['en-GB', 'en'],
    ['fr', 'en'], ['es-ES', 'en'], ['C', undefined], ['C.UTF-8', undefined], ['POSIX', undefined], ['', undefined], [undefined, undefined],
  ] as const)('%s → %s', (tag, locale) => {
    expect(localeFromTag(tag)).toBe(locale);
  });
});
