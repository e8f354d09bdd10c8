/**
 * Metrics for a process that serves no /metrics and no /readyz (the console): records nothing,
 * and never loads prom-client (src/ops/metrics.ts does; loading it is ~10 ms of the console's start).
 */
import type { Metrics } from './metrics.js';

/** What the engine and its parts record; a Prometheus registry is only needed to serve it. */
export type CommandMetrics = Omit<Metrics, 'registry'>;

export function noMetrics(): CommandMetrics {
  const nothing = () => { /* not recorded */ };
  return {
    commandFinished: nothing,
    platformRateLimited: nothing,
    mailCall: nothing,
    storeOperation: nothing,
    claimSettlement: nothing,
    commandIntent: nothing,
    lastMailCall: () => undefined,
  };
}
