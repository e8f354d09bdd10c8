/**
 * "The mail service looks down" and "…is answering again", once across replicas: two complete
 * bot processes (the real runtime and Bolt app in each, in separate child processes) share one
 * SQLite store and both see the outage and the recovery. Each notices it on its own, and the
 * admin channel still gets exactly one message each way.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { signedPost, slashCommandForm, startFakeSlack, type FakeSlack } from '../fakes/slack.js';
import { blocksText, BOT_TOKEN, CHANNELS, GENERAL, SIGNING_SECRET, USERS } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const WORKER = path.join(here, 'slack-worker.ts');
const REPO_ROOT = path.resolve(here, '../..');

type BotProcess = {
  endpoint: string;
  /** Sends a line and resolves with the next stdout line that equals `expect`. */
  tell(line: string, expect: string): Promise<void>;
  child: ChildProcessWithoutNullStreams;
};

async function startBot(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(env)], { cwd: REPO_ROOT, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const waiting: { expect: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const seen: string[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const i = waiting.findIndex((w) => w.expect(line));
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(line);
    else seen.push(line);
  });
  const next = (match: (line: string) => boolean, what: string) =>
    new Promise<string>((resolve, reject) => {
      const already = seen.findIndex(match);
      if (already >= 0) {
        resolve(seen.splice(already, 1)[0]!);
        return;
      }
      waiting.push({ expect: match, resolve });
      child.once('exit', (code) => { reject(new Error(`bot process exited (${String(code)}) before ${what}: ${stderr}`)); });
    });
  const ready = await next((l) => l.startsWith('ready '), 'ready');
  return {
    endpoint: `http://127.0.0.1:${ready.slice('ready '.length)}/slack/events`,
    child,
    async tell(line, expected) {
      const answer = next((l) => l === expected, expected);
      child.stdin.write(`${line}\n`);
      await answer;
    },
  };
}

let slack: FakeSlack;
let mail: FakeMailApi;
let dataDir: string;
let a: BotProcess;
let b: BotProcess;

beforeAll(async () => {
  slack = await startFakeSlack({ users: USERS, channels: CHANNELS.map((c) => ({ ...c })) });
  mail = await startFakeMailApi({ rateLimits: false });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-slack-procs-'));
  const env = {
    MAIL_API_URL: mail.url,
    MAIL_API_TIMEOUT_MS: '5000',
    STORE_URL: `sqlite://${path.join(dataDir, 'handle-bot.sqlite')}`,
    DATA_DIR: dataDir,
    // Replicas share the sealing secret, as DESIGN.md requires.
    HANDLE_BOT_SECRET: 'ab'.repeat(32),
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    OUTAGE_THRESHOLD: '2',
    NOTIFY_COALESCE_SECONDS: '0',
    COOLDOWN_SECONDS: '0',
    // These tests exercise the service's own limits on key requests: the bot's per-person one is off.
    KEY_REQUEST_INTERVAL_SECONDS: '0',
    KEY_REQUESTS_PER_DAY: '0',
  };
  [a, b] = await Promise.all([startBot(env), startBot(env)]);
}, 60_000);

afterAll(async () => {
  // Still running only if the test failed half-way.
  for (const bot of [a, b] as (BotProcess | undefined)[]) if (bot && bot.child.exitCode === null) bot.child.kill();
  await slack.close();
  await mail.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

let n = 0;
/** `/handle <text>` to one process; resolves with the text of its (single) reply. */
async function command(bot: BotProcess, text: string, user = 'UALICE'): Promise<string> {
  const responseUrl = slack.newResponseUrl();
  n += 1;
  const result = await signedPost(bot.endpoint, SIGNING_SECRET, slashCommandForm({ user_id: user, channel_id: GENERAL, text, response_url: responseUrl, trigger_id: `trigger-${String(n)}` }));
  expect(result.status).toBe(200);
  const reply = await slack.waitForResponse((r) => r.url === responseUrl);
  return blocksText(reply.body.blocks);
}

describe('two bot processes sharing one store', () => {
  it('post "looks down" once and "answering again" once, although both noticed each', async () => {
    expect(await command(a, `admin notify <#${GENERAL}|general>`, 'UADMIN')).toContain(`Admin notifications now go to #${GENERAL}`);

    // Both processes see two failures in a row: each decides on its own that the service is down.
    mail.inject({ kind: 'status', status: 500 }, { path: '/api/credentials/create' });
    for (const bot of [a, a, b, b]) {
      n += 1;
      expect(await command(bot, `key request down-${String(n)}@example.com`)).toContain('The mail service had an internal problem');
    }
    await Promise.all([a.tell('idle', 'idle'), b.tell('idle', 'idle')]);

    // Then both see it answer again.
    mail.clearFaults();
    for (const bot of [b, a]) {
      n += 1;
      expect(await command(bot, `key request up-${String(n)}@example.com`)).toContain('Check your inbox');
    }
    await Promise.all([a.tell('idle', 'idle'), b.tell('idle', 'idle')]);
    await Promise.all([a.tell('stop', 'stopped'), b.tell('stop', 'stopped')]);

    const posts = slack.callsTo('chat.postMessage').filter((c) => c.body.channel === GENERAL).map((c) => blocksText(c.body.blocks));
    expect(posts.filter((p) => p.startsWith('🔴 The mail service looks down'))).toHaveLength(1);
    expect(posts.filter((p) => p.startsWith('🟢 The mail service is answering again'))).toHaveLength(1);
    expect(posts).toHaveLength(2);
    // Each process did see the outage: both told the service about it.
    expect(mail.requests.filter((r) => r.path === '/api/credentials/create' && r.status === 500)).toHaveLength(4);
  }, 30_000);
});
