/**
 * The store's deadline holds on every backend (issue 18, point 2). SQLite's own case, a lock
 * held by another process, is in sqlite-lock.test.ts; here:
 * - Redis and Postgres hanging (connections open, nothing answered): every call fails with
 *   StorageUnavailableError at the deadline, without holding up the event loop, and the store
 *   answers again once the server does;
 * - Postgres with another session holding a lock on the table: a write fails at the deadline,
 *   reads are answered meanwhile, and the abandoned write is really abandoned (the server's
 *   statement_timeout), so it does not happen later behind the user's back.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settledBeforeATimer } from '../helpers/event-loop.js';
import { StorageUnavailableError, type Store } from '../../src/store/index.js';
import { TEST_POSTGRES_URL } from '../helpers/services.js';
import { apiKeyFor, BACKENDS, NETWORK_BACKENDS, SECRET_A, type StoreUnderTest, urlOnPort } from './harness.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const DEADLINE_MS = 500;
const alice = 'console:alice';

describe.each(NETWORK_BACKENDS)('$name hanging', ({ name, available, make, baseUrl, defaultPort }) => {
  let t: StoreUnderTest;
  let proxy: TcpProxy | undefined;
  beforeEach(async () => {
    if (available) t = await make();
  });
  afterEach(async () => {
    proxy?.thaw();
    await proxy?.close();
    proxy = undefined;
    if (available) await t.cleanup();
  });

  it.skipIf(!available)(`${name}: every call fails at the deadline without blocking, and the store answers once the server does`, async () => {
    const target = new URL(baseUrl);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || defaultPort) });
    const store = await t.open({ url: urlOnPort(baseUrl, proxy.port), secret: SECRET_A, deadlineMs: DEADLINE_MS });
    await store.setKey(alice, apiKeyFor(alice));

    proxy.freeze();
    const calls = [store.getKey(alice), store.claimOnce('c', 10), store.addHistory(alice, { handle: 'h', status: 'claimed', at: 1 })];
    expect(await settledBeforeATimer(Promise.allSettled(calls))).toBe(false);
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(StorageUnavailableError);

    proxy.thaw();
    expect(await store.getKey(alice)).toMatchObject({ status: 'linked' });
  }, 20_000);
});

const postgres = BACKENDS.find((b) => b.name === 'postgres')!;

describe.skipIf(!postgres.available)('postgres: another session holding a lock on the table', () => {
  let t: StoreUnderTest;
  let other: pg.Client;
  beforeEach(async () => {
    t = await postgres.make();
    other = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await other.connect();
  });
  afterEach(async () => {
    await other.end();
    await t.cleanup();
  });

  it('a write fails at the deadline and is abandoned; reads are answered meanwhile', async () => {
    const store: Store = await t.open({ deadlineMs: DEADLINE_MS });
    await store.setKey(alice, apiKeyFor(alice));
    await other.query('BEGIN');
    await other.query(`LOCK TABLE public.${t.prefix} IN EXCLUSIVE MODE`); // writers wait, readers do not

    await expect(store.claimOnce('abandoned', 600)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(await store.getKey(alice)).toMatchObject({ status: 'linked' });

    await other.query('COMMIT');
    // Had the first claim gone through late, this one would lose.
    expect(await store.claimOnce('abandoned', 600)).toBe(true);
  });
});
