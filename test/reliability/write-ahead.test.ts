/**
 * Issue 18 points 3 and 4, in process: a create is written ahead as `pending` and settled after.
 * - Redis goes away (a TCP proxy in front of the shared Redis is cut, the server itself is never
 *   touched) while the service is creating the handle: the user still hears "claimed", the
 *   settled record waits in memory, and is written once Redis is back — `list` shows it and a
 *   second create of the name says "you already own it".
 * - The store cannot take the pending record: refused before the service is asked.
 * - A pending record left by a crash: `list` says "may be yours", a "taken" says "probably yours".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createClaimLedger, type ClaimLedger } from '../../src/core/claim-ledger.js';
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
import { requireService, TEST_REDIS_URL, uniquePrefix } from '../helpers/services.js';
import { urlOnPort } from '../store/harness.js';
import { startTcpProxy, type TcpProxy } from '../store/tcp-proxy.js';

const SECRET = 'ab'.repeat(32);
const redisUp = await requireService('redis');
let api: FakeMailApi;
let dir: string;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  api = await startFakeMailApi({ rateLimits: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-write-ahead-'));
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Bot = { engine: Engine; store: Store; claims: ClaimLedger; written: () => Promise<void> };

async function startBot(url: string, prefix?: string): Promise<Bot> {
  const log = createLogger({ level: 'silent' });
  const config = loadConfig({ MAIL_API_URL: api.url, COOLDOWN_SECONDS: '0', HANDLE_BOT_SECRET: SECRET });
  const store = await openStore({ url, secret: SECRET, dataDir: dir, log, deadlineMs: 1000, ...(prefix ? { namespacePrefix: prefix } : {}) });
  const mail = createMailApi({ baseUrl: api.url, timeoutMs: 5000, domainsCacheSeconds: 60, log });
  let onWritten: (() => void) | undefined;
  const claims = createClaimLedger({ store, log, retryMs: 50, onEvent: (event) => { if (event === 'written') onWritten?.(); } });
  closers.push(async () => { await claims.close(); await mail.close(); await store.close(); });
  const engine = createEngine({ config, mail, store, log, commands, claims, notifier: { notify: () => undefined } });
  return { engine, store, claims, written: () => new Promise<void>((resolve) => { onWritten = resolve; }) };
}

const as = (user: string): Invocation =>
  ({ platform: 'console', identity: `console:${user}`, scope: 'console', displayName: user, platformAdmin: true, requestId: newRequestId() });
const words = (result: CommandResult) => result.replies.map((r) => [plainText(r.title), ...(r.body ?? []).map((t) => plainText(t))].join('\n')).join('\n');
const createsOf = (handle: string) => api.requests.filter((r) => r.path === '/api/handle/create' && (r.body as { handle?: string }).handle === handle);

describe.skipIf(!redisUp)('Redis away during a create (proxy cut, the real Redis untouched)', () => {
  let proxy: TcpProxy;
  let bot: Bot;
  beforeAll(async () => {
    proxy = await startTcpProxy({ host: new URL(TEST_REDIS_URL).hostname || '127.0.0.1', port: Number(new URL(TEST_REDIS_URL).port || 6379) });
    closers.push(() => proxy.close());
    bot = await startBot(urlOnPort(TEST_REDIS_URL, proxy.port), uniquePrefix('wal'));
    await bot.engine.dispatch(as('ana'), ['key', 'set'], { key: api.newKey('ana@private.example') });
  });

  it('the claim the user was told about is kept in memory, then written when Redis answers again', async () => {
    api.hold();
    const running = bot.engine.dispatchLine(as('ana'), 'create ana.fox');
    await api.waitFor((r) => r.path === '/api/handle/create');
    await proxy.stop();
    api.release();
    const told = await running;
    expect(told.outcome).toMatchObject({ kind: 'created', handle: 'ana.fox' });
    expect(words(told)).toContain('You claimed `ana.fox`');
    expect(bot.claims.waiting()).toBe(1);

    const written = bot.written();
    await proxy.start();
    await written;
    expect(bot.claims.waiting()).toBe(0);
    const listed = await bot.engine.dispatchLine(as('ana'), 'list');
    expect(words(listed)).toMatch(/• `ana\.fox` — claimed/);
    const again = await bot.engine.dispatchLine(as('ana'), 'create ana.fox');
    expect(plainText(again.replies[0]!.title)).toBe('You already own `ana.fox`');
  });

  it('the store cannot take the pending record: refused before the service is asked', async () => {
    await proxy.stop();
    const refused = await bot.engine.dispatchLine(as('ana'), 'create ana.wolf');
    await proxy.start();
    expect(refused.outcome).toEqual({ kind: 'broken', reason: 'storage_unavailable' });
    expect(words(refused)).toMatch(/cannot reach its own storage[\s\S]*nothing was done/);
    expect(createsOf('ana.wolf')).toEqual([]);
  });
});

describe('a pending record left by a crash', () => {
  it('list shows it as "may be yours", and a later "taken" says it is probably theirs (both catalogues)', async () => {
    const bot = await startBot(`sqlite://${path.join(dir, 'crash.sqlite')}`);
    const key = api.newKey('bo@private.example');
    await bot.engine.dispatch(as('bo'), ['key', 'set'], { key });
    // What a process killed between the pending write and the service's answer leaves behind.
    await bot.store.beginClaim('console:bo', { handle: 'bo.lost', at: Date.now(), requestId: 'hb-killed' });
    api.takeHandle('bo.lost', key);
    expect(words(await bot.engine.dispatchLine(as('bo'), 'list'))).toMatch(/`bo\.lost` — may be yours — the bot stopped before the service answered; check with the service/);
    const taken = await bot.engine.dispatchLine(as('bo'), 'create bo.lost');
    expect(taken.outcome).toEqual({ kind: 'failed', reason: 'taken' });
    expect(words(taken)).toMatch(/is already taken[\s\S]*probably yours/);
    const pt = { ...as('bo'), locale: 'pt-BR' as const };
    expect(words(await bot.engine.dispatchLine(pt, 'list'))).toMatch(/`bo\.lost` — pode ser seu — o bot parou antes de o serviço responder; confira com o serviço/);
    expect(words(await bot.engine.dispatchLine(pt, 'create bo.lost'))).toMatch(/já está em uso[\s\S]*provavelmente é seu/);
  });
});
