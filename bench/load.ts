/**
 * The load side, in the orchestrator's process: the loopback fakes from test/fakes (mail API
 * with its rate limits off, Slack or Discord), the users with linked keys, and one function
 * per platform that sends a `/handle create <unique name>` and resolves when every expected
 * reply has reached the fake (or the per-command deadline passed).
 *
 * Replies are matched to commands through a tap on the fake's traffic log: a `waitFor` whose
 * predicate sees every recorded event and never matches (O(1) per event, no polling, no
 * scanning of the history). All times are taken in this process with one clock
 * (`performance.timeOrigin + performance.now()`, as the fakes' `at`).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FakeDiscord, type DiscordTraffic, startFakeDiscord } from '../test/fakes/discord.js';
import { type FakeMailApi, startFakeMailApi } from '../test/fakes/mail-api.js';
import { type FakeSlack, type SlackTraffic, signedPost, slashCommandForm, startFakeSlack } from '../test/fakes/slack.js';
import type { BenchUser, BotEnv } from './protocol.js';

export const SIGNING_SECRET = 'bench-signing-secret';
export const TEAM_ID = 'TBENCH';
export const CHANNEL_ID = 'CBENCH';
export const GUILD_ID = '100000000000000001';
export const DISCORD_CHANNEL_ID = '100000000000000002';
/** Longer than any queue the naive discord.js bot builds behind its 50/s limiter. */
export const COMMAND_DEADLINE_MS = 60_000;
/** After the last command, how long to keep listening for late duplicates. */
export const DUPLICATE_GRACE_MS = 300;

const now = () => performance.timeOrigin + performance.now();

/** What happened to one command. Times are ms from the moment it was sent. */
export type CommandOutcome = {
  /** Slack: the HTTP response to the POST; Discord: the interaction callback (defer). */
  ackMs?: number;
  /** The last expected reply reached the fake. */
  doneMs?: number;
  /** The POST was refused or could not be sent. */
  error?: string;
};

/** Per-command bookkeeping of replies, filled by the tap. */
type Pending = {
  handle: string;
  sentAt: number;
  ackAt?: number;
  /** Expected kinds still missing, e.g. `announcement`, `detail`, `ack`. */
  missing: Set<string>;
  /** How often each kind arrived (duplicates show as > 1). */
  seen: Map<string, number>;
  /** Replies that matched no expectation (an error, a cooldown notice, the wrong visibility…). */
  wrong: number;
  doneAt?: number;
  finish?: () => void;
};

export type ReplyCheck = { commands: number; lost: number; duplicated: number; wrong: number };

/** Matches replies to commands by a key (hook id, interaction id). */
class ReplyTracker {
  private pending = new Map<string, Pending>();

  expect(key: string, handle: string, kinds: string[]): Pending {
    const entry: Pending = { handle, sentAt: now(), missing: new Set(kinds), seen: new Map(), wrong: 0 };
    this.pending.set(key, entry);
    return entry;
  }

  /** A reply of `kind` (or undefined when it matched nothing expected) for `key`. */
  record(key: string | undefined, kind: string | undefined, at: number): void {
    const entry = key === undefined ? undefined : this.pending.get(key);
    if (!entry) return;
    if (kind === undefined) {
      entry.wrong += 1;
      return;
    }
    entry.seen.set(kind, (entry.seen.get(kind) ?? 0) + 1);
    if (kind === 'ack') entry.ackAt ??= at;
    if (entry.missing.delete(kind) && entry.missing.size === 0) {
      entry.doneAt = at;
      entry.finish?.();
    }
  }

  /** Resolves when every expected reply came, or at the deadline. */
  settled(entry: Pending, deadlineMs: number): Promise<void> {
    if (entry.missing.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, deadlineMs);
      entry.finish = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  check(): ReplyCheck {
    let lost = 0;
    let duplicated = 0;
    let wrong = 0;
    for (const entry of this.pending.values()) {
      lost += entry.missing.size;
      for (const count of entry.seen.values()) duplicated += Math.max(0, count - 1);
      wrong += entry.wrong;
    }
    return { commands: this.pending.size, lost, duplicated, wrong };
  }

  clear(): void {
    this.pending.clear();
  }
}

/** A long-lived waiter that sees every event the fake records; it ends when the fake closes. */
function tap<E>(waitFor: (predicate: (event: E) => boolean, timeoutMs: number) => Promise<unknown>, onEvent: (event: E) => void): void {
  waitFor((event) => {
    onEvent(event);
    return false;
  }, 2_000_000_000).catch(() => undefined);
}

/** The fakes one bot run talks to, and how to send it one command. */
export type Harness = {
  platform: 'slack' | 'discord';
  env: Omit<BotEnv, 'dataDir' | 'logLevel'>;
  /** Users with keys the mail fake knows (and, on Slack, users.info answers for). */
  addUsers(count: number): BenchUser[];
  /**
   * Slack: `/handle help` from the user, resolved at its first reply (or at the ack when no
   * reply is expected), so a bot that caches who a user is (users.info) has them cached.
   * Discord: nothing to do (the interaction carries the user).
   */
  prime(user: BenchUser, target: { port?: number; expectReplies: boolean }): Promise<void>;
  /** `expectReplies: false`: the ack-only baseline, done at the ack. */
  send(user: BenchUser, handle: string, target: { port?: number; expectReplies: boolean }): Promise<CommandOutcome>;
  /** Lost, duplicated and wrong replies since the last reset (call after a grace period). */
  check(): ReplyCheck;
  /** Forget recorded traffic and bookkeeping (between warm-up and measurement, between chunks). */
  reset(): void;
  close(): Promise<void>;
};

let userCounter = 0;

function newUsers(mail: FakeMailApi, count: number, idFor: (n: number) => string): BenchUser[] {
  const users: BenchUser[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++userCounter;
    const key = randomBytes(32).toString('hex');
    mail.addKey(key, `bench${n}@example.com`);
    users.push({ userId: idFor(n), key });
  }
  return users;
}

export async function startHarness(platform: 'slack' | 'discord', mailLatencyMs: number): Promise<Harness> {
  const mail = await startFakeMailApi({ rateLimits: false, latencyMs: mailLatencyMs });
  return platform === 'slack' ? slackHarness(mail) : discordHarness(mail);
}

async function slackHarness(mail: FakeMailApi): Promise<Harness> {
  const slack: FakeSlack = await startFakeSlack({ teamId: TEAM_ID, channels: [{ id: CHANNEL_ID, name: 'general', is_member: true }] });
  const tracker = new ReplyTracker();
  const handleOf = new Map<string, string>();
  const primed = new Set<string>();
  tap<SlackTraffic>((p, t) => slack.waitFor(p, t), (event) => {
    if (event.kind !== 'response') return;
    if (primed.has(event.hookId)) {
      tracker.record(event.hookId, 'reply', event.at);
      return;
    }
    const type = event.body.response_type;
    const kind = type === 'in_channel' ? 'announcement' : type === 'ephemeral' ? 'detail' : undefined;
    const mentionsHandle = (handle: string | undefined) => handle !== undefined && JSON.stringify(event.body).includes(handle);
    tracker.record(event.hookId, kind && mentionsHandle(handleOf.get(event.hookId)) ? kind : undefined, event.at);
  });

  return {
    platform: 'slack',
    env: { mailUrl: mail.url, slackApiUrl: slack.url, signingSecret: SIGNING_SECRET, teamId: TEAM_ID },
    addUsers(count) {
      const users = newUsers(mail, count, (n) => `UB${n.toString(36).toUpperCase()}`);
      for (const user of users) slack.addUser({ id: user.userId, name: `bench-${user.userId.toLowerCase()}`, team_id: TEAM_ID });
      return users;
    },
    async prime(user, target) {
      const responseUrl = slack.newResponseUrl();
      const hookId = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
      primed.add(hookId);
      const entry = tracker.expect(hookId, '', target.expectReplies ? ['reply'] : []);
      const form = slashCommandForm({ team_id: TEAM_ID, user_id: user.userId, channel_id: CHANNEL_ID, text: 'help', response_url: responseUrl });
      await signedPost(`http://127.0.0.1:${String(target.port)}/slack/events`, SIGNING_SECRET, form);
      await tracker.settled(entry, COMMAND_DEADLINE_MS);
    },
    async send(user, handle, target) {
      const responseUrl = slack.newResponseUrl();
      const hookId = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
      handleOf.set(hookId, handle);
      const entry = tracker.expect(hookId, handle, target.expectReplies ? ['announcement', 'detail'] : []);
      const form = slashCommandForm({ team_id: TEAM_ID, user_id: user.userId, channel_id: CHANNEL_ID, text: `create ${handle}`, response_url: responseUrl });
      let status: number;
      try {
        status = (await signedPost(`http://127.0.0.1:${String(target.port)}/slack/events`, SIGNING_SECRET, form)).status;
      } catch (error) {
        return { error: `POST failed: ${String(error)}` };
      }
      const ackMs = now() - entry.sentAt;
      if (status !== 200) return { ackMs, error: `ack status ${String(status)}` };
      if (!target.expectReplies) return { ackMs, doneMs: ackMs };
      await tracker.settled(entry, COMMAND_DEADLINE_MS);
      return { ackMs, ...(entry.doneAt === undefined ? {} : { doneMs: entry.doneAt - entry.sentAt }) };
    },
    check: () => tracker.check(),
    reset() {
      tracker.clear();
      handleOf.clear();
      primed.clear();
      slack.reset();
    },
    async close() {
      await slack.close();
      await mail.close();
    },
  };
}

async function discordHarness(mail: FakeMailApi): Promise<Harness> {
  const discord: FakeDiscord = await startFakeDiscord({
    guilds: [{ id: GUILD_ID, name: 'bench', channels: [{ id: DISCORD_CHANNEL_ID, name: 'general' }] }],
  });
  const tracker = new ReplyTracker();
  const handleOf = new Map<string, string>();
  tap<DiscordTraffic>((p, t) => discord.waitFor(p, t), (event) => {
    if (event.kind === 'callback') {
      tracker.record(event.interactionId, event.type === 5 ? 'ack' : undefined, event.at);
    } else if (event.kind === 'webhook') {
      const handle = event.interactionId === undefined ? undefined : handleOf.get(event.interactionId);
      const text = JSON.stringify(event.body);
      const ephemeral = ((Number(event.body?.flags) || 0) & 64) !== 0;
      let kind: string | undefined;
      if (handle !== undefined && text.includes(handle)) {
        if (event.method === 'PATCH' && event.messageId === '@original') kind = 'detail';
        else if (event.method === 'POST' && event.messageId === undefined && !ephemeral) kind = 'announcement';
      }
      tracker.record(event.interactionId, kind, event.at);
    }
  });

  return {
    platform: 'discord',
    env: { mailUrl: mail.url, discordApiUrl: discord.apiUrl, applicationId: discord.applicationId },
    addUsers(count) {
      return newUsers(mail, count, (n) => String(200_000_000_000_000_000n + BigInt(n)));
    },
    prime: () => Promise.resolve(),
    async send(user, handle) {
      const payload = discord.chatInputInteraction({
        name: 'handle', subcommand: 'create', options: { name: handle },
        user: { id: user.userId, username: `bench${user.userId.slice(-6)}` }, guildId: GUILD_ID, channelId: DISCORD_CHANNEL_ID,
      });
      const id = payload.id as string;
      handleOf.set(id, handle);
      const entry = tracker.expect(id, handle, ['ack', 'detail', 'announcement']);
      try {
        discord.sendInteraction(payload);
      } catch (error) {
        return { error: `dispatch failed: ${String(error)}` };
      }
      await tracker.settled(entry, COMMAND_DEADLINE_MS);
      return {
        ...(entry.ackAt === undefined ? {} : { ackMs: entry.ackAt - entry.sentAt }),
        ...(entry.doneAt === undefined ? {} : { doneMs: entry.doneAt - entry.sentAt }),
      };
    },
    check: () => tracker.check(),
    reset() {
      tracker.clear();
      handleOf.clear();
      discord.reset();
    },
    async close() {
      await discord.close();
      await mail.close();
    },
  };
}

/**
 * N commands, at most C in flight (a closed loop: a command stays in flight until its last
 * expected reply arrived), then stops. Returns the outcomes in command order and the wall time.
 */
export async function runLoad(
  n: number,
  concurrency: number,
  one: (index: number) => Promise<CommandOutcome>,
): Promise<{ outcomes: CommandOutcome[]; wallMs: number }> {
  const outcomes: CommandOutcome[] = new Array<CommandOutcome>(n);
  let next = 0;
  const started = now();
  const worker = async () => {
    while (next < n) {
      const index = next++;
      outcomes[index] = await one(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { outcomes, wallMs: now() - started };
}

export async function graceForDuplicates(): Promise<void> {
  await sleep(DUPLICATE_GRACE_MS);
}
