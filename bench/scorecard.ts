/**
 * `npm run bench` (issue 19): every cell of the performance issue in one run and one table,
 * handle-bot beside its naive counterpart, each row with its ratio, its goal and whether it
 * meets it, and a summary line. Load cells alternate handle-bot and the naive bot(s) for
 * `rounds` rounds and keep the median of each figure, so a machine that gets busier mid-run
 * hurts both alike. `--quick` is one round of smaller cells (under two minutes).
 */
import { type CellResult, type LeakResult, type RunContext, runCell, runLeakCheck } from './cell.js';
import type { BotKind } from './protocol.js';
import { median } from './stats.js';
import { measureStartup, type StartupResult } from './startup.js';

export type ScorecardPlan = { rounds: number; slackN: number; saturationN: number; discordN: number; startupRounds: number; soakCommands: number };

export const FULL_PLAN: ScorecardPlan = { rounds: 3, slackN: 1000, saturationN: 1000, discordN: 400, startupRounds: 3, soakCommands: 20_000 };
export const QUICK_PLAN: ScorecardPlan = { rounds: 1, slackN: 150, saturationN: 300, discordN: 100, startupRounds: 1, soakCommands: 1000 };

export type ScoreRow = {
  cell: string;
  handleBot: string;
  naive: string;
  ratio: string;
  goal: string;
  met: boolean | undefined;
  detail: string;
};

export type Scorecard = { rows: ScoreRow[]; cells: CellResult[]; startup: StartupResult[]; soak?: LeakResult; failures: string[] };

type LoadSpec = { key: string; latency: number; concurrency: number; n: number; bots: BotKind[] };

/** Every load cell, its bots alternated round by round; failures are kept, not thrown. */
async function runLoadCells(specs: LoadSpec[], rounds: number, ctx: RunContext, progress: (text: string) => void, failures: string[]) {
  const results = new Map<string, CellResult[]>();
  for (const spec of specs) {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? spec.bots : [...spec.bots].reverse();
      for (const bot of order) {
        try {
          const result = await runCell(bot, spec.latency, { concurrency: spec.concurrency, n: spec.n }, ctx);
          results.set(`${spec.key}/${bot}`, [...(results.get(`${spec.key}/${bot}`) ?? []), result]);
          progress(`  ${spec.key} ${bot} round ${String(round + 1)}: ${result.throughputPerS.toFixed(0)}/s, CPU ${result.cpuMsPerCommand.toFixed(2)} ms/cmd, ack p99 ${result.ack?.p99.toFixed(0) ?? '–'} ms, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
        } catch (error) {
          failures.push(`${spec.key} ${bot}: ${error instanceof Error ? error.message : String(error)}`);
          progress(`  ${spec.key} ${bot} round ${String(round + 1)}: FAILED`);
        }
      }
    }
  }
  return results;
}

const fmt = (value: number | undefined, digits = 1) => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));
const times = (r: number | undefined) => (r === undefined || !Number.isFinite(r) ? '–' : `${r.toFixed(2)}×`);

export async function runScorecard(plan: ScorecardPlan, ctx: RunContext, progress: (text: string) => void): Promise<Scorecard> {
  const failures: string[] = [];
  const specs: LoadSpec[] = [
    { key: 'slack-100ms-c50', latency: 100, concurrency: 50, n: plan.slackN, bots: ['naive-bolt', 'handle-bot-slack'] },
    { key: 'slack-0ms-c200', latency: 0, concurrency: 200, n: plan.saturationN, bots: ['naive-bolt', 'handle-bot-slack', 'bolt-ack'] },
    { key: 'discord-100ms-c50', latency: 100, concurrency: 50, n: plan.discordN, bots: ['naive-discord', 'handle-bot-discord'] },
  ];
  const results = await runLoadCells(specs, plan.rounds, ctx, progress, failures);
  const of = (key: string, bot: BotKind) => results.get(`${key}/${bot}`) ?? [];
  const med = (key: string, bot: BotKind, read: (c: CellResult) => number | undefined) => {
    const values = of(key, bot).map(read).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return values.length > 0 ? median(values) : undefined;
  };

  progress(`start-up: ${String(plan.startupRounds)} round(s) per front door`);
  const startup = await measureStartup(ctx, plan.startupRounds, progress).catch((error: unknown) => {
    failures.push(`start-up: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  });

  progress(`soak: handle-bot Slack, ${String(plan.soakCommands)} commands, C=50, 0 ms`);
  const soak = await runLeakCheck('handle-bot-slack', { mailLatencyMs: 0, concurrency: 50, total: plan.soakCommands, chunk: Math.max(1, Math.round(plan.soakCommands / 10)), pool: 5000 }, ctx)
    .catch((error: unknown) => {
      failures.push(`soak: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });

  const rows: ScoreRow[] = [];
  const throughputRow = (cell: string, key: string, naiveBot: BotKind, subject: BotKind, goal: number) => {
    const hb = med(key, subject, (c) => c.throughputPerS);
    const naive = med(key, naiveBot, (c) => c.throughputPerS);
    const r = hb !== undefined && naive !== undefined ? hb / naive : undefined;
    rows.push({
      cell, handleBot: `${fmt(hb, 0)}/s`, naive: `${fmt(naive, 0)}/s`, ratio: times(r), goal: `≥ ${goal.toFixed(1)}×`, met: r === undefined ? undefined : r >= goal,
      detail: `CPU/cmd ${fmt(med(key, subject, (c) => c.cpuMsPerCommand), 2)} vs ${fmt(med(key, naiveBot, (c) => c.cpuMsPerCommand), 2)} ms`,
    });
  };
  throughputRow(`Slack 100 ms / 50 in flight (N=${String(plan.slackN)})`, 'slack-100ms-c50', 'naive-bolt', 'handle-bot-slack', 1);
  throughputRow(`Slack 0 ms / 200 in flight, saturation (N=${String(plan.saturationN)})`, 'slack-0ms-c200', 'naive-bolt', 'handle-bot-slack', 1);
  throughputRow(`Discord 100 ms / 50 in flight (N=${String(plan.discordN)})`, 'discord-100ms-c50', 'naive-discord', 'handle-bot-discord', 8);

  const ackHb = med('slack-0ms-c200', 'handle-bot-slack', (c) => c.ack?.p99);
  const ackFloor = med('slack-0ms-c200', 'bolt-ack', (c) => c.ack?.p99);
  const ackRatio = ackHb !== undefined && ackFloor !== undefined ? ackHb / ackFloor : undefined;
  rows.push({
    cell: 'ack p99 at 200 in flight vs the ack-only Bolt floor', handleBot: `${fmt(ackHb, 0)} ms`, naive: `${fmt(ackFloor, 0)} ms (floor)`, ratio: times(ackRatio), goal: '≤ 1.1×',
    met: ackRatio === undefined ? undefined : ackRatio <= 1.1, detail: `naive Bolt ${fmt(med('slack-0ms-c200', 'naive-bolt', (c) => c.ack?.p99), 0)} ms`,
  });

  const rssRow = (cell: string, key: string, naiveBot: BotKind, subject: BotKind, cap?: number) => {
    const hb = med(key, subject, (c) => c.peakRssMb);
    const naive = med(key, naiveBot, (c) => c.peakRssMb);
    const r = hb !== undefined && naive !== undefined ? hb / naive : undefined;
    rows.push({
      cell, handleBot: `${fmt(hb, 0)} MB`, naive: `${fmt(naive, 0)} MB`, ratio: times(r), goal: cap === undefined ? '≤ naive' : `≤ ${String(cap)} MB and ≤ naive`,
      met: hb === undefined || r === undefined ? undefined : r <= 1 && (cap === undefined || hb <= cap),
      detail: `heap after the load ${fmt(med(key, subject, (c) => c.memoryAfterMb.heapUsed), 0)} MB used`,
    });
  };
  rssRow('peak RSS, Slack 100 ms / 50', 'slack-100ms-c50', 'naive-bolt', 'handle-bot-slack', 150);
  rssRow('peak RSS, Slack 0 ms / 200', 'slack-0ms-c200', 'naive-bolt', 'handle-bot-slack');
  rssRow('peak RSS, Discord 100 ms / 50', 'discord-100ms-c50', 'naive-discord', 'handle-bot-discord');

  for (const s of startup) {
    const r = s.handleBot.medianMs / s.naive.medianMs;
    rows.push({
      cell: `start-up, ${s.door}`, handleBot: `${fmt(s.handleBot.medianMs, 0)} ms`, naive: `${fmt(s.naive.medianMs, 0)} ms`, ratio: times(r), goal: '≤ 1.5×', met: r <= 1.5,
      detail: `RSS when ready ${fmt(s.handleBot.readyRssMb, 0)} vs ${fmt(s.naive.readyRssMb, 0)} MB`,
    });
  }

  if (soak && soak.checkpoints.length >= 2) {
    const first = soak.checkpoints[0]!;
    const last = soak.checkpoints[soak.checkpoints.length - 1]!;
    const growth = last.heapUsedAfterGcMb / first.heapUsedAfterGcMb - 1;
    // The trend, less at the mercy of one checkpoint: the median of the first three against the last three.
    const heaps = soak.checkpoints.map((c) => c.heapUsedAfterGcMb);
    const early = median(heaps.slice(0, 3));
    const late = median(heaps.slice(-3));
    rows.push({
      cell: `soak: heap after forced GC, ${String(first.commands)} → ${String(last.commands)} commands`, handleBot: `${fmt(first.heapUsedAfterGcMb)} → ${fmt(last.heapUsedAfterGcMb)} MB`, naive: '', ratio: `${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %`,
      goal: 'within 10 %', met: Math.abs(growth) <= 0.1, detail: `first 3 → last 3 checkpoints (medians) ${fmt(early)} → ${fmt(late)} MB (${late >= early ? '+' : ''}${((late / early - 1) * 100).toFixed(1)} %); RSS ${fmt(first.rssMb, 0)} → ${fmt(last.rssMb, 0)} MB; bad replies ${String(soak.lost + soak.duplicated + soak.wrong + soak.errors)}`,
    });
  }

  const cells = [...results.values()].flat();
  const bad = cells.filter((c) => c.bot.startsWith('handle-bot')).reduce((sum, c) => sum + c.lost + c.duplicated + c.wrong + c.errors, 0) + (soak ? soak.lost + soak.duplicated + soak.wrong + soak.errors : 0);
  rows.push({ cell: "handle-bot's replies lost, duplicated, wrong or failed (every cell)", handleBot: String(bad), naive: '', ratio: '', goal: '0', met: bad === 0, detail: '' });
  return { rows, cells, startup, ...(soak ? { soak } : {}), failures };
}

export function renderScorecard(card: Scorecard): string {
  const header = ['cell', 'handle-bot', 'naive', 'ratio', 'goal', 'meets', 'detail'];
  const body = card.rows.map((r) => [r.cell, r.handleBot, r.naive, r.ratio, r.goal, r.met === undefined ? 'n/a' : r.met ? 'yes' : 'NO', r.detail]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const judged = card.rows.filter((r) => r.met !== undefined);
  const missed = judged.filter((r) => r.met === false);
  const summary = `goals met: ${String(judged.length - missed.length)}/${String(judged.length)}${missed.length > 0 ? ` — missed: ${missed.map((r) => r.cell).join('; ')}` : ''}`;
  return [
    line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), '', summary,
    ...card.failures.map((f) => `FAILED: ${f}`),
  ].join('\n');
}
