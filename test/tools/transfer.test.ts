/**
 * Backup and migration: a populated SQLite store is exported to NDJSON and imported into
 * Postgres and into Redis (each on its own table / key prefix); every user's key still opens
 * there with the same secret, settings, history and claims came along, keys never appear in
 * clear in the file, and a second import changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/ops/config.js';
import type { Store } from '../../src/store/types.js';
import { exportCommand, importCommand } from '../../src/tools/transfer/commands.js';
import { BACKENDS, SECRET_A, SECRET_C, sqliteUnderTest, type StoreUnderTest } from '../store/harness.js';
import { apiKeyFor } from '../store/worker-protocol.js';

const USERS = ['slack:T1:U1', 'slack:T1:U2', 'discord:1234567890123456789', 'console:alice|with%odd'] as const;

/** Runs a CLI command function, capturing what it prints. */
async function captured(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    return { code: await run(), out: lines.join('') };
  } finally {
    spy.mockRestore();
  }
}

function configFor(t: StoreUnderTest, secret = SECRET_A) {
  return loadConfig({ STORE_URL: t.url, HANDLE_BOT_SECRET: secret, DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
}

async function populate(store: Store): Promise<void> {
  for (const [i, user] of USERS.entries()) {
    await store.setKey(user, apiKeyFor(user), { verifiedAt: 1_700_000_000_000 + i, verifyResult: 'ok' });
    await store.addHistory(user, { handle: `h${i}`, status: 'claimed', at: 1_700_000_000_000 + i, requestId: `r${i}` });
    await store.addHistory(user, { handle: `g${i}`, status: 'deleted', at: 1_700_000_100_000 + i });
  }
  await store.updateKeyMeta(USERS[0], { ownerEmail: 'owner@example.test' });
  await store.updateSettings('slack:T1', { notifyChannel: 'C42', announce: false, onboarding: true, welcomeText: 'Hi there' });
  await store.updateSettings('discord:99', { keyEvents: true });
  expect(await store.claimOnce('onboarded:slack:T1:U1', 3600)).toBe(true);
}

async function expectSameContent(target: Store): Promise<void> {
  for (const user of USERS) {
    expect(await target.getKey(user), user).toMatchObject({ status: 'linked', apiKey: apiKeyFor(user) });
    expect((await target.listHistory(user)).map((h) => h.handle)).toEqual([`g${USERS.indexOf(user)}`, `h${USERS.indexOf(user)}`]);
  }
  expect(await target.getKey(USERS[0])).toMatchObject({ record: { ownerEmail: 'owner@example.test', verifyResult: 'ok' } });
  expect(await target.getSettings('slack:T1')).toEqual({ notifyChannel: 'C42', announce: false, onboarding: true, welcomeText: 'Hi there', keyEvents: false });
  expect(await target.getSettings('discord:99')).toMatchObject({ keyEvents: true });
  // The onboarding marker came along: the newcomer is not welcomed twice.
  expect(await target.claimOnce('onboarded:slack:T1:U1', 3600)).toBe(false);
}

describe('export and import', () => {
  let source: StoreUnderTest;
  let dir: string;
  beforeEach(async () => {
    source = await sqliteUnderTest();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-transfer-'));
    await populate(await source.open());
  });
  afterEach(async () => {
    await source.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes every record as NDJSON with the keys still sealed', async () => {
    const file = path.join(dir, 'backup.ndjson');
    const result = await captured(() => exportCommand(configFor(source), file, source.prefix));
    expect(result.code).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ format: 'handle-bot-export', version: 1 });
    const records = lines.slice(1, -1);
    expect(lines.at(-1)).toMatchObject({ end: true, records: records.length });
    expect(records.filter((r) => r.ns === 'links')).toHaveLength(USERS.length);
    expect(records.filter((r) => r.ns === 'history')).toHaveLength(USERS.length * 2);
    expect(records.find((r) => r.ns === 'claims')).toMatchObject({ key: 'onboarded:slack:T1:U1', expires: expect.any(Number) });
    const text = fs.readFileSync(file, 'utf8');
    for (const user of USERS) expect(text).not.toContain(apiKeyFor(user));
    expect(text).not.toContain('owner@example.test'); // sealed with the key
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(result.out).toMatch(/Exported \d+ record\(s\) .* sealed under secret id [0-9a-f]{8}\./);
  });

  describe.each(BACKENDS)('SQLite → $name', ({ name, available, make }) => {
    it.skipIf(!available)('every user\'s key opens there, and a second import changes nothing', async () => {
      const target = name === 'sqlite' ? await sqliteUnderTest() : await make();
      try {
        const file = path.join(dir, 'backup.ndjson');
        expect((await captured(() => exportCommand(configFor(source), file, source.prefix))).code).toBe(0);

        const first = await captured(() => importCommand(configFor(target), file, target.prefix));
        expect(first.code).toBe(0);
        expect(first.out).toMatch(/\d+ written, 0 already there/);
        expect(first.out).toMatch(/The configured secret \(id [0-9a-f]{8}\) opens the imported keys\./);
        const afterFirst = await target.dump();

        const second = await captured(() => importCommand(configFor(target), file, target.prefix));
        expect(second.out).toMatch(/: 0 written, \d+ already there/);
        expect((await target.dump()).equals(afterFirst)).toBe(true);

        await expectSameContent(await target.open({ secret: SECRET_A }));
        // With another secret, the import says which one the keys need.
        const wrong = await captured(() => importCommand(configFor(target, SECRET_C), file, target.prefix));
        expect(wrong.out).toMatch(/sealed under secret id [0-9a-f]{8}: run the bot here with that same secret.*would open none of them/s);
      } finally {
        await target.cleanup();
      }
    }, 30_000);
  });

  it('refuses a file cut short, naming the problem, after importing what it read', async () => {
    const file = path.join(dir, 'backup.ndjson');
    await captured(() => exportCommand(configFor(source), file, source.prefix));
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    fs.writeFileSync(file, `${lines.slice(0, -1).join('\n')}\n`);
    const target = await sqliteUnderTest();
    try {
      await expect(captured(() => importCommand(configFor(target), file, target.prefix))).rejects.toThrow(/cut short/);
      fs.writeFileSync(file, `${lines[0] ?? ''}\n{"ns":"nope","key":"x","value":1}\n`);
      await expect(captured(() => importCommand(configFor(target), file, target.prefix))).rejects.toThrow(/line 2: "ns" must be one of/);
      fs.writeFileSync(file, '{"hello":"world"}\n');
      await expect(captured(() => importCommand(configFor(target), file, target.prefix))).rejects.toThrow(/line 1: not a handle-bot export/);
    } finally {
      await target.cleanup();
    }
  });
});
