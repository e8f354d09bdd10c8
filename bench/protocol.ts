/**
 * What the orchestrator (bench/run.ts) and a bot process (bench/child.ts) say to each other
 * over the IPC channel, and the bots the benchmark knows.
 */

/** Every bot under test; each runs alone in its own child process. */
export const BOT_KINDS = [
  'bolt-ack', // baseline (a): a Bolt app that only acks — the floor of the ack path
  'naive-bolt', // baseline (b): ack, key from a Map, fetch, two respond() calls
  'handle-bot-slack', // handle-bot's Slack front door, HTTP mode
  'naive-discord', // baseline (c): defer, fetch, editReply, public followUp (discord.js defaults)
  'handle-bot-discord', // handle-bot's Discord front door, interaction webhooks bypass the global limiter (its default)
  'handle-bot-discord-limited', // the same with the bypass off: webhooks through discord.js's 50/s global limiter
] as const;

/** Bots timed for start-up only (bench/startup.ts): the front doors the load cells do not drive. */
export const START_ONLY_KINDS = [
  'naive-bolt-socket', // the naive Bolt app in Socket Mode
  'handle-bot-slack-socket', // handle-bot's Slack front door in Socket Mode
  'naive-console', // a readline loop, a Map and fetch
  'handle-bot-console', // handle-bot console (its modules and runtime, ready to read a line)
] as const;
export type BotKind = (typeof BOT_KINDS)[number] | (typeof START_ONLY_KINDS)[number];

export const SLACK_BOTS: readonly BotKind[] = ['bolt-ack', 'naive-bolt', 'handle-bot-slack', 'naive-bolt-socket', 'handle-bot-slack-socket', 'naive-console', 'handle-bot-console'];
export const DISCORD_BOTS: readonly BotKind[] = ['naive-discord', 'handle-bot-discord', 'handle-bot-discord-limited'];

export function platformOf(kind: BotKind): 'slack' | 'discord' {
  return SLACK_BOTS.includes(kind) ? 'slack' : 'discord';
}

/** One user with a linked key: `userId` is the Slack user id (U…) or the Discord user id (snowflake). */
export type BenchUser = { userId: string; key: string };

/** Where the fakes are and what the bot needs to reach them. */
export type BotEnv = {
  mailUrl: string;
  /** Slack: Web API base (`http://127.0.0.1:PORT/api/`), signing secret and team. */
  slackApiUrl?: string;
  signingSecret?: string;
  teamId?: string;
  /** Discord: REST base (`http://127.0.0.1:PORT/api`) and application id (= bot user id). */
  discordApiUrl?: string;
  applicationId?: string;
  /** A fresh directory for the SQLite store and its generated secret. */
  dataDir: string;
  logLevel: string;
  /** Extra configuration for handle-bot (environment variables, e.g. NOTIFY_COALESCE_SECONDS). */
  extraEnv?: Record<string, string>;
};

export type ParentMessage =
  | { type: 'start'; kind: BotKind; env: BotEnv; users: BenchUser[] }
  /** Read CPU and memory now; with `gc`, collect garbage first (the child runs with --expose-gc). */
  | { type: 'sample'; gc?: boolean }
  /** V8 CPU profile of the measured window only (node:inspector), written to `file` on stop. */
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string }
  | { type: 'stop' };

export type ProcessSample = {
  /** process.cpuUsage(), microseconds since the process started. */
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** C++ objects bound to JS (buffers, sockets, SQLite) as V8 knows them. */
  externalBytes: number;
  /** v8.getHeapSpaceStatistics(): space → bytes committed (physical). */
  heapSpaces: Record<string, number>;
  /** process.resourceUsage().maxRSS, in bytes: the peak since the process started. */
  maxRssBytes: number;
};

export type ChildMessage =
  /** `readyAtEpochMs`: when the platform connection was up (before seeding); `seedMs`: seeding time. */
  | { type: 'ready'; readyAtEpochMs: number; seedMs: number; port?: number }
  | ({ type: 'sample' } & ProcessSample)
  | { type: 'profiling' }
  | { type: 'profiled'; file: string }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

/** What a bot module returns once it is connected. */
export type RunningBot = {
  /** Slack HTTP mode: the port `POST /slack/events` listens on. */
  port?: number;
  /** epoch ms (sub-ms) when the platform side became ready, before seeding. */
  readyAtEpochMs: number;
  /** Link every user's key (store, Map…) and resolve when done. */
  seed(users: BenchUser[]): Promise<void>;
  stop(): Promise<void>;
};
