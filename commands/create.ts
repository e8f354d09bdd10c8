import { handleAlternatives } from '../src/core/alternatives.js';
import { recordBestEffort } from '../src/core/best-effort.js';
import { workspaceMessages } from '../src/core/locale.js';
import { failed, refusedWith, result } from '../src/core/outcome.js';
import { linkedKey, type PendingClaim, type Command, type CommandResult, type Created, type Ctx, type Reply } from '../src/core/types.js';
import { looksLikeApiKey } from '../src/domain/api-key.js';
import { validateHandle, type Handle } from '../src/domain/handle.js';

/** Claims a handle with the caller's own key: an announcement for the channel, the detail for them. */
export default {
  verb: ['create'],
  description: 'Claim an e-mail handle with your linked key',
  usage: 'create <name>',
  options: [{
    name: 'name', description: 'the handle: letters, digits, and . _ - + …', type: 'handle', required: true, min: 1, max: 64, rest: true,
    // App Home's "Claim a handle" button carries no name: it is asked in the claim form.
    arrives: 'typed_or_form',
  }],
  form: 'claim',
  who: 'everyone',
  needsKey: true,
  async run(ctx, args) {
    // A key pasted as a name is a valid handle: refused here, so it is never sent, announced or recorded.
    if (looksLikeApiKey(String(args.name ?? ''))) return refusedWith('invalid_input', ctx.messages.keyAsHandleReply());
    const check = validateHandle(String(args.name ?? ''));
    if (!check.ok) {
      return refusedWith('invalid_input', ctx.messages.invalidHandleReply({ handle: check.handle, problem: check.problem, ...(check.suggestion ? { suggestion: check.suggestion } : {}) }));
    }
    const handle = check.handle;
    // Within the cooldown this waits for the caller's turn; only a long queue is refused.
    const turn = await ctx.waitForTurn();
    if (!turn.ok) return refusedWith('busy', ctx.messages.busyReply(turn.retryAfterSeconds, ctx.config.COOLDOWN_SECONDS));

    const { identity, scope } = ctx.invocation;
    // Write-ahead: the attempt is on record before the service acts (a store that cannot take it
    // refuses here, nothing asked), so a crash before the answer leaves "may be yours" in `list`.
    const pending = await ctx.claims.begin(identity, handle, ctx.call.requestId);
    const outcome = await ctx.mail.createHandle(linkedKey(ctx).apiKey, handle, ctx.call);
    if (outcome.kind === 'created') return claimed(ctx, outcome, pending);
    const maybeCreated = outcome.kind === 'timeout' ? outcome.outcomeUnknown : outcome.kind === 'unexpected_response' && outcome.status >= 200 && outcome.status < 300;
    // Anything but an unknown answer means the service did not create it: the pending record goes.
    await ctx.claims.settle(pending, maybeCreated ? 'unconfirmed' : undefined);
    switch (outcome.kind) {
      case 'taken':
        return failed(outcome, await takenReply(ctx, handle));
      case 'invalid_handle':
        return failed(outcome, ctx.messages.invalidHandleReply(outcome));
      case 'unexpected_response':
      case 'timeout':
        // A timeout after sending, or a success status with a body we could not read: the
        // handle may well exist now. Never say it failed; it is recorded as unconfirmed (above).
        if (maybeCreated) {
          return result({ kind: 'create_unconfirmed', handle }, ctx.messages.createOutcomeUnknownReply(handle, outcome.requestId));
        }
        return failed(outcome, ctx.messages.explainFailure(outcome, ctx.messages.activities.claiming(handle)));
      case 'banned':
        if (scope && outcome.ban.kind !== 'name') {
          ctx.notifier.notify({ type: 'owner_banned', scope, who: identity, banKind: outcome.ban.kind });
        }
        return failed(outcome, ctx.messages.bannedReply(outcome));
      case 'key_rejected':
      case 'key_malformed':
        await recordBestEffort(ctx, () => ctx.store.updateKeyMeta(identity, { verifiedAt: Date.now(), verifyResult: 'rejected' }));
        return failed(outcome, ctx.messages.keyRejectedReply(outcome.requestId));
      default:
        return failed(outcome, ctx.messages.explainFailure(outcome, ctx.messages.activities.claiming(handle)));
    }
  },
} satisfies Command;

async function claimed(ctx: Ctx, outcome: Created, pending: PendingClaim): Promise<CommandResult> {
  const { identity, scope } = ctx.invocation;
  const { record } = linkedKey(ctx);
  const [domains, settings] = await Promise.all([
    ctx.mail.domains(ctx.call).then((d) => (d.kind === 'domains' ? d.domains : [])),
    scope ? ctx.store.getSettings(scope).catch(() => undefined) : Promise.resolve(undefined),
    // Never lost: a store that fails now gets it when it answers again (core/claim-ledger).
    ctx.claims.settle(pending, 'claimed'),
    // Re-sealing the key record costs a read and a write: only when there is news to keep.
    record.ownerEmail === outcome.goto && record.verifyResult === 'ok'
      ? undefined
      : recordBestEffort(ctx, () => ctx.store.updateKeyMeta(identity, { ownerEmail: outcome.goto, verifiedAt: Date.now(), verifyResult: 'ok' })),
  ]);
  if (scope) ctx.notifier.notify({ type: 'handle_claimed', scope, who: identity, handle: outcome.handle });
  const detail = ctx.messages.claimedDetail(outcome.handle, outcome.goto, domains);
  // Announce in the channel unless the workspace turned it off (or we could not read the setting: stay quiet).
  const announce = ctx.invocation.channelId !== undefined && (scope === undefined ? false : settings?.announce === true);
  const created = { kind: 'created', handle: outcome.handle, addresses: domains.map((domain) => `${outcome.handle}@${domain}`) } as const;
  // The channel reads the workspace's language; the detail is in the claimer's own.
  const announcement = () => workspaceMessages(settings, ctx.invocation).claimedAnnouncement(identity, outcome.handle, domains);
  return announce ? result(created, announcement(), detail) : result(created, detail);
}

async function takenReply(ctx: Ctx, handle: Handle): Promise<Reply> {
  const history = await ctx.store.listHistory(ctx.invocation.identity, 50).catch(() => []);
  // Newest first: this person's latest word on the handle, if they ever had one.
  // This attempt's own pending record (settled just before, or still waiting for the store) is not a word on it.
  const ours = history.find((e) => e.handle === handle && e.requestId !== ctx.call.requestId)?.status;
  if (ours === 'claimed') return ctx.messages.alreadyYoursReply(handle);
  if (ours === 'deleted') return ctx.messages.deletedStaysReservedReply(handle);
  const alternatives = handleAlternatives(handle, ctx.invocation.displayName, history.map((e) => e.handle));
  return ctx.messages.takenReply(handle, alternatives, ours === 'unconfirmed' || ours === 'pending');
}
