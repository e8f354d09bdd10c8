/**
 * Socket Mode with two connections: two `handle-bot start` processes with the same app token
 * each open a Socket Mode connection to the fake Slack, which — like Slack — delivers each
 * envelope to one connection. They share one Redis (their own STORE_PREFIX). An envelope
 * redelivered to the other connection runs once; load spread over both is answered once each;
 * and when one process is killed with acknowledged commands in flight, the other answers them
 * (taken over once their lease ended) and serves everything.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiKey } from '../../src/domain/api-key.js';
import { slackIdentity } from '../../src/domain/identity.js';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { newTriggerId, slashCommandPayload, startFakeSlack, type FakeSlack, type JsonObject } from '../fakes/slack.js';
import { startCli, type CliProcess } from '../helpers/cli-process.js';
import { requireService, TEST_REDIS_URL, uniquePrefix } from '../helpers/services.js';
import { APP_TOKEN, blocksText, BOT_TOKEN, CHANNELS, GENERAL, TEAM, USERS } from './harness.js';

const SECRET = 'f6'.repeat(32);
const available = await requireService('redis');

describe.skipIf(!available)('two Socket Mode connections (two processes) on one Redis', () => {
  let slack: FakeSlack;
  let mail: FakeMailApi;
  let bots: CliProcess[] = [];
  let connections: number[] = [];
  const prefix = uniquePrefix('socket_replicas');

  beforeAll(async () => {
    slack = await startFakeSlack({ users: USERS, channels: CHANNELS.map((c) => ({ ...c })) });
    mail = await startFakeMailApi({ rateLimits: false, latencyMs: 20 });
    const env = {
      MAIL_API_URL: mail.url, STORE_URL: TEST_REDIS_URL, STORE_PREFIX: prefix, HANDLE_BOT_SECRET: SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.url, COOLDOWN_SECONDS: '0',
      // What a killed process acknowledged is taken over 4 s after it stopped renewing it.
      INTENT_LEASE_SECONDS: '4',
    };
    bots = [startCli(['start'], env), startCli(['start'], env)];
    await Promise.all(bots.map((b) => b.waitForLog((l) => l.msg === 'slack ready', 'slack ready', 60_000)));
    await slack.waitFor(() => slack.openConnections.length === 2);
    connections = slack.openConnections;
  }, 120_000);

  afterAll(async () => {
    for (const bot of bots) if (bot.exitCode === null) bot.child.kill('SIGKILL');
    await Promise.all(bots.map((b) => b.stop()));
    await slack.close();
    await mail.close();
  });

  function envelope(text: string, user: string, connection: number, options: { trigger?: string; responseUrl?: string; retryAttempt?: number } = {}) {
    const responseUrl = options.responseUrl ?? slack.newResponseUrl();
    const payload = slashCommandPayload({ user_id: user, channel_id: GENERAL, text, response_url: responseUrl, trigger_id: options.trigger ?? newTriggerId() });
    const id = slack.sendEnvelope('slash_commands', payload, { connection, ...(options.retryAttempt ? { retryAttempt: options.retryAttempt } : {}) });
    return { responseUrl, acked: slack.waitForAck(id) };
  }

  it('an envelope redelivered to the other connection runs once', async () => {
    const store = await openStore({ url: TEST_REDIS_URL, secret: SECRET, namespacePrefix: prefix, dataDir: '.', log: createLogger({ level: 'silent' }) });
    await store.setKey(slackIdentity(TEAM, 'UDAN'), mail.newKey('dan@example.com') as ApiKey);
    await store.close();
    const trigger = newTriggerId();
    const first = envelope('create dan-once', 'UDAN', connections[0]!, { trigger });
    await first.acked;
    const again = envelope('create dan-once', 'UDAN', connections[1]!, { trigger, responseUrl: first.responseUrl, retryAttempt: 1 });
    await again.acked;
    const answer = await slack.waitForResponse((r) => r.url === first.responseUrl);
    expect(blocksText(answer.body.blocks as JsonObject[])).toContain('claimed dan-once');
    await Promise.race(bots.map((b) => b.waitForLog((l) => l.msg === 'slack redelivery ignored (already handled)', 'redelivery ignored')));
    expect(mail.requests.filter((r) => r.path === '/api/handle/create')).toHaveLength(1);
    expect(slack.responsesTo(first.responseUrl)).toHaveLength(1);
  }, 60_000);

  it('load spread over both connections is answered once each; one process killed with commands in flight, the other answers them once and serves alone', async () => {
    const spread = Array.from({ length: 20 }, (_, i) => envelope(`key request spread-${String(i)}@example.com`, `USPREAD${String(i)}`, connections[i % 2]!));
    await Promise.all(spread.map((e) => e.acked));
    await slack.waitFor(() => spread.every((e) => slack.responsesTo(e.responseUrl).length > 0));
    expect(spread.filter((e) => slack.responsesTo(e.responseUrl).length !== 1)).toEqual([]);
    // Both connections did work (each envelope went to exactly one of them).
    const envelopes = slack.traffic.filter((t) => t.kind === 'ack').length;
    expect(envelopes).toBeGreaterThanOrEqual(22);

    // Acknowledged on both connections, and waiting on the service when one process dies.
    mail.hold();
    const seen = mail.requests.length;
    const inFlight = Array.from({ length: 10 }, (_, i) => ({
      connection: connections[i % 2]!,
      ...envelope(`key request inflight-${String(i)}@example.com`, `UINFLIGHT${String(i)}`, connections[i % 2]!),
    }));
    try {
      await Promise.all(inFlight.map((e) => e.acked));
      await mail.waitFor(() => mail.requests.filter((r) => r.seq > seen).length >= inFlight.length);
      bots[1]!.child.kill('SIGKILL');
      await slack.waitFor(() => slack.openConnections.length === 1);
    } finally {
      mail.release();
    }
    const [survivor] = slack.openConnections;
    const after = Array.from({ length: 10 }, (_, i) => envelope(`key request after-${String(i)}@example.com`, `UAFTER${String(i)}`, survivor!));
    await Promise.all(after.map((e) => e.acked));
    await slack.waitFor(() => after.every((e) => slack.responsesTo(e.responseUrl).length > 0));
    expect(after.filter((e) => slack.responsesTo(e.responseUrl).length !== 1)).toEqual([]);

    // The survivor took over what the killed process had acknowledged: each answered, once.
    await slack.waitFor(() => inFlight.every((e) => slack.responsesTo(e.responseUrl).length > 0), 30_000);
    const ours = new Set(inFlight.map((e) => e.responseUrl));
    const store = await openStore({ url: TEST_REDIS_URL, secret: SECRET, namespacePrefix: prefix, dataDir: '.', log: createLogger({ level: 'silent' }) });
    try {
      const left = async () => (await store.intents.expired(Number.MAX_SAFE_INTEGER, 100)).filter((i) => ours.has(String((i.payload?.context as Record<string, unknown> | undefined)?.response_url)));
      await vi.waitFor(async () => { expect(await left()).toEqual([]); }, { timeout: 15_000, interval: 200 });
    } finally {
      await store.close();
    }
    for (const e of inFlight) {
      const answers = slack.responsesTo(e.responseUrl);
      expect(answers).toHaveLength(1);
      // Those the killed process had acknowledged come from the survivor's takeover, and say so.
      if (e.connection !== survivor) expect(blocksText(answers[0]!.body.blocks as JsonObject[])).toContain('The bot restarted while handling');
    }
    const recovered = inFlight.filter((e) => e.connection !== survivor).length;
    expect(recovered).toBe(5);
    console.log(`[socket mode] one process killed with ${String(inFlight.length)} commands in flight on two connections: ${String(inFlight.length - recovered)} answered by the survivor's own connection, ${String(recovered)} recovered by takeover, each answered once`);
  }, 90_000);
});
