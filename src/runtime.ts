/**
 * Builds the parts every front door shares, from one configuration: logger, store,
 * mail-service client, metrics, the engine, the admin-channel notifier, and the engine port the
 * front doors hold (never this runtime). Closing it closes them in reverse.
 */
import { commands } from '../commands/index.js';
import { createChannelNotifier } from './core/channel-notifier.js';
import { createClaimLedger } from './core/claim-ledger.js';
import { createEngine, type Engine } from './core/engine.js';
import { createIntents } from './core/intents.js';
import { loggingNotifier, type Notifier, type NotifierEvent } from './core/notifier.js';
import { createEnginePort, type FrontDoorDeps, SEEN_TTL_SECONDS } from './core/port.js';
import { createMailApi } from './mail-api/client.js';
import type { MailApi } from './mail-api/outcomes.js';
import type { Config } from './ops/config.js';
import { createLogger, type Logger } from './ops/logger.js';
import type { Metrics } from './ops/metrics.js';
import type { CommandMetrics } from './ops/no-metrics.js';
import { registerSecret } from './ops/redact.js';
import { openStore, refuseUnopenableStore } from './store/index.js';
import type { Store } from './store/types.js';

export type Runtime<M extends CommandMetrics = Metrics> = {
  config: Config;
  log: Logger;
  store: Store;
  mail: MailApi;
  metrics: M;
  engine: Engine;
  /** What a front door is started with: the engine port, the configuration, the logger. */
  frontDoor: FrontDoorDeps;
  close(): Promise<void>;
};

/**
 * `metrics`: what records the commands (the console passes `noMetrics()`); by default Prometheus
 * metrics, whose module (prom-client) is then loaded — only by a process that serves them.
 */
export async function createRuntime(config: Config, options?: { log?: Logger }): Promise<Runtime>;
export async function createRuntime<M extends CommandMetrics>(config: Config, options: { log?: Logger; metrics: M }): Promise<Runtime<M>>;
export async function createRuntime(config: Config, options: { log?: Logger; metrics?: CommandMetrics } = {}): Promise<Runtime<CommandMetrics>> {
  for (const secret of [config.SLACK_BOT_TOKEN, config.SLACK_APP_TOKEN, config.SLACK_SIGNING_SECRET, config.SLACK_CLIENT_SECRET, config.SLACK_STATE_SECRET, config.DISCORD_TOKEN,
    config.MAIL_API_BOT_TOKEN, config.HANDLE_BOT_SECRET, config.HANDLE_BOT_SECRET_PREVIOUS]) {
    registerSecret(secret);
  }
  const log = options.log ?? createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const metrics = options.metrics ?? (await import('./ops/metrics.js')).createMetrics();
  const store = await openStore({
    url: config.STORE_URL,
    ...(config.HANDLE_BOT_SECRET ? { secret: config.HANDLE_BOT_SECRET } : {}),
    ...(config.HANDLE_BOT_SECRET_PREVIOUS ? { previousSecret: config.HANDLE_BOT_SECRET_PREVIOUS } : {}),
    dataDir: config.DATA_DIR,
    namespacePrefix: config.STORE_PREFIX,
    log: log.child({ part: 'store' }),
    onOperation: (info) => { metrics.storeOperation(info); },
  });
  // Never run with a secret that opens none of the stored keys (data folder moved, secret swapped).
  await refuseUnopenableStore(store);
  const mail = createMailApi({
    baseUrl: config.MAIL_API_URL,
    timeoutMs: config.MAIL_API_TIMEOUT_MS,
    ...(config.MAIL_API_BOT_TOKEN ? { botToken: config.MAIL_API_BOT_TOKEN } : {}),
    domainsCacheSeconds: config.DOMAINS_CACHE_SECONDS,
    log: log.child({ part: 'mail-api' }),
    onCall: (info) => { metrics.mailCall(info); },
  });

  // Every event is logged, and posted to the admin channels of the platforms that registered a target.
  const channels = createChannelNotifier({ store, coalesceSeconds: config.NOTIFY_COALESCE_SECONDS, log: log.child({ part: 'notifier' }) });
  const notifiers: Notifier[] = [loggingNotifier(log.child({ part: 'notifier' })), channels];
  const fanOut: Notifier = {
    notify(event: NotifierEvent) {
      for (const notifier of notifiers) {
        try {
          notifier.notify(event);
        } catch (error) {
          log.warn({ err: error, event: event.type }, 'a notifier failed');
        }
      }
    },
  };
  const claims = createClaimLedger({
    store, log: log.child({ part: 'claims' }),
    onEvent: (event, waiting) => { metrics.claimSettlement(event, waiting); },
  });
  const engine = createEngine({
    config, mail, store, notifier: fanOut, log, commands, claims,
    onCommand: (info) => { metrics.commandFinished(info); },
  });
  // Acknowledged commands a stopped replica left unanswered are finished by another (or by this one, restarted).
  const intents = createIntents({
    store, commands, log: log.child({ part: 'intents' }), leaseMs: config.INTENT_LEASE_SECONDS * 1000, seenTtlMs: SEEN_TTL_SECONDS * 1000,
    onEvent: (event, reason) => { metrics.commandIntent(event, reason); },
  });
  const port = createEnginePort({ engine, store, channels, intents, notify: (event) => { fanOut.notify(event); }, log });

  return {
    config, log, store, mail, metrics, engine,
    frontDoor: { engine: port, config, log, metrics },
    async close() {
      await channels.close();
      await claims.close();
      // Stops renewing: what is still unanswered stays in the store for another replica.
      intents.close();
      await mail.close();
      await store.close();
    },
  };
}
