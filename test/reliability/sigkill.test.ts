/**
 * Issue 18 point 4, with real processes: `handle-bot start` (Slack HTTP mode, the loopback fakes)
 * is killed with SIGKILL on each backend, and a new process on the same store is asked `list`:
 * - after a reply: the claim the user was told about is there, `claimed`;
 * - between the ack and the reply (the service holding its answer to the create): the pending
 *   record written before the service was asked is there, shown as "may be yours".
 * Redis and Postgres get a namespace of their own (STORE_PREFIX); the shared servers are never touched.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../src/domain/api-key.js';
import { slackIdentity } from '../../src/domain/identity.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { SLACK_DEFAULTS, signedPost, slashCommandForm, startFakeSlack, type FakeSlack } from '../fakes/slack.js';
import { startSlackBot, type CliProcess } from '../helpers/cli-process.js';
import { blocksText, BOT_TOKEN, CHANNELS, GENERAL, SIGNING_SECRET, USERS } from '../slack/harness.js';
import { BACKENDS, SECRET_A } from '../store/harness.js';

/** A process gone for good, at once (no handler runs). */
async function sigkill(bot: CliProcess): Promise<void> {
  if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
  const exited = once(bot.child, 'exit');
  bot.child.kill('SIGKILL');
  await exited;
}

/** The matrix printed at the end (for the report): backend → what a new process found. */
const matrix: Record<string, { afterReply: string; betweenAckAndReply: string }> = {};

let slack: FakeSlack;
let mail: FakeMailApi;
beforeAll(async () => {
  slack = await startFakeSlack({ users: USERS, channels: CHANNELS.map((c) => ({ ...c })) });
  mail = await startFakeMailApi({ rateLimits: false });
});
afterAll(async () => {
  await slack.close();
  await mail.close();
  console.log(`[sigkill matrix] ${JSON.stringify(matrix)}`);
});

describe.each(BACKENDS)('SIGKILL on $name', ({ name, available, make }) => {
  it.skipIf(!available)('after a reply the record is there; between the ack and the reply the pending record is shown', async () => {
    // The store harness's own namespace (SQLite file / Redis prefix / Postgres table), removed by its cleanup.
    const t = await make();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-sigkill-'));
    const { url, prefix: namespace } = t;
    const user = 'UALICE';
    // The person's key is linked beforehand, through the same store.
    const seed = await t.open();
    await seed.setKey(slackIdentity(SLACK_DEFAULTS.teamId, user), mail.newKey(`alice-${name}@owner.example`) as ApiKey, { verifiedAt: Date.now(), verifyResult: 'ok' });
    const env = {
      MAIL_API_URL: mail.url, MAIL_API_TIMEOUT_MS: '20000', STORE_URL: url, STORE_PREFIX: namespace, DATA_DIR: dir, HANDLE_BOT_SECRET: SECRET_A,
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, COOLDOWN_SECONDS: '0',
    };
    const send = async (endpoint: string, text: string) => {
      const responseUrl = slack.newResponseUrl();
      const ack = await signedPost(endpoint, SIGNING_SECRET, slashCommandForm({ user_id: user, channel_id: GENERAL, text, response_url: responseUrl }));
      expect(ack.status).toBe(200);
      return responseUrl;
    };
    const handleA = `${name}.told`;
    const handleB = `${name}.cut`;
    try {
      const first = await startSlackBot(env);
      try {
        const told = await send(first.endpoint, `create ${handleA}`);
        const reply = await slack.waitForResponse((r) => r.url === told && blocksText(r.body.blocks).includes('You claimed'));
        expect(blocksText(reply.body.blocks)).toContain(handleA);
        await sigkill(first.bot);
      } finally {
        await first.bot.stop();
      }

      const second = await startSlackBot(env);
      try {
        mail.hold();
        const seen = mail.requests.length;
        await send(second.endpoint, `create ${handleB}`);
        // Acked, the service asked, no answer yet: killed here.
        await mail.waitFor((r) => r.seq > seen && r.path === '/api/handle/create');
        await sigkill(second.bot);
      } finally {
        mail.release();
        await second.bot.stop();
      }

      const third = await startSlackBot(env);
      try {
        const listed = await send(third.endpoint, 'list');
        const text = blocksText((await slack.waitForResponse((r) => r.url === listed)).body.blocks);
        expect(text).toMatch(new RegExp(`${handleA.replace('.', '\\.')} — claimed`));
        expect(text).toMatch(new RegExp(`${handleB.replace('.', '\\.')} — may be yours — the bot stopped before the service answered`));
        matrix[name] = { afterReply: `${handleA}: claimed`, betweenAckAndReply: `${handleB}: pending, shown as "may be yours"` };
      } finally {
        await third.bot.stop();
      }
    } finally {
      await t.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
