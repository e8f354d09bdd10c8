/**
 * handle-bot as it runs in production, in a bench child process: the configuration parsed
 * from an environment by loadConfig, createRuntime (SQLite store, mail client, engine) and
 * the real Slack (HTTP mode) or Discord (gateway) front door, pointed at the fakes.
 * Users' keys are linked by writing the store directly (`store.setKey`), sealed as usual.
 * Only the front door under test is imported (a Slack process never loads discord.js), as a
 * deployment with one platform configured would.
 */
import type { ApiKey } from '../src/domain/api-key.js';
import { discordIdentity, slackIdentity } from '../src/domain/identity.js';
import { type Config, loadConfig } from '../src/ops/config.js';
import { consoleLogger } from '../src/ops/logger.js';
import { createRuntime } from '../src/runtime.js';
import type { BenchUser, BotEnv, RunningBot } from './protocol.js';

const SEED_BATCH = 50;

/** What to start: `slack` is HTTP mode; `slack-socket` and `console` are timed for start-up only. */
export type HandleBotDoor = 'slack' | 'slack-socket' | 'discord' | 'console';

function platformConfig(env: BotEnv, door: HandleBotDoor): Record<string, string | undefined> {
  switch (door) {
    case 'slack':
      return { SLACK_BOT_TOKEN: 'xoxb-bench-handle-bot', SLACK_SIGNING_SECRET: env.signingSecret, SLACK_API_URL: env.slackApiUrl, SLACK_PORT: '0' };
    case 'slack-socket':
      return { SLACK_BOT_TOKEN: 'xoxb-bench-handle-bot', SLACK_APP_TOKEN: 'xapp-bench-handle-bot', SLACK_API_URL: env.slackApiUrl };
    case 'discord':
      return { DISCORD_TOKEN: 'bench.handle-bot.token', DISCORD_APPLICATION_ID: env.applicationId, DISCORD_API_URL: env.discordApiUrl };
    case 'console':
      return {};
  }
}

export async function startHandleBot(env: BotEnv, platform: HandleBotDoor, options: { bypass?: boolean } = {}): Promise<RunningBot> {
  const config = loadConfig({
    MAIL_API_URL: env.mailUrl,
    STORE_URL: `sqlite://${env.dataDir}/handle-bot.sqlite`,
    DATA_DIR: env.dataDir,
    LOG_LEVEL: env.logLevel,
    ...platformConfig(env, platform),
    ...env.extraEnv,
  });
  if (platform === 'console') return startConsole(config);
  const runtime = await createRuntime(config);
  let stopFrontDoor: () => Promise<void>;
  let port: number | undefined;
  if (platform === 'slack-socket') {
    const { startSlack } = await import('../src/slack/index.js');
    const slack = await startSlack(runtime.frontDoor, {});
    stopFrontDoor = () => slack.stop();
  } else if (platform === 'slack') {
    const { startSlack } = await import('../src/slack/index.js');
    const slack = await startSlack(runtime.frontDoor, { port: 0, host: '127.0.0.1' });
    port = slack.port;
    stopFrontDoor = () => slack.stop();
  } else {
    const { startDiscord } = await import('../src/discord/index.js');
    const discord = await startDiscord(runtime.frontDoor, { interactionWebhooksBypassGlobalLimit: options.bypass !== false });
    stopFrontDoor = () => discord.stop();
  }
  const readyAtEpochMs = performance.timeOrigin + performance.now();
  const identityOf = (user: BenchUser) => (platform !== 'discord' ? slackIdentity(env.teamId ?? '', user.userId) : discordIdentity(user.userId));

  return {
    ...(port === undefined ? {} : { port }),
    readyAtEpochMs,
    async seed(users) {
      for (let i = 0; i < users.length; i += SEED_BATCH) {
        await Promise.all(users.slice(i, i + SEED_BATCH).map((user) => runtime.store.setKey(identityOf(user), user.key as ApiKey)));
      }
    },
    async stop() {
      await stopFrontDoor();
      await runtime.close();
    },
  };
}

/** As `handle-bot console` starts (src/cli.ts): its modules and the runtime; ready to read the first line. */
async function startConsole(config: Config): Promise<RunningBot> {
  const [{ runConsole }, { consoleLocale }] = await Promise.all([import('../src/console/console.js'), import('../src/console/locale.js')]);
  const runtime = await createRuntime(config, { log: consoleLogger(config) });
  // Referenced so the modules are loaded and linked as the console uses them, not tree-shaken away.
  if (typeof runConsole !== 'function' || typeof consoleLocale !== 'function') throw new Error('console modules missing');
  return {
    readyAtEpochMs: performance.timeOrigin + performance.now(),
    seed: () => Promise.resolve(),
    stop: () => runtime.close(),
  };
}
