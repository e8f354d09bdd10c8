/**
 * A mail-service API key, checked once where it arrives (a form, a prompt) and typed from then
 * on: the store seals an `ApiKey` and the mail client sends one without checking it again.
 * The service trims and lower-cases the header, then requires [a-z0-9]{64}; keys are issued as
 * 64 lowercase hex characters, so that is what we accept. Problems are described without
 * echoing the input.
 */
declare const apiKeyBrand: unique symbol;
/** 64 lowercase hex characters; only `parseApiKey` makes one (and the store, opening what it sealed). */
export type ApiKey = string & { readonly [apiKeyBrand]: true };

export type ApiKeyProblem =
  | { code: 'empty' }
  | { code: 'wrong_length'; length: number }
  | { code: 'not_hex' }
  | { code: 'inner_space' };

export function parseApiKey(raw: string): { ok: true; key: ApiKey } | { ok: false; problem: ApiKeyProblem } {
  const key = raw.trim().toLowerCase();
  if (key === '') return { ok: false, problem: { code: 'empty' } };
  if (/\s/.test(key)) return { ok: false, problem: { code: 'inner_space' } };
  if (key.length !== 64) return { ok: false, problem: { code: 'wrong_length', length: key.length } };
  if (!/^[0-9a-f]{64}$/.test(key)) return { ok: false, problem: { code: 'not_hex' } };
  return { ok: true, key: key as ApiKey };
}

/**
 * Whether text has the shape of an API key (what parseApiKey accepts). Such a name is never used
 * as a handle: a key typed in the wrong place would otherwise be published as an address.
 */
export function looksLikeApiKey(raw: string): boolean {
  return parseApiKey(raw).ok;
}

/** What a user is shown to recognise their key: the last 4 characters only. */
export function keyFingerprint(key: ApiKey): string {
  return `…${key.slice(-4)}`;
}
