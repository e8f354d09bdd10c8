import { failed, result } from '../src/core/outcome.js';
import type { Command } from '../src/core/types.js';

/** The domains a handle receives mail on. */
export default {
  verb: ['domains'],
  description: 'Show the domains every handle receives mail on',
  usage: 'domains',
  options: [],
  who: 'everyone',
  async run(ctx) {
    const outcome = await ctx.mail.domains(ctx.call);
    switch (outcome.kind) {
      case 'domains':
        return result({ kind: 'shown' }, ctx.messages.domainsReply(outcome.domains, outcome.stale));
      case 'rate_limited':
        return failed(outcome, ctx.messages.rateLimitedReply(outcome));
      default:
        return failed(outcome, ctx.messages.serviceFaultReply(outcome, ctx.messages.activities.fetchingDomains()));
    }
  },
} satisfies Command;
