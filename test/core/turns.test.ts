/**
 * Waits, not refusals: a create or delete inside the cooldown waits for the caller's turn and
 * then runs; only a queue deeper than a few commands per person is refused, with how long to
 * wait. Two engines on one SQLite file stand for two replicas: the turn is a store
 * reservation, so the second replica waits rather than refuses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createEngine, type Engine } from '../../src/core/engine.js';
import { newRequestId } from '../../src/core/request-id.js';
import { plainText } from '../../src/core/text.js';
import type { Invocation } from '../../src/core/types.js';
import { createMailApi } from '../../src/mail-api/client.js';
import { loadConfig } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';

let api: FakeMailApi;
let dir: string;
const stores: Store[] = [];

beforeAll(async () => {
  api = await startFakeMailApi({ rateLimits: false });
  dir = mkdtempSync(path.join(os.tmpdir(), 'hb-turns-'));
});

/** Two engines sharing one SQLite file of their own, as two replicas share a store. */
async function twoReplicas(file: string, cooldownSeconds: number): Promise<[Engine, Engine]> {
  const log = createLogger({ level: 'silent' });
  const config = loadConfig({ MAIL_API_URL: api.url, COOLDOWN_SECONDS: String(cooldownSeconds), HANDLE_BOT_SECRET: 'ab'.repeat(32) });
  const start = async () => {
    const store = await openStore({ url: `sqlite://${path.join(dir, file)}`, dataDir: dir, log, ...(config.HANDLE_BOT_SECRET ? { secret: config.HANDLE_BOT_SECRET } : {}) });
    stores.push(store);
    const mail = createMailApi({ baseUrl: api.url, timeoutMs: 2000, domainsCacheSeconds: 60, log });
    return createEngine({ config, mail, store, log, commands, notifier: { notify: () => undefined } });
  };
  return [await start(), await start()];
}
afterAll(async () => {
  for (const store of stores) await store.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function as(user: string): Invocation {
  return { platform: 'console', identity: `console:${user}`, scope: 'console', displayName: user, platformAdmin: true, requestId: newRequestId() };
}
const creates = (handle: string) => api.requests.filter((r) => r.path === '/api/handle/create' && (r.body as { handle?: string }).handle === handle);

describe('a create or delete inside the cooldown', () => {
  it('a second create right after the first, through another replica, waits out the cooldown, then completes; both are recorded', async () => {
    const [one, two] = await twoReplicas('ana.sqlite', 2);
    await one.dispatch(as('ana'), ['key', 'set'], { key: api.newKey('ana@private.example') });
    const first = await one.dispatchLine(as('ana'), 'create ana.one');
    expect(first.outcome).toMatchObject({ kind: 'created', handle: 'ana.one' });
    const second = await two.dispatchLine(as('ana'), 'create ana.two');
    expect(second.outcome).toMatchObject({ kind: 'created', handle: 'ana.two' });
    expect(plainText(second.replies.at(-1)!.title)).toBe('You claimed `ana.two`');
    // The service saw the second claim a cooldown after the first (the turn, not a retry); the
    // margin is the hop from the turn to the service on a loaded machine (see the next test).
    const [a] = creates('ana.one');
    const [b] = creates('ana.two');
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(2000 - 200);
    const history = await stores[0]!.listHistory('console:ana');
    expect(history.map((e) => [e.handle, e.status])).toEqual([['ana.two', 'claimed'], ['ana.one', 'claimed']]);
  });

  it('only a queue deeper than three waiting is refused, at once, saying how long to wait; the others run in turn', async () => {
    const [one, two] = await twoReplicas('bea.sqlite', 1);
    await one.dispatch(as('bea'), ['key', 'set'], { key: api.newKey('bea@private.example') });
    // Five at once, across both replicas: one runs now, three wait their turn, the fifth is refused.
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => (n % 2 ? one : two).dispatchLine(as('bea'), `create bea.${n}`)));
    const refused = results.filter((r) => r.outcome.kind === 'refused');
    expect(results.filter((r) => r.outcome.kind === 'created')).toHaveLength(4);
    expect(refused.map((r) => r.outcome)).toEqual([{ kind: 'refused', reason: 'busy' }]);
    expect(plainText(refused[0]!.replies[0]!.body![0]!)).toMatch(/one every 1 second per person[\s\S]*Try it again in 1 second\./);
    const served = api.requests.filter((r) => r.path === '/api/handle/create' && String((r.body as { handle?: string }).handle).startsWith('bea.'));
    expect(served).toHaveLength(4);
    // Turns start 1 s apart by the store's clock; the requests reach the service after a store
    // write and a hop each, whose time varies on a loaded machine — hence the margin (no cooldown
    // at all would put them ~0 ms apart).
    for (let i = 1; i < served.length; i++) expect(served[i]!.at - served[i - 1]!.at).toBeGreaterThanOrEqual(1000 - 200);
  }, 15_000);
});
