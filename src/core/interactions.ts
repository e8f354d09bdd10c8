/**
 * What a front door needs to draw a command's declared interactions generically: which inputs
 * must be asked in its form, the form of a submitted form id, each input's check (for an inline
 * error where the platform has one) and its length limits in a form. Pure: no I/O.
 */
import { looksLikeApiKey, parseApiKey } from '../domain/api-key.js';
import { validateHandle } from '../domain/handle.js';
import type { Catalogue, FormId } from './messages/index.js';
import type { Args, Command, Option } from './types.js';

/** The command a verb names exactly (a prefix such as `key` names none). */
export function exactCommand(commands: readonly Command[], verb: readonly string[]): Command | undefined {
  return commands.find((c) => c.verb.length === verb.length && c.verb.every((part, i) => part === verb[i]));
}

/** Never typed: asked only in the command's form. */
export function formOnly(option: Option): boolean {
  return option.arrives === 'form' || option.arrives === 'secret';
}

export function isSecret(option: Option): boolean {
  return option.arrives === 'secret';
}

/**
 * The inputs to ask in the command's form before it can run: every form-only input, and — for a
 * button, which carries only the arguments it was drawn with — each required `typed_or_form`
 * input it leaves out. Empty: run it as it is.
 */
export function inputsToAsk(command: Command, args: Args, via: 'typed' | 'action'): Option[] {
  if (!command.form) return [];
  return command.options.filter((option) =>
    formOnly(option) || (via === 'action' && option.arrives === 'typed_or_form' && option.required === true && args[option.name] === undefined));
}

/** Every input a form of this command may hold (for reading a submission). */
export function formInputs(command: Command): Option[] {
  return command.options.filter((option) => formOnly(option) || option.arrives === 'typed_or_form');
}

export function commandOfForm(commands: readonly Command[], formId: string): Command | undefined {
  return commands.find((c) => c.form === formId);
}

export function formIds(commands: readonly Command[]): FormId[] {
  return commands.flatMap((c) => (c.form ? [c.form] : []));
}

/** Room in a form's text input. A handle gets more than its rule allows, so that the rule (not the client) says what is wrong. */
export function formLimits(option: Option): { min?: number; max: number } {
  switch (option.type) {
    case 'api_key':
      return { max: 256 };
    case 'handle':
      return { max: 200 };
    default:
      return { ...(option.min === undefined ? {} : { min: option.min }), max: option.max ?? 1000 };
  }
}

export type InputCheck = { ok: true; value: string } | { ok: false; error: string };

/**
 * An input checked by its kind's one rule, as it arrives in a form, so the platform can show
 * what is wrong under the input. The command checks it again by the same rule when it runs
 * (that is where a value becomes a Handle or an ApiKey). Never echoes a secret.
 */
export function checkInput(option: Option, raw: string, messages: Catalogue): InputCheck {
  switch (option.type) {
    case 'api_key': {
      const parsed = parseApiKey(raw);
      return parsed.ok ? { ok: true, value: parsed.key } : { ok: false, error: messages.malformedKeyInlineError(parsed.problem) };
    }
    case 'handle': {
      if (looksLikeApiKey(raw)) return { ok: false, error: messages.keyAsHandleInlineError() };
      const check = validateHandle(raw);
      return check.ok ? { ok: true, value: check.handle } : { ok: false, error: messages.invalidHandleInlineError(check.problem, check.suggestion) };
    }
    case 'email': {
      const value = raw.trim();
      return looksLikeEmail(value) ? { ok: true, value } : { ok: false, error: messages.invalidEmailInlineError() };
    }
    default:
      return { ok: true, value: raw.trim() };
  }
}

/** A light check before the service is asked: one @ with something on both sides, no spaces. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
