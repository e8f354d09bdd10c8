/**
 * The Slack front door: a Bolt app in Socket Mode (SLACK_APP_TOKEN set) or HTTP mode
 * (`POST /slack/events` on SLACK_PORT, signatures verified, `/healthz` on the same server),
 * wired to the engine. `stop()` stops taking new work, lets in-flight work finish (bounded),
 * then closes the receiver; the caller closes the runtime (store, mail client) afterwards.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type AppOptions } from '@slack/bolt';
import * as messages from '../core/messages/index.js';
import { newRequestId } from '../core/request-id.js';
import { createHealthRegistry, handleHealthRequest, type HealthRegistry } from '../ops/health.js';
import { processBodyGate, type BodyGate } from '../ops/http-guard.js';
import type { Runtime } from '../runtime.js';
import { boltLogger } from './bolt-logger.js';
import { SLACK_EVENTS_PATH } from './manifest.js';
import { createInflight } from './inflight.js';
import { registerSlackListeners } from './listeners.js';
import { createSlackNotifier, createSlackScopes, slackScope } from './notifications.js';
import { renderSlackReply } from './render.js';
import { guardSlackReceiver } from './request-guard.js';
import { createUserDirectory } from './user-directory.js';

export type StartSlackOptions = {
  /** Where `slack` reports its state; `/healthz` in HTTP mode answers from it. Default: a registry of its own. */
  health?: HealthRegistry;
  /** HTTP mode: the port (default SLACK_PORT; 0 picks a free one) and address (default all interfaces). */
  port?: number;
  host?: string;
  /** Web API retries after a failure or rate limit (default 2, quickly; tests use 0). */
  retries?: number;
  /** Web API request timeout, ms (default 10 000). */
  apiTimeoutMs?: number;
  /** How long stop() waits for in-flight work, ms (default 10 000). */
  drainTimeoutMs?: number;
  /** users.info cache lifetime, seconds (default 600). */
  userCacheSeconds?: number;
  /** How long the Workflow Builder step may run before it fails (default: twice MAIL_API_TIMEOUT_MS plus 5 s). */
  stepDeadlineMs?: number;
  /** HTTP mode: the limits on unauthenticated bodies (default: the one gate the whole process shares). */
  bodyGate?: BodyGate;
};

export type SlackHandle = {
  app: App;
  mode: 'socket' | 'http';
  /** HTTP mode: the port actually listened on. */
  port?: number;
  health: HealthRegistry;
  /** Commands and presses still running (for logs and tests). */
  readonly inflight: number;
  /** Resolves when nothing is in flight (or after `timeoutMs`), with how much was left. */
  whenIdle(timeoutMs?: number): Promise<{ left: number }>;
  /** Admin notifications: `flush()` posts what open coalescing windows hold; `idle()` waits for posts under way. */
  notifications: { flush(): Promise<void>; idle(): Promise<void> };
  stop(): Promise<void>;
};

/** The last overload of app.error: `{error, logger, body, context}` (extendedErrorHandler). */
type ExtendedErrorHandler = Parameters<App['error']>[0];


export async function startSlack(runtime: Runtime, options: StartSlackOptions = {}): Promise<SlackHandle> {
  const { config } = runtime;
  const token = config.SLACK_BOT_TOKEN;
  if (!token) throw new Error('SLACK_BOT_TOKEN is not set: Slack cannot start');
  const socketMode = config.SLACK_APP_TOKEN !== undefined;
  if (!socketMode && !config.SLACK_SIGNING_SECRET) throw new Error('HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)');

  const log = runtime.log.child({ part: 'slack' });
  const health = options.health ?? createHealthRegistry();
  const inflight = createInflight();
  const users = createUserDirectory({ ttlMs: (options.userCacheSeconds ?? 600) * 1000, log });
  let stopping = false;

  const retries = options.retries ?? 2;
  const clientOptions = {
    slackApiUrl: config.SLACK_API_URL,
    retryConfig: { retries, factor: 2, minTimeout: 250, maxTimeout: 2000 },
    timeout: options.apiTimeoutMs ?? 10_000,
  };
  const logger = boltLogger(log);
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN ?? '', logger, installerOptions: { clientOptions } })
    : new HTTPReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET ?? '',
        endpoints: SLACK_EVENTS_PATH,
        logger,
        customRoutes: [
          {
            path: '/healthz',
            method: ['GET'],
            handler: (req, res) => {
              if (!handleHealthRequest(req, res, health)) res.writeHead(404).end();
            },
          },
        ],
      });
  if (receiver instanceof HTTPReceiver) {
    guardSlackReceiver(receiver, { signingSecret: config.SLACK_SIGNING_SECRET ?? '', endpoint: SLACK_EVENTS_PATH, gate: options.bodyGate ?? processBodyGate(log), log });
  }
  const appOptions: AppOptions = {
    token,
    receiver,
    logger,
    clientOptions,
    // auth.test runs in init(), awaited below, so a bad token fails the start with a clear error.
    deferInitialization: true,
    extendedErrorHandler: true,
    // Bolt's conversation store would keep every channel in memory for nothing.
    convoStore: false,
  };
  const app = new App(socketMode ? { ...appOptions, socketMode: true } : appOptions);

  // Admin notifications for every Slack workspace this deployment serves (the channel notifier
  // decides what is posted where and when; a failure to post never reaches a user's command).
  const scopes = createSlackScopes();
  const notifier = createSlackNotifier({
    client: app.client,
    store: runtime.store,
    scopes,
    coalesceSeconds: config.NOTIFY_COALESCE_SECONDS,
    log,
  });

  registerSlackListeners(app, {
    engine: runtime.engine,
    store: runtime.store,
    log,
    users,
    inflight,
    notifier,
    mail: runtime.mail,
    scopes,
    stepDeadlineMs: options.stepDeadlineMs ?? config.MAIL_API_TIMEOUT_MS * 2 + 5_000,
    isStopping: () => stopping,
  });

  // Whatever escapes a listener or a middleware ends here: log it, apologise if we can, live on.
  const onError: ExtendedErrorHandler = async ({ error, body }) => {
    const requestId = newRequestId();
    log.error({ err: error, requestId }, 'slack: unhandled error');
    const responseUrl = (body as { response_url?: unknown } | undefined)?.response_url;
    if (typeof responseUrl !== 'string') return;
    try {
      const response = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...renderSlackReply(messages.internalErrorReply(requestId)), response_type: 'ephemeral', replace_original: false }),
      });
      await response.arrayBuffer();
    } catch (respondError) {
      log.warn({ err: respondError, requestId }, 'could not deliver the apology');
    }
  };
  app.error(onError);

  health.set('slack', { ok: false, detail: 'starting' });
  await app.init();
  // The bot token's own workspace hears about outages even before anyone there used the bot.
  const self = await app.client.auth.test();
  if (typeof self.team_id === 'string' && self.team_id !== '') scopes.remember(slackScope(self.team_id));
  runtime.addNotifier(notifier);

  let port: number | undefined;
  if (receiver instanceof SocketModeReceiver) {
    watchSocket(receiver, health, () => stopping);
    await app.start();
    health.set('slack', { ok: true, detail: 'socket mode connected' });
  } else {
    const server = (await app.start({ port: options.port ?? config.SLACK_PORT, host: options.host ?? '0.0.0.0' })) as Server;
    port = (server.address() as AddressInfo).port;
    health.set('slack', { ok: true, detail: `http on port ${port}` });
  }
  log.info({ mode: socketMode ? 'socket' : 'http', ...(port === undefined ? {} : { port }) }, 'slack ready');

  let stopped: Promise<void> | undefined;
  return {
    app,
    mode: socketMode ? 'socket' : 'http',
    ...(port === undefined ? {} : { port }),
    health,
    get inflight() {
      return inflight.size;
    },
    whenIdle: (timeoutMs = 10_000) => inflight.drain(timeoutMs),
    notifications: { flush: () => notifier.flush(), idle: () => notifier.idle() },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        // Unhealthy first, so a load balancer stops sending us work while we drain.
        health.set('slack', { ok: false, detail: 'stopping' });
        const { left } = await inflight.drain(options.drainTimeoutMs ?? 10_000);
        if (left > 0) log.warn({ left }, 'slack: stopping with work still in flight');
        // What coalescing windows still hold is posted now, not lost.
        await notifier.close();
        await app.stop();
        health.set('slack', { ok: false, detail: 'stopped' });
        log.info('slack stopped');
      })();
      return stopped;
    },
  };
}

/** Socket Mode's connection state goes into /healthz (the client reconnects by itself). */
function watchSocket(receiver: SocketModeReceiver, health: HealthRegistry, isStopping: () => boolean): void {
  const report = (ok: boolean, detail: string) => () => {
    // Once stopping, stop() owns the state ("stopping", then "stopped").
    if (!isStopping()) health.set('slack', { ok, detail });
  };
  receiver.client.on('connected', report(true, 'socket mode connected'));
  receiver.client.on('reconnecting', report(false, 'socket mode reconnecting'));
  receiver.client.on('disconnected', report(false, 'socket mode disconnected'));
}
