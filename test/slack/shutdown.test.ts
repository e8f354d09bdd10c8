/**
 * A graceful stop, as an operator's SIGTERM reaches it: the real bot process (`handle-bot
 * start`, Slack in HTTP mode) against the fakes. A claim in flight when the signal arrives
 * (the mail service still holding its answer) completes: the person gets the reply, the
 * history records the handle, its intent is removed, and the process exits 0 afterwards.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../src/domain/api-key.js';
import { slackIdentity } from '../../src/domain/identity.js';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { newTriggerId, signedPost, slashCommandForm, startFakeSlack, type FakeSlack } from '../fakes/slack.js';
import { blocksText, BOT_TOKEN, CHANNELS, GENERAL, SIGNING_SECRET, TEAM, USERS } from './harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'src/cli.ts');
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

let mail: FakeMailApi;
let slack: FakeSlack;
let dir: string;
let env: Record<string, string>;

const storeOptions = () => ({ url: env.STORE_URL!, dataDir: env.DATA_DIR!, log: createLogger({ level: 'silent' }) });

beforeAll(async () => {
  mail = await startFakeMailApi({ rateLimits: false });
  slack = await startFakeSlack({ users: USERS, channels: CHANNELS.map((c) => ({ ...c })) });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-shutdown-'));
  env = {
    MAIL_API_URL: mail.url,
    MAIL_API_TIMEOUT_MS: '5000',
    STORE_URL: `sqlite://${path.join(dir, 'handle-bot.sqlite')}`,
    DATA_DIR: dir,
    COOLDOWN_SECONDS: '0',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    SLACK_PORT: '0',
    LOG_LEVEL: 'info',
  };
  // Alice's key, sealed under the secret the bot process will find in DATA_DIR.
  const store = await openStore(storeOptions());
  await store.setKey(slackIdentity(TEAM, 'UALICE'), mail.newKey('alice.owner@example.com') as ApiKey, { verifiedAt: Date.now(), verifyResult: 'ok' });
  await store.close();
});
afterAll(async () => {
  await slack.close();
  await mail.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The bot's JSON log lines as they come, with a wait for the first one that matches. */
function logOf(child: ChildProcessWithoutNullStreams) {
  const lines: Record<string, unknown>[] = [];
  const waiting: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    for (const w of waiting.filter((x) => x.match(line))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(line);
    }
  });
  return {
    lines,
    next: (match: (l: Record<string, unknown>) => boolean) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const seen = lines.find(match);
        if (seen) resolve(seen);
        else waiting.push({ match, resolve });
      }),
  };
}

describe('SIGTERM on Slack', () => {
  it('lets a create in flight finish: the reply is delivered and the handle recorded, then the process exits 0', async () => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, 'start'], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
      stdio: 'pipe',
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const log = logOf(child);
    const ready = await Promise.race([log.next((l) => l.msg === 'slack ready'), exited.then(() => { throw new Error(`the bot exited: ${stderr}`); })]);
    const endpoint = `http://127.0.0.1:${String(ready.port)}/slack/events`;

    mail.hold();
    const responseUrl = slack.newResponseUrl();
    const form = slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: 'create held-at-stop', response_url: responseUrl, trigger_id: newTriggerId() });
    expect((await signedPost(endpoint, SIGNING_SECRET, form)).status).toBe(200);
    await mail.waitFor((r) => r.path === '/api/handle/create');

    child.kill('SIGTERM');
    await log.next((l) => l.msg === 'stopping: finishing the commands in flight');
    mail.release();

    await slack.waitFor(() => slack.responsesTo(responseUrl).some((r) => blocksText(r.body.blocks).includes('You claimed')));
    expect(await exited).toBe(0);
    expect(log.lines.some((l) => l.msg === 'slack: stopping with work still in flight')).toBe(false);

    const store = await openStore(storeOptions());
    try {
      expect((await store.listHistory(slackIdentity(TEAM, 'UALICE'), 1))[0]).toMatchObject({ handle: 'held-at-stop', status: 'claimed' });
      // Answered during the drain, so its intent was removed: nothing is left for another replica to run again.
      expect(await store.intents.expired(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
