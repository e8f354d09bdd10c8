/**
 * `handle-bot start`: every front door whose credentials are configured, the health server
 * when HEALTH_PORT is set, and a graceful stop on SIGTERM/SIGINT. With no platform
 * configured, a person at a terminal gets the console (after being told how to enable
 * Slack/Discord); anything else (a service manager, a pipe) gets a clear error.
 *
 * Each platform's SDK is imported only when that platform is configured: a Slack-only process
 * never loads discord.js (and the reverse), the console loads neither — less memory, faster
 * start (test/ops/lazy-sdk.test.ts).
 */
import type http from 'node:http';
import { slackConfigured, type Config } from './ops/config.js';
import { addRuntimeChecks, createHealthRegistry, startHealthServer } from './ops/health.js';
import { consoleLogger } from './ops/logger.js';
import { explainStartupError } from './ops/startup-errors.js';
import { createRuntime, type Runtime } from './runtime.js';

const HOW_TO_ENABLE = `No chat platform is configured. Set, in the environment or in .env:
  Slack:   SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and
           SLACK_STATE_SECRET (any workspace, "Add to Slack"), plus SLACK_APP_TOKEN (Socket Mode)
           or SLACK_SIGNING_SECRET (HTTP)
  Discord: DISCORD_TOKEN and DISCORD_APPLICATION_ID
See README.md and .env.example.`;

type FrontDoor = { name: string; stop(): Promise<void> };

export async function startConfigured(config: Config, options: { user: string; locale?: string | undefined }): Promise<number> {
  if (!slackConfigured(config) && !config.DISCORD_TOKEN) return consoleInstead(config, options.user, options.locale);

  const runtime = await createRuntime(config);
  const health = createHealthRegistry();
  addRuntimeChecks(health, runtime);
  const doors: FrontDoor[] = [];
  let healthServer: http.Server | undefined;
  try {
    if (config.HEALTH_PORT !== undefined) healthServer = await startHealthServer(config.HEALTH_PORT, health, runtime.metrics);
    if (slackConfigured(config)) {
      // A stop waits for commands already running as long as the longest one can take (ops/deadlines.ts).
      const { startSlack } = await import('./slack/index.js');
      const slack = await startSlack(runtime.frontDoor, { health });
      doors.push({ name: 'slack', stop: () => slack.stop() });
    }
    if (config.DISCORD_TOKEN) {
      const { startDiscord } = await import('./discord/index.js');
      const discord = await startDiscord(runtime.frontDoor, { health });
      doors.push({ name: 'discord', stop: () => discord.stop() });
    }
  } catch (error) {
    runtime.log.fatal({ err: error }, 'could not start');
    process.stderr.write(`handle-bot could not start: ${explainStartupError(error, config)}\n`);
    await stopAll(runtime, doors, healthServer);
    return 1;
  }

  await untilSignal();
  runtime.log.info('stopping: finishing the commands in flight');
  await stopAll(runtime, doors, healthServer);
  return 0;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

async function stopAll(runtime: Runtime, doors: FrontDoor[], healthServer: http.Server | undefined): Promise<void> {
  await Promise.all(doors.map(async (door) => {
    try {
      await door.stop();
    } catch (error) {
      runtime.log.warn({ err: error, part: door.name }, 'stop failed');
    }
  }));
  healthServer?.close();
  await runtime.close();
}

async function consoleInstead(config: Config, user: string, locale: string | undefined): Promise<number> {
  if (!process.stdin.isTTY) {
    process.stderr.write(`${HOW_TO_ENABLE}\nTo try the bot without a chat platform: npm run demo (or npm run console)\n`);
    return 1;
  }
  process.stderr.write(`${HOW_TO_ENABLE}\nStarting the console instead.\n\n`);
  // The console's stdout is the conversation; logs go to stderr.
  const [{ runConsole }, { consoleLocale }, { noMetrics }] = await Promise.all([import('./console/console.js'), import('./console/locale.js'), import('./ops/no-metrics.js')]);
  const runtime = await createRuntime(config, { log: consoleLogger(config), metrics: noMetrics() });
  try {
    await runConsole({ engine: runtime.frontDoor.engine, user, input: process.stdin, output: process.stdout, locale: consoleLocale(locale, process.env) });
  } finally {
    await runtime.close();
  }
  return 0;
}
