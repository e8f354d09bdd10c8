/**
 * The engine runs every command inside its request's context, so whatever the command starts
 * — down to a promise nobody awaits, or a notifier far from the front door — knows which
 * request it belongs to (what the process guard logs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createEngine } from '../../src/core/engine.js';
import { createMailApi } from '../../src/mail-api/client.js';
import { loadConfig } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { currentRequestId } from '../../src/ops/request-context.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';

let api: FakeMailApi;
let store: Store;
let dir: string;
const log = createLogger({ level: 'silent' });

beforeAll(async () => {
  api = await startFakeMailApi({ rateLimits: false });
  dir = mkdtempSync(path.join(os.tmpdir(), 'hb-context-'));
  store = await openStore({ url: `sqlite://${path.join(dir, 's.sqlite')}`, dataDir: dir, log });
});
afterAll(async () => {
  await store.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the request context', () => {
  it('is the invocation’s request id throughout a command, and nothing outside one', async () => {
    const seen: (string | undefined)[] = [];
    const engine = createEngine({
      config: loadConfig({ MAIL_API_URL: api.url, COOLDOWN_SECONDS: '0' }),
      mail: createMailApi({ baseUrl: api.url, timeoutMs: 2000, domainsCacheSeconds: 60, log }),
      store, log, commands,
      // Called from deep inside `key set`, after the service and the store answered.
      notifier: { notify: () => { seen.push(currentRequestId()); } },
    });
    await engine.dispatch(
      { platform: 'console', identity: 'console:ctx', scope: 'console', displayName: 'ctx', platformAdmin: true, requestId: 'hb-context-1' },
      ['key', 'set'],
      { key: api.newKey('ctx@example.com') },
    );
    expect(seen).toEqual(['hb-context-1']);
    expect(currentRequestId()).toBeUndefined();
  });
});
