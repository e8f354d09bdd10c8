/**
 * A command is written down before its ack — but never at the cost of the ack: with the store
 * hanging (a TCP proxy in front of Redis that forwards nothing), `/handle help` is acknowledged
 * while the store still has not answered, the command runs anyway (not durable, and logged so),
 * and once the store answers again the late intent is cleaned away: nothing is left for another
 * replica to run a second time.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import { requireService, TEST_REDIS_URL, uniquePrefix } from '../helpers/services.js';
import { urlOnPort } from '../store/harness.js';
import { startTcpProxy, type TcpProxy } from '../store/tcp-proxy.js';
import { blocksText, startSlackHarness, type SlackHarness } from './harness.js';

const SECRET = 'd4'.repeat(32);
const redis = await requireService('redis');

describe.skipIf(!redis)('the ack never waits on a hanging store', () => {
  let proxy: TcpProxy;
  let h: SlackHarness;
  const prefix = uniquePrefix('intent_ack');
  beforeAll(async () => {
    const target = new URL(TEST_REDIS_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    h = await startSlackHarness({ env: { STORE_URL: urlOnPort(TEST_REDIS_URL, proxy.port), STORE_PREFIX: prefix, HANDLE_BOT_SECRET: SECRET, INTENT_LEASE_SECONDS: '1' } });
  });
  afterAll(async () => {
    proxy.thaw();
    await h.close();
    await proxy.close();
  });

  it('acknowledged while the store says nothing, answered once, and no intent left behind', async () => {
    const warm = await h.command('help');
    expect((await h.replies(warm.responseUrl))[0]).toBeDefined();

    proxy.freeze();
    let sent;
    try {
      sent = await h.command('help');
      // Back while every byte to the store is still held: the ack did not wait for it.
      expect(sent.http?.status).toBe(200);
      expect(h.logLines.some((l) => l.includes('slack delivery acknowledged before the store took it'))).toBe(true);
    } finally {
      proxy.thaw();
    }
    const [reply] = await h.replies(sent.responseUrl);
    expect(blocksText(reply!.body.blocks)).toContain('/handle');

    // The late write lands after the thaw; the process removes it (its answer was delivered).
    const store = await openStore({ url: TEST_REDIS_URL, secret: SECRET, namespacePrefix: prefix, dataDir: h.dataDir, log: createLogger({ level: 'silent' }) });
    try {
      await vi.waitFor(async () => { expect(await store.intents.expired(Number.MAX_SAFE_INTEGER, 100)).toEqual([]); }, { timeout: 15_000, interval: 100 });
    } finally {
      await store.close();
    }
    expect(h.slack.responsesTo(sent.responseUrl)).toHaveLength(1);
  }, 30_000);
});
