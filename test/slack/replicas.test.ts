/**
 * Replicas, proven with real processes: two `handle-bot start` processes (Slack HTTP mode) behind
 * a round-robin balancer on loopback, sharing one Redis or one Postgres (each run its own
 * STORE_PREFIX) and HANDLE_BOT_SECRET, with the fake Slack and the fake mail service. A command
 * redelivered to the other replica runs once; a key linked through one replica is used by the
 * other; cooldowns and the outage notice hold across replicas; and when one replica is killed
 * (SIGKILL) mid-load, every command either replica acknowledged — the killed one's too, taken
 * over by the survivor — and every one Slack would retry gets exactly one reply, none twice.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiKey } from '../../src/domain/api-key.js';
import { slackIdentity } from '../../src/domain/identity.js';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { newTriggerId, signedPost, slashCommandForm, startFakeSlack, type FakeSlack, type JsonObject, type SignedPostResult, viewSubmissionPayload } from '../fakes/slack.js';
import { startBalancer, type Balancer } from '../helpers/balancer.js';
import { startSlackBot, type CliProcess, type LogLine } from '../helpers/cli-process.js';
import { requireService, TEST_POSTGRES_URL, TEST_REDIS_URL, uniquePrefix } from '../helpers/services.js';
import { blocksText, BOT_TOKEN, CHANNELS, GENERAL, SIGNING_SECRET, TEAM, USERS } from './harness.js';

const SECRET = 'e5'.repeat(32);
const BACKENDS = [
  { name: 'redis', url: TEST_REDIS_URL, available: await requireService('redis') },
  { name: 'postgres', url: TEST_POSTGRES_URL, available: await requireService('postgres') },
];

describe.each(BACKENDS)('two replicas behind a balancer on $name', ({ name, url, available }) => {
  let slack: FakeSlack;
  let mail: FakeMailApi;
  let replicas: CliProcess[] = [];
  let endpoints: string[] = [];
  let balancer: Balancer;
  const prefix = uniquePrefix(`replicas_${name}`);
  const env = () => ({
    MAIL_API_URL: mail.url, STORE_URL: url, STORE_PREFIX: prefix, HANDLE_BOT_SECRET: SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url,
    COOLDOWN_SECONDS: '60', OUTAGE_THRESHOLD: '2', NOTIFY_COALESCE_SECONDS: '0',
    // A replica's unanswered commands are taken over 4 s after it stopped renewing them (renewed
    // every 1.3 s: a live replica would have to stall for 2.7 s to lose one).
    INTENT_LEASE_SECONDS: '4',
  });

  beforeAll(async () => {
    if (!available) return;
    slack = await startFakeSlack({ users: USERS, channels: CHANNELS.map((c) => ({ ...c })) });
    mail = await startFakeMailApi({ rateLimits: false, latencyMs: 50 });
    const started = await Promise.all([startSlackBot(env()), startSlackBot(env())]);
    replicas = started.map((s) => s.bot);
    endpoints = started.map((s) => s.endpoint);
    balancer = await startBalancer(endpoints.map((e) => new URL(e).origin));
    // The admin channel is chosen before either replica has read (and cached) the workspace's settings.
    const admin = send(`admin notify <#${GENERAL}|general>`, 'UADMIN');
    expect(await reply(admin.responseUrl)).toContain(`#${GENERAL}`);
  }, 120_000);

  afterAll(async () => {
    if (!available) return;
    for (const replica of replicas) if (replica.exitCode === null) replica.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.stop()));
    await balancer.close();
    await slack.close();
    await mail.close();
  });

  /** A slash command as Slack sends it: to the balancer unless `to` names a replica's own endpoint. */
  function send(text: string, user: string, options: { to?: string; trigger?: string; responseUrl?: string; retry?: number } = {}) {
    const responseUrl = options.responseUrl ?? slack.newResponseUrl();
    const form = slashCommandForm({ user_id: user, channel_id: GENERAL, text, response_url: responseUrl, trigger_id: options.trigger ?? newTriggerId() });
    const headers = options.retry ? { headers: { 'x-slack-retry-num': String(options.retry), 'x-slack-retry-reason': 'http_timeout' } } : {};
    return { responseUrl, sent: signedPost(options.to ?? `${balancer.url}/slack/events`, SIGNING_SECRET, form, headers) };
  }
  async function reply(responseUrl: string): Promise<string> {
    const post = await slack.waitForResponse((r) => r.url === responseUrl);
    return blocksText(post.body.blocks as JsonObject[]);
  }
  const replicaOf = (result: SignedPostResult) => Number(result.headers['x-replica']);
  const creates = (handle: string) => mail.requests.filter((r) => r.path === '/api/handle/create' && JSON.stringify(r.body ?? '').includes(handle));

  it.skipIf(!available)('a key linked through one replica is used by the other', async () => {
    const key = mail.newKey('alice.owner@example.com');
    const ask = send('key set', 'UALICE');
    const opened = replicaOf(await ask.sent);
    const view = (await slack.waitForCall('views.open')).body.view as JsonObject;
    const input = (view.blocks as JsonObject[]).find((b) => b.type === 'input')!;
    const element = input.element as JsonObject;
    const submission = viewSubmissionPayload({
      user_id: 'UALICE', callback_id: String(view.callback_id), private_metadata: String(view.private_metadata),
      values: { [String(input.block_id)]: { [String(element.action_id)]: key } },
    });
    const submitted = await signedPost(`${balancer.url}/slack/events`, SIGNING_SECRET, submission);
    const linker = replicaOf(submitted);
    expect(linker).not.toBe(opened); // round robin: the form was opened by one replica and submitted to the other
    await replicas[linker]!.waitForLog((l) => l.msg === 'admin notification: key_linked', 'key_linked');

    const other = 1 - linker;
    const create = send('create alice-replica', 'UALICE', { to: endpoints[other] });
    expect((await create.sent).status).toBe(200);
    expect(await reply(create.responseUrl)).toContain('claimed alice-replica');
    expect(creates('alice-replica').map((r) => r.headers['x-api-key'])).toEqual([key]);
  }, 60_000);

  it.skipIf(!available)('a command redelivered to the other replica runs once', async () => {
    const store = await openStore({ url, secret: SECRET, namespacePrefix: prefix, dataDir: '.', log: createLogger({ level: 'silent' }) });
    await store.setKey(slackIdentity(TEAM, 'UBOB'), mail.newKey('bob@example.com') as ApiKey);
    await store.close();
    const trigger = newTriggerId();
    const first = send('create bob-once', 'UBOB', { trigger });
    const firstReplica = replicaOf(await first.sent);
    const again = send('create bob-once', 'UBOB', { trigger, responseUrl: first.responseUrl, retry: 1 });
    const againReplica = replicaOf(await again.sent);
    expect(againReplica).not.toBe(firstReplica);
    expect(await reply(first.responseUrl)).toContain('claimed bob-once');
    // The two deliveries race for the shared dedupe record: whichever replica claims it first
    // runs the command, and the other one ignores its copy. Either order is correct.
    const ignored = (replica: number) => replicas[replica]!.waitForLog((l) => l.msg === 'slack redelivery ignored (already handled)', 'redelivery ignored').then(() => replica);
    const ignoredBy = await Promise.any([ignored(firstReplica), ignored(againReplica)]);
    const claimedBobOnce = (l: LogLine) => (l.notification as { handle?: string } | undefined)?.handle === 'bob-once';
    const ranBy = await Promise.any(replicas.map((r, i) => r.waitForLog(claimedBobOnce, 'bob-once claimed').then(() => i)));
    expect(ignoredBy).not.toBe(ranBy);
    expect(creates('bob-once')).toHaveLength(1);
    expect(slack.responsesTo(first.responseUrl)).toHaveLength(1);
  }, 60_000);

  it.skipIf(!available)('the cooldown is shared: with three creates waiting on either replica, the next is refused on both', async () => {
    const store = await openStore({ url, secret: SECRET, namespacePrefix: prefix, dataDir: '.', log: createLogger({ level: 'silent' }) });
    await store.setKey(slackIdentity(TEAM, 'UCAROL'), mail.newKey('carol@example.com') as ApiKey);
    await store.close();
    const first = send('create carol-1', 'UCAROL');
    expect(await reply(first.responseUrl)).toContain('claimed carol-1');
    // Five more at once, spread over both replicas: three get a turn (60 s apart, so they wait
    // silently), and the two that find three already queued are refused at once — whichever
    // replica each reached, as the queue lives in the shared store.
    const more = [2, 3, 4, 5, 6].map((i) => send(`create carol-${String(i)}`, 'UCAROL'));
    const acked = await Promise.all(more.map((w) => w.sent));
    expect(new Set(acked.map(replicaOf)).size).toBe(2);
    const answered = () => more.filter((w) => slack.responsesTo(w.responseUrl).length > 0);
    await slack.waitFor(() => answered().length >= 2);
    const refusals = await Promise.all(answered().map((w) => reply(w.responseUrl)));
    for (const refusal of refusals) expect(refusal).toContain('You have several commands waiting already');
    expect(answered()).toHaveLength(2);
    expect(creates('carol-')).toHaveLength(1);
  }, 60_000);

  it.skipIf(!available)('"the mail service looks down" is posted once for the workspace although both replicas noticed', async () => {
    mail.inject({ kind: 'status', status: 500 }, { path: '/api/credentials/create' });
    for (let i = 0; i < 4; i += 1) {
      const down = send(`key request down-${String(i)}@example.com`, `UDOWN${String(i)}`);
      expect(await reply(down.responseUrl)).toContain('The mail service had an internal problem');
    }
    await Promise.all(replicas.map((r) => r.waitForLog((l) => l.msg === 'admin notification: service_down', 'service_down')));
    await slack.waitForCall('chat.postMessage', (c) => blocksText(c.body.blocks as JsonObject[]).includes('looks down')).catch((error: unknown) => {
      console.log(replicas.map((r) => r.logs.filter((l) => /notif|outage/.test(String(l.msg))).map((l) => JSON.stringify(l)).join('\n')).join('\n----\n'));
      throw error;
    });
    await Promise.race(replicas.map((r) => r.waitForLog((l) => l.msg === 'outage notice already posted by another replica', 'outage claim lost')));
    mail.clearFaults();
    const posts = slack.callsTo('chat.postMessage').filter((c) => c.body.channel === GENERAL).map((c) => blocksText(c.body.blocks as JsonObject[]));
    expect(posts.filter((p) => p.includes('looks down'))).toHaveLength(1);
  }, 60_000);

  it.skipIf(!available)('one replica killed mid-load: every command acknowledged by either replica gets exactly one reply, none twice', async () => {
    const commands = Array.from({ length: 40 }, (_, i) => ({ text: `key request load-${String(i)}@example.com`, user: `ULOAD${String(i)}`, trigger: newTriggerId(), responseUrl: slack.newResponseUrl() }));
    const routedBefore = balancer.routed.length;
    const takeoversBefore = replicas[0]!.logs.length;
    // The mail service holds its answers: whatever the killed replica acknowledged is still in flight when it dies.
    mail.hold();
    const results = commands.map((c) => send(c.text, c.user, { trigger: c.trigger, responseUrl: c.responseUrl }).sent);
    try {
      await slack.waitFor(() => balancer.routed.slice(routedBefore).filter((r) => r === 1).length >= 5);
      replicas[1]!.child.kill('SIGKILL');
    } finally {
      mail.release();
    }
    const outcomes = await Promise.all(results.map((p) => p.then((r) => r, () => undefined)));
    // What was not acknowledged (502 from the balancer, a reset connection), Slack would send again: so does the test, until acknowledged.
    const retried: number[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      let result = outcome;
      for (let attempt = 1; result?.status !== 200; attempt += 1) {
        if (attempt > 10) throw new Error(`command ${String(i)} never acknowledged`);
        retried.push(i);
        result = await send(commands[i]!.text, commands[i]!.user, { trigger: commands[i]!.trigger, responseUrl: commands[i]!.responseUrl, retry: attempt }).sent.catch(() => undefined);
      }
      outcomes[i] = result;
    }
    const byReplica = (replica: number) => outcomes.flatMap((o, i) => (o && replicaOf(o) === replica ? [i] : []));
    const byKilled = byReplica(1);
    expect(byKilled.length).toBeGreaterThan(0);
    // Every command is acknowledged now, by one replica or the other: each gets an answer — those
    // the killed replica acknowledged from the survivor, once their lease (INTENT_LEASE_SECONDS) ended.
    await slack.waitFor(() => commands.every((c) => slack.responsesTo(c.responseUrl).length > 0), 60_000);
    // None of them is left to take over (each answered and its intent removed), so no further answer can come.
    // (Earlier tests' creates still waiting their 60 s turn have intents of their own.)
    const ours = new Set(commands.map((c) => c.responseUrl));
    const store = await openStore({ url, secret: SECRET, namespacePrefix: prefix, dataDir: '.', log: createLogger({ level: 'silent' }) });
    try {
      const left = async () => (await store.intents.expired(Number.MAX_SAFE_INTEGER, 1000)).filter((i) => ours.has(String((i.payload?.context as Record<string, unknown> | undefined)?.response_url)));
      await vi.waitFor(async () => { expect(await left()).toEqual([]); }, { timeout: 30_000, interval: 200 });
    } finally {
      await store.close();
    }
    const twice = commands.filter((c) => slack.responsesTo(c.responseUrl).length !== 1);
    expect(twice).toEqual([]);
    const takeovers = replicas[0]!.logs.slice(takeoversBefore).filter((l) => l.msg === 'command intent taken over from a process that stopped renewing it');
    const recovered = commands.filter((c) => blocksText(slack.responsesTo(c.responseUrl)[0]!.body.blocks as JsonObject[]).includes('The bot restarted while handling'));
    // The mail service answered nothing before the kill: all the killed replica acknowledged was recovered by takeover.
    for (const i of byKilled) expect(recovered).toContain(commands[i]);
    // (The takeovers also count earlier tests' creates the killed replica held, waiting their turn.)
    expect(recovered.length).toBeLessThanOrEqual(takeovers.length);
    console.log(`[${name}] kill one replica: ${String(byReplica(0).length)} acknowledged by the survivor, ${String(byKilled.length)} by the killed one before SIGKILL, ${String(recovered.length)} recovered by takeover and answered once (${String(takeovers.length)} takeovers in all), ${String(new Set(retried).size)} retried after a 502; sample recovered reply: ${JSON.stringify(blocksText(slack.responsesTo(recovered[0]!.responseUrl)[0]!.body.blocks as JsonObject[]).slice(0, 160))}`);
  }, 120_000);
});
