/**
 * Replicas in HTTP interactions mode, proven with real processes: two `handle-bot start`
 * (DISCORD_PUBLIC_KEY set, no gateway) on one Redis or Postgres store, behind a tiny
 * round-robin balancer that the fake Discord POSTs to. A key linked through one replica is
 * used by the other; the cooldown holds across them; a delivery the balancer retries on the
 * other replica runs once; an outage and its recovery are announced once each.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.js';
import { type FakeMailApi, startFakeMailApi } from '../fakes/mail-api.js';
import { type CliProcess, startCli } from '../helpers/cli-process.js';
import { type RetryingBalancer as Balancer, startRetryingBalancer as startBalancer } from '../helpers/retrying-balancer.js';
import { type FreshStore, freshPostgres, freshRedis } from '../helpers/fresh-stores.js';
import { requireService } from '../helpers/services.js';
import { ALICE, embedText, GUILD, NOTIFY, postsIn, TOKEN } from './harness.js';

const APPLICATION = '1100000000000000778';

type Backend = { name: 'redis' | 'postgres'; available: boolean; open: () => Promise<FreshStore> };

const [redisUp, postgresUp] = await Promise.all([requireService('redis'), requireService('postgres')]);
const BACKENDS: Backend[] = [
  { name: 'redis', available: redisUp, open: freshRedis },
  { name: 'postgres', available: postgresUp, open: freshPostgres },
];

describe.each(BACKENDS)('two HTTP-mode replicas on $name', ({ available, open }) => {
  let discord: FakeDiscord;
  let mail: FakeMailApi;
  let database: FreshStore;
  let store: Store;
  let balancer: Balancer;
  const replicas: CliProcess[] = [];

  beforeAll(async () => {
    if (!available) return;
    database = await open();
    const secret = randomBytes(32).toString('hex');
    mail = await startFakeMailApi({ rateLimits: false });
    discord = await startFakeDiscord({
      token: TOKEN, applicationId: APPLICATION, users: [{ id: ALICE, username: 'alice' }],
      guilds: [{ id: GUILD, name: 'Test Server', channels: [{ id: '1200000000000000002', name: 'general' }, { id: NOTIFY, name: 'bot-admin' }], members: [{ user: ALICE }] }],
    });
    store = await openStore({ url: database.url, secret, dataDir: 'unused', log: createLogger({ level: 'silent' }) });
    await store.updateSettings(`discord:${GUILD}`, { notifyChannel: NOTIFY, announce: false });
    const env = {
      MAIL_API_URL: mail.url, MAIL_API_TIMEOUT_MS: '5000', STORE_URL: database.url, HANDLE_BOT_SECRET: secret,
      DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APPLICATION, DISCORD_API_URL: discord.apiUrl,
      DISCORD_PUBLIC_KEY: discord.publicKey, DISCORD_HTTP_PORT: '0',
      COOLDOWN_SECONDS: '5', OUTAGE_THRESHOLD: '2', NOTIFY_COALESCE_SECONDS: '0', LOG_LEVEL: 'debug',
    };
    replicas.push(startCli(['start'], env), startCli(['start'], env));
    const endpoints = await Promise.all(replicas.map(async (r) => String((await r.waitForLog((l) => l.msg === 'Discord connected', 'Discord connected', 60_000)).endpoint)));
    balancer = await startBalancer(endpoints);
    discord.useInteractionsEndpoint(balancer.url);
  }, 90_000);

  afterAll(async () => {
    if (!available) return;
    await Promise.all(replicas.splice(0).map((r) => r.stop()));
    await balancer.close();
    await store.close();
    await Promise.all([discord.close(), mail.close()]);
    await database.drop();
  }, 30_000);

  /** Sends an interaction through the balancer; resolves with the text of its answer (the filled defer). */
  async function ask(payload: Record<string, unknown>): Promise<{ id: string; text: string; replica: number }> {
    const id = discord.sendInteraction(payload);
    const answer = await discord.waitForWebhook((w) => w.interactionId === id && w.method === 'PATCH' && w.status < 300, 15_000);
    return { id, text: embedText(answer), replica: balancer.hits.find((h) => h.id === id)!.replica };
  }
  const create = (name: string) => ask(discord.chatInputInteraction({ user: ALICE, guildId: GUILD, subcommand: 'create', options: { name } }));
  /** The admin channel's posts about the mail service (the claims before are posted there too). */
  const outageTitles = () => postsIn(discord, NOTIFY).map((p) => embedText(p).split('\n')[0]!).filter((t) => t.includes('mail service'));
  const creates = (name: string) => mail.requests.filter((r) => r.path === '/api/handle/create' && (r.body as { handle?: string }).handle === name);

  describe.skipIf(!available)('behind a round-robin balancer', () => {
    it('a key linked through one replica is used by the other; the cooldown holds across them', async () => {
      const key = mail.newKey('alice@owner.example');
      const linked = await ask(discord.modalSubmitInteraction({ user: ALICE, guildId: GUILD, custom_id: 'hb-key-set', fields: { key } }));
      expect(linked.text).toMatch(/^Your (new )?API key is linked/);
      const claimed = await create('replica-one');
      expect(claimed.replica).not.toBe(linked.replica);
      expect(claimed.text).toMatch(/^You claimed `replica-one`/);
      // Alice's next create, on the first replica again, waits out the cooldown the other one started.
      const again = await create('replica-two');
      expect(again.replica).toBe(linked.replica);
      expect(again.text).toMatch(/^You claimed `replica-two`/);
      await replicas[again.replica]!.waitForLog((l) => l.msg === 'waiting for the caller’s turn (cooldown)', 'the cooldown wait');
    }, 60_000);

    it('a delivery the balancer retries on the other replica runs once', async () => {
      balancer.retryOnOther = true;
      let id = '';
      try {
        const retried = await create('retried-once');
        expect(retried.text).toMatch(/^You claimed `retried-once`/);
        id = retried.id;
      } finally {
        balancer.retryOnOther = false;
      }
      // Both replicas received it; the store's dedupe let one run it. The copy is refused (401) when
      // the store answers within the deferral's budget, else deferred and dropped before any work.
      const hits = balancer.hits.filter((h) => h.id === id);
      expect(new Set(hits.map((h) => h.replica))).toEqual(new Set([0, 1]));
      expect(hits.map((h) => h.status)).toContain(200);
      expect(hits.every((h) => h.status === 200 || h.status === 401)).toBe(true);
      await Promise.any(replicas.map((r) => r.waitForLog((l) => l.msg === 'discord redelivery ignored (already handled)' && l.delivery === id, 'the copy ignored')));
      expect(creates('retried-once')).toHaveLength(1);
    }, 60_000);

    it('an outage seen by both replicas is announced once, and so is the recovery', async () => {
      mail.inject({ kind: 'status', status: 500 });
      const status = () => ask(discord.chatInputInteraction({ user: ALICE, guildId: GUILD, group: 'key', subcommand: 'status' }));
      try {
        // Two failures on each replica: both cross OUTAGE_THRESHOLD=2 and race to announce it.
        const answers = await Promise.all([status(), status(), status(), status()]);
        expect(new Set(answers.map((a) => a.replica))).toEqual(new Set([0, 1]));
        await Promise.all(replicas.map((r) => r.waitForLog((l) => l.msg === 'admin notification: service_down', 'the outage event')));
        await discord.waitFor(() => outageTitles().length >= 1);
      } finally {
        mail.clearFaults();
      }
      // The service answers again on both replicas: the recovery is announced, once too.
      await Promise.all([status(), status()]);
      await discord.waitFor(() => outageTitles().length >= 2);
      // Both replicas have moved on (each answered more interactions after deciding): one post each way.
      await Promise.all([status(), status()]);
      expect(outageTitles()).toEqual(['🔴 The mail service looks down', '🟢 The mail service is answering again']);
    }, 60_000);
  });
});
