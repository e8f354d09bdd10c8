/**
 * The store's behaviour, the same on every backend: one suite, run against SQLite, Redis and
 * Postgres (the latter two skipped with a reason locally when absent, failing under CI=true).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyId } from '../../src/store/index.js';
import { parseSecret } from '../../src/ops/config.js';
import { parseApiKey } from '../../src/domain/api-key.js';
import type { Store } from '../../src/store/types.js';
import { apiKeyFor, BACKENDS, SECRET_A, SECRET_B, SECRET_C, type StoreUnderTest } from './harness.js';

const alice = 'slack:T1:UALICE';
const bob = 'discord:123456789012345678';

function kidOf(secret: string): string {
  return keyId(parseSecret(secret)!);
}

/** Flips one bit inside a base64 field, keeping it valid base64 of the same length. */
function flipBit(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0]! ^= 0x01;
  return bytes.toString('base64');
}

describe.each(BACKENDS)('store on $name', ({ name, available, make }) => {
  let t: StoreUnderTest;
  beforeEach(async () => {
    if (available) t = await make();
  });
  afterEach(async () => {
    if (available) await t.cleanup();
  });

  describe.skipIf(!available)(`${name} backend`, () => {
    describe('links', () => {
      it('a linked key reads back for its owner only, with a last-4 fingerprint', async () => {
        const store = await t.open();
        const key = apiKeyFor(alice);
        const view = await store.setKey(alice, key, { verifiedAt: 1000, verifyResult: 'ok' });
        expect(view).toEqual({ fingerprint: `…${key.slice(-4)}`, linkedAt: expect.any(Number), verifiedAt: 1000, verifyResult: 'ok' });
        expect(await store.getKey(alice)).toEqual({ status: 'linked', apiKey: key, record: view });
        expect(await store.getKey(bob)).toEqual({ status: 'none' });
      });

      it('a second key overwrites the first and forgets the old owner e-mail', async () => {
        const store = await t.open();
        await store.setKey(alice, apiKeyFor(alice, 1));
        await store.updateKeyMeta(alice, { ownerEmail: 'alice@example.org' });
        await store.setKey(alice, apiKeyFor(alice, 2));
        const opened = await store.getKey(alice);
        expect(opened).toMatchObject({ status: 'linked', apiKey: apiKeyFor(alice, 2) });
        expect(opened.status === 'linked' ? opened.record : undefined).not.toHaveProperty('ownerEmail');
      });

      it('verification and owner e-mail are kept with the key', async () => {
        const store = await t.open();
        await store.setKey(alice, apiKeyFor(alice));
        await store.updateKeyMeta(alice, { verifiedAt: 42, verifyResult: 'rejected' });
        await store.updateKeyMeta(alice, { ownerEmail: 'alice@example.org' });
        expect(await store.getKey(alice)).toMatchObject({
          status: 'linked',
          apiKey: apiKeyFor(alice),
          record: { verifiedAt: 42, verifyResult: 'rejected', ownerEmail: 'alice@example.org' },
        });
        await store.updateKeyMeta(bob, { verifiedAt: 1 }); // nothing linked: nothing happens
        expect(await store.getKey(bob)).toEqual({ status: 'none' });
      });

      it('removing a key says whether one was linked', async () => {
        const store = await t.open();
        await store.setKey(alice, apiKeyFor(alice));
        expect(await store.removeKey(alice)).toBe(true);
        expect(await store.removeKey(alice)).toBe(false);
        expect(await store.getKey(alice)).toEqual({ status: 'none' });
      });

      it('a key that is not normalised cannot reach the store: only parseApiKey makes an ApiKey', async () => {
        const store = await t.open();
        const bad = `  ${apiKeyFor(alice).toUpperCase()}  `;
        // @ts-expect-error a string parseApiKey has not checked is not an ApiKey (typecheck fails if it were)
        const unchecked: Parameters<Store['setKey']>[1] = bad;
        const parsed = parseApiKey(unchecked);
        expect(parsed).toEqual({ ok: true, key: apiKeyFor(alice) });
        if (parsed.ok) await store.setKey(alice, parsed.key);
        expect(await store.getKey(alice)).toMatchObject({ status: 'linked', apiKey: apiKeyFor(alice) });
      });
    });

    describe('history, settings, forget', () => {
      it('history lists one identity newest first, up to the limit', async () => {
        const store = await t.open();
        for (let i = 0; i < 5; i += 1) await store.addHistory(alice, { handle: `h${i}`, status: 'claimed', at: 1000 + i, requestId: `r${i}` });
        await store.addHistory(bob, { handle: 'bob', status: 'deleted', at: 5000 });
        expect((await store.listHistory(alice)).map((e) => e.handle)).toEqual(['h4', 'h3', 'h2', 'h1', 'h0']);
        expect(await store.listHistory(alice, 2)).toEqual([
          { handle: 'h4', status: 'claimed', at: 1004, requestId: 'r4' },
          { handle: 'h3', status: 'claimed', at: 1003, requestId: 'r3' },
        ]);
        expect(await store.listHistory(bob)).toEqual([{ handle: 'bob', status: 'deleted', at: 5000 }]);
      });

      it('identities that share a prefix keep separate histories', async () => {
        const store = await t.open();
        const ids = ['console:a', 'console:a|b', 'console:ab', 'console:a%7Cb', 'console:a_'];
        for (const [i, id] of ids.entries()) await store.addHistory(id, { handle: `h-${i}`, status: 'claimed', at: 1000 });
        for (const [i, id] of ids.entries()) expect((await store.listHistory(id)).map((e) => e.handle)).toEqual([`h-${i}`]);
        await store.forget('console:a');
        expect(await store.listHistory('console:a')).toEqual([]);
        for (const id of ids.slice(1)) expect(await store.listHistory(id)).toHaveLength(1);
      });

      it('forget removes the link and the history of that identity only', async () => {
        const store = await t.open();
        await store.setKey(alice, apiKeyFor(alice));
        await store.setKey(bob, apiKeyFor(bob));
        await store.addHistory(alice, { handle: 'a', status: 'claimed', at: 1 });
        await store.addHistory(bob, { handle: 'b', status: 'claimed', at: 1 });
        await store.forget(alice);
        expect(await store.getKey(alice)).toEqual({ status: 'none' });
        expect(await store.listHistory(alice)).toEqual([]);
        expect(await store.getKey(bob)).toMatchObject({ status: 'linked', apiKey: apiKeyFor(bob) });
        expect(await store.listHistory(bob)).toHaveLength(1);
      });

      it('identities, scopes and claim keys of any length fit every backend, and stay apart', async () => {
        // Console names are whatever the operator types: Postgres's key column holds 255 characters.
        const long = `console:${'n'.repeat(1000)}`;
        const samePrefix = `console:${'n'.repeat(999)}x`;
        const wide = `console:${'名'.repeat(300)}`;
        const old = await t.open({ secret: SECRET_A });
        for (const id of [long, samePrefix, wide]) {
          await old.setKey(id, apiKeyFor(id));
          await old.addHistory(id, { handle: `h-${String(id.length)}`, status: 'claimed', at: 1 });
          expect(await old.claimOnce(`cooldown:${id}`, 60)).toBe(true);
          expect(await old.claimOnce(`cooldown:${id}`, 60)).toBe(false);
        }
        const scope = `console:${'s'.repeat(400)}`;
        await old.updateSettings(scope, { announce: false });
        expect(await old.getSettings(scope)).toMatchObject({ announce: false });

        const rotating = await t.open({ secret: SECRET_B, previousSecret: SECRET_A });
        expect(await rotating.rotateSecret()).toEqual({ resealed: 3, alreadyCurrent: 0, unreadable: 0 });
        const rotated = await t.open({ secret: SECRET_B });
        for (const id of [long, samePrefix, wide]) {
          expect(await rotated.getKey(id)).toMatchObject({ status: 'linked', apiKey: apiKeyFor(id) });
          expect((await rotated.listHistory(id)).map((e) => e.handle)).toEqual([`h-${String(id.length)}`]);
        }
        await rotated.forget(long);
        expect(await rotated.getKey(long)).toEqual({ status: 'none' });
        expect(await rotated.listHistory(long)).toEqual([]);
        expect(await rotated.getKey(samePrefix)).toMatchObject({ status: 'linked' });
        expect(await rotated.listHistory(samePrefix)).toHaveLength(1);
      });

      it('settings start from the defaults, merge per scope, and undefined removes a field', async () => {
        const store = await t.open();
        expect(await store.getSettings('slack:T1')).toEqual({ announce: true, onboarding: false, keyEvents: false });
        expect(await store.updateSettings('slack:T1', { notifyChannel: 'C42', announce: false })).toEqual({
          notifyChannel: 'C42', announce: false, onboarding: false, keyEvents: false,
        });
        await store.updateSettings('slack:T1', { onboarding: true, welcomeText: 'hi' });
        await store.updateSettings('slack:T1', { notifyChannel: undefined });
        expect(await store.getSettings('slack:T1')).toEqual({ announce: false, onboarding: true, welcomeText: 'hi', keyEvents: false });
        expect(await store.getSettings('discord:99')).toEqual({ announce: true, onboarding: false, keyEvents: false });
      });
    });

    describe('write-ahead claims (issue 18 points 3 and 4)', () => {
      it('a pending record is listed until settled; settling replaces it in place; a refusal removes it', async () => {
        const store = await t.open();
        const who = 'console:wal';
        await store.addHistory(who, { handle: 'older', status: 'claimed', at: 1_000 });
        const kept = await store.beginClaim(who, { handle: 'kept', at: 2_000, requestId: 'hb-1' });
        const refused = await store.beginClaim(who, { handle: 'refused', at: 3_000, requestId: 'hb-2' });
        const unknown = await store.beginClaim(who, { handle: 'unknown', at: 4_000 });
        expect((await store.listHistory(who)).map((e) => `${e.handle}:${e.status}`)).toEqual(['unknown:pending', 'refused:pending', 'kept:pending', 'older:claimed']);
        await store.settleClaim(kept, 'claimed');
        await store.settleClaim(refused, undefined);
        await store.settleClaim(unknown, 'unconfirmed');
        expect(await store.listHistory(who)).toEqual([
          { handle: 'unknown', status: 'unconfirmed', at: 4_000 },
          { handle: 'kept', status: 'claimed', at: 2_000, requestId: 'hb-1' },
          { handle: 'older', status: 'claimed', at: 1_000 },
        ]);
        // Settling twice (a retry from memory after the write did land) changes nothing.
        await store.settleClaim(kept, 'claimed');
        await store.settleClaim(refused, undefined);
        expect(await store.listHistory(who)).toHaveLength(3);
      });

      it('refused attempts leave nothing behind that crowds the list out', async () => {
        const store = await t.open();
        const who = 'console:wal-crowd';
        await store.addHistory(who, { handle: 'mine', status: 'claimed', at: 1_000 });
        for (let i = 0; i < 5; i += 1) await store.settleClaim(await store.beginClaim(who, { handle: `taken${String(i)}`, at: 2_000 + i }), undefined);
        expect((await store.listHistory(who, 1)).map((e) => e.handle)).toEqual(['mine']);
      });
    });

    describe('claimOnce', () => {
      it('is won once until it expires, then can be won again', async () => {
        const store = await t.open();
        expect(await store.claimOnce('delivery:1', 0.4)).toBe(true);
        expect(await store.claimOnce('delivery:1', 0.4)).toBe(false);
        expect(await store.claimOnce('delivery:2', 0.4)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect(await store.claimOnce('delivery:1', 60)).toBe(true);
        expect(await store.claimOnce('delivery:1', 60)).toBe(false);
      });

      it('a released claim can be won again at once; releasing a free claim is harmless', async () => {
        const store = await t.open();
        expect(await store.claimOnce('notify:outage:down', 3600)).toBe(true);
        await store.releaseClaim('notify:outage:down');
        await store.releaseClaim('notify:outage:recovered');
        expect(await store.claimOnce('notify:outage:down', 3600)).toBe(true);
        expect(await store.claimOnce('notify:outage:down', 3600)).toBe(false);
      });

      it('has exactly one winner among concurrent callers in one process', async () => {
        const [one, two] = [await t.open(), await t.open()];
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).claimOnce('notify:outage', 30)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('reserveTurn', () => {
      it('an idle queue gives a turn at once; the next ones wait an interval more each; past the longest wait: refused with how long until a turn', async () => {
        const store = await t.open();
        const waits = [];
        for (let i = 0; i < 3; i++) {
          const turn = await store.reserveTurn('turn:console:alice', 2, 4);
          expect(turn.ok).toBe(true);
          if (turn.ok) waits.push(turn.waitMs);
        }
        // Spaced by the interval, less the few ms the calls themselves took.
        expect(waits[0]).toBe(0);
        expect(waits[1]).toBeGreaterThan(1800);
        expect(waits[1]).toBeLessThanOrEqual(2000);
        expect(waits[2]! - waits[1]!).toBeGreaterThan(1800);
        expect(waits[2]! - waits[1]!).toBeLessThanOrEqual(2100);
        const refused = await store.reserveTurn('turn:console:alice', 2, 4);
        expect(refused.ok).toBe(false);
        if (!refused.ok) {
          expect(refused.retryAfterMs).toBeGreaterThan(1500);
          expect(refused.retryAfterMs).toBeLessThanOrEqual(2000);
        }
        // Another person's queue is their own.
        expect(await store.reserveTurn('turn:console:bob', 2, 4)).toEqual({ ok: true, waitMs: 0 });
      });

      it('concurrent callers in one process get turns an interval apart, none twice', async () => {
        const [one, two] = [await t.open(), await t.open()];
        const turns = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).reserveTurn('turn:console:carol', 1, 60)));
        const waits = turns.map((turn) => (turn.ok ? turn.waitMs : Number.NaN)).sort((a, b) => a - b);
        expect(waits[0]).toBe(0);
        for (let i = 1; i < waits.length; i++) {
          expect(waits[i]! - waits[i - 1]!).toBeGreaterThan(850);
          expect(waits[i]! - waits[i - 1]!).toBeLessThanOrEqual(1150);
        }
      });
    });

    describe('secrets and rotation', () => {
      it('a store with another secret cannot open the keys, and says so', async () => {
        await (await t.open({ secret: SECRET_A })).setKey(alice, apiKeyFor(alice));
        const other = await t.open({ secret: SECRET_C });
        expect(await other.getKey(alice)).toEqual({ status: 'unreadable', reason: 'unknown_secret' });
        expect(await other.rotateSecret()).toEqual({ resealed: 0, alreadyCurrent: 0, unreadable: 1 });
      });

      it('with the previous secret set, old records open and are re-sealed when touched; rotateSecret does the rest', async () => {
        const old = await t.open({ secret: SECRET_A });
        for (const id of [alice, bob, 'console:carol']) await old.setKey(id, apiKeyFor(id));
        await old.updateKeyMeta(alice, { ownerEmail: 'alice@example.org', verifiedAt: 7, verifyResult: 'ok' });
        const kidOfRecord = async (id: string) => (JSON.parse((await t.rawLink(id))!) as { value: { kid: string } }).value.kid;
        expect(await kidOfRecord(alice)).toBe(kidOf(SECRET_A));

        const rotating = await t.open({ secret: SECRET_B, previousSecret: SECRET_A });
        expect(await rotating.getKey(alice)).toMatchObject({
          status: 'linked', apiKey: apiKeyFor(alice), record: { ownerEmail: 'alice@example.org', verifiedAt: 7, verifyResult: 'ok' },
        });
        expect(await kidOfRecord(alice)).toBe(kidOf(SECRET_B)); // re-sealed on touch
        expect(await kidOfRecord(bob)).toBe(kidOf(SECRET_A)); // untouched so far

        expect(await rotating.rotateSecret()).toEqual({ resealed: 2, alreadyCurrent: 1, unreadable: 0 });
        expect(await rotating.rotateSecret()).toEqual({ resealed: 0, alreadyCurrent: 3, unreadable: 0 });

        const rotated = await t.open({ secret: SECRET_B }); // the old secret can now go
        for (const id of [alice, bob, 'console:carol']) expect(await rotated.getKey(id)).toMatchObject({ status: 'linked', apiKey: apiKeyFor(id) });
        expect(await old.getKey(bob)).toEqual({ status: 'unreadable', reason: 'unknown_secret' });
      });
    });

    describe('tampered records', () => {
      type Sealed = { v: number; kid: string; nonce: string; ct: string; tag: string } & Record<string, unknown>;
      async function tamper(change: (record: Sealed) => void) {
        const store = await t.open({ secret: SECRET_B, previousSecret: SECRET_A });
        await store.setKey(alice, apiKeyFor(alice));
        await store.setKey(bob, apiKeyFor(bob));
        const stored = JSON.parse((await t.rawLink(alice))!) as { value: Sealed };
        change(stored.value);
        await t.writeRawLink(alice, JSON.stringify(stored));
        const outcome = await store.getKey(alice);
        // A damaged record never spoils anyone else's.
        expect(await store.getKey(bob)).toMatchObject({ status: 'linked', apiKey: apiKeyFor(bob) });
        return outcome;
      }

      it.each([
        ['ciphertext', (r: Sealed) => { r.ct = flipBit(r.ct); }],
        ['nonce', (r: Sealed) => { r.nonce = flipBit(r.nonce); }],
        ['tag', (r: Sealed) => { r.tag = flipBit(r.tag); }],
        ['kid pointing at the other known secret', (r: Sealed) => { r.kid = kidOf(SECRET_A); }],
        ['truncated tag', (r: Sealed) => { r.tag = r.tag.slice(0, 8); }],
        ['version', (r: Sealed) => { r.v = 99; }],
        ['missing ciphertext', (r: Sealed) => { delete (r as Record<string, unknown>).ct; }],
        ['linkedAt meta', (r: Sealed) => { r.linkedAt = 'yesterday'; }],
      ])('a modified %s is reported as tampered', async (_what, change) => {
        expect(await tamper(change)).toEqual({ status: 'unreadable', reason: 'tampered' });
      });

      it('an unknown key id is reported as sealed under an unknown secret', async () => {
        expect(await tamper((r) => { r.kid = 'deadbeef'; })).toEqual({ status: 'unreadable', reason: 'unknown_secret' });
      });

      it("a record copied onto another identity does not open there", async () => {
        const store = await t.open();
        await store.setKey(alice, apiKeyFor(alice));
        await t.writeRawLink(bob, (await t.rawLink(alice))!);
        expect(await store.getKey(bob)).toEqual({ status: 'unreadable', reason: 'tampered' });
        expect(await store.getKey(alice)).toMatchObject({ status: 'linked', apiKey: apiKeyFor(alice) });
      });

      it('a value that is not JSON at all is tampered, not "no key" and not a storage failure', async () => {
        const store = await t.open();
        await store.setKey(bob, apiKeyFor(bob)); // creates the table
        await t.writeRawLink(alice, 'not json {');
        expect(await store.getKey(alice)).toEqual({ status: 'unreadable', reason: 'tampered' });
        await t.writeRawLink(alice, JSON.stringify({ value: 'a string' }));
        expect(await store.getKey(alice)).toEqual({ status: 'unreadable', reason: 'tampered' });
      });
    });

    it('nothing in the backend or the logs holds an API key or an owner e-mail in clear', async () => {
      const store = await t.open({ secret: SECRET_B, previousSecret: SECRET_A });
      const ids = [alice, bob, 'console:carol'];
      for (const id of ids) await store.setKey(id, apiKeyFor(id));
      await store.updateKeyMeta(alice, { ownerEmail: 'alice.secret@example.org' });
      await store.setKey(bob, apiKeyFor(bob, 2)); // overwritten records must not linger in clear either
      await store.addHistory(alice, { handle: 'alice', status: 'claimed', at: Date.now() });
      await store.getKey(alice);
      await store.rotateSecret();
      await store.claimOnce('delivery:x', 60);

      const dumped = await t.dump();
      expect(dumped.length).toBeGreaterThan(0);
      expect(dumped.includes(Buffer.from('alice'))).toBe(true); // the scan does see the stored data
      for (const secret of [...ids.map((id) => apiKeyFor(id)), apiKeyFor(bob, 2)]) {
        for (const form of [secret, secret.toUpperCase(), secret.slice(0, 16), Buffer.from(secret, 'hex').toString('base64')]) {
          expect(dumped.includes(Buffer.from(form)), `${name} holds a key in clear`).toBe(false);
        }
        expect(t.logLines.join('').includes(secret)).toBe(false);
      }
      expect(dumped.includes(Buffer.from('alice.secret@example.org'))).toBe(false);
      expect(dumped.includes(Buffer.from('example.org'))).toBe(false);
    });
  });
});
