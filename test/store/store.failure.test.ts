/**
 * A backend that fails: every call rejects with StorageUnavailableError within a few seconds
 * (never "no key linked", never a hang), and the same store works again once the backend is
 * back — no restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { StorageUnavailableError } from '../../src/store/types.js';
import { apiKeyFor, NETWORK_BACKENDS, SECRET_A, sqliteUnderTest, type StoreUnderTest, urlOnPort } from './harness.js';
import { closedPort, startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const FAST_MS = 3500;
const alice = 'console:alice';

/** Runs every kind of store call and checks each one fails fast with StorageUnavailableError. */
async function expectUnavailable(store: Store): Promise<void> {
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['getKey', () => store.getKey(alice)],
    ['setKey', () => store.setKey(alice, apiKeyFor(alice))],
    ['removeKey', () => store.removeKey(alice)],
    ['getSettings', () => store.getSettings('console')],
    ['listHistory', () => store.listHistory(alice)],
    ['addHistory', () => store.addHistory(alice, { handle: 'h', status: 'claimed', at: 1 })],
    ['claimOnce', () => store.claimOnce('c', 10)],
    ['releaseClaim', () => store.releaseClaim('c')],
    ['forget', () => store.forget(alice)],
  ];
  await Promise.all(calls.map(async ([what, call]) => {
    const started = Date.now();
    const outcome = await call().then((value: unknown) => ({ value }), (error: unknown) => ({ error }));
    expect('error' in outcome ? outcome.error : outcome, what).toBeInstanceOf(StorageUnavailableError);
    expect(Date.now() - started, `${what} took too long`).toBeLessThan(FAST_MS);
  }));
}

/** Polls until the store answers again (reconnection happens in the background). */
async function expectRecovery(store: Store, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await store.setKey(alice, apiKeyFor(alice, 9));
      break;
    } catch (error) {
      expect(error).toBeInstanceOf(StorageUnavailableError);
      if (Date.now() - started > timeoutMs) throw new Error('the store did not recover', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  expect(await store.getKey(alice)).toMatchObject({ status: 'linked', apiKey: apiKeyFor(alice, 9) });
  expect(await store.claimOnce(`after-recovery-${Date.now()}`, 10)).toBe(true);
}

describe('SQLite file problems', () => {
  let t: StoreUnderTest;
  let dir: string;
  beforeEach(async () => {
    t = await sqliteUnderTest();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-store-broken-'));
  });
  afterEach(async () => {
    await t.cleanup();
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a path taken by a directory fails fast, and works once the path is free', async () => {
    const file = path.join(dir, 'store.sqlite');
    fs.mkdirSync(file);
    const store = await t.open({ url: `sqlite://${file}` });
    await expectUnavailable(store);
    fs.rmdirSync(file);
    await expectRecovery(store);
  });

  it('a folder that cannot be created (a file in the way) fails fast, and is created once it can be', async () => {
    const blocker = path.join(dir, 'blocked');
    fs.writeFileSync(blocker, 'not a folder');
    const store = await t.open({ url: `sqlite://${path.join(blocker, 'store.sqlite')}` });
    await expectUnavailable(store);
    fs.rmSync(blocker);
    await expectRecovery(store);
    expect(fs.existsSync(path.join(blocker, 'store.sqlite'))).toBe(true);
  });

  // root ignores file permissions, so this one can only run as an ordinary user.
  it.skipIf(process.getuid?.() === 0)('a read-only folder fails fast, and works once it is writable again', async () => {
    fs.chmodSync(dir, 0o555);
    const store = await t.open({ url: `sqlite://${path.join(dir, 'store.sqlite')}` });
    await expectUnavailable(store);
    fs.chmodSync(dir, 0o755);
    await expectRecovery(store);
  });
});

describe.each(NETWORK_BACKENDS)('$name outages', ({ name, available, make, baseUrl, defaultPort }) => {
  let t: StoreUnderTest;
  let proxy: TcpProxy | undefined;
  beforeEach(async () => {
    if (available) t = await make();
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    if (available) await t.cleanup();
  });

  describe.skipIf(!available)(`${name} backend`, () => {
    it('nothing listening: every call fails fast with StorageUnavailableError', async () => {
      const store = await t.open({ url: urlOnPort(baseUrl, await closedPort()), secret: SECRET_A });
      await expectUnavailable(store);
      await expectUnavailable(store); // and keeps failing fast, not slower
    });

    it('the server going away mid-run fails fast, and the store recovers when it is back', async () => {
      const target = new URL(baseUrl);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || defaultPort) });
      const store = await t.open({ url: urlOnPort(baseUrl, proxy.port), secret: SECRET_A });
      await store.setKey(alice, apiKeyFor(alice));
      expect(await store.getKey(alice)).toMatchObject({ status: 'linked' });

      await proxy.stop();
      await expectUnavailable(store);
      await proxy.start();
      await expectRecovery(store);
    }, 30_000);
  });
});
