/**
 * Issue 18 point 4, with real processes: `handle-bot start` (Slack HTTP mode, the loopback fakes)
 * is killed with SIGKILL on each backend, and a new process on the same store is asked `list`:
 * - after a reply: the claim the user was told about is there, `claimed`;
 * - between the ack and the reply (the service holding its answer to the create): the pending
 *   record written before the service was asked is there, shown as "may be yours".
 * Redis and Postgres get a namespace of their own (STORE_PREFIX); the shared servers are never touched.
 * And issue 15 point 4 on one SQLite process: killed with acknowledged commands in flight, then
 * restarted on the same data folder, it answers each of them once (core/intents.ts).
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { ApiKey } from '../../src/domain/api-key.js';
import { slackIdentity } from '../../src/domain/identity.js';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
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

describe('SIGKILL with commands in flight, one process on SQLite', () => {
  it('restarted on the same data folder, it answers every command it had acknowledged, once, saying it restarted', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-intents-'));
    const url = `sqlite://${path.join(dir, 'store.sqlite')}`;
    const env = {
      MAIL_API_URL: mail.url, STORE_URL: url, DATA_DIR: dir, HANDLE_BOT_SECRET: SECRET_A, INTENT_LEASE_SECONDS: '2',
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, COOLDOWN_SECONDS: '0',
    };
    const creators = ['UCREATE1', 'UCREATE2'];
    const seed = await openStore({ url, secret: SECRET_A, dataDir: dir, log: createLogger({ level: 'silent' }) });
    onTestFinished(async () => {
      await seed.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    for (const user of creators) await seed.setKey(slackIdentity(SLACK_DEFAULTS.teamId, user), mail.newKey(`${user.toLowerCase()}@owner.example`) as ApiKey);
    const commands = [
      ...creators.map((user) => ({ user, text: `create kill-${user.toLowerCase()}` })),
      ...[1, 2, 3].map((i) => ({ user: `UREQUEST${String(i)}`, text: `key request kill-${String(i)}@example.com` })),
    ].map((c) => ({ ...c, responseUrl: slack.newResponseUrl() }));
    const first = await startSlackBot(env);
    try {
      mail.hold();
      const seen = mail.requests.length;
      for (const c of commands) {
        const ack = await signedPost(first.endpoint, SIGNING_SECRET, slashCommandForm({ user_id: c.user, channel_id: GENERAL, text: c.text, response_url: c.responseUrl }));
        expect(ack.status).toBe(200);
      }
      // Every one acknowledged and waiting on the service: killed here, nothing answered.
      await mail.waitFor(() => mail.requests.filter((r) => r.seq > seen).length >= commands.length);
      await sigkill(first.bot);
    } finally {
      mail.release();
      await first.bot.stop();
    }
    expect(commands.filter((c) => slack.responsesTo(c.responseUrl).length > 0)).toEqual([]);

    const second = await startSlackBot(env);
    try {
      await slack.waitFor(() => commands.every((c) => slack.responsesTo(c.responseUrl).length > 0), 30_000);
      // Nothing left to take over: no second answer can come.
      await vi.waitFor(async () => { expect(await seed.intents.expired(Number.MAX_SAFE_INTEGER, 100)).toEqual([]); }, { timeout: 15_000, interval: 100 });
      const answers = commands.map((c) => slack.responsesTo(c.responseUrl).map((r) => blocksText(r.body.blocks)));
      for (const answer of answers) {
        expect(answer).toHaveLength(1);
        expect(answer[0]).toContain('The bot restarted while handling');
      }
      const takeovers = second.bot.logs.filter((l) => l.msg === 'command intent taken over from a process that stopped renewing it');
      expect(takeovers).toHaveLength(commands.length);
      // The creates the killed process had sent are found by the write-ahead ledger: taken, probably by them.
      for (const [i, c] of commands.entries()) if (c.text.startsWith('create')) expect(answers[i]![0]).toContain('so it is probably yours');
      console.log(`[sigkill with intents] ${String(commands.length)} acknowledged, killed before any answer, ${String(takeovers.length)} answered after the restart:\n${answers.map((a) => `  ${a[0]!.split('\n').slice(0, 3).join(' / ')}`).join('\n')}`);
    } finally {
      await second.bot.stop();
    }
  }, 90_000);
});
