import { result } from '../src/core/outcome.js';
import type { Command } from '../src/core/types.js';

/** Removes everything the bot holds about the caller, after a confirmation. */
export default {
  verb: ['forget'],
  description: 'Remove your key and handle history from the bot',
  usage: 'forget',
  options: [],
  who: 'everyone',
  confirm: (ctx) => result({ kind: 'needs_confirmation' }, ctx.messages.forgetConfirmReply()),
  async run(ctx) {
    await ctx.store.forget(ctx.invocation.identity);
    return result({ kind: 'forgotten' }, ctx.messages.forgottenReply());
  },
} satisfies Command;
