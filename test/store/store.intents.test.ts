/**
 * Durable command intents, the same on every backend (SQLite, Redis, Postgres): the seen-mark
 * and the sealed intent go in with one write, a redelivery writes nothing, leases are renewed
 * only by their owner, an expired one is taken over by exactly one of many racing takers, and
 * the stored record holds the person's words only sealed.
 */
import { expect, it } from 'vitest';
import { describeEachBackend } from './harness.js';

const SEEN_MS = 60_000;
const MAX_AGE_MS = 30 * 60_000;
const payload = { text: 'create alice-secret-words', responseUrl: 'https://hooks.example/response/T1/abc', userId: 'UALICE' };

describeEachBackend('intents', (current, name) => {
  it('the first delivery writes the seen-mark and the sealed intent; a redelivery writes nothing and is refused', async () => {
    const store = await current().open();
    const now = Date.now();
    const id = await store.intents.begin('slack:seen:cmd:T1', SEEN_MS, { owner: 'a', lease: now + 5000, created: now, payload }, MAX_AGE_MS);
    expect(id).toBeDefined();
    expect(await store.intents.begin('slack:seen:cmd:T1', SEEN_MS, { owner: 'b', lease: now + 5000, created: now, payload }, MAX_AGE_MS)).toBeUndefined();
    // The same mark claimOnce uses: an old replica's redelivery check sees it too.
    expect(await store.claimOnce('slack:seen:cmd:T1', 60)).toBe(false);
    // Sealed: neither the words, nor the response_url, nor the user are in the store in clear.
    const dump = (await current().dump()).toString('latin1');
    for (const clear of [payload.text, 'alice-secret-words', payload.responseUrl, 'hooks.example', 'UALICE']) expect(dump).not.toContain(clear);
    expect(await store.intents.expired(now + 4000, 10)).toEqual([]);
    const [expired] = await store.intents.expired(now + 5000, 10);
    expect(expired).toEqual({ id, owner: 'a', lease: now + 5000, takeovers: 0, created: now, payload });
  });

  it('a lease is renewed by its owner only, in one call for many intents', async () => {
    const store = await current().open();
    const now = Date.now();
    const ids = await Promise.all([1, 2, 3].map((i) => store.intents.begin(`slack:seen:cmd:R${String(i)}`, SEEN_MS, { owner: i === 3 ? 'other' : 'me', lease: now, created: now, payload }, MAX_AGE_MS)));
    await store.intents.renew('me', ids.map(String), now + 10_000);
    const left = await store.intents.expired(now + 1, 10);
    expect(left.map((i) => i.id)).toEqual([ids[2]]);
    expect((await store.intents.expired(now + 10_000, 10)).map((i) => i.id).sort()).toEqual(ids.map(String).sort());
  });

  it('an expired intent is taken over by exactly one of five racing takers, and counted', async () => {
    const store = await current().open();
    const others = await Promise.all([1, 2, 3, 4].map(() => current().open()));
    const now = Date.now();
    await store.intents.begin('slack:seen:cmd:K1', SEEN_MS, { owner: 'dead', lease: now - 1, created: now - 10, payload }, MAX_AGE_MS);
    const [found] = await store.intents.expired(now, 10);
    const wins = await Promise.all([store, ...others].map((s, i) => s.intents.take(found!, `taker-${String(i)}`, now + 5000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    // The record as read before is stale now: taking it again fails.
    expect(await store.intents.take(found!, 'late', now + 5000)).toBe(false);
    const [taken] = await store.intents.expired(now + 5000, 10);
    expect(taken).toMatchObject({ owner: `taker-${String(wins.indexOf(true))}`, lease: now + 5000, takeovers: 1, payload });
    // The dead owner coming back cannot renew it any more.
    await store.intents.renew('dead', [found!.id], now + 60_000);
    expect(await store.intents.expired(now + 5000, 10)).toHaveLength(1);
  });

  it('a finished intent is gone, its seen-mark stays', async () => {
    const store = await current().open();
    const now = Date.now();
    const id = await store.intents.begin('slack:seen:cmd:F1', SEEN_MS, { owner: 'me', lease: now, created: now, payload }, MAX_AGE_MS);
    await store.intents.finish([id!]);
    expect(await store.intents.expired(now + 60_000, 10)).toEqual([]);
    expect(await store.intents.begin('slack:seen:cmd:F1', SEEN_MS, { owner: 'me', lease: now, created: now, payload }, MAX_AGE_MS)).toBeUndefined();
  });

  it('a box sealed under another secret is reported as unreadable, not opened', async () => {
    const store = await current().open();
    const now = Date.now();
    await store.intents.begin('slack:seen:cmd:S1', SEEN_MS, { owner: 'me', lease: now, created: now, payload }, MAX_AGE_MS);
    const other = await current().open({ secret: 'c3'.repeat(32) });
    const [found] = await other.intents.expired(now, 10);
    expect(found).toMatchObject({ owner: 'me', payload: undefined });
  });
  // Redis expires a seen-mark itself (PX), and SQLite counts every write toward its sweep; Postgres
  // sweeps expired rows every so many claims, and a seen-mark written with its intent must count
  // as one, or a command-only workload would keep every mark forever. (Checked on Postgres only:
  // its dump reads rows, where a SQLite file keeps deleted bytes until pages are reused.)
  it.skipIf(name !== 'postgres')('seen-marks written with intents are swept once expired, like claims', async () => {
    const store = await current().open();
    const now = Date.now();
    // More than the 200 claims Postgres lets pass between sweeps.
    for (let i = 0; i < 201; i += 1) {
      const id = await store.intents.begin(`slack:seen:cmd:SWEEP${String(i)}`, 1, { owner: 'me', lease: now + 60_000, created: now, payload }, MAX_AGE_MS);
      await store.intents.finish([id!]);
    }
    // The first mark expired a millisecond after it was written, hundreds of writes ago.
    // (The sweep runs beside the write that triggers it: polled, not awaited.)
    await expect.poll(async () => /SWEEP0(?!\d)/.test((await current().dump()).toString('latin1'))).toBe(false);
  });
});
