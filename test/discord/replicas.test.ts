/**
 * The outage/recovery pair is posted once across two bot processes sharing one SQLite store
 * (issue 7). Two real child processes (test/discord/fixtures/bot-process.ts, started like
 * `handle-bot start`), each with its own discord.js client, runtime and store connection. Each
 * talks to its own fake Discord seeded with the same application, guild and channels — the
 * way two replicas of one bot each see Discord — so every process can be sent interactions
 * of its own; the test counts what both posted in the admin channel.
 */
import type { ApiKey } from '../../src/domain/api-key.js';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from '../fakes/discord.js';
import { type FakeMailApi, startFakeMailApi } from '../fakes/mail-api.js';
import { ALICE, embedText, GUILD, NOTIFY, postsIn, TOKEN } from './harness.js';

const APPLICATION = '1100000000000000777';
const FIXTURE = fileURLToPath(new URL('./fixtures/bot-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Replica = {
  name: string;
  discord: FakeDiscord;
  child: ChildProcessWithoutNullStreams;
  stderr: string[];
  /** The next stdout message matching, past or future. */
  next(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  send(message: object): void;
};

function seed(): FakeDiscordOptions {
  return {
    token: TOKEN,
    applicationId: APPLICATION,
    users: [{ id: ALICE, username: 'alice' }],
    guilds: [{ id: GUILD, name: 'Test Server', channels: [{ id: '1200000000000000002', name: 'general' }, { id: NOTIFY, name: 'bot-admin' }], members: [{ user: ALICE }] }],
  };
}

function startReplica(name: string, discord: FakeDiscord, env: Record<string, string>): Replica {
  // The child's configuration is exactly what the test gives it: no stray handle-bot variables from the environment.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in configSchema.shape)));
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: ROOT,
    env: { ...base, ...env, DISCORD_API_URL: discord.apiUrl },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => { stderr.push(line); });
  const seen: Record<string, unknown>[] = [];
  const waiters = new Set<{ match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    seen.push(message);
    for (const waiter of waiters) {
      if (waiter.match(message)) {
        waiters.delete(waiter);
        waiter.resolve(message);
      }
    }
  });
  return {
    name, discord, child, stderr,
    next(match) {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve: (m: Record<string, unknown>) => { clearTimeout(timer); resolve(m); } };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${name}: no matching message within 15 s; its log ends with:\n${stderr.slice(-15).join('\n')}`));
        }, 15_000);
        waiters.add(waiter);
        child.once('exit', (code) => { if (waiters.delete(waiter)) reject(new Error(`${name} exited (${String(code)}):\n${stderr.slice(-15).join('\n')}`)); });
      });
    },
    send(message) {
      child.stdin.write(`${JSON.stringify(message)}\n`);
    },
  };
}

let dir: string;
let mail: FakeMailApi;
let store: Store;
let replicas: Replica[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hb-replicas-'));
  const secret = randomBytes(32).toString('hex');
  const url = `sqlite://${path.join(dir, 'handle-bot.sqlite')}`;
  mail = await startFakeMailApi({ rateLimits: false });
  store = await openStore({ url, secret, dataDir: dir, log: createLogger({ level: 'silent' }) });
  await store.updateSettings(`discord:${GUILD}`, { notifyChannel: NOTIFY });
  await store.setKey(`discord:${ALICE}`, mail.newKey('alice@owner.example') as ApiKey, { verifiedAt: Date.now(), verifyResult: 'ok' });

  const env = {
    MAIL_API_URL: mail.url,
    MAIL_API_TIMEOUT_MS: '5000',
    STORE_URL: url,
    DATA_DIR: dir,
    HANDLE_BOT_SECRET: secret,
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: APPLICATION,
    OUTAGE_THRESHOLD: '2',
    NOTIFY_COALESCE_SECONDS: '0',
    COOLDOWN_SECONDS: '0',
    LOG_LEVEL: 'info',
  };
  const fakes = await Promise.all([startFakeDiscord(seed()), startFakeDiscord(seed())]);
  replicas = fakes.map((discord, i) => startReplica(`replica ${i + 1}`, discord, env));
  await Promise.all(replicas.map((r) => r.next((m) => m.ready === true)));
}, 60_000);

afterAll(async () => {
  for (const replica of replicas) {
    if (replica.child.exitCode === null && replica.child.signalCode === null) {
      replica.child.kill('SIGKILL');
      await once(replica.child, 'exit');
    }
  }
  await Promise.all(replicas.map((r) => r.discord.close()));
  await store.close();
  await mail.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `/handle key status` for Alice on a replica, answered (the mail service is called each time). */
async function keyStatus(replica: Replica): Promise<string> {
  const id = replica.discord.sendInteraction(replica.discord.chatInputInteraction({ group: 'key', subcommand: 'status', user: ALICE, guildId: GUILD }));
  return embedText(await replica.discord.waitForWebhook((w) => w.interactionId === id && w.method === 'PATCH' && w.status < 300, 10_000));
}

let idleCount = 0;
/** Both processes have delivered (or given up on) every notification they started. */
async function bothIdle(): Promise<void> {
  await Promise.all(replicas.map((r) => {
    const id = ++idleCount;
    r.send({ op: 'idle', id });
    return r.next((m) => m.idle === id);
  }));
}

/** What the admin channel shows, from both processes' posts, in the order they were made. */
const titles = () => replicas
  .flatMap((r) => postsIn(r.discord, NOTIFY))
  .sort((a, b) => a.at - b.at)
  .map((p) => embedText(p).split('\n')[0]);

describe('two processes on one store', () => {
  it('each sees the outage and the recovery; the admin channel hears of each once', async () => {
    mail.inject({ kind: 'status', status: 500 });
    // Two failures on each replica: both cross OUTAGE_THRESHOLD=2 and race to announce it.
    const answers = await Promise.all(replicas.flatMap((r) => [keyStatus(r), keyStatus(r)]));
    for (const answer of answers) expect(answer).toMatch(/^Your API key is linked\nThe bot could not check it/);
    await bothIdle();
    expect(titles()).toEqual(['🔴 The mail service looks down']);

    mail.clearFaults();
    await Promise.all(replicas.map((r) => keyStatus(r)));
    await bothIdle();
    expect(titles()).toEqual(['🔴 The mail service looks down', '🟢 The mail service is answering again']);

    // A later outage is news again: announced once more, still by only one of them.
    mail.inject({ kind: 'status', status: 500 });
    await Promise.all(replicas.flatMap((r) => [keyStatus(r), keyStatus(r)]));
    await bothIdle();
    mail.clearFaults();
    expect(titles().filter((t) => t === '🔴 The mail service looks down')).toHaveLength(2);
    // Each process did post through its own client: the posts carry no pings either.
    for (const post of replicas.flatMap((r) => postsIn(r.discord, NOTIFY))) expect(post.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('both stop gracefully', async () => {
    for (const replica of replicas) replica.send({ op: 'stop' });
    await Promise.all(replicas.map((r) => r.next((m) => m.stopped === true)));
    const codes = await Promise.all(replicas.map(async (r) => (r.child.exitCode ?? (await once(r.child, 'exit'))[0]) as number));
    expect(codes).toEqual([0, 0]);
  });
});
