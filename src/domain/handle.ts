/**
 * A handle, and the mail service's handle rule, checked locally so that an invalid handle costs no request
 * (every request counts against the caller's per-key budget, failures included) and so that the
 * user learns *what* is wrong, which the service never says ("invalid_params" only).
 *
 * The rule, as the service applies it: trim (tabs and newlines too) and lower-case, then 1–64
 * characters of an RFC 5322 dot-atom: atext characters with single dots between non-empty parts.
 */
export const HANDLE_MAX_LENGTH = 64;

declare const handleBrand: unique symbol;
/**
 * A handle the service's rule accepts, normalised (trimmed, lower-cased). Only `validateHandle`
 * makes one, where the name arrives; the mail client and the store take it without checking again.
 */
export type Handle = string & { readonly [handleBrand]: true };

/** Why a handle is not valid, found locally before a request is spent. */
export type HandleProblem =
  | { code: 'empty' }
  | { code: 'too_long'; length: number }
  | { code: 'space' }
  | { code: 'at_sign' }
  | { code: 'non_ascii'; char: string }
  | { code: 'leading_dot' }
  | { code: 'trailing_dot' }
  | { code: 'double_dot' }
  | { code: 'forbidden_char'; char: string };

/** One RFC 5322 atext character (lower-case only: the service lower-cases first). */
const ATEXT_CHAR = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]$/;
/** Any character that is not atext and not a dot, for building suggestions. */
const NOT_ATEXT_OR_DOT = /[^a-z0-9!#$%&'*+/=?^_`{|}~.-]/g;
const WHITESPACE = /\s/;
const NON_ASCII = /\P{ASCII}/u;
const NON_ASCII_ALL = /\P{ASCII}/gu;

/**
 * Letters that NFKD does not decompose into an ASCII base letter, spelled the way people
 * usually transliterate them in addresses.
 */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't',
};
const TRANSLITERABLE = new RegExp(`[${Object.keys(TRANSLITERATIONS).join('')}]`, 'g');

/** Graphemes, so that a decomposed "é" (e + combining accent) is reported as one character. */
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export type HandleCheck =
  | { ok: true; handle: Handle }
  | { ok: false; handle: string; problem: HandleProblem; suggestion?: string };

/** What the service does to a handle before it checks it. */
export function normaliseHandle(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Checks a handle the way the service will, and says precisely what is wrong and how to fix it. */
export function validateHandle(raw: string): HandleCheck {
  const handle = normaliseHandle(raw);
  const problem = findProblem(handle);
  if (!problem) return { ok: true, handle: handle as Handle };
  const suggestion = suggestHandle(raw);
  return suggestion === undefined ? { ok: false, handle, problem } : { ok: false, handle, problem, suggestion };
}

/** Whether the service would accept this handle (after its own trimming and lower-casing). */
export function isValidHandle(raw: string): boolean {
  return findProblem(normaliseHandle(raw)) === undefined;
}

/**
 * Turns arbitrary text (a mistyped handle, an e-mail address, a display name) into a valid
 * handle, or undefined when nothing usable is left. "Jöhn Doe" → "john.doe",
 * "Alice@example.com" → "alice", "@bob" → "bob".
 */
export function suggestHandle(raw: string): string | undefined {
  const localPart = stripAccents(raw.toLowerCase())
    .trim()
    .replace(/^@+/, '') // a chat mention, not an address
    .split('@')[0] ?? '';
  const dotted = localPart
    .replace(/\s+/g, '.')
    .replace(NON_ASCII_ALL, '') // letters with no ASCII form (CJK, emoji) cannot be kept
    .replace(NOT_ATEXT_OR_DOT, '.') // other punctuation separates words: "Doe, John" → "doe.john"
    .replace(/\.{2,}/g, '.');
  const suggestion = trimDots(trimDots(dotted).slice(0, HANDLE_MAX_LENGTH));
  return suggestion !== '' && isValidHandle(suggestion) ? suggestion : undefined;
}

/** Lower-case text in, ASCII letters out where a letter has an obvious ASCII spelling. */
function stripAccents(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(TRANSLITERABLE, (letter) => TRANSLITERATIONS[letter] ?? '');
}

function trimDots(text: string): string {
  return text.replace(/^\.+|\.+$/g, '');
}

/**
 * The first problem a user should fix. An "@" is reported before anything else because it means
 * a whole address was typed; otherwise characters are reported in reading order, then dots, then
 * length (a length problem is only meaningful once every character is acceptable).
 */
function findProblem(handle: string): HandleProblem | undefined {
  if (handle === '') return { code: 'empty' };
  if (handle.includes('@')) return { code: 'at_sign' };
  const charProblem = findCharacterProblem(handle);
  if (charProblem) return charProblem;
  if (handle.startsWith('.')) return { code: 'leading_dot' };
  if (handle.endsWith('.')) return { code: 'trailing_dot' };
  if (handle.includes('..')) return { code: 'double_dot' };
  if (handle.length > HANDLE_MAX_LENGTH) return { code: 'too_long', length: handle.length };
  return undefined;
}

function findCharacterProblem(handle: string): HandleProblem | undefined {
  for (const { segment } of graphemes.segment(handle)) {
    if (segment === '.' || ATEXT_CHAR.test(segment)) continue;
    if (WHITESPACE.test(segment)) return { code: 'space' };
    if (NON_ASCII.test(segment)) return { code: 'non_ascii', char: segment };
    return { code: 'forbidden_char', char: segment };
  }
  return undefined;
}
