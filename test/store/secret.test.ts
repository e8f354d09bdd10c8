/** Where the sealing secret comes from, and what happens when it is missing or malformed. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import { apiKeyFor } from './worker-protocol.js';

describe('the sealing secret', () => {
  let dir: string;
  let logLines: string[];
  const log = () => createLogger({ level: 'debug', destination: { write: (line: string) => { logLines.push(line); } } });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-secret-'));
    logLines = [];
  });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  const sqlite = () => `sqlite://${path.join(dir, 'store.sqlite')}`;
  const dataDir = () => path.join(dir, 'data');

  it('with SQLite and no secret, one is generated into DATA_DIR (0600), announced, and reused', async () => {
    const first = await openStore({ url: sqlite(), dataDir: dataDir(), log: log() });
    await first.setKey('console:a', apiKeyFor('console:a'));
    await first.close();

    const file = path.join(dataDir(), 'secret');
    const secret = fs.readFileSync(file, 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const warning = logLines.find((l) => l.includes('"level":40') && l.includes('HANDLE_BOT_SECRET'));
    expect(warning).toBeDefined();
    expect(logLines.join('')).not.toContain(secret);

    const again = await openStore({ url: sqlite(), dataDir: dataDir(), log: log() });
    expect(await again.getKey('console:a')).toMatchObject({ status: 'linked', apiKey: apiKeyFor('console:a') });
    await again.close();
    expect(logLines.filter((l) => l.includes('Generated a new sealing secret'))).toHaveLength(1);
  });

  it('two processes starting together on a fresh DATA_DIR end up with the same secret', async () => {
    const stores = await Promise.all([0, 1, 2].map(() => openStore({ url: sqlite(), dataDir: dataDir(), log: log() })));
    await stores[0]!.setKey('console:a', apiKeyFor('console:a'));
    for (const store of stores) expect(await store.getKey('console:a')).toMatchObject({ status: 'linked' });
    await Promise.all(stores.map((s) => s.close()));
    expect(fs.readdirSync(dataDir())).toEqual(['secret']); // no temporary files left behind
  });

  it('a secret readable by others is reported', async () => {
    fs.mkdirSync(dataDir(), { recursive: true });
    fs.writeFileSync(path.join(dataDir(), 'secret'), `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    fs.chmodSync(path.join(dataDir(), 'secret'), 0o644);
    await (await openStore({ url: sqlite(), dataDir: dataDir(), log: log() })).close();
    expect(logLines.some((l) => l.includes('chmod 600'))).toBe(true);
  });

  it('a damaged secret file stops the start with a clear message', async () => {
    fs.mkdirSync(dataDir(), { recursive: true });
    fs.writeFileSync(path.join(dataDir(), 'secret'), 'short\n', { mode: 0o600 });
    await expect(openStore({ url: sqlite(), dataDir: dataDir(), log: log() })).rejects.toThrow(/does not hold a valid secret/);
  });

  it.each([
    ['redis://127.0.0.1:1'],
    ['postgres://postgres@127.0.0.1:1/postgres'],
  ])('%s without HANDLE_BOT_SECRET is refused before connecting', async (url) => {
    await expect(openStore({ url, dataDir: dataDir(), log: log() })).rejects.toThrow(/HANDLE_BOT_SECRET is required/);
    expect(fs.existsSync(dataDir())).toBe(false);
  });

  it('a malformed secret is refused without being echoed', async () => {
    const bad = 'not-a-secret-at-all-but-long-enough';
    const failure = await openStore({ url: sqlite(), secret: bad, dataDir: dataDir(), log: log() }).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/HANDLE_BOT_SECRET must be 32 random bytes/);
    expect((failure as Error).message).not.toContain(bad);
    await expect(openStore({ url: sqlite(), secret: 'ab'.repeat(32), previousSecret: 'ab'.repeat(31), dataDir: dataDir(), log: log() }))
      .rejects.toThrow(/HANDLE_BOT_SECRET_PREVIOUS must be/);
  });
});
