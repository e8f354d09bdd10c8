import * as messages from '../src/core/messages/index.js';
import type { Command } from '../src/core/types.js';
import type { HistoryEntry } from '../src/store/types.js';

const SHOWN = 20;

/** The caller's handles, newest first: one line per handle with its latest status. */
export default {
  verb: ['list'],
  description: 'Show the handles you claimed through the bot',
  usage: 'list',
  options: [],
  who: 'everyone',
  async run(ctx) {
    const history = await ctx.store.listHistory(ctx.invocation.identity, 200);
    return [messages.listReply(latestPerHandle(history).slice(0, SHOWN))];
  },
} satisfies Command;

/** History is append-only; a handle's newest entry is its current status. */
function latestPerHandle(newestFirst: HistoryEntry[]): HistoryEntry[] {
  const seen = new Set<string>();
  return newestFirst.filter((entry) => {
    if (seen.has(entry.handle)) return false;
    seen.add(entry.handle);
    return true;
  });
}
