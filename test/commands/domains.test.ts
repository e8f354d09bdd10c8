import { describe, expect, it } from 'vitest';
import domains from '../../commands/domains.js';
import type { DomainsOutcome } from '../../src/mail-api/outcomes.js';
import { base, fakeCtx } from './fake-ctx.js';

const answering = (outcome: DomainsOutcome) => fakeCtx({ mail: { domains: () => Promise.resolve(outcome) } }).ctx;

describe('domains', () => {
  it.each([
    [{ ...base, kind: 'domains', domains: ['a.test'], stale: false }, { kind: 'shown' }],
    [{ ...base, kind: 'rate_limited', retryAfterSeconds: 3, scope: 'origin' }, { kind: 'failed', reason: 'rate_limited' }],
    [{ ...base, kind: 'unreachable' }, { kind: 'failed', reason: 'unreachable' }],
  ] as [DomainsOutcome, object][])('%o', async (outcome, expected) => {
    const result = await domains.run(answering(outcome));
    expect(result.outcome).toEqual(expected);
    expect(result.replies).toHaveLength(1);
  });
});
