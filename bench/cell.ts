/**
 * One measurement: a fresh bot process and fresh fakes, a warm-up, then N commands at
 * concurrency C; the bot's CPU time and memory read from the process before and after.
 * Also the leak check: many commands in chunks, the bot's RSS after each chunk.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BotProcess, startBotProcess } from './bot-process.js';
import { type CommandOutcome, type Harness, graceForDuplicates, runLoad, startHarness } from './load.js';
import { type BenchUser, type BotKind, platformOf, type ProcessSample } from './protocol.js';
import { median, type Summary, summarize } from './stats.js';

export type CellSpec = { concurrency: number; n: number };

export type RunContext = {
  runId: string;
  /** How to start a bot process: the child script and extra node arguments. */
  child: { script: string; nodeArgs: string[] };
  logDir: string;
  logLevel: string;
  /** Extra handle-bot configuration (environment variables). */
  botEnv: Record<string, string>;
  warmup: number;
  /**
   * false (default): every measured command comes from a user the bot has not seen, as in an
   * onboarding wave (handle-bot looks each one up with users.info). true: each measured user
   * sends `/handle help` during the warm-up first, as in a busy workspace of known users.
   */
  knownUsers: boolean;
  /** Profile these bots' measured windows (V8 CPU profile through node:inspector) into this directory. */
  cpuProf?: { dir: string; bots: readonly BotKind[] };
};

export type CellResult = {
  bot: BotKind;
  platform: 'slack' | 'discord';
  mailLatencyMs: number;
  concurrency: number;
  n: number;
  startToReadyMs: number;
  seedMs: number;
  ack?: Summary;
  /** Time to the last expected reply minus the mail API's latency: what the bot (and its platform library) adds. */
  overhead?: Summary;
  completion?: Summary;
  throughputPerS: number;
  cpuMsPerCommand: number;
  peakRssMb: number;
  /** The bot's memory right after the load: RSS, V8 heap reserved and used, external (buffers, sockets, SQLite). */
  memoryAfterMb: { rss: number; heapTotal: number; heapUsed: number; external: number; heapSpaces: Record<string, number> };
  acksOver3s: number;
  lost: number;
  duplicated: number;
  /** Replies that were not the expected ones (errors, cooldown notices, wrong visibility). */
  wrong: number;
  /** Commands whose POST/dispatch failed. */
  errors: number;
  firstError?: string;
  /** The orchestrator's own CPU use during the measured load (≈100 % means the load side limited it). */
  loadSideCpuPercent: number;
  logFile: string;
};

export type LeakCheckpoint = { commands: number; rssMb: number; rssAfterGcMb: number; heapUsedAfterGcMb: number };
export type LeakResult = {
  bot: BotKind;
  mailLatencyMs: number;
  concurrency: number;
  usersInPool: number;
  checkpoints: LeakCheckpoint[];
  lost: number;
  duplicated: number;
  wrong: number;
  errors: number;
  logFile: string;
};

const MB = 1024 * 1024;
/** Forced-GC samples per leak checkpoint. */
const GC_SAMPLES = 3;
let handleCounter = 0;
const nextHandle = (runId: string) => `b${runId}x${(++handleCounter).toString(36)}`;

async function withBot<T>(
  kind: BotKind,
  mailLatencyMs: number,
  users: number,
  ctx: RunContext,
  label: string,
  body: (bot: BotProcess, harness: Harness, pool: BenchUser[], logFile: string) => Promise<T>,
): Promise<T> {
  const harness = await startHarness(platformOf(kind), mailLatencyMs);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-bench-'));
  const logFile = path.join(ctx.logDir, `${label}.log`);
  let bot: BotProcess | undefined;
  try {
    const pool = harness.addUsers(users);
    bot = await startBotProcess({
      childScript: ctx.child.script,
      nodeArgs: ctx.child.nodeArgs,
      kind,
      env: { ...harness.env, dataDir, logLevel: ctx.logLevel, extraEnv: ctx.botEnv },
      users: pool,
      logFile,
    });
    return await body(bot, harness, pool, logFile);
  } finally {
    await bot?.stop();
    await harness.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function sendOne(harness: Harness, bot: BotProcess, kind: BotKind, user: BenchUser, runId: string): Promise<CommandOutcome> {
  return harness.send(user, nextHandle(runId), { ...(bot.port === undefined ? {} : { port: bot.port }), expectReplies: kind !== 'bolt-ack' });
}

export async function runCell(kind: BotKind, mailLatencyMs: number, cell: CellSpec, ctx: RunContext): Promise<CellResult> {
  const label = `${kind}-${String(mailLatencyMs)}ms-c${String(cell.concurrency)}-n${String(cell.n)}`;
  const warmup = Math.min(ctx.warmup, cell.n);
  return withBot(kind, mailLatencyMs, warmup + cell.n, ctx, label, async (bot, harness, pool, logFile) => {
    // Warm-up with users of its own (no cooldown can touch the measured ones), then forget it.
    await runLoad(warmup, Math.min(cell.concurrency, 10), (i) => sendOne(harness, bot, kind, pool[i]!, ctx.runId));
    if (ctx.knownUsers) {
      const target = { ...(bot.port === undefined ? {} : { port: bot.port }), expectReplies: kind !== 'bolt-ack' };
      await runLoad(cell.n, Math.min(cell.concurrency, 50), (i) => harness.prime(pool[warmup + i]!, target).then(() => ({})));
    }
    await graceForDuplicates();
    harness.reset();

    const profile = ctx.cpuProf?.bots.includes(kind) ? path.join(ctx.cpuProf.dir, `${label}.cpuprofile`) : undefined;
    if (profile) await bot.profileStart();
    const before = await bot.sample();
    const loadCpuBefore = process.cpuUsage();
    const { outcomes, wallMs } = await runLoad(cell.n, cell.concurrency, (i) => sendOne(harness, bot, kind, pool[warmup + i]!, ctx.runId));
    const loadCpu = process.cpuUsage(loadCpuBefore);
    const after = await bot.sample();
    if (profile) await bot.profileStop(profile);
    await graceForDuplicates();
    const replies = harness.check();

    const acks = outcomes.flatMap((o) => (o.ackMs === undefined ? [] : [o.ackMs]));
    const dones = outcomes.flatMap((o) => (o.doneMs === undefined ? [] : [o.doneMs]));
    const failures = outcomes.filter((o) => o.error !== undefined);
    const ack = summarize(acks);
    const expectsReplies = kind !== 'bolt-ack';
    const overhead = expectsReplies ? summarize(dones.map((d) => d - mailLatencyMs)) : undefined;
    const completion = expectsReplies ? summarize(dones) : undefined;
    const cpuUs = after.cpuUserUs + after.cpuSystemUs - before.cpuUserUs - before.cpuSystemUs;
    return {
      bot: kind,
      platform: platformOf(kind),
      mailLatencyMs,
      concurrency: cell.concurrency,
      n: cell.n,
      startToReadyMs: bot.startToReadyMs,
      seedMs: bot.seedMs,
      ...(ack ? { ack } : {}),
      ...(overhead ? { overhead } : {}),
      ...(completion ? { completion } : {}),
      throughputPerS: (cell.n - failures.length) / (wallMs / 1000),
      cpuMsPerCommand: cpuUs / 1000 / cell.n,
      peakRssMb: after.maxRssBytes / MB,
      memoryAfterMb: { rss: after.rssBytes / MB, heapTotal: after.heapTotalBytes / MB, heapUsed: after.heapUsedBytes / MB, external: after.externalBytes / MB,
        heapSpaces: Object.fromEntries(Object.entries(after.heapSpaces).map(([space, bytes]) => [space, bytes / MB])) },
      acksOver3s: acks.filter((a) => a > 3000).length,
      lost: replies.lost,
      duplicated: replies.duplicated,
      wrong: replies.wrong,
      errors: failures.length,
      ...(failures[0]?.error ? { firstError: failures[0].error } : {}),
      loadSideCpuPercent: ((loadCpu.user + loadCpu.system) / 1000 / wallMs) * 100,
      logFile,
    };
  });
}

/**
 * The leak check: `total` commands in chunks of `chunk` at concurrency C, users cycled from a
 * pool large enough that no user repeats within the 5 s cooldown below 1000 commands/s. The
 * bot's RSS is read after each chunk, as it is and after a forced GC.
 */
export async function runLeakCheck(
  kind: BotKind,
  options: { mailLatencyMs: number; concurrency: number; total: number; chunk: number; pool: number },
  ctx: RunContext,
): Promise<LeakResult> {
  const label = `leak-${kind}-${String(options.mailLatencyMs)}ms-c${String(options.concurrency)}-n${String(options.total)}`;
  return withBot(kind, options.mailLatencyMs, options.pool, ctx, label, async (bot, harness, pool, logFile) => {
    const checkpoints: LeakCheckpoint[] = [];
    const totals = { lost: 0, duplicated: 0, wrong: 0, errors: 0 };
    let sent = 0;
    while (sent < options.total) {
      const size = Math.min(options.chunk, options.total - sent);
      const offset = sent;
      const { outcomes } = await runLoad(size, options.concurrency, (i) => sendOne(harness, bot, kind, pool[(offset + i) % pool.length]!, ctx.runId));
      sent += size;
      await graceForDuplicates();
      const replies = harness.check();
      totals.lost += replies.lost;
      totals.duplicated += replies.duplicated;
      totals.wrong += replies.wrong;
      totals.errors += outcomes.filter((o) => o.error !== undefined).length;
      harness.reset();
      const raw = await bot.sample();
      // Several forced collections: one GC may leave garbage a second one frees; the median counts.
      const collected: ProcessSample[] = [];
      for (let i = 0; i < GC_SAMPLES; i++) collected.push(await bot.sample(true));
      const after = (read: (s: ProcessSample) => number) => median(collected.map(read)) / MB;
      checkpoints.push({ commands: sent, rssMb: raw.rssBytes / MB, rssAfterGcMb: after((s) => s.rssBytes), heapUsedAfterGcMb: after((s) => s.heapUsedBytes) });
      process.stderr.write(`  leak check: ${String(sent)} commands, RSS ${(raw.rssBytes / MB).toFixed(1)} MB, heap after GC ${checkpoints[checkpoints.length - 1]!.heapUsedAfterGcMb.toFixed(1)} MB\n`);
    }
    return { bot: kind, mailLatencyMs: options.mailLatencyMs, concurrency: options.concurrency, usersInPool: pool.length, checkpoints, ...totals, logFile };
  });
}
