/**
 * `handle-bot doctor` against loopback fakes of every part: a healthy set-up gets ✅ on every
 * line and exit 0; a bad secret, a MAIL_API_URL ending in /api, an unreachable store, missing
 * Slack scopes and Discord commands out of date each get ❌ with a fix, and exit 1. No secret
 * ever appears in the output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { registerDiscordCommands } from '../../src/discord/index.js';
import { parseApiKey, type ApiKey } from '../../src/domain/api-key.js';
import { loadConfig } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { SLACK_BOT_SCOPES } from '../../src/slack/manifest.js';
import { keyId, openStore } from '../../src/store/index.js';
import { runDoctor } from '../../src/tools/doctor/run-doctor.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack.js';
import { SECRET_A, SECRET_C } from '../store/harness.js';
import { closedPort } from '../store/tcp-proxy.js';

function apiKey(raw: string): ApiKey {
  const parsed = parseApiKey(raw);
  if (!parsed.ok) throw new Error('not a key');
  return parsed.key;
}

const DISCORD_TOKEN = 'fake.bot.token';
const SLACK_TOKEN = 'xoxb-doctor-test-token';
const APP_TOKEN = 'xapp-doctor-test-token';
let mail: FakeMailApi;
let slack: FakeSlack;
let discord: FakeDiscord;
let dir: string;
let env: Record<string, string>;

async function doctor(overrides: Record<string, string | undefined> = {}): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const output = { write: (chunk: string) => { lines.push(chunk); return true; } } as unknown as NodeJS.WritableStream;
  const merged = Object.fromEntries(Object.entries({ ...env, ...overrides }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const code = await runDoctor(output, merged);
  const text = lines.join('');
  for (const secret of [SECRET_A, SECRET_C, SLACK_TOKEN, APP_TOKEN, DISCORD_TOKEN]) expect(text).not.toContain(secret);
  return { code, text };
}

const line = (text: string, name: string) => text.split('\n').find((l) => l.slice(2).trimStart().startsWith(`${name}:`)) ?? '';
const fixAfter = (text: string, name: string) => text.split('\n')[text.split('\n').indexOf(line(text, name)) + 1] ?? '';

beforeAll(async () => {
  mail = await startFakeMailApi({ domains: ['example.test', 'example2.test'] });
  slack = await startFakeSlack({ scopes: [...SLACK_BOT_SCOPES] });
  discord = await startFakeDiscord({ token: DISCORD_TOKEN });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-doctor-'));
  env = {
    MAIL_API_URL: mail.url,
    STORE_URL: `sqlite://${path.join(dir, 'store.sqlite')}`,
    DATA_DIR: path.join(dir, 'data'),
    HANDLE_BOT_SECRET: SECRET_A,
    SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.url,
    DISCORD_TOKEN, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl,
    LOG_LEVEL: 'silent',
  };
  const store = await openStore({ url: env.STORE_URL!, secret: SECRET_A, dataDir: env.DATA_DIR!, log: createLogger({ level: 'silent' }) });
  await store.setKey('console:alice', apiKey('ab'.repeat(32)));
  await store.setKey('console:bob', apiKey('cd'.repeat(32)));
  await store.close();
  await registerDiscordCommands(loadConfig(env), createLogger({ level: 'silent' }), { commands });
});
afterAll(async () => {
  await Promise.all([mail.close(), slack.close(), discord.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('handle-bot doctor', () => {
  it('a healthy set-up: every line ✅, exit 0', async () => {
    const { code, text } = await doctor();
    expect(text).toMatch(/^✅ Configuration: valid; front doors: Slack \(Socket Mode\), Discord; data folder /m);
    expect(line(text, 'Store')).toMatch(/^✅ Store: sqlite:.*store\.sqlite answered a write, read and delete in \d+ ms$/);
    expect(line(text, 'Sealing secret')).toBe(`✅ Sealing secret: secret id ${keyId(Buffer.from(SECRET_A, 'hex'))} (HANDLE_BOT_SECRET) opens 2 of the 2 stored keys checked`);
    expect(line(text, 'Mail service')).toBe(`✅ Mail service: ${mail.url} answers GET /api/domains with 2 domain(s): example.test, example2.test`);
    expect(line(text, 'Slack')).toMatch(/^✅ Slack: bot @handle-bot in .*; every scope of the manifest granted; Socket Mode token accepted$/);
    expect(line(text, 'Discord')).toMatch(/^✅ Discord: application .* \(\d+\); the global commands match this version$/);
    expect(text).toMatch(/Everything checked is ready\.\n$/);
    expect(code).toBe(0);
  });

  it('a secret that opens none of the stored keys', async () => {
    const { code, text } = await doctor({ HANDLE_BOT_SECRET: SECRET_C });
    expect(line(text, 'Sealing secret')).toMatch(/^❌ Sealing secret: the store .* holds 2 linked API keys sealed under secret id [0-9a-f]{8}, and the configured HANDLE_BOT_SECRET \(secret id [0-9a-f]{8}\) opens none of the 2 checked\.$/);
    expect(fixAfter(text, 'Sealing secret')).toMatch(/^ {3}Fix: To fix it, configure the secret those keys were sealed with.*rotate-secret/);
    expect(code).toBe(1);
  });

  it('a MAIL_API_URL that ends in /api', async () => {
    const { code, text } = await doctor({ MAIL_API_URL: `${mail.url}/api` });
    expect(line(text, 'Mail service')).toBe(`❌ Mail service: MAIL_API_URL ends in /api (${mail.url}/api), so every call would go to …/api/api/…`);
    expect(fixAfter(text, 'Mail service')).toBe(`   Fix: set MAIL_API_URL=${mail.url} (it answers GET /api/domains correctly there): the bot adds /api to every route itself`);
    expect(code).toBe(1);
  });

  it('an unreachable store', async () => {
    const port = await closedPort();
    const { code, text } = await doctor({ STORE_URL: `redis://127.0.0.1:${port}` });
    expect(line(text, 'Store')).toMatch(new RegExp(`^❌ Store: redis://127\\.0\\.0\\.1:${port} did not complete a write, read and delete: .* \\(ECONNREFUSED at 127\\.0\\.0\\.1:${port}\\)$`));
    expect(fixAfter(text, 'Store')).toMatch(/Fix: check that the server is running and reachable/);
    expect(line(text, 'Sealing secret')).toBe('➖ Sealing secret: not checked: the store did not answer');
    expect(line(text, 'Mail service')).toMatch(/^✅/); // the other lines still run
    expect(code).toBe(1);
  });

  it('Slack scopes missing, Discord commands out of date, an invalid configuration', async () => {
    const narrow = await startFakeSlack({ scopes: SLACK_BOT_SCOPES.filter((s) => s !== 'channels:join') });
    const fresh = await startFakeDiscord({ token: DISCORD_TOKEN });
    try {
      const { code, text } = await doctor({ SLACK_API_URL: narrow.url, DISCORD_API_URL: fresh.apiUrl, DISCORD_APPLICATION_ID: fresh.applicationId });
      expect(line(text, 'Slack')).toMatch(/^❌ Slack: bot @handle-bot in .*, but the token lacks the scopes channels:join$/);
      expect(fixAfter(text, 'Slack')).toMatch(/reinstall the app/);
      expect(line(text, 'Discord')).toMatch(/^❌ Discord: .*the global commands differ from this version's definitions \(0 registered\)$/);
      expect(fixAfter(text, 'Discord')).toBe('   Fix: run `handle-bot register-discord`');
      expect(code).toBe(1);
    } finally {
      await Promise.all([narrow.close(), fresh.close()]);
    }
    const invalid = await doctor({ COOLDOWN_SECONDS: 'soon' });
    expect(invalid.text).toMatch(/^❌ Configuration: not valid:\n {5}- COOLDOWN_SECONDS: /m);
    expect(invalid.code).toBe(1);
  });
});
