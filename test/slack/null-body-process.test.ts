/**
 * Issue 18, point 1, in a real bot process (`handle-bot start`, Slack HTTP mode, against the
 * loopback fakes): correctly signed requests whose body is `null` (or any other non-object)
 * are refused with 400 and never reach Bolt — which used to read `body.ssl_check` on null in a
 * promise nobody awaited and end the process — and the next ordinary command is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../helpers/cli-process.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { signedPost, slashCommandForm, startFakeSlack, type FakeSlack } from '../fakes/slack.js';
import { blocksText, BOT_TOKEN, CHANNELS, GENERAL, SIGNING_SECRET, USERS } from './harness.js';

let slack: FakeSlack;
let mail: FakeMailApi;
let bot: CliProcess;
let endpoint: string;

beforeAll(async () => {
  slack = await startFakeSlack({ users: USERS, channels: CHANNELS.map((c) => ({ ...c })) });
  mail = await startFakeMailApi({ rateLimits: false });
  bot = startCli(['start'], {
    MAIL_API_URL: mail.url,
    STORE_URL: 'sqlite://data/handle-bot.sqlite',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    SLACK_PORT: '0',
    COOLDOWN_SECONDS: '0',
  });
  const ready = await bot.waitForLog((l) => l.msg === 'slack ready', 'slack ready', 30_000);
  endpoint = `http://127.0.0.1:${String(ready.port)}/slack/events`;
}, 40_000);

afterAll(async () => {
  await bot.stop();
  await slack.close();
  await mail.close();
});

describe('a real bot process', () => {
  it('refuses signed non-object bodies with 400, stays up, and answers the next command', async () => {
    const bodies: { text: string; contentType: string }[] = [
      { text: 'payload=null', contentType: 'application/x-www-form-urlencoded' },
      { text: 'null', contentType: 'application/json' },
      { text: 'payload=%22text%22', contentType: 'application/x-www-form-urlencoded' },
      { text: 'payload=%5B%5D', contentType: 'application/x-www-form-urlencoded' },
      { text: '7', contentType: 'application/json' },
    ];
    for (const body of bodies) {
      const result = await signedPost(endpoint, SIGNING_SECRET, body.text, { contentType: body.contentType });
      expect(result.status, body.text).toBe(400);
    }

    const responseUrl = slack.newResponseUrl();
    const ack = await signedPost(endpoint, SIGNING_SECRET, slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: 'help', response_url: responseUrl }));
    expect(ack.status).toBe(200);
    const reply = await slack.waitForResponse((r) => r.url === responseUrl);
    expect(blocksText(reply.body.blocks)).toContain('/handle create');

    expect(bot.exitCode).toBeNull();
    expect(bot.logs.filter((l) => l.msg === 'slack: refused a signed request whose body is not an object')).toHaveLength(bodies.length);
    // The guard in front of Bolt caught them all: nothing had to be rescued at the process level.
    expect(bot.logs.some((l) => typeof l.msg === 'string' && l.msg.startsWith('unhandled promise rejection'))).toBe(false);
  });
});
