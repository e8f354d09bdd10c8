import { recordBestEffort } from '../src/core/best-effort.js';
import { HISTORY_WINDOW, ownHandles } from '../src/core/completions.js';
import { failed, refusedWith, result } from '../src/core/outcome.js';
import { linkedKey, type Args, type Command, type Ctx } from '../src/core/types.js';
import { validateHandle } from '../src/domain/handle.js';

const handleOf = (args: Args) => validateHandle(String(args.name ?? ''));
const invalid = (ctx: Ctx, check: Extract<ReturnType<typeof handleOf>, { ok: false }>) =>
  refusedWith('invalid_input', ctx.messages.invalidHandleReply({ handle: check.handle, problem: check.problem }));

/**
 * What this person's history says of the handle: its latest status, or undefined when the bot
 * never saw them claim it (it may have been claimed elsewhere) or cannot read the history now.
 */
async function seenAs(ctx: Ctx, handle: string) {
  const history = await ctx.store.listHistory(ctx.invocation.identity, HISTORY_WINDOW).catch(() => undefined);
  return { known: history !== undefined, status: history?.find((entry) => entry.handle === handle)?.status };
}

const alreadyDeleted = (ctx: Ctx, handle: string) => refusedWith('already_deleted', ctx.messages.alreadyDeletedReply(handle));

/**
 * Deletes one of the caller's handles, after a confirmation: deletion is irreversible. What the
 * bot knows is used first: a handle this person deleted already is answered at once; one it
 * never saw them claim is still asked about (it may have been claimed elsewhere), and the
 * question says so.
 */
export default {
  verb: ['delete'],
  description: 'Delete one of your handles (it stays reserved forever)',
  usage: 'delete <name>',
  options: [{ name: 'name', description: 'the handle to delete', type: 'handle', required: true, min: 1, max: 64, complete: ownHandles, rest: true }],
  who: 'everyone',
  needsKey: true,
  // Typing the command only asks; the question's button carries confirmed=yes.
  async confirm(ctx, args) {
    const check = handleOf(args);
    if (!check.ok) return invalid(ctx, check);
    const seen = await seenAs(ctx, check.handle);
    if (seen.status === 'deleted') return alreadyDeleted(ctx, check.handle);
    // An unreadable history says nothing either way: ask the plain question.
    return result({ kind: 'needs_confirmation' }, ctx.messages.confirmDeleteReply(check.handle, seen.status !== undefined || !seen.known));
  },
  async run(ctx, args) {
    const check = handleOf(args);
    if (!check.ok) return invalid(ctx, check);
    const handle = check.handle;
    // Deleted meanwhile (another device, an older question pressed again): nothing to ask the service.
    if ((await seenAs(ctx, handle)).status === 'deleted') return alreadyDeleted(ctx, handle);
    const turn = await ctx.waitForTurn();
    if (!turn.ok) return refusedWith('busy', ctx.messages.busyReply(turn.retryAfterSeconds, ctx.config.COOLDOWN_SECONDS));

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
        return failed(outcome, ctx.messages.explainFailure(outcome, ctx.messages.activities.deleting(handle)));
    }
  },
} satisfies Command;
