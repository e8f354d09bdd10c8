/**
 * A second (or third) process on the same store, for the multi-process tests. Started as
 * `node --import tsx test/store/store-worker.ts '<json task>'`. Speaks in lines on stdout:
 * `ready` once the store is open, then waits for `go` on stdin (so that several workers start
 * together), `ack <n>` after each acknowledged write (durability), `result <json>` at the end.
 */
import readline from 'node:readline';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { apiKeyFor, type OperationsResult, SHARED_USER, type WorkerTask } from './worker-protocol.js';

const task = JSON.parse(process.argv[2] ?? '{}') as WorkerTask;
const log = createLogger({ level: 'warn', destination: { write: (line: string) => { process.stderr.write(line); } } });
const say = (line: string) => { process.stdout.write(`${line}\n`); };
const clock = () => performance.timeOrigin + performance.now();

async function waitForGo(): Promise<void> {
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === 'go') break;
  }
  lines.close();
}

async function claim(store: Store): Promise<unknown> {
  const results = await Promise.all(Array.from({ length: task.count }, (_, i) => store.claimOnce(`race:${i}`, 60)));
  return { won: results.flatMap((won, i) => (won ? [i] : [])) };
}

/** Turns in one shared queue (1 s apart): when each would start, on this host's clock. */
async function turns(store: Store): Promise<unknown> {
  const reserved = await Promise.all(Array.from({ length: task.count }, () => store.reserveTurn('turn:console:shared', 1, 60)));
  const now = clock();
  return { starts: reserved.map((turn) => (turn.ok ? now + turn.waitMs : null)) };
}

async function durability(store: Store): Promise<never> {
  for (let n = 0; ; n += 1) {
    const identity = `console:durable-${n}`;
    await store.setKey(identity, apiKeyFor(identity));
    say(`ack ${n}`);
  }
}

async function operations(store: Store): Promise<OperationsResult> {
  const result: OperationsResult = { finals: {}, violations: [], shared: [] };
  const check = async (identity: string, expected: string | null) => {
    const opened = await store.getKey(identity);
    const got = opened.status === 'linked' ? opened.apiKey : opened.status;
    if (got !== (expected ?? 'none')) result.violations.push(`${identity}: expected ${expected ?? 'none'}, got ${got}`);
  };
  const ownUser = async (i: number) => {
    const identity = `console:w${task.worker}-u${i}`;
    await store.setKey(identity, apiKeyFor(identity, 1));
    await check(identity, apiKeyFor(identity, 1));
    if (i % 2 === 0) {
      await store.removeKey(identity);
      await check(identity, null);
      result.finals[identity] = null;
    } else {
      await store.setKey(identity, apiKeyFor(identity, 2));
      await check(identity, apiKeyFor(identity, 2));
      result.finals[identity] = apiKeyFor(identity, 2);
    }
  };
  const sharedUser = async () => {
    for (let n = 0; n < 10; n += 1) {
      const value = n % 4 === 3 ? null : apiKeyFor(SHARED_USER, task.worker * 100 + n);
      const start = clock();
      if (value === null) await store.removeKey(SHARED_USER);
      else await store.setKey(SHARED_USER, value);
      result.shared.push({ value, start, ack: clock() });
    }
  };
  await Promise.all([...Array.from({ length: task.count }, (_, i) => ownUser(i)), sharedUser()]);
  return result;
}

const store = await openStore({ url: task.url, secret: task.secret, dataDir: task.dataDir, log, namespacePrefix: task.prefix });
say('ready');
await waitForGo();
const outcome = task.mode === 'claim' ? await claim(store) : task.mode === 'turns' ? await turns(store) : task.mode === 'durability' ? await durability(store) : await operations(store);
say(`result ${JSON.stringify(outcome)}`);
await store.close();
