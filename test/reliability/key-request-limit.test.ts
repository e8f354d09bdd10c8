/**
 * Issue 18 point 10: a per-person limit on `key request`, counted in the store so that it holds
 * across replicas (two engines on one SQLite file stand for two replicas), explained kindly in
 * both catalogues; a colleague's own request is not affected.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createEngine, type Engine } from '../../src/core/engine.js';
import { newRequestId } from '../../src/core/request-id.js';
import { plainText } from '../../src/core/text.js';
import type { CommandResult, Invocation } from '../../src/core/types.js';
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
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-key-request-'));
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function replicas(file: string, env: Record<string, string>): Promise<[Engine, Engine]> {
  const log = createLogger({ level: 'silent' });
  const config = loadConfig({ MAIL_API_URL: api.url, HANDLE_BOT_SECRET: 'ab'.repeat(32), ...env });
  const start = async () => {
    const store = await openStore({ url: `sqlite://${path.join(dir, file)}`, dataDir: dir, log, secret: 'ab'.repeat(32) });
    stores.push(store);
    return createEngine({ config, store, log, commands, mail: createMailApi({ baseUrl: api.url, timeoutMs: 2000, domainsCacheSeconds: 60, log }), notifier: { notify: () => undefined } });
  };
  return [await start(), await start()];
}

const as = (user: string, locale?: 'pt-BR'): Invocation =>
  ({ platform: 'console', identity: `console:${user}`, scope: 'console', displayName: user, platformAdmin: true, requestId: newRequestId(), ...(locale ? { locale } : {}) });
const words = (result: CommandResult) => result.replies.map((r) => [plainText(r.title), ...(r.body ?? []).map((t) => plainText(t))].join('\n')).join('\n');
const sendsTo = (email: string) => api.requests.filter((r) => r.path.includes('credentials') && JSON.stringify(r.body).includes(email)).length;

describe('key request: a per-person limit shared by the replicas', () => {
  it('one every 10 minutes: the second, through the other replica, is refused kindly and never sent; a colleague still can', async () => {
    const [one, two] = await replicas('interval.sqlite', {});
    const first = await one.dispatchLine(as('ana'), 'key request ana@home.example');
    expect(first.outcome).toEqual({ kind: 'credentials_requested' });
    const second = await two.dispatchLine(as('ana'), 'key request ana.other@home.example');
    expect(second.outcome).toEqual({ kind: 'refused', reason: 'key_request_limit' });
    expect(words(second)).toMatch(/You asked for a key a moment ago[\s\S]*once every 10 minutes and 3 times a day[\s\S]*ask again in (9|10) minutes/);
    expect(sendsTo('ana.other@home.example')).toBe(0);
    const pt = await one.dispatchLine(as('ana', 'pt-BR'), 'key request ana@home.example');
    expect(words(pt)).toMatch(/Você pediu uma chave há pouco[\s\S]*uma vez a cada 10 minutos e 3 vezes por dia[\s\S]*pedir de novo em (9|10) minutos/);
    expect((await two.dispatchLine(as('bea'), 'key request bea@home.example')).outcome).toEqual({ kind: 'credentials_requested' });
  });

  it('three a day: the fourth is refused until tomorrow, on either replica', async () => {
    const [one, two] = await replicas('daily.sqlite', { KEY_REQUEST_INTERVAL_SECONDS: '0' });
    const outcomes = [];
    for (const [n, engine] of [one, two, one, two].entries()) {
      outcomes.push((await engine.dispatchLine(as('cid'), `key request cid${n}@home.example`)).outcome.kind);
    }
    expect(outcomes).toEqual(['credentials_requested', 'credentials_requested', 'credentials_requested', 'refused']);
    const fifth = await one.dispatchLine(as('cid'), 'key request cid9@home.example');
    expect(words(fifth)).toMatch(/used today’s requests[\s\S]*ask again tomorrow/);
    expect(sendsTo('cid3@home.example') + sendsTo('cid9@home.example')).toBe(0);
  });
});
