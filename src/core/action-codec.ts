/**
 * Buttons carry their action in an id the platform echoes back on a press (Slack's
 * action value, Discord's custom_id, which is limited to 100 characters). One compact,
 * versioned encoding for both: `hb1:<verb>:<other args, URL-encoded>:<name>`.
 * The handle (`name`) goes last and raw: a valid handle never contains ':' and may be 64
 * characters of punctuation, which URL-encoding would triple past Discord's limit.
 */
import type { Action } from './types.js';

export const MAX_ENCODED_LENGTH = 100;

export function encodeAction(action: Pick<Action, 'verb' | 'args'>): string {
  const { name, ...rest } = action.args;
  const encoded = `hb1:${action.verb.replace(/ /g, '.')}:${new URLSearchParams(rest).toString()}:${name ?? ''}`;
  if (encoded.length > MAX_ENCODED_LENGTH) throw new Error(`encoded action is ${encoded.length} characters (limit ${MAX_ENCODED_LENGTH})`);
  return encoded;
}

export function decodeAction(encoded: string): { verb: string[]; args: Record<string, string> } | undefined {
  const match = /^hb1:([a-z.-]+):([^:]*):(.*)$/s.exec(encoded);
  if (!match?.[1]) return undefined;
  const args: Record<string, string> = Object.fromEntries(new URLSearchParams(match[2] ?? ''));
  if (match[3]) args.name = match[3];
  return { verb: match[1].split('.'), args };
}
