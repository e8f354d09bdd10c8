import { recordBestEffort } from '../src/core/best-effort.js';
import { ownHandles } from '../src/core/completions.js';
import { failed, refusedWith, result } from '../src/core/outcome.js';
import { linkedKey, type Args, type Command, type Ctx } from '../src/core/types.js';
import { validateHandle } from '../src/domain/handle.js';

const handleOf = (args: Args) => validateHandle(String(args.name ?? ''));
const invalid = (ctx: Ctx, check: Extract<ReturnType<typeof handleOf>, { ok: false }>) =>
  refusedWith('invalid_input', ctx.messages.invalidHandleReply({ handle: check.handle, problem: check.problem }));

/** Deletes one of the caller's handles, after a confirmation: deletion is irreversible. */
export default {
  verb: ['delete'],
  description: 'Delete one of your handles (it stays reserved forever)',
  usage: 'delete <name>',
  options: [{ name: 'name', description: 'the handle to delete', type: 'handle', required: true, min: 1, max: 64, complete: ownHandles, rest: true }],
  who: 'everyone',
  needsKey: true,
  // Typing the command only asks; the question's button carries confirmed=yes.
  confirm(ctx, args) {
    const check = handleOf(args);
    return check.ok ? result({ kind: 'needs_confirmation' }, ctx.messages.confirmDeleteReply(check.handle)) : invalid(ctx, check);
  },
  async run(ctx, args) {
    const check = handleOf(args);
    if (!check.ok) return invalid(ctx, check);
    const handle = check.handle;
    if (!(await ctx.takeCooldown())) return refusedWith('cooldown', ctx.messages.cooldownReply(ctx.config.COOLDOWN_SECONDS));

    const outcome = await ctx.mail.deleteHandle(linkedKey(ctx).apiKey, handle, ctx.call);
    const { identity, scope } = ctx.invocation;
    switch (outcome.kind) {
      case 'deleted':
        await recordBestEffort(ctx, () => ctx.store.addHistory(identity, { handle: outcome.handle, status: 'deleted', at: Date.now(), requestId: outcome.requestId }));
        if (scope) ctx.notifier.notify({ type: 'handle_deleted', scope, who: identity, handle: outcome.handle });
        return result({ kind: 'deleted', handle: outcome.handle }, ctx.messages.deletedReply(outcome.handle));
      case 'not_found':
        return failed(outcome, ctx.messages.deleteNotFoundReply(handle, outcome.requestId));
      case 'forbidden':
        return failed(outcome, ctx.messages.deleteForbiddenReply(handle, outcome.requestId));
      case 'invalid_handle':
        return failed(outcome, ctx.messages.invalidHandleReply(outcome));
      default:
        return failed(outcome, ctx.messages.explainFailure(outcome, ['deleting ', { code: handle }]));
    }
  },
} satisfies Command;
