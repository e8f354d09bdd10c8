/**
 * A whole `handle-bot start` process in Slack HTTP mode, with the fake Slack (the harness's
 * users and channels) and the fake mail API it talks to, and a SQLite store in its own
 * working directory (`data/handle-bot.sqlite` under `bot.cwd`).
 */
import { startSlackBot, type CliProcess } from '../helpers/cli-process.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack.js';
import { BOT_TOKEN, CHANNELS, SIGNING_SECRET, USERS } from './harness.js';

export type SlackBotProcess = { slack: FakeSlack; mail: FakeMailApi; bot: CliProcess; endpoint: string; close(): Promise<void> };

export async function startSlackBotProcess(env: Record<string, string> = {}): Promise<SlackBotProcess> {
  const slack = await startFakeSlack({ users: USERS, channels: CHANNELS.map((c) => ({ ...c })) });
  const mail = await startFakeMailApi({ rateLimits: false });
  const { bot, endpoint } = await startSlackBot({
    MAIL_API_URL: mail.url,
    STORE_URL: 'sqlite://data/handle-bot.sqlite',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    ...env,
  });
  return {
    slack, mail, bot, endpoint,
    async close() {
      await bot.stop();
      await slack.close();
      await mail.close();
    },
  };
}
