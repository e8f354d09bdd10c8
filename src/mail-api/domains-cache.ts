/**
 * The service's domain list changes rarely and is shown on every successful create, so it is
 * cached. Concurrent refreshes share one request. When a refresh fails, the last good list is
 * served marked `stale`, and for a short while no new refresh is tried: during an outage each
 * caller would otherwise wait a full timeout for a list we already have.
 */
import type { CallContext, DomainsOutcome } from './outcomes.js';

/** Longest pause before retrying after a failed refresh (never longer than the cache itself). */
const RETRY_AFTER_FAILURE_MS = 30_000;

type Good = { domains: string[]; at: number };

export function createDomainsCache(
  fetchDomains: (call: CallContext) => Promise<DomainsOutcome>,
  options: { ttlMs: number; clock: () => number },
): (call: CallContext) => Promise<DomainsOutcome> {
  const retryAfterFailureMs = Math.min(options.ttlMs, RETRY_AFTER_FAILURE_MS);
  let good: Good | undefined;
  let failedAt: number | undefined;
  let refreshing: Promise<DomainsOutcome> | undefined;

  const served = (list: Good, call: CallContext, stale: boolean): DomainsOutcome =>
    // A copy: callers may sort or filter what they get without touching the cache.
    ({ kind: 'domains', domains: [...list.domains], stale, requestId: call.requestId });

  async function refresh(call: CallContext): Promise<DomainsOutcome> {
    const outcome = await fetchDomains(call);
    if (outcome.kind === 'domains') {
      good = { domains: outcome.domains, at: options.clock() };
      failedAt = undefined;
      return outcome;
    }
    failedAt = options.clock();
    // The id of the request that failed, so the staleness can be traced in the service's logs.
    return good ? served(good, { ...call, requestId: outcome.requestId }, true) : outcome;
  }

  return async (call) => {
    const now = options.clock();
    if (good && now - good.at < options.ttlMs) return served(good, call, false);
    if (good && failedAt !== undefined && now - failedAt < retryAfterFailureMs) return served(good, call, true);
    refreshing ??= refresh(call).finally(() => {
      refreshing = undefined;
    });
    const outcome = await refreshing;
    // Callers that joined a refresh get their own copy of the list.
    return outcome.kind === 'domains' ? { ...outcome, domains: [...outcome.domains] } : outcome;
  };
}
