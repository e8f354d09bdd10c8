/**
 * The Slack front door: a Bolt app in Socket Mode (SLACK_APP_TOKEN set) or HTTP mode
 * (`POST /slack/events` on SLACK_PORT, signatures verified, `/healthz` on the same server),
 * wired to the engine. `stop()` stops taking new work, lets in-flight work finish (bounded),
 * then closes the receiver; the caller closes the runtime (store, mail client) afterwards.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type AppOptions } from '@slack/bolt';
import { createAdmission } from '../core/admission.js';
import { catalogue } from '../core/messages/index.js';
import type { FrontDoorDeps } from '../core/port.js';
import { newRequestId } from '../core/request-id.js';
import { slackScope } from '../domain/scope.js';
import { obj, str } from '../domain/untyped.js';
import { slackHosted } from '../ops/config.js';
import { deadlinesFor } from '../ops/deadlines.js';
import { createHealthRegistry, handleHealthRequest, HEALTH_PATHS, type HealthRegistry } from '../ops/health.js';
import { createInflight } from '../ops/inflight.js';
import { processBodyGate, type BodyGate } from '../ops/http-guard.js';
import { boltLogger } from './bolt-logger.js';
import { deliverReplies } from './deliver.js';
import { registerSlackListeners } from './listeners/index.js';
import { SLACK_EVENTS_PATH } from './manifest.js';
import { createSlackScopes, slackNotificationTarget } from './notifications.js';
import { respondVia } from './response-url.js';
import { guardSlackReceiver } from './request-guard.js';
import { withPageLocale } from './install-pages.js';
import { hostedOAuthOptions, workspaceToken } from './oauth.js';
import { createUserDirectory } from './user-directory.js';
import { countingRateLimits, webApiFetch } from './web-api-fetch.js';

export type StartSlackOptions = {
  /** Where `slack` reports its state; `/healthz` in HTTP mode answers from it. Default: a registry of its own. */
  health?: HealthRegistry;
  /** HTTP mode: the port (default SLACK_PORT; 0 picks a free one) and address (default all interfaces). */
  port?: number;
  host?: string;
  /** Web API retries after a failure or rate limit (default 2, quickly; tests use 0). */
  retries?: number;
  /** Web API request timeout, ms (default: ops/deadlines.ts). */
  apiTimeoutMs?: number;
  /** How long stop() waits for in-flight work, ms (default: the drain deadline of ops/deadlines.ts). */
  drainTimeoutMs?: number;
  /** users.info cache lifetime, seconds (default 600). */
  userCacheSeconds?: number;
  /** How long the Workflow Builder step may run before it fails (default: the step deadline of ops/deadlines.ts). */
  stepDeadlineMs?: number;
  /** HTTP mode: the limits on unauthenticated bodies (default: the one gate the whole process shares). */
  bodyGate?: BodyGate;
  /** Socket Mode with OAuth: the installer pages' port (default SLACK_INSTALLER_PORT; 0 picks a free one). */
  installerPort?: number;
  /** Commands computing at once after their ack (default: core/admission's DEFAULT_ADMISSION_LIMIT). */
  admissionLimit?: number;
};

export type SlackHandle = {
  app: App;
  mode: 'socket' | 'http';
  /** HTTP mode: the port actually listened on. */
  port?: number;
  /** Socket Mode with OAuth: the port of the installer pages. */
  installerPort?: number;
  /** Many workspaces, each installed with "Add to Slack" (SLACK_CLIENT_ID & co), or one (SLACK_BOT_TOKEN). */
  hosted: boolean;
  health: HealthRegistry;
  /** Commands and presses still running (for logs and tests). */
  readonly inflight: number;
  /** Resolves when nothing is in flight (or after `timeoutMs`, default the drain deadline), with how much was left. */
  whenIdle(timeoutMs?: number): Promise<{ left: number }>;
  /** Admin notifications: `flush()` posts what open coalescing windows hold; `idle()` waits for posts under way. */
  notifications: { flush(): Promise<void>; idle(): Promise<void> };
  stop(): Promise<void>;
};

/** The last overload of app.error: `{error, logger, body, context}` (extendedErrorHandler). */
type ExtendedErrorHandler = Parameters<App['error']>[0];


export async function startSlack(door: FrontDoorDeps, options: StartSlackOptions = {}): Promise<SlackHandle> {
  const { config, engine } = door;
  const token = config.SLACK_BOT_TOKEN;
  const hosted = slackHosted(config);
  if (!token && !hosted) throw new Error('neither SLACK_BOT_TOKEN nor SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are set: Slack cannot start');
  const socketMode = config.SLACK_APP_TOKEN !== undefined;
  if (!socketMode && !config.SLACK_SIGNING_SECRET) throw new Error('HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)');

  const log = door.log.child({ part: 'slack' });
  const configured = deadlinesFor(config);
  const deadlines = {
    ...configured,
    ...(options.stepDeadlineMs === undefined ? {} : { stepMs: options.stepDeadlineMs }),
    ...(options.drainTimeoutMs === undefined ? {} : { drainMs: options.drainTimeoutMs }),
  };
  const health = options.health ?? createHealthRegistry();
  const inflight = createInflight();
  const users = createUserDirectory({ ttlMs: (options.userCacheSeconds ?? 600) * 1000, log });
  let stopping = false;

  const retries = options.retries ?? 2;
  const clientOptions = {
    slackApiUrl: config.SLACK_API_URL,
    retryConfig: { retries, factor: 2, minTimeout: 250, maxTimeout: 2000 },
    timeout: options.apiTimeoutMs ?? deadlines.webApiMs,
    fetch: door.metrics ? countingRateLimits(webApiFetch, (route) => { door.metrics?.platformRateLimited({ platform: 'slack', route }); }) : webApiFetch,
  };
  const logger = boltLogger(log);
  const oauth = hosted
    ? hostedOAuthOptions({ engine, config, log, clientOptions, ...(socketMode ? { installerPort: options.installerPort ?? config.SLACK_INSTALLER_PORT } : {}) })
    : { installerOptions: { clientOptions } };
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN ?? '', logger, ...oauth })
    : new HTTPReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET ?? '',
        endpoints: SLACK_EVENTS_PATH,
        // guardSlackReceiver (below) verifies every POST to the events path before Bolt sees it.
        signatureVerification: false,
        logger,
        ...(hosted ? oauth : {}),
        customRoutes: HEALTH_PATHS.map((path) => ({
          path,
          method: ['GET'],
          handler: (req, res) => {
            if (!handleHealthRequest(req, res, health)) res.writeHead(404).end();
          },
        })),
      });
  const installer = receiver instanceof SocketModeReceiver && hosted ? localiseInstallerPages(receiver) : undefined;
  if (receiver instanceof HTTPReceiver) {
    guardSlackReceiver(receiver, { signingSecret: config.SLACK_SIGNING_SECRET ?? '', endpoint: SLACK_EVENTS_PATH, gate: options.bodyGate ?? processBodyGate(log), log });
    // The install pages speak the visitor's language.
    if (hosted) receiver.requestListener = withPageLocale(receiver.requestListener);
  }
  const appOptions: AppOptions = {
    // Hosted: no token of our own; Bolt's authorize fetches each workspace's from the installation store.
    ...(token ? { token } : {}),
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

  // The workspaces this deployment serves (where outage notices go).
  const scopes = createSlackScopes();
  // The work after each ack waits its turn here, so acks are never starved by it.
  const admission = createAdmission(options.admissionLimit);
  // Hosted: a workspace's own token, with the same options (fetch, retries, timeout) as Bolt's clients.
  const workspaceClient = async (teamId: string) => (hosted ? new webApi.WebClient(await workspaceToken(engine, teamId), clientOptions) : app.client);
  registerSlackListeners(app, { engine, log, users, inflight, admission, scopes, deadlines, hosted, workspaceClient, isStopping: () => stopping });

  // Whatever escapes a listener or a middleware ends here: log it, apologise if we can, live on.
  const onError: ExtendedErrorHandler = async ({ error, body }) => {
    const requestId = newRequestId();
    log.error({ err: error, requestId }, 'slack: unhandled error');
    // Posted like every other answer (undici, pooled); a failure is logged by deliverReplies.
    await deliverReplies(respondVia(str(obj(body)?.response_url), deadlines.responseUrlMs), [catalogue(undefined).internalErrorReply(requestId)], log);
  };
  app.error(onError);

  health.set('slack', { ok: false, detail: 'starting' });
  await app.init();
  if (!hosted) {
    // The bot token's own workspace hears about outages even before anyone there used the bot.
    const self = await app.client.auth.test();
    if (typeof self.team_id === 'string' && self.team_id !== '') scopes.add(slackScope(self.team_id));
  }
  // Admin notifications for those workspaces (the core decides what is posted where and when;
  // a failure to post never reaches a user's command). Hosted: each with its workspace's token.
  const notifications = engine.registerTarget(slackNotificationTarget(app.client, scopes, log.child({ part: 'slack-notifier' }), hosted ? {
    tokenFor: (teamId) => workspaceToken(engine, teamId),
    onRevoked: (teamId) => engine.workspaces.gone({ teamId }, 'token_refused'),
  } : {}));

  let port: number | undefined;
  let installerPort: number | undefined;
  if (receiver instanceof SocketModeReceiver) {
    watchSocket(receiver, health, () => stopping);
    await app.start();
    if (installer) {
      if (!installer.listening) await new Promise((resolve) => installer.once('listening', resolve));
      installerPort = (installer.address() as AddressInfo).port;
    }
    health.set('slack', { ok: true, detail: 'socket mode connected' });
  } else {
    const server = (await app.start({ port: options.port ?? config.SLACK_PORT, host: options.host ?? '0.0.0.0' })) as Server;
    port = (server.address() as AddressInfo).port;
    health.set('slack', { ok: true, detail: `http on port ${port}` });
  }
  log.info({ mode: socketMode ? 'socket' : 'http', hosted, ...(port === undefined ? {} : { port }), ...(installerPort === undefined ? {} : { installerPort }) }, 'slack ready');

  let stopped: Promise<void> | undefined;
  return {
    app,
    mode: socketMode ? 'socket' : 'http',
    hosted,
    ...(port === undefined ? {} : { port }),
    ...(installerPort === undefined ? {} : { installerPort }),
    health,
    get inflight() {
      return inflight.size;
    },
    whenIdle: (timeoutMs = deadlines.drainMs) => inflight.drain(timeoutMs),
    notifications: { flush: () => notifications.flush(), idle: () => notifications.idle() },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        // Unhealthy first, so a load balancer stops sending us work while we drain.
        health.set('slack', { ok: false, detail: 'stopping' });
        const { left } = await inflight.drain(deadlines.drainMs);
        if (left > 0) log.warn({ left }, 'slack: stopping with work still in flight');
        // What coalescing windows still hold is posted now, not lost.
        await notifications.close();
        await app.stop();
        health.set('slack', { ok: false, detail: 'stopped' });
        log.info('slack stopped');
      })();
      return stopped;
    },
  };
}

/**
 * Socket Mode's installer server (Bolt creates it, private, for the OAuth pages) gets its
 * request listener wrapped so the pages speak the visitor's language; returned for its port.
 */
function localiseInstallerPages(receiver: SocketModeReceiver): Server | undefined {
  const server = (receiver as unknown as { httpServer?: Server }).httpServer;
  const [bolt] = (server?.listeners('request') ?? []) as Parameters<typeof withPageLocale>[0][];
  if (!server || !bolt) return server;
  server.removeAllListeners('request');
  server.on('request', withPageLocale(bolt));
  return server;
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
