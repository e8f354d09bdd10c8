/**
 * Durable command intents (src/core/intents.ts) over a real SQLite store, with two or three
 * "replicas" (Intents instances, each its own owner) sharing it and a clock the test moves:
 * the first delivery is admitted and a redelivery is not, wherever it arrives; a replica that
 * stops renewing loses its commands to exactly one other, which runs each once; a replica never
 * takes over its own; old or repeatedly failing commands are given up and the person told; a
 * key typed after `key set` is never written down; a store that fails still lets the command run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.js';
import { createIntents, type IntentHandler, type Intents, MAX_AGE_MS, type RecoveredCommand, storableLine, withRecoveryNotice } from '../../src/core/intents.js';
import type { Reply } from '../../src/core/types.js';
import { createLogger } from '../../src/ops/logger.js';
import { openStore, type Store } from '../../src/store/index.js';

const LEASE_MS = 60_000; // the timers never fire during a test: the clock below is what moves
const SECRET = 'b7'.repeat(32);
const log = createLogger({ level: 'silent' });

let dir: string;
let store: Store;
let clock: number;
const running: Intents[] = [];

function replica(s: Pick<Store, 'intents'> = store): Intents {
  const intents = createIntents({ store: s, commands, log, leaseMs: LEASE_MS, seenTtlMs: 600_000, now: () => clock });
  running.push(intents);
  return intents;
}

function recorder(options: { accepting?: boolean } = {}) {
  const recovered: RecoveredCommand[] = [];
  const abandoned: RecoveredCommand[] = [];
  const handler: IntentHandler = {
    accepting: () => options.accepting ?? true,
    recover: (command) => { recovered.push(command); return Promise.resolve(); },
    abandon: (command) => { abandoned.push(command); return Promise.resolve(); },
  };
  return { handler, recovered, abandoned };
}

const request = (delivery: string, text = 'create alice') => ({ platform: 'slack' as const, delivery, text, context: { response_url: `https://hooks.example/${delivery}`, user_id: 'UALICE' } });
const left = () => store.intents.expired(Number.MAX_SAFE_INTEGER, 100);

/** A surviving replica sweeps: the command is not run again, the person is told, and the intent goes. */
async function expectGivenUp(): Promise<void> {
  const survivor = recorder();
  replica().serve('slack', survivor.handler);
  await vi.waitFor(async () => { expect(await left()).toEqual([]); });
  expect(survivor.recovered).toEqual([]);
  expect(survivor.abandoned).toHaveLength(1);
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-intents-core-'));
  store = await openStore({ url: `sqlite://${path.join(dir, 'store.sqlite')}`, secret: SECRET, dataDir: dir, log });
  clock = Date.now();
});
afterEach(async () => {
  for (const intents of running.splice(0)) intents.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('admission', () => {
  it('the first delivery is admitted and durable; a redelivery is not admitted, on this replica or another', async () => {
    const [a, b] = [replica(), replica()];
    expect(await a.begin(request('cmd:T1'))).toMatchObject({ first: true, durable: true });
    expect(await a.begin(request('cmd:T1'))).toMatchObject({ first: false });
    expect(await b.begin(request('cmd:T1'))).toMatchObject({ first: false });
    expect(await left()).toHaveLength(1);
  });

  it('a finished command leaves nothing behind, and its redelivery is still refused', async () => {
    const a = replica();
    const admitted = await a.begin(request('cmd:T2'));
    await admitted.finish();
    expect(await left()).toEqual([]);
    expect(await a.begin(request('cmd:T2'))).toMatchObject({ first: false });
  });

  it('a store that fails lets the command run anyway, not durable', async () => {
    const failing = { intents: { ...store.intents, begin: () => Promise.reject(new Error('store down')) } };
    const admitted = await replica(failing).begin(request('cmd:T3'));
    expect(admitted).toMatchObject({ first: true, durable: false });
    await admitted.finish();
  });

  it('a key typed after `key set` is never written down; other words are kept as typed', () => {
    expect(storableLine('key set abcdef0123456789abcdef0123456789', commands)).toBe('key set');
    expect(storableLine('create  alice', commands)).toBe('create  alice');
  });
});

describe('takeover', () => {
  it('a replica that stops renewing loses its command to exactly one of two others, which runs it once with a new request id', async () => {
    const dead = replica();
    await dead.begin(request('cmd:K1', 'create bob'));
    dead.close();
    clock += LEASE_MS + 1;
    const [b, c] = [recorder(), recorder()];
    replica().serve('slack', b.handler);
    replica().serve('slack', c.handler);
    await vi.waitFor(async () => { expect(await left()).toEqual([]); });
    const runs = [...b.recovered, ...c.recovered];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ platform: 'slack', text: 'create bob', takeovers: 1, context: { response_url: 'https://hooks.example/cmd:K1' } });
    expect(runs[0]!.requestId).toMatch(/^hb-/);
  });

  it('a live lease is left alone, and a replica never takes over its own command', async () => {
    const a = replica();
    const mine = recorder();
    a.serve('slack', mine.handler);
    await a.begin(request('cmd:K2'));
    const other = recorder();
    const b = replica();
    b.serve('slack', other.handler);
    await b.sweep();
    expect(other.recovered).toEqual([]);
    clock += LEASE_MS + 1; // a's renewal missed (its timer did not run): still a's own
    await a.sweep();
    expect(mine.recovered).toEqual([]);
  });

  it('a front door that is stopping leaves the command for another', async () => {
    const dead = replica();
    await dead.begin(request('cmd:K3'));
    dead.close();
    clock += LEASE_MS + 1;
    const stopping = recorder({ accepting: false });
    const b = replica();
    b.serve('slack', stopping.handler);
    await b.sweep();
    expect(stopping.recovered).toEqual([]);
    expect(await left()).toHaveLength(1);
  });

  it('a command older than a response_url can be answered is given up, and the person told', async () => {
    const dead = replica();
    await dead.begin(request('cmd:K4'));
    dead.close();
    clock += MAX_AGE_MS + 1;
    await expectGivenUp();
  });

  it('a command taken over three times already (it kills whoever runs it) is given up', async () => {
    await replica().begin(request('cmd:K5'));
    for (let i = 0; i < 3; i += 1) {
      clock += LEASE_MS + 1;
      const [found] = await store.intents.expired(clock, 10);
      expect(await store.intents.take(found!, `crashing-${String(i)}`, clock + LEASE_MS)).toBe(true);
    }
    clock += LEASE_MS + 1;
    await expectGivenUp();
  });
});

describe('the recovered answer', () => {
  it('opens its first private reply with the notice, the reply\'s own title below it; channel replies stay as they are', () => {
    const channel: Reply = { visibility: 'channel', tone: 'success', title: ['announced'] };
    const detail: Reply = { visibility: 'private', tone: 'success', title: ['claimed'], body: [['details']] };
    expect(withRecoveryNotice([channel, detail], ['restarted'])).toEqual([channel, { ...detail, title: ['restarted'], body: [['claimed'], ['details']] }]);
  });
});
