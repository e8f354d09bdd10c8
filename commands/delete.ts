import { remember } from '../src/core/bookkeeping.js';
import * as messages from '../src/core/messages/index.js';
import { linkedKey, type Command } from '../src/core/types.js';
import { validateHandle } from '../src/mail-api/handle-rule.js';

/** Deletes one of the caller's handles, after a confirmation: deletion is irreversible. */
export default {
  verb: ['delete'],
  description: 'Delete one of your handles (it stays reserved forever)',
  usage: 'delete <name>',
  options: [{ name: 'name', description: 'the handle to delete', type: 'string', required: true, min: 1, max: 64, autocomplete: true, rest: true }],
  who: 'everyone',
  needsKey: true,
  async run(ctx, args) {
    const check = validateHandle(String(args.name ?? ''));
    if (!check.ok) return [messages.invalidHandleReply({ handle: check.handle, problem: check.problem })];
    const handle = check.handle;
    // The confirmation button carries confirmed=yes; typing the command only asks.
    if (!(ctx.invocation.fromAction && args.confirmed === 'yes')) return [messages.confirmDeleteReply(handle)];
    if (!(await ctx.takeCooldown())) return [messages.cooldownReply(ctx.config.COOLDOWN_SECONDS)];

    const outcome = await ctx.mail.deleteHandle(linkedKey(ctx).apiKey, handle, ctx.call);
    const { identity, scope } = ctx.invocation;
    switch (outcome.kind) {
      case 'deleted':
        await remember(ctx, () => ctx.store.addHistory(identity, { handle: outcome.handle, status: 'deleted', at: Date.now(), requestId: outcome.requestId }));
        if (scope) ctx.notifier.notify({ type: 'handle_deleted', scope, who: identity, handle: outcome.handle });
        return [messages.deletedReply(outcome.handle)];
      case 'not_found':
        return [messages.deleteNotFoundReply(handle, outcome.requestId)];
      case 'forbidden':
        return [messages.deleteForbiddenReply(handle, outcome.requestId)];
      case 'invalid_handle':
        return [messages.invalidHandleReply(outcome)];
      default:
        return [messages.explainFailure(outcome, ['deleting ', { code: handle }])];
    }
  },
} satisfies Command;
