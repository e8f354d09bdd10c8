/**
 * Never lose keys to a secret mix-up: with keys in the store, a start whose secret opens none of
 * them (the data folder moved away from the database, or the secret swapped) is refused with a
 * message naming the secret ids and the fix, and nothing is rewritten; rotate-secret without
 * the previous secret says to set it; with it, the keys move over and open again.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import { keyId } from '../../src/store/seal.js';
import { closedPort } from '../store/tcp-proxy.js';
import { replies, runCliProcess, startConsoleEnv, type ConsoleEnv } from './harness.js';

const OTHER_SECRET = 'c3'.repeat(32);
let env: ConsoleEnv;
let key: string;
let db: string;
let firstDataDir: string;
let generatedKid: string;

/** The stored text of the one link, read without the bot (read-only). */
function storedLink(): string {
  const handle = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (handle.prepare("SELECT value FROM handle_bot WHERE key = 'links:console:alice'").get() as { value: string }).value;
  } finally {
    handle.close();
  }
}

const base = () => ({ MAIL_API_URL: env.api.url, STORE_URL: `sqlite://${db}`, COOLDOWN_SECONDS: '0' });

beforeAll(async () => {
  env = await startConsoleEnv();
  key = env.api.newKey('alice@example.test');
  db = path.join(env.dir, 'store.sqlite');
  firstDataDir = path.join(env.dir, 'data');
  const linked = await env.run(['key set', key]);
  expect(replies(linked)[0]).toMatch(/Your API key is linked/);
  generatedKid = keyId(Buffer.from(fs.readFileSync(path.join(firstDataDir, 'secret'), 'utf8').trim(), 'hex'));
});
afterAll(async () => {
  await env.close();
});

describe('a secret that opens none of the stored keys', () => {
  it('data folder moved away from the database: refused, no secret generated, nothing rewritten', async () => {
    const before = storedLink();
    const moved = path.join(env.dir, 'moved-data');
    const run = await runCliProcess(['console', '--user', 'alice'], ['key status'], { ...base(), DATA_DIR: moved });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`holds 1 linked API key sealed under secret id ${generatedKid}, but no secret is configured and ${path.join(moved, 'secret')} does not exist`);
    expect(run.stderr).toMatch(/set DATA_DIR to the folder that holds the `secret` file/);
    expect(run.stderr).toMatch(/HANDLE_BOT_SECRET_PREVIOUS.*rotate-secret/);
    expect(fs.existsSync(path.join(moved, 'secret'))).toBe(false);
    expect(storedLink()).toBe(before);
  });

  it('secret swapped: console and start refuse, naming both secret ids and the fix', async () => {
    const before = storedLink();
    const swapped = { ...base(), DATA_DIR: firstDataDir, HANDLE_BOT_SECRET: OTHER_SECRET };
    const consoleRun = await runCliProcess(['console', '--user', 'alice'], ['key status'], swapped);
    // A service start fails the same way, before it connects to any platform.
    const startRun = await runCliProcess(['start'], [], {
      ...swapped, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'signing', SLACK_API_URL: `http://127.0.0.1:${await closedPort()}/api/`,
    });
    for (const run of [consoleRun, startRun]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`sealed under secret id ${generatedKid}, and the configured HANDLE_BOT_SECRET (secret id ${keyId(Buffer.from(OTHER_SECRET, 'hex'))}) opens none`);
      expect(run.stderr).toMatch(/The store was not changed/);
      expect(run.stderr).toMatch(/set HANDLE_BOT_SECRET to the new secret and HANDLE_BOT_SECRET_PREVIOUS to the old one, then run `handle-bot rotate-secret`/);
      expect(run.stderr).not.toContain(OTHER_SECRET);
    }
    expect(storedLink()).toBe(before);
  });

  it('rotate-secret asks for the previous secret, then moves the keys to the new one', async () => {
    const oldSecret = fs.readFileSync(path.join(firstDataDir, 'secret'), 'utf8').trim();
    const withNew = { ...base(), DATA_DIR: firstDataDir, HANDLE_BOT_SECRET: OTHER_SECRET };
    const missing = await runCliProcess(['rotate-secret'], [], withNew);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(new RegExp(`sealed under secret id ${generatedKid}, which is not configured\\. Set HANDLE_BOT_SECRET_PREVIOUS`));
    expect(missing.stderr).toContain(`it is the content of ${path.join(firstDataDir, 'secret')}`);

    // A hosted Slack workspace's installation, sealed under the old secret like the key.
    const silent = createLogger({ level: 'silent' });
    const installation = { team: { id: 'TROTATE' }, bot: { token: 'xoxb-rotate-me' } };
    const before = await openStore({ url: `sqlite://${db}`, secret: oldSecret, dataDir: firstDataDir, log: silent });
    await before.installations.save({ teamId: 'TROTATE' }, installation);
    await before.close();

    const rotated = await runCliProcess(['rotate-secret'], [], { ...withNew, HANDLE_BOT_SECRET_PREVIOUS: oldSecret });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/Re-sealed 1 key\(s\)/);
    expect(rotated.stdout).toMatch(/Re-sealed 1 Slack installation\(s\); 0 already current; 0 unreadable/);
    expect(rotated.stdout).toMatch(/you can remove HANDLE_BOT_SECRET_PREVIOUS/);
    const status = await runCliProcess(['console', '--user', 'alice'], ['key status'], withNew);
    expect(status.code).toBe(0);
    expect(replies(status)[0]).toMatch(/Your API key is linked/);
    // With the new secret alone, the workspace still opens its bot token.
    const after = await openStore({ url: `sqlite://${db}`, secret: OTHER_SECRET, dataDir: firstDataDir, log: silent });
    try {
      expect(await after.installations.fetch({ teamId: 'TROTATE' })).toEqual(installation);
    } finally {
      await after.close();
    }
  });
});
