/**
 * The engine in-process with the real mail-service client, a real SQLite store and the fake
 * mail API: guards, notifier events, and that nothing the store does after the service acted
 * can turn a success into an error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createEngine, type Engine } from '../../src/core/engine.js';
import type { NotifierEvent } from '../../src/core/notifier.js';
import { newRequestId } from '../../src/core/request-id.js';
import { plainText } from '../../src/core/text.js';
import type { Invocation, Reply } from '../../src/core/types.js';
import { createMailApi } from '../../src/mail-api/client.js';
import { loadConfig } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';

let api: FakeMailApi;
let store: Store;
let engine: Engine;
let dir: string;
const events: NotifierEvent[] = [];
const log = createLogger({ level: 'silent' });

beforeAll(async () => {
  api = await startFakeMailApi({ rateLimits: false });
  dir = mkdtempSync(path.join(os.tmpdir(), 'hb-engine-'));
  const config = loadConfig({ MAIL_API_URL: api.url, COOLDOWN_SECONDS: '0', OUTAGE_THRESHOLD: '3', ADMIN_USERS: 'slack:T1:UOPS', MAIL_API_TIMEOUT_MS: '2000' });
  store = await openStore({ url: `sqlite://${path.join(dir, 's.sqlite')}`, dataDir: dir, log });
  const mail = createMailApi({ baseUrl: api.url, timeoutMs: 2000, domainsCacheSeconds: 60, log });
  engine = createEngine({ config, mail, store, log, commands, notifier: { notify: (e) => events.push(e) } });
});
afterAll(async () => {
  await store.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function slackUser(user: string, extra: Partial<Invocation> = {}): Invocation {
  return { platform: 'slack', identity: `slack:T1:${user}`, scope: 'slack:T1', channelId: 'C1', displayName: 'Dana Scully', platformAdmin: false, requestId: newRequestId(), ...extra };
}
const titles = ({ replies }: { replies: Reply[] }) => replies.map((r) => plainText(r.title));

describe('the engine', () => {
  it('raises claimed, deleted and key events', async () => {
    const key = api.newKey('dana@private.example');
    await engine.dispatch(slackUser('U1'), ['key', 'set'], { key });
    const { replies: created } = await engine.dispatchLine(slackUser('U1'), 'create dana');
    expect(created.map((r) => r.visibility)).toEqual(['channel', 'private']);
    const deleted = await engine.dispatch(slackUser('U1', { fromAction: true }), ['delete'], { name: 'dana', confirmed: 'yes' });
    expect(titles(deleted)).toEqual(['Deleted `dana`']);
    expect(events).toEqual([
      { type: 'key_linked', scope: 'slack:T1', who: 'slack:T1:U1' },
      { type: 'handle_claimed', scope: 'slack:T1', who: 'slack:T1:U1', handle: 'dana' },
      { type: 'handle_deleted', scope: 'slack:T1', who: 'slack:T1:U1', handle: 'dana' },
    ]);
    await engine.dispatch(slackUser('U1'), ['key', 'remove'], {});
    expect(events.at(-1)).toEqual({ type: 'key_removed', scope: 'slack:T1', who: 'slack:T1:U1' });
  });

  it('offers alternatives from the display name when a handle is taken', async () => {
    api.takeHandle('fox');
    await engine.dispatch(slackUser('U2'), ['key', 'set'], { key: api.newKey('fox@private.example') });
    const { replies: [taken] } = await engine.dispatchLine(slackUser('U2', { displayName: 'Fox Mulder' }), 'create fox');
    const yy = String(new Date().getFullYear() % 100).padStart(2, '0');
    expect(taken?.actions?.map((a) => a.args.name)).toEqual(['fox.mulder', 'fmulder', `fox${yy}`]);
  });

  it('raises one "looks down" after the threshold and one "recovered" after', async () => {
    events.length = 0;
    api.inject({ kind: 'status', status: 503 }, { times: 4, path: '/api/alias/stats' });
    for (let i = 0; i < 4; i++) await engine.dispatch(slackUser(`UD${i}`), ['key', 'set'], { key: api.newKey(`d${i}@x.example`) });
    await engine.dispatch(slackUser('UD9'), ['key', 'set'], { key: api.newKey('d9@x.example') });
    expect(events.filter((e) => e.type === 'service_down' || e.type === 'service_recovered')).toEqual([
      { type: 'service_down', failures: 3 },
      { type: 'service_recovered' },
    ]);
  });

  it('lets platform admins and ADMIN_USERS change settings, and nobody else', async () => {
    expect(titles(await engine.dispatchLine(slackUser('U3'), 'admin announce off'))).toEqual(['Only admins can change the bot’s settings']);
    expect(titles(await engine.dispatchLine(slackUser('UOPS'), 'admin announce off'))).toEqual(['Claims are no longer announced in the channel']);
    expect(titles(await engine.dispatchLine(slackUser('U4', { platformAdmin: true }), 'admin announce on'))).toEqual(['Claims are announced in the channel again']);
    expect(titles(await engine.dispatchLine(slackUser('U4', { platformAdmin: true, scope: undefined }), 'admin announce on'))).toEqual(['This only works inside a workspace or server']);
    const refused = await engine.dispatchLine(slackUser('UOPS', { checkChannel: () => Promise.resolve({ ok: false, fix: ['Invite the bot first.'] }) }), 'admin notify <#C9|secret>');
    expect(titles(refused)).toEqual(['The bot cannot post in #C9']);
    expect((await store.getSettings('slack:T1')).notifyChannel).toBeUndefined();
  });

  it('still confirms a claim when the store fails after the service acted', async () => {
    const key = api.newKey('eve@private.example');
    await engine.dispatch(slackUser('U5'), ['key', 'set'], { key });
    const failingStore: Store = { ...store, addHistory: () => Promise.reject(new Error('disk full')), updateKeyMeta: () => Promise.reject(new Error('disk full')) };
    const config = loadConfig({ MAIL_API_URL: api.url, COOLDOWN_SECONDS: '0' });
    const mail = createMailApi({ baseUrl: api.url, timeoutMs: 2000, domainsCacheSeconds: 60, log });
    const fragile = createEngine({ config, mail, store: failingStore, log, commands, notifier: { notify: () => undefined } });
    const result = await fragile.dispatchLine(slackUser('U5'), 'create eve');
    expect(titles(result)).toContain('You claimed `eve`');
    await mail.close();
  });
});
