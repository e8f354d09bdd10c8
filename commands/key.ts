/** The caller's API key: link (through a private modal/prompt), status, remove, request a new one. */
import { normaliseApiKey } from '../src/core/api-key.js';
import { remember } from '../src/core/bookkeeping.js';
import * as messages from '../src/core/messages/index.js';
import { linkedKey, type Command } from '../src/core/types.js';

export const keySet = {
  verb: ['key', 'set'],
  description: 'Link your mail-service API key (asked privately)',
  usage: 'key set',
  options: [],
  who: 'everyone',
  firstResponse: 'modal',
  async run(ctx, args) {
    // The key arrives from the adapter's modal or hidden prompt, never from a typed line.
    if (typeof args.key !== 'string') return [messages.keySetPromptReply()];
    const parsed = normaliseApiKey(args.key);
    if (!parsed.ok) return [messages.malformedKeyReply(parsed.problem)];

    const check = await ctx.mail.checkKey(parsed.key, ctx.call);
    switch (check.kind) {
      case 'key_ok':
        break;
      case 'key_rejected':
      case 'key_malformed':
      case 'key_missing':
        return [messages.keyNotAcceptedReply(check.requestId)];
      case 'rate_limited':
        return [messages.rateLimitedReply(check)];
      case 'banned':
        return [messages.bannedReply(check)];
      default:
        return [messages.serviceFaultReply(check, ['checking your key'])];
    }
    const { identity, scope } = ctx.invocation;
    const previous = await ctx.store.getKey(identity);
    const record = await ctx.store.setKey(identity, parsed.key, { verifiedAt: Date.now(), verifyResult: 'ok' });
    if (scope) ctx.notifier.notify({ type: 'key_linked', scope, who: identity });
    return [messages.keyLinkedReply(record, previous.status !== 'none')];
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
    if (live !== 'unknown') await remember(ctx, () => ctx.store.updateKeyMeta(identity, { verifiedAt: Date.now(), verifyResult: live }));
    return [messages.keyStatusReply(record, live)];
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
    return [messages.keyRemovedReply(wasLinked)];
  },
} satisfies Command;

/** How long a requested key lives, in days (the service allows 1–9999). */
const REQUESTED_KEY_DAYS = 30;

export const keyRequest = {
  verb: ['key', 'request'],
  description: 'Ask the mail service to e-mail you a new API key',
  usage: 'key request <your e-mail>',
  options: [{ name: 'email', description: 'your own e-mail address', type: 'string', required: true, min: 3, max: 254 }],
  who: 'everyone',
  async run(ctx, args) {
    const email = String(args.email ?? '').trim();
    const outcome = await ctx.mail.requestCredentials(email, REQUESTED_KEY_DAYS, ctx.call);
    switch (outcome.kind) {
      case 'request_sent':
        return [messages.credentialsSentReply(outcome.email, outcome.ttlMinutes)];
      case 'request_cooldown':
        return [messages.credentialsCooldownReply(outcome.email, outcome.nextAllowedAt)];
      case 'managed_domain':
        return [messages.managedDomainReply(outcome.domain)];
      case 'invalid_params':
        return [messages.invalidEmailReply(outcome.hint)];
      case 'rate_limited':
        return [messages.credentialsRateLimitedReply(outcome.retryAfterSeconds, outcome.requestId)];
      case 'banned':
        return [messages.bannedReply(outcome)];
      default:
        return [messages.serviceFaultReply(outcome, ['asking for your key'])];
    }
  },
} satisfies Command;
