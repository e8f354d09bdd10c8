/**
 * Alternatives to offer when a handle is taken, derived from the name that was tried and the
 * person's display name. We can't know which are free without spending requests (and a
 * create can't be undone), so these are offered as buttons that ask to confirm.
 */
import { isValidHandle, suggestHandle } from '../domain/handle.js';

export function handleAlternatives(taken: string, displayName: string, exclude: Iterable<string> = [], now = new Date()): string[] {
  const words = displayName
    .split(/[\s._-]+/)
    .map((w) => suggestHandle(w))
    .filter((w): w is string => w !== undefined && w !== '');
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const year = String(now.getFullYear() % 100).padStart(2, '0');

  const candidates = [
    last && last !== taken ? `${taken}.${last}` : undefined,
    first && last ? `${first}.${last}` : undefined,
    first && last ? `${first.charAt(0)}${last}` : undefined,
    first && first !== taken ? `${taken}.${first}` : undefined,
    `${taken}${year}`,
    `${taken}.mail`,
  ];
  const skip = new Set([taken, ...exclude]);
  const out: string[] = [];
  for (const candidate of candidates) {
    if (candidate && isValidHandle(candidate) && !skip.has(candidate)) {
      skip.add(candidate);
      out.push(candidate);
    }
    if (out.length === 3) break;
  }
  return out;
}
