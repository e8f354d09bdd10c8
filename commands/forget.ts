import * as messages from '../src/core/messages/index.js';
import type { Command } from '../src/core/types.js';

/** Removes everything the bot holds about the caller, after a confirmation. */
export default {
  verb: ['forget'],
  description: 'Remove your key and handle history from the bot',
  usage: 'forget',
  options: [],
  who: 'everyone',
  async run(ctx, args) {
    if (!(ctx.invocation.fromAction && args.confirmed === 'yes')) return [messages.forgetConfirmReply()];
    await ctx.store.forget(ctx.invocation.identity);
    return [messages.forgottenReply()];
  },
} satisfies Command;
