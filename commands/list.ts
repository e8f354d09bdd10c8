import { HISTORY_WINDOW, latestPerHandle } from '../src/core/completions.js';
import { result } from '../src/core/outcome.js';
import type { Command } from '../src/core/types.js';

const SHOWN = 20;

/** The caller's handles, newest first: one line per handle with its latest status. */
export default {
  verb: ['list'],
  description: 'Show the handles you claimed through the bot',
  usage: 'list',
  options: [],
  who: 'everyone',
  async run(ctx) {
    const history = await ctx.store.listHistory(ctx.invocation.identity, HISTORY_WINDOW);
    return result({ kind: 'shown' }, ctx.messages.listReply(latestPerHandle(history).slice(0, SHOWN)));
  },
} satisfies Command;
