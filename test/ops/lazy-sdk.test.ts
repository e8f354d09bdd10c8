/**
 * A process loads only the platform SDKs it is configured for (issue 19): a Slack-only
 * `handle-bot start` never loads discord.js or @discordjs/*, a Discord-only one never loads
 * @slack/*, and the console loads neither. Each is a real `handle-bot` process started with a
 * recorder (fixtures/module-recorder.mjs, through NODE_OPTIONS) that lists every module it loaded;
 * the platform it runs is listed too, which shows the recorder sees the SDKs at all. The console
 * does not load prom-client either (src/ops/no-metrics.ts); a Slack process does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runConsoleProcess } from '../console/harness.js';
import { ALICE, GUILD, TOKEN } from '../discord/harness.js';
import { startFakeDiscord } from '../fakes/discord.js';
import { startFakeMailApi } from '../fakes/mail-api.js';
import { startCli } from '../helpers/cli-process.js';
import { startSlackBotProcess } from '../slack/bot-process.js';

const RECORDER = pathToFileURL(fileURLToPath(new URL('./fixtures/module-recorder.mjs', import.meta.url))).href;
const DISCORD_SDK = /\/node_modules\/(discord\.js|@discordjs\/)/;
const SLACK_SDK = /\/node_modules\/@slack\//;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh file the recorder writes to, and the environment that installs it. */
function recorder(): { env: Record<string, string>; modules(): string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-modules-'));
  cleanups.push(() => { fs.rmSync(dir, { recursive: true, force: true }); });
  const file = path.join(dir, 'modules.txt');
  return {
    env: { NODE_OPTIONS: `--import=${RECORDER}`, HB_MODULE_LOG: file },
    modules: () => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean),
  };
}

describe('platform SDKs load only where configured', () => {
  it('a Slack-only process loads Bolt and never discord.js', async () => {
    const record = recorder();
    const running = await startSlackBotProcess(record.env);
    await running.close();
    const modules = record.modules();
    expect(modules.some((m) => SLACK_SDK.test(m))).toBe(true);
    expect(modules.filter((m) => DISCORD_SDK.test(m))).toEqual([]);
  });

  it('a Discord-only process loads discord.js and never a Slack SDK', async () => {
    const record = recorder();
    const mail = await startFakeMailApi({ rateLimits: false });
    cleanups.push(() => mail.close());
    const discord = await startFakeDiscord({
      token: TOKEN,
      users: [{ id: ALICE, username: 'alice' }],
      guilds: [{ id: GUILD, name: 'Test Server', channels: [{ id: '1200000000000000002', name: 'general' }], members: [{ user: ALICE }] }],
    });
    cleanups.push(() => discord.close());
    const bot = startCli(['start'], {
      MAIL_API_URL: mail.url, STORE_URL: 'sqlite://data/handle-bot.sqlite',
      DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '1100000000000000777', DISCORD_API_URL: discord.apiUrl, ...record.env,
    });
    cleanups.push(() => bot.stop());
    await bot.waitForLog((line) => line.msg === 'Discord connected', 'Discord connected', 60_000);
    await bot.stop();
    const modules = record.modules();
    expect(modules.some((m) => DISCORD_SDK.test(m))).toBe(true);
    expect(modules.filter((m) => SLACK_SDK.test(m))).toEqual([]);
  });

  it('the console loads neither, nor prom-client (it serves no /metrics)', async () => {
    const record = recorder();
    const mail = await startFakeMailApi({ rateLimits: false });
    cleanups.push(() => mail.close());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-console-sdk-'));
    cleanups.push(() => { fs.rmSync(dir, { recursive: true, force: true }); });
    const run = await runConsoleProcess(['/handle help'], {
      MAIL_API_URL: mail.url, STORE_URL: `sqlite://${path.join(dir, 'store.sqlite')}`, DATA_DIR: path.join(dir, 'data'), ...record.env,
    });
    expect(run.code).toBe(0);
    const modules = record.modules();
    expect(modules.some((m) => m.includes('/src/console/'))).toBe(true);
    expect(modules.filter((m) => DISCORD_SDK.test(m) || SLACK_SDK.test(m))).toEqual([]);
    expect(modules.filter((m) => m.includes('/node_modules/prom-client/'))).toEqual([]);
  });

  it('a Slack process loads prom-client: it serves /metrics', async () => {
    const record = recorder();
    const running = await startSlackBotProcess(record.env);
    await running.close();
    expect(record.modules().some((m) => m.includes('/node_modules/prom-client/'))).toBe(true);
  });
});
