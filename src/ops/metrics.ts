/**
 * Prometheus metrics. Labels are verbs, outcomes and routes only: never a user, a handle or
 * anything else with unbounded cardinality or personal data.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = {
  registry: Registry;
  commandFinished(info: { verb: string; tone: string; durationMs: number }): void;
  mailCall(info: { route: string; outcome: string; durationMs: number }): void;
};

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const commands = new Counter({
    name: 'handlebot_commands_total', help: 'Commands handled, by verb and reply tone', labelNames: ['verb', 'tone'], registers: [registry],
  });
  const commandSeconds = new Histogram({
    name: 'handlebot_command_duration_seconds', help: 'Time from dispatch to replies, by verb', labelNames: ['verb'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20], registers: [registry],
  });
  const mailCalls = new Counter({
    name: 'handlebot_mail_api_calls_total', help: 'Mail-service calls, by route and outcome', labelNames: ['route', 'outcome'], registers: [registry],
  });
  const mailSeconds = new Histogram({
    name: 'handlebot_mail_api_duration_seconds', help: 'Mail-service call latency, by route', labelNames: ['route'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15], registers: [registry],
  });
  return {
    registry,
    commandFinished({ verb, tone, durationMs }) {
      commands.inc({ verb, tone });
      commandSeconds.observe({ verb }, durationMs / 1000);
    },
    mailCall({ route, outcome, durationMs }) {
      mailCalls.inc({ route, outcome });
      mailSeconds.observe({ route }, durationMs / 1000);
    },
  };
}
