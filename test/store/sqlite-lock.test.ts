/**
 * The SQLite store waits for a lock another process holds without blocking the event loop
 * (issue 18, point 2): while the lock is held, a write waits on timers — a timer started after
 * it fires first — and fails with StorageUnavailableError at the store's deadline; reads are
 * answered meanwhile; a write still waiting when the lock is let go goes through.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settledBeforeATimer } from '../helpers/event-loop.js';
import { StorageUnavailableError, type Store } from '../../src/store/index.js';
import { apiKeyFor, sqliteUnderTest, type StoreUnderTest } from './harness.js';
import { holdSqliteLock, type LockHolder } from './lock-holder.js';

let t: StoreUnderTest;
let holder: LockHolder | undefined;
beforeEach(async () => {
  t = await sqliteUnderTest();
});
afterEach(async () => {
  holder?.kill();
  await t.cleanup();
});

const fileOf = (store: StoreUnderTest) => store.url.slice('sqlite://'.length);

describe('sqlite: a write lock held by another process', () => {
  it('a write waits without blocking and fails at the deadline; reads are answered meanwhile', async () => {
    const store: Store = await t.open({ deadlineMs: 400 });
    await store.setKey('console:alice', apiKeyFor('alice'));
    holder = holdSqliteLock(fileOf(t));
    await holder.locked;

    const write = store.claimOnce('cooldown:console:alice', 60);
    expect(await settledBeforeATimer(write)).toBe(false);
    await expect(write).rejects.toBeInstanceOf(StorageUnavailableError);
    expect((await store.getKey('console:alice')).status).toBe('linked');
    expect(await store.listHistory('console:alice')).toEqual([]);
  });

  it('a write still waiting when the lock is let go goes through', async () => {
    const store = await t.open({ deadlineMs: 10_000 });
    await store.listHistory('console:alice'); // the file exists
    holder = holdSqliteLock(fileOf(t));
    await holder.locked;
    const write = store.addHistory('console:alice', { handle: 'waited', status: 'claimed', at: Date.now() });
    expect(await settledBeforeATimer(write)).toBe(false);
    await holder.release();
    await write;
    expect((await store.listHistory('console:alice')).map((e) => e.handle)).toEqual(['waited']);
  });
});
