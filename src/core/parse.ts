/**
 * Turns a typed command line (Slack's `/handle <text>`, a console line) into a command and
 * its arguments, using only the command definitions. Discord delivers typed options and
 * does not come through here.
 */
import type { Args, Command, Option } from './types.js';

export type ParsedLine =
  /**
   * `typedSecret`: what followed a command whose input is secret (`key set <key>`). It is never
   * an argument: the front door decides (the console, a private terminal, uses it; a chat
   * platform, where the line travelled through the platform, does not store it and says why).
   */
  | { kind: 'command'; command: Command; args: Args; typedSecret?: string }
  | { kind: 'empty' }
  | { kind: 'unknown'; typed: string }
  | { kind: 'missing'; command: Command; option: string }
  | { kind: 'too_long'; command: Command; option: string; max: number }
  | { kind: 'bad_boolean'; command: Command };

/** The longest verb path that matches the first words wins ("key set" over "key"). */
export function findCommand(commands: readonly Command[], words: readonly string[]): Command | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    const matches = command.verb.every((part, i) => words[i]?.toLowerCase() === part);
    if (matches && (!best || command.verb.length > best.verb.length)) best = command;
  }
  return best;
}

// on/off are what help shows; the others are what people type anyway, in English or Portuguese.
const TRUE_WORDS = new Set(['on', 'true', 'yes', 'enable', 'enabled', '1', 'sim', 'ligado', 'ligar', 'ativar', 'ativado']);
const FALSE_WORDS = new Set(['off', 'false', 'no', 'disable', 'disabled', '0', 'não', 'nao', 'desligado', 'desligar', 'desativar', 'desativado']);

export function parseBoolean(word: string): boolean | undefined {
  const w = word.toLowerCase();
  if (TRUE_WORDS.has(w)) return true;
  if (FALSE_WORDS.has(w)) return false;
  return undefined;
}

/** Slack sends `<#C123|name>` (should_escape); people type `#name`. */
export function parseChannel(word: string): string {
  const escaped = /^<#([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word);
  if (escaped?.[1]) return escaped[1];
  return word.replace(/^#/, '');
}

function parseValue(option: Option, raw: string): string | boolean | undefined {
  if (option.type === 'boolean') return parseBoolean(raw);
  if (option.type === 'channel') return parseChannel(raw);
  return raw;
}

export function parseLine(line: string, commands: readonly Command[]): ParsedLine {
  const text = line.trim().replace(/^\/handle(?:-admin)?\b\s*/i, '');
  if (text === '') return { kind: 'empty' };
  const words = text.split(/\s+/);
  const command = findCommand(commands, words);
  if (!command) return { kind: 'unknown', typed: words.slice(0, 2).join(' ') };

  // Re-split the remainder so that a `rest` option keeps its own spacing.
  let remainder = text;
  for (let i = 0; i < command.verb.length; i++) remainder = remainder.replace(/^\S+\s*/, '');

  const args: Args = {};
  // Form-only inputs (a key above all) are never read from a typed line.
  for (const option of command.options.filter((o) => o.arrives !== 'form' && o.arrives !== 'secret')) {
    let raw: string | undefined;
    if (option.rest) {
      raw = remainder.trim() === '' ? undefined : remainder.trim();
      remainder = '';
    } else {
      const match = /^(\S+)\s*/.exec(remainder);
      raw = match?.[1];
      remainder = match ? remainder.slice(match[0].length) : remainder;
    }
    if (raw === undefined) {
      if (option.required) return { kind: 'missing', command, option: option.name };
      continue;
    }
    // A handle too long is explained by the handle rule, with the rest of what is wrong with it.
    if (option.max !== undefined && option.type !== 'handle' && option.type !== 'boolean' && raw.length > option.max) {
      return { kind: 'too_long', command, option: option.name, max: option.max };
    }
    const value = parseValue(option, raw);
    if (value === undefined) return { kind: 'bad_boolean', command };
    args[option.name] = value;
  }
  const typedSecret = remainder.trim();
  if (typedSecret !== '' && command.options.some((o) => o.arrives === 'secret')) return { kind: 'command', command, args, typedSecret };
  return { kind: 'command', command, args };
}
