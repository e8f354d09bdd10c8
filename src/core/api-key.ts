/**
 * The shape of a mail-service API key, checked before it is verified or stored.
 * The service trims and lower-cases the header, then requires [a-z0-9]{64}; keys are
 * issued as 64 lowercase hex characters, so that is what we accept. Problems are
 * described without echoing the input.
 */
export type ApiKeyProblem =
  | { code: 'empty' }
  | { code: 'wrong_length'; length: number }
  | { code: 'not_hex' }
  | { code: 'inner_space' };

export function normaliseApiKey(raw: string): { ok: true; key: string } | { ok: false; problem: ApiKeyProblem } {
  const key = raw.trim().toLowerCase();
  if (key === '') return { ok: false, problem: { code: 'empty' } };
  if (/\s/.test(key)) return { ok: false, problem: { code: 'inner_space' } };
  if (key.length !== 64) return { ok: false, problem: { code: 'wrong_length', length: key.length } };
  if (!/^[0-9a-f]{64}$/.test(key)) return { ok: false, problem: { code: 'not_hex' } };
  return { ok: true, key };
}

/** What a user is shown to recognise their key: the last 4 characters only. */
export function keyFingerprint(key: string): string {
  return `…${key.slice(-4)}`;
}
