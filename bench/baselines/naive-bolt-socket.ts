/**
 * Start-up baseline for Slack Socket Mode: the naive Bolt bot's app in Socket Mode with its
 * defaults (bench/startup.ts times fork → connected; it serves no load).
 */
import { App } from '@slack/bolt';
import type { BotEnv, RunningBot } from '../protocol.js';

export async function startBot(env: BotEnv): Promise<RunningBot> {
  const app = new App({
    token: 'xoxb-bench-naive',
    appToken: 'xapp-bench-naive',
    socketMode: true,
    clientOptions: { slackApiUrl: env.slackApiUrl ?? '' },
  });
  app.command('/handle', async ({ ack }) => { await ack(); });
  await app.start();
  return {
    readyAtEpochMs: performance.timeOrigin + performance.now(),
    seed: () => Promise.resolve(),
    stop: () => app.stop().then(() => undefined),
  };
}
