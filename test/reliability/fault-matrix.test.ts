/**
 * The mail-service fault matrix, through the engine, the real mail client and the loopback fake
 * (a slow body from a small server of its own): for each fault a create is answered in plain
 * words (never the internal-error apology), and what is recorded matches what may have happened
 * — `unconfirmed` once when the service may have created it, nothing otherwise, and never a
 * `pending` record left behind. The table is printed for the report.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { startFakeMailApi, type Fault, type FakeMailApi } from '../fakes/mail-api.js';

const TIMEOUT_MS = 400;
let api: FakeMailApi;
let dir: string;
let store: Store;
const rows: Array<{ fault: string; outcome: string; tone: string; recorded: string }> = [];

function engineFor(baseUrl: string): Engine {
  const log = createLogger({ level: 'silent' });
  const config = loadConfig({ MAIL_API_URL: baseUrl, COOLDOWN_SECONDS: '0', MAIL_API_TIMEOUT_MS: String(TIMEOUT_MS), HANDLE_BOT_SECRET: 'ab'.repeat(32) });
  return createEngine({ config, store, log, commands, mail: createMailApi({ baseUrl, timeoutMs: TIMEOUT_MS, domainsCacheSeconds: 60, log }), notifier: { notify: () => undefined } });
}
const as = (user: string): Invocation => ({ platform: 'console', identity: `console:${user}`, scope: 'console', displayName: user, platformAdmin: true, requestId: newRequestId() });

beforeAll(async () => {
  api = await startFakeMailApi({ rateLimits: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-faults-'));
  store = await openStore({ url: `sqlite://${path.join(dir, 'store.sqlite')}`, dataDir: dir, secret: 'ab'.repeat(32), log: createLogger({ level: 'silent' }) });
});
afterAll(async () => {
  console.log(`[fault matrix]\n${rows.map((r) => `${r.fault.padEnd(28)} → ${r.outcome.padEnd(34)} ${r.tone.padEnd(14)} recorded: ${r.recorded}`).join('\n')}`);
  await store.close();
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const FAULTS: Array<{ name: string; fault: Fault; mayExist: boolean }> = [
  { name: 'hang', fault: { kind: 'hang' }, mayExist: true },
  { name: 'reset before send', fault: { kind: 'reset', phase: 'before_read' }, mayExist: true },
  { name: 'reset after send', fault: { kind: 'reset', phase: 'after_read' }, mayExist: true },
  { name: '5xx HTML (500)', fault: { kind: 'html', status: 500 }, mayExist: false },
  { name: '5xx HTML (502)', fault: { kind: 'html', status: 502 }, mayExist: false },
  { name: 'plain-text 429', fault: { kind: 'raw', status: 429, body: 'Too Many Requests', contentType: 'text/plain' }, mayExist: false },
  { name: 'non-JSON 200', fault: { kind: 'raw', status: 200, body: '<html>ok</html>', contentType: 'text/html' }, mayExist: true },
  { name: 'JSON 503', fault: { kind: 'status', status: 503 }, mayExist: false },
];

async function check(engine: Engine, user: string, handle: string, name: string, mayExist: boolean): Promise<void> {
  const result = await engine.dispatchLine(as(user), `create ${handle}`);
  const words = result.replies.map((r) => plainText(r.title)).join(' | ');
  expect(result.outcome.kind, name).not.toBe('broken');
  expect(words, name).not.toMatch(/something went wrong inside the bot/);
  // Never "claimed": a fault is a service error, a 429 the service's "slow down" (user_error).
  expect(['service_error', 'user_error'], name).toContain(result.replies.at(-1)?.tone);
  const history = (await store.listHistory(`console:${user}`)).filter((e) => e.handle === handle);
  expect(history.map((e) => e.status), name).toEqual(mayExist ? ['unconfirmed'] : []);
  rows.push({ fault: name, outcome: `${result.outcome.kind}${'reason' in result.outcome ? `:${result.outcome.reason}` : ''}`, tone: result.replies.at(-1)?.tone ?? '-', recorded: history.map((e) => e.status).join(',') || 'nothing' });
}

describe('mail-service faults during a create', () => {
  it.each(FAULTS)('$name: explained, recorded only when it may exist, no pending record left', async ({ name, fault, mayExist }) => {
    const engine = engineFor(api.url);
    const user = `u${rows.length}`;
    await engine.dispatch(as(user), ['key', 'set'], { key: api.newKey(`${user}@private.example`) });
    api.inject(fault, { times: 1, path: '/api/handle/create' });
    await check(engine, user, `${user}.fault`, name, mayExist);
    api.clearFaults();
  });

  it('slow body: headers at once, the body slower than the deadline', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const slow = http.createServer((req, res) => {
      if (req.url?.startsWith('/api/handle/create')) {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.write('{"handle":"');
        return; // the rest never comes within the deadline
      }
      res.writeHead(404).end();
    });
    slow.on('connection', (s) => { sockets.add(s); });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
      // The key is linked through the real fake; the create goes to the slow server.
      const user = 'slowbody';
      await engineFor(api.url).dispatch(as(user), ['key', 'set'], { key: api.newKey(`${user}@private.example`) });
      await check(engineFor(url), user, `${user}.fault`, 'slow body', true);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => { slow.close(() => { resolve(); }); });
    }
  });
});
