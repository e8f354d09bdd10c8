/**
 * Prometheus metrics. Labels are verbs, outcomes, routes and store operations only: never a
 * user, a handle or anything else with unbounded cardinality or personal data.
 * The last mail-service answer is kept too, so readiness can report the service's state.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the last mail-service call said about the service (not about the user's request). */
export type MailServiceState = { ok: boolean; outcome: string; route: string; at: number };

export type Metrics = {
  registry: Registry;
  commandFinished(info: { platform: string; verb: string; tone: string; durationMs: number }): void;
  /** A chat platform answered "slow down" (Slack `rate_limited`, discord.js REST `rateLimited`). */
  platformRateLimited(info: { platform: string; route: string }): void;
  mailCall(info: { route: string; outcome: string; durationMs: number }): void;
  storeOperation(info: { operation: string; outcome: string; durationMs: number }): void;
  /** A settled create missed the store and is kept in memory (`kept`), reached it later (`written`), or was dropped from a full queue. */
  claimSettlement(event: 'kept' | 'written' | 'dropped', waiting: number): void;
  /** A command a dead (or restarted) replica left unanswered: taken over and answered (`recovered`), or given up (`abandoned`, and why). */
  commandIntent(event: 'recovered' | 'abandoned', reason?: string): void;
  /** The last mail-service call's verdict, or undefined before the first call. */
  lastMailCall(): MailServiceState | undefined;
};

/** Outcomes that mean the service itself is failing (the rest are answers about the request). */
const SERVICE_FAULTS = new Set(['service_error', 'service_unavailable', 'timeout', 'unreachable', 'unexpected_response']);

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const commands = new Counter({
    name: 'handlebot_commands_total', help: 'Commands handled, by platform, verb and reply tone', labelNames: ['platform', 'verb', 'tone'], registers: [registry],
  });
  const commandSeconds = new Histogram({
    name: 'handlebot_command_duration_seconds', help: 'Time from dispatch to replies, by platform and verb', labelNames: ['platform', 'verb'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20], registers: [registry],
  });
  const mailCalls = new Counter({
    name: 'handlebot_mail_api_calls_total', help: 'Mail-service calls, by route and outcome', labelNames: ['route', 'outcome'], registers: [registry],
  });
  const mailSeconds = new Histogram({
    name: 'handlebot_mail_api_duration_seconds', help: 'Mail-service call latency, by route', labelNames: ['route'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15], registers: [registry],
  });
  const storeSeconds = new Histogram({
    name: 'handlebot_store_operation_duration_seconds',
    help: 'Store operation latency, by operation and outcome (ok, error, timeout)',
    labelNames: ['operation', 'outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
    registers: [registry],
  });
  const rateLimits = new Counter({
    name: 'handlebot_platform_rate_limited_total',
    help: 'Rate-limit answers from a chat platform, by platform and route (Web API method or REST route)',
    labelNames: ['platform', 'route'],
    registers: [registry],
  });
  const settlements = new Counter({
    name: 'handlebot_claim_settlements_unsaved_total',
    help: 'Settled creates the store could not take at once: kept in memory, written later, or dropped (queue full)',
    labelNames: ['event'],
    registers: [registry],
  });
  const waitingSettlements = new Gauge({
    name: 'handlebot_claim_settlements_waiting', help: 'Settled creates kept in memory, waiting for the store', registers: [registry],
  });
  const intents = new Counter({
    name: 'handlebot_command_intents_total',
    help: 'Acknowledged commands left unanswered by a replica that died: recovered by another (or by itself, restarted), or abandoned (too old, too many takeovers, unreadable)',
    labelNames: ['event', 'reason'],
    registers: [registry],
  });
  let lastMail: MailServiceState | undefined;
  return {
    registry,
    commandFinished({ platform, verb, tone, durationMs }) {
      commands.inc({ platform, verb, tone });
      commandSeconds.observe({ platform, verb }, durationMs / 1000);
    },
    platformRateLimited({ platform, route }) {
      rateLimits.inc({ platform, route });
    },
    mailCall({ route, outcome, durationMs }) {
      mailCalls.inc({ route, outcome });
      mailSeconds.observe({ route }, durationMs / 1000);
      lastMail = { ok: !SERVICE_FAULTS.has(outcome), outcome, route, at: Date.now() };
    },
    storeOperation({ operation, outcome, durationMs }) {
      storeSeconds.observe({ operation, outcome }, durationMs / 1000);
    },
    claimSettlement(event, waiting) {
      settlements.inc({ event });
      waitingSettlements.set(waiting);
    },
    commandIntent(event, reason = '') {
      intents.inc({ event, reason });
    },
    lastMailCall: () => lastMail,
  };
}
