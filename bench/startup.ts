/**
 * Start-up of every front door next to its naive counterpart (issue 19): fork → ready (HTTP
 * listening, Socket Mode or gateway connected, the console able to read its first line), each
 * bot in a fresh process against fresh fakes, handle-bot and the naive bot alternated for
 * `rounds` rounds; the median counts. Also each process's RSS once ready (nothing served yet).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBotProcess } from './bot-process.js';
import type { RunContext } from './cell.js';
import { startHarness } from './load.js';
import { type BotKind, platformOf } from './protocol.js';
import { median } from './stats.js';

export const FRONT_DOORS = [
  { door: 'Slack HTTP', handleBot: 'handle-bot-slack', naive: 'naive-bolt' },
  { door: 'Slack Socket Mode', handleBot: 'handle-bot-slack-socket', naive: 'naive-bolt-socket' },
  { door: 'Discord', handleBot: 'handle-bot-discord', naive: 'naive-discord' },
  { door: 'console', handleBot: 'handle-bot-console', naive: 'naive-console' },
] as const satisfies readonly { door: string; handleBot: BotKind; naive: BotKind }[];

export type StartTimes = { medianMs: number; samplesMs: number[]; readyRssMb: number };
export type StartupResult = { door: string; handleBot: StartTimes; naive: StartTimes };

async function startOnce(kind: BotKind, ctx: RunContext, round: number): Promise<{ ms: number; rssMb: number }> {
  const harness = await startHarness(platformOf(kind), 0);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-bench-start-'));
  try {
    const bot = await startBotProcess({
      childScript: ctx.child.script,
      nodeArgs: ctx.child.nodeArgs,
      kind,
      env: { ...harness.env, dataDir, logLevel: ctx.logLevel, extraEnv: ctx.botEnv },
      users: [],
      logFile: path.join(ctx.logDir, `start-${kind}-${String(round)}.log`),
    });
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

export async function measureStartup(ctx: RunContext, rounds: number, progress: (text: string) => void): Promise<StartupResult[]> {
  const results: StartupResult[] = [];
  for (const { door, handleBot, naive } of FRONT_DOORS) {
    const runs: Record<'handleBot' | 'naive', { ms: number; rssMb: number }[]> = { handleBot: [], naive: [] };
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so a machine getting busier hurts both alike.
      const order = round % 2 === 0 ? (['naive', 'handleBot'] as const) : (['handleBot', 'naive'] as const);
      for (const side of order) runs[side].push(await startOnce(side === 'naive' ? naive : handleBot, ctx, round));
    }
    const times = (list: { ms: number; rssMb: number }[]): StartTimes => ({
      medianMs: median(list.map((r) => r.ms)),
      samplesMs: list.map((r) => Math.round(r.ms)),
      readyRssMb: median(list.map((r) => r.rssMb)),
    });
    const result = { door, handleBot: times(runs.handleBot), naive: times(runs.naive) };
    progress(`  start-up ${door}: handle-bot ${result.handleBot.medianMs.toFixed(0)} ms, naive ${result.naive.medianMs.toFixed(0)} ms`);
    results.push(result);
  }
  return results;
}
