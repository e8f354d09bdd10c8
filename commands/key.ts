/** The caller's API key: link (through a private modal/prompt), status, remove, request a new one. */
import { recordBestEffort } from '../src/core/best-effort.js';
import { failed, refusedWith, result } from '../src/core/outcome.js';
import { spendKeyRequest } from '../src/core/request-limit.js';
import { linkedKey, type Command } from '../src/core/types.js';
import { parseApiKey } from '../src/domain/api-key.js';

export const keySet = {
  verb: ['key', 'set'],
  description: 'Link your mail-service API key (asked privately)',
  usage: 'key set',
  // The key arrives from the front door's private form or hidden prompt, never from a typed line.
  options: [{ name: 'key', description: 'your mail-service API key', type: 'api_key', required: true, arrives: 'secret' }],
  form: 'key_set',
  who: 'everyone',
  async run(ctx, args) {
    // Where no form could be shown (Slack refused to open it), say how to link the key instead.
    if (typeof args.key !== 'string') return result({ kind: 'needs_input', option: 'key' }, ctx.messages.keySetPromptReply());
    const parsed = parseApiKey(args.key);
    if (!parsed.ok) return refusedWith('invalid_input', ctx.messages.malformedKeyReply(parsed.problem));

    const check = await ctx.mail.checkKey(parsed.key, ctx.call);
    switch (check.kind) {
      case 'key_ok':
        break;
      case 'key_rejected':
      case 'key_malformed':
      case 'key_missing':
        return failed(check, ctx.messages.keyNotAcceptedReply(check.requestId));
      case 'rate_limited':
        return failed(check, ctx.messages.rateLimitedReply(check));
      case 'banned':
        return failed(check, ctx.messages.bannedReply(check));
      default:
        return failed(check, ctx.messages.serviceFaultReply(check, ctx.messages.activities.checkingKey()));
    }
    const { identity, scope } = ctx.invocation;
    const previous = await ctx.store.getKey(identity);
    const record = await ctx.store.setKey(identity, parsed.key, { verifiedAt: Date.now(), verifyResult: 'ok' });
    if (scope) ctx.notifier.notify({ type: 'key_linked', scope, who: identity });
    const replaced = previous.status !== 'none';
    return result({ kind: 'key_linked', replaced }, ctx.messages.keyLinkedReply(record, replaced));
  },
} satisfies Command;

export const keyStatus = {
  verb: ['key', 'status'],
  description: 'Check the API key you linked',
  usage: 'key status',
  options: [],
  who: 'everyone',
  needsKey: true,
  async run(ctx) {
    const { identity } = ctx.invocation;
    const { apiKey, record } = linkedKey(ctx);
    const check = await ctx.mail.checkKey(apiKey, ctx.call);
    const live = check.kind === 'key_ok' ? 'ok' : check.kind === 'key_rejected' || check.kind === 'key_malformed' ? 'rejected' : 'unknown';
    if (live !== 'unknown') await recordBestEffort(ctx, () => ctx.store.updateKeyMeta(identity, { verifiedAt: Date.now(), verifyResult: live }));
    return result({ kind: 'shown' }, ctx.messages.keyStatusReply(record, live));
  },
} satisfies Command;

export const keyRemove = {
  verb: ['key', 'remove'],
  description: 'Remove your API key from the bot',
  usage: 'key remove',
  options: [],
  who: 'everyone',
  async run(ctx) {
    const { identity, scope } = ctx.invocation;
    const wasLinked = await ctx.store.removeKey(identity);
    if (wasLinked && scope) ctx.notifier.notify({ type: 'key_removed', scope, who: identity });
    return result({ kind: 'key_removed', wasLinked }, ctx.messages.keyRemovedReply(wasLinked));
  },
} satisfies Command;

/** How long a requested key lives, in days (the service allows 1–9999). */
const REQUESTED_KEY_DAYS = 30;

export const keyRequest = {
  verb: ['key', 'request'],
  description: 'Ask the mail service to e-mail you a new API key',
  usage: 'key request <your e-mail>',
  // "I need a key" buttons (App Home, the welcome) carry no address: it is asked in the form.
  options: [{ name: 'email', description: 'your own e-mail address', type: 'email', required: true, min: 3, max: 254, arrives: 'typed_or_form' }],
  form: 'key_request',
  who: 'everyone',
  async run(ctx, args) {
    const email = String(args.email ?? '').trim();
    const allowance = await spendKeyRequest(ctx.store, ctx.invocation.identity, {
      intervalSeconds: ctx.config.KEY_REQUEST_INTERVAL_SECONDS, perDay: ctx.config.KEY_REQUESTS_PER_DAY,
    });
    if (!allowance.ok) {
      const limits = { intervalSeconds: ctx.config.KEY_REQUEST_INTERVAL_SECONDS, perDay: ctx.config.KEY_REQUESTS_PER_DAY };
      return refusedWith('key_request_limit', ctx.messages.keyRequestLimitReply(allowance.rule === 'interval' ? allowance.retryAfterSeconds : undefined, limits));
    }
    const outcome = await ctx.mail.requestCredentials(email, REQUESTED_KEY_DAYS, ctx.call);
    switch (outcome.kind) {
      case 'request_sent':
        return result({ kind: 'credentials_requested' }, ctx.messages.credentialsSentReply(outcome.email, outcome.ttlMinutes));
      case 'request_cooldown':
        return failed(outcome, ctx.messages.credentialsCooldownReply(outcome.email, outcome.nextAllowedAt));
      case 'managed_domain':
        return failed(outcome, ctx.messages.managedDomainReply(outcome.domain));
      case 'invalid_params':
        return failed(outcome, ctx.messages.invalidEmailReply(outcome.hint));
      case 'rate_limited':
        return failed(outcome, ctx.messages.credentialsRateLimitedReply(outcome.retryAfterSeconds, outcome.requestId));
      case 'banned':
        return failed(outcome, ctx.messages.bannedReply(outcome));
      default:
        return failed(outcome, ctx.messages.serviceFaultReply(outcome, ctx.messages.activities.requestingKey()));
    }
  },
} satisfies Command;
