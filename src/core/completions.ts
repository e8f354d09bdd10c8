/**
 * Suggestions while an input is typed (Discord autocomplete), and the "latest status per
 * handle" they share with `list`: history is append-only, so a handle's newest entry is its
 * current status.
 */
import type { HistoryEntry } from '../store/types.js';
import type { CompletionSource } from './types.js';

/** How much history a completion or a list reads. */
export const HISTORY_WINDOW = 200;

/** One entry per handle, its newest, in the order given (newest first). */
export function latestPerHandle(newestFirst: readonly HistoryEntry[]): HistoryEntry[] {
  const seen = new Set<string>();
  return newestFirst.filter((entry) => {
    if (seen.has(entry.handle)) return false;
    seen.add(entry.handle);
    return true;
  });
}

/** The caller's handles that are still theirs (claimed or unconfirmed), newest first. */
export const ownHandles: CompletionSource = async (ctx) => {
  const history = await ctx.store.listHistory(ctx.identity, HISTORY_WINDOW);
  return latestPerHandle(history).filter((entry) => entry.status !== 'deleted').map((entry) => entry.handle);
};

/** Suggestions that contain what was typed, those that start with it first. */
export function rankSuggestions(values: readonly string[], typed: string): string[] {
  const wanted = typed.trim().toLowerCase();
  const matching = values.filter((value) => value.toLowerCase().includes(wanted));
  return [...matching.filter((value) => value.toLowerCase().startsWith(wanted)), ...matching.filter((value) => !value.toLowerCase().startsWith(wanted))];
}
