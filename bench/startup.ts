/**
 * Start-up of every front door next to its naive counterpart (issue 19), each bot in a fresh
 * process against fresh fakes, handle-bot and the naive bot alternated for `rounds` rounds;
 * the median counts. Also each process's RSS once ready (nothing served yet).
 *
 * handle-bot is timed as production runs it: `node dist/src/cli.js start` (or `console`), the
 * output of `npm run build` (rebuilt first when stale), configured by its environment only —
 * spawn → its ready log line (`slack ready`, `Discord connected`, `console ready`), whose pino
 * `time` says when it was ready. The naive bots run in the bench's child (fork → ready).
 * `npx tsx bench/startup.ts [--rounds 5] [--doors console,Discord]` runs this part alone;
 * `--compare .,DIR` times this build against another checkout's instead (before/after a change).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBotProcess } from './bot-process.js';
import { buildBots } from './build.js';
import type { RunContext } from './cell.js';
import { startHarness } from './load.js';
import { type BotEnv, type BotKind, platformOf } from './protocol.js';
import { median } from './stats.js';

export const FRONT_DOORS = [
  { door: 'Slack HTTP', handleBot: 'handle-bot-slack', naive: 'naive-bolt' },
  { door: 'Slack Socket Mode', handleBot: 'handle-bot-slack-socket', naive: 'naive-bolt-socket' },
  { door: 'Discord', handleBot: 'handle-bot-discord', naive: 'naive-discord' },
  { door: 'console', handleBot: 'handle-bot-console', naive: 'naive-console' },
] as const satisfies readonly { door: string; handleBot: BotKind; naive: BotKind }[];

export type StartTimes = { medianMs: number; samplesMs: number[]; readyRssMb: number };
export type StartupResult = { door: string; handleBot: StartTimes; naive: StartTimes };
type Sample = { ms: number; rssMb: number };
type HandleBotKind = (typeof FRONT_DOORS)[number]['handleBot'];

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 120_000;

/** `npm run build`'s output, rebuilt when older than the sources (scripts/build.mjs --if-stale). */
export function ensureProductionBuild(root = ROOT): string {
  const built = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed: start-up cannot time the production entry');
  return path.join(root, 'dist/src/cli.js');
}

/** What an operator would set for each front door, pointed at the fakes. */
function productionEnv(kind: HandleBotKind, env: BotEnv): { args: string[]; env: Record<string, string>; readyMsg: string } {
  const common = { MAIL_API_URL: env.mailUrl, DATA_DIR: env.dataDir, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env.extraEnv };
  switch (kind) {
    case 'handle-bot-slack':
      return { args: ['start'], readyMsg: 'slack ready', env: { ...common, SLACK_BOT_TOKEN: 'xoxb-bench-handle-bot', SLACK_SIGNING_SECRET: env.signingSecret ?? '', SLACK_API_URL: env.slackApiUrl ?? '', SLACK_PORT: '0' } };
    case 'handle-bot-slack-socket':
      return { args: ['start'], readyMsg: 'slack ready', env: { ...common, SLACK_BOT_TOKEN: 'xoxb-bench-handle-bot', SLACK_APP_TOKEN: 'xapp-bench-handle-bot', SLACK_API_URL: env.slackApiUrl ?? '' } };
    case 'handle-bot-discord':
      return { args: ['start'], readyMsg: 'Discord connected', env: { ...common, DISCORD_TOKEN: 'bench.handle-bot.token', DISCORD_APPLICATION_ID: env.applicationId ?? '', DISCORD_API_URL: env.discordApiUrl ?? '' } };
    case 'handle-bot-console':
      return { args: ['console', '--user', 'bench'], readyMsg: 'console ready', env: common };
  }
}

function rssMbOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Spawn → the ready log line (stdout for start, stderr for the console: its stdout is the conversation). */
async function startProduction(entry: string, kind: HandleBotKind, env: BotEnv, logFile: string): Promise<Sample> {
  const run = productionEnv(kind, env);
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [entry, ...run.args], { cwd: env.dataDir, env: { PATH: process.env.PATH ?? '', ...run.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(logFile);
  try {
    const ready = await new Promise<{ time: number }>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`no "${run.readyMsg}" within ${String(READY_TIMEOUT_MS)} ms (log: ${logFile})`)); }, READY_TIMEOUT_MS);
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${kind} exited (${String(code)}) before "${run.readyMsg}" (log: ${logFile})`)); });
      for (const stream of [child.stdout, child.stderr]) {
        readline.createInterface({ input: stream }).on('line', (text) => {
          log.write(`${text}\n`);
          let line: { msg?: unknown; time?: unknown };
          try {
            line = JSON.parse(text) as typeof line;
          } catch {
            return;
          }
          if (line.msg === run.readyMsg && typeof line.time === 'number') {
            clearTimeout(timer);
            resolve({ time: line.time });
          }
        });
      }
    });
    return { ms: ready.time - spawnedAt, rssMb: rssMbOf(child.pid ?? 0) };
  } finally {
    await stopChild(child);
    log.end();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.stdin?.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function startOnce(kind: BotKind, ctx: RunContext, round: number, entry: string): Promise<Sample> {
  const harness = await startHarness(platformOf(kind), 0);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-bench-start-'));
  const env: BotEnv = { ...harness.env, dataDir, logLevel: ctx.logLevel, extraEnv: ctx.botEnv };
  const logFile = path.join(ctx.logDir, `start-${kind}-${String(round)}.log`);
  fs.mkdirSync(ctx.logDir, { recursive: true });
  try {
    const handleBot = FRONT_DOORS.find((d) => d.handleBot === kind);
    if (handleBot) return await startProduction(entry, handleBot.handleBot, env, logFile);
    const bot = await startBotProcess({ childScript: ctx.child.script, nodeArgs: ctx.child.nodeArgs, kind, env, users: [], logFile });
    try {
      const sample = await bot.sample();
      return { ms: bot.startToReadyMs, rssMb: sample.rssBytes / 1024 / 1024 };
    } finally {
      await bot.stop();
    }
  } finally {
    await harness.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function measureStartup(ctx: RunContext, rounds: number, progress: (text: string) => void, doors: readonly string[] = FRONT_DOORS.map((d) => d.door)): Promise<StartupResult[]> {
  const entry = ensureProductionBuild();
  const results: StartupResult[] = [];
  for (const { door, handleBot, naive } of FRONT_DOORS.filter((d) => doors.includes(d.door))) {
    const runs: Record<'handleBot' | 'naive', Sample[]> = { handleBot: [], naive: [] };
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so a machine getting busier hurts both alike.
      const order = round % 2 === 0 ? (['naive', 'handleBot'] as const) : (['handleBot', 'naive'] as const);
      for (const side of order) runs[side].push(await startOnce(side === 'naive' ? naive : handleBot, ctx, round, entry));
    }
    const times = (list: Sample[]): StartTimes => ({
      medianMs: median(list.map((r) => r.ms)),
      samplesMs: list.map((r) => Math.round(r.ms)),
      readyRssMb: median(list.map((r) => r.rssMb)),
    });
    const result = { door, handleBot: times(runs.handleBot), naive: times(runs.naive) };
    progress(`  start-up ${door}: handle-bot ${result.handleBot.medianMs.toFixed(0)} ms (${result.handleBot.samplesMs.join(' ')}; RSS ${result.handleBot.readyRssMb.toFixed(0)} MB), ` +
      `naive ${result.naive.medianMs.toFixed(0)} ms (${result.naive.samplesMs.join(' ')}; RSS ${result.naive.readyRssMb.toFixed(0)} MB), ` +
      `${(result.handleBot.medianMs / result.naive.medianMs).toFixed(2)}×`);
    results.push(result);
  }
  return results;
}

/** `--compare DIR,DIR…`: these checkouts' builds (`.` is this one) timed in the same rounds (before/after a change), handle-bot only. */
async function compareBuilds(ctx: RunContext, rounds: number, doors: readonly string[], entries: string[]): Promise<void> {
  for (const { door, handleBot } of FRONT_DOORS.filter((d) => doors.includes(d.door))) {
    const runs: Sample[][] = entries.map(() => []);
    for (let round = 0; round < rounds; round++) {
      const order = entries.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) runs[i]!.push(await startOnce(handleBot, ctx, round, entries[i]!));
    }
    process.stdout.write(`  ${door}: ${entries.map((entry, i) => `${entry}: ${median(runs[i]!.map((r) => r.ms)).toFixed(0)} ms (${runs[i]!.map((r) => r.ms.toFixed(0)).join(' ')}; RSS ${median(runs[i]!.map((r) => r.rssMb)).toFixed(0)} MB)`).join(' vs ')}\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, doors: { type: 'string' }, compare: { type: 'string' } } });
  const runId = `startup-${Date.now().toString(36)}`;
  const ctx: RunContext = {
    runId, botEnv: {}, child: { script: buildBots(), nodeArgs: [] }, logDir: path.join(ROOT, 'bench/results/logs', runId),
    logLevel: 'warn', warmup: 0, knownUsers: false,
  };
  const doors = values.doors?.split(',').map((d) => d.trim()) ?? FRONT_DOORS.map((d) => d.door);
  process.stdout.write(`start-up, ${values.rounds} alternated rounds; load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  if (values.compare) await compareBuilds(ctx, Number(values.rounds), doors, values.compare.split(',').map((root) => ensureProductionBuild(path.resolve(root))));
  else await measureStartup(ctx, Number(values.rounds), (text) => process.stdout.write(`${text}\n`), doors);
  process.stdout.write(`load average at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}
