/**
 * `npm run bench` — acknowledgement latency, overhead, throughput, CPU and memory of handle-bot
 * against naive baselines, with the real Bolt and discord.js on loopback (issue 9).
 *
 *   npm run bench                      the one table of issue 19 (bench/scorecard.ts): every cell beside
 *                                      the naive bot, ratio, goal, verdict (≈12 min on 2 cores)
 *   npm run bench -- --quick           the same table, one round of smaller cells (< 2 min)
 *   npm run bench -- --matrix          the latency × cells × bots matrix of issue 9 instead
 *   npm run bench -- --bots handle-bot-slack,naive-bolt --latency 0 --cells 50x1000   (a matrix)
 *   npm run bench -- --cpu-prof        a matrix with V8 CPU profiles of the bots' measured windows
 *
 * This process runs the fakes and the load generator; every bot runs alone in a child process
 * (bench/child.ts), started fresh for each cell, so its CPU time, peak RSS and start-up are its
 * own. The fakes stay here rather than in a third process: on two cores a third busy process
 * would compete with the bot for the second core, and one process gives one clock for "sent"
 * and "reply arrived". Its own CPU use is reported per cell (load-side CPU %), so a saturated
 * load side is visible. Bots run one after another, interleaved per cell, so a noisy machine
 * hurts handle-bot and its baselines alike and the ratios survive.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CellResult, type CellSpec, type LeakResult, type RunContext, runCell, runLeakCheck } from './cell.js';
import { BOT_KINDS, type BotKind } from './protocol.js';
import { buildBots } from './build.js';
import { type BenchReport, compare, judge, renderText, writeJson } from './report.js';
import { FULL_PLAN, QUICK_PLAN, renderScorecard, runScorecard } from './scorecard.js';
import { runStoreLatency, type StoreResult } from './store.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    matrix: { type: 'boolean', default: false },
    latency: { type: 'string' },
    cells: { type: 'string' },
    bots: { type: 'string' },
    warmup: { type: 'string' },
    'skip-store': { type: 'boolean', default: false },
    'skip-leak': { type: 'boolean', default: false },
    'leak-commands': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    tsx: { type: 'boolean', default: false },
    'known-users': { type: 'boolean', default: false },
    'bot-node-args': { type: 'string', default: '' },
    'bot-env': { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (flags.help) {
  process.stdout.write(`npm run bench -- [options]
  (no option)           the one table: Slack 100 ms/50, Slack 0 ms/200, Discord 100 ms/50, ack p99 vs the
                        ack-only floor, peak RSS, start-up of every front door, a 20,000-command soak;
                        3 rounds per cell, handle-bot and the naive bot alternated, medians
  --quick               the one table in one round of smaller cells (< 2 min); with --matrix: 0 ms only,
                        C=1 N=20 and C=200 N=200, no leak check, short store run
  --matrix              the latency × cells × bots matrix instead (implied by --cells/--latency/--bots/--cpu-prof)
  --latency 0,100       mail API latencies in ms (default 0,100)
  --cells 1x200,50x1000,200x1000   CxN cells (default as shown)
  --bots a,b            subset of: ${BOT_KINDS.join(', ')}
  --warmup N            warm-up commands per bot process (default 50, quick 10)
  --skip-store          no store latency run
  --skip-leak           no leak check (20,000 commands on handle-bot Slack, C=50, 0 ms)
  --leak-commands N     leak-check length (default 20000; RSS read every tenth)
  --cpu-prof            V8 CPU profiles of the measured windows into bench/results/profiles/<run>/
                        (handle-bot's processes and naive-bolt's; summarise with bench/profile.ts)
  --log-level LEVEL     handle-bot's LOG_LEVEL (default info, as in production)
  --known-users         measured Slack users send /handle help first (a busy workspace: users.info
                        cached); default: every command from a user the bot has not seen (a wave)
  --bot-env KEY=VALUE   extra handle-bot configuration, repeatable (e.g. NOTIFY_COALESCE_SECONDS=0)
  --bot-node-args "…"   extra node flags for every bot process (e.g. "--max-old-space-size=64")
  --tsx                 run the bots from TypeScript through tsx instead of transpiled JavaScript
                        (slower start-up, more memory: not what production runs)
`);
  process.exit(0);
}

function parseCells(text: string): CellSpec[] {
  return text.split(',').map((part) => {
    const match = /^(\d+)x(\d+)$/.exec(part.trim());
    if (!match) throw new Error(`--cells: "${part}" is not CxN (e.g. 50x1000)`);
    return { concurrency: Number(match[1]), n: Number(match[2]) };
  });
}

function parseBots(text: string): BotKind[] {
  return text.split(',').map((b) => b.trim()).map((b) => {
    if (!(BOT_KINDS as readonly string[]).includes(b)) throw new Error(`--bots: unknown bot "${b}" (known: ${BOT_KINDS.join(', ')})`);
    return b as BotKind;
  });
}

const quick = flags.quick;
const latencies = (flags.latency ?? (quick ? '0' : '0,100')).split(',').map(Number);
const cells = parseCells(flags.cells ?? (quick ? '1x20,200x200' : '1x200,50x1000,200x1000'));
const bots = flags.bots ? parseBots(flags.bots) : [...BOT_KINDS];
const leakCommands = Number(flags['leak-commands'] ?? 20_000);
const runLeak = !quick && !flags['skip-leak'] && bots.includes('handle-bot-slack');
const storeOps = quick ? 200 : 2000;

const startedAt = new Date();
const runId = startedAt.getTime().toString(36);
const botNodeArgs = flags['bot-node-args'].split(' ').filter(Boolean);
const child = flags.tsx
  ? { script: fileURLToPath(new URL('./child.ts', import.meta.url)), nodeArgs: ['--import', 'tsx', ...botNodeArgs] }
  : { script: buildBots(), nodeArgs: botNodeArgs };
const botEnv = Object.fromEntries(flags['bot-env'].map((pair) => {
  const at = pair.indexOf('=');
  if (at <= 0) throw new Error(`--bot-env: "${pair}" is not KEY=VALUE`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}));
const ctx: RunContext = {
  runId,
  botEnv,
  child,
  logDir: path.join(RESULTS, 'logs', runId),
  logLevel: flags['log-level'],
  warmup: Number(flags.warmup ?? (quick ? 10 : 50)),
  knownUsers: flags['known-users'],
  ...(flags['cpu-prof'] ? { cpuProf: { dir: path.join(RESULTS, 'profiles', runId), bots: ['handle-bot-slack', 'handle-bot-discord', 'handle-bot-discord-limited', 'naive-bolt', 'naive-discord'] as const } } : {}),
};
const machine = {
  cores: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  loadAverage: os.loadavg(),
  node: process.version,
  platform: `${os.type()} ${os.release()}`,
  totalMemMb: Math.round(os.totalmem() / 1024 / 1024),
};
const progress = (text: string) => process.stderr.write(`${text}\n`);

// The one table of issue 19, unless a matrix of cells was asked for.
const scorecardMode = !flags.matrix && !flags.cells && !flags.latency && !flags.bots && !flags['cpu-prof'];
if (scorecardMode) {
  const plan = quick ? QUICK_PLAN : FULL_PLAN;
  progress(`bench ${quick ? '--quick' : 'full'}: one table (${String(plan.rounds)} round(s) per cell); logs in ${ctx.logDir}`);
  const card = await runScorecard(plan, ctx, progress);
  const finishedAt = new Date();
  const seconds = ((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(0);
  process.stdout.write(`handle-bot benchmark (${quick ? 'quick' : 'full'}) — ${startedAt.toISOString()} → ${finishedAt.toISOString()} (${seconds} s)\n`);
  process.stdout.write(`${String(machine.cores)} cores (${machine.cpuModel}), load average at start ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}, Node ${machine.node}\n`);
  process.stdout.write(`Each figure is the median of ${String(plan.rounds)} round(s), handle-bot and the naive bot alternated; throughput is commands/s in a closed loop; start-up is process start → ready (handle-bot: its production build).\n\n`);
  process.stdout.write(`${renderScorecard(card)}\n`);
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `scorecard-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), mode: quick ? 'quick' : 'full', machine, plan, ...card }, null, 2)}\n`);
  progress(`\nJSON: ${file}`);
  process.exitCode = card.failures.length > 0 ? 1 : 0;
} else {
  progress(`bench ${quick ? '--quick' : 'full'}: latencies ${latencies.join(', ')} ms; cells ${cells.map((c) => `C=${String(c.concurrency)} N=${String(c.n)}`).join(', ')}; bots ${bots.join(', ')}; logs in ${ctx.logDir}`);

  const results: CellResult[] = [];
  const failures: { bot: BotKind; mailLatencyMs: number; cell: CellSpec; error: string }[] = [];
  for (const latency of latencies) {
    for (const cell of cells) {
      for (const bot of bots) {
        const started = performance.now();
        let result: CellResult;
        try {
          result = await runCell(bot, latency, cell, ctx);
        } catch (error) {
          // One bot that cannot start or dies mid-cell must not cost the rest of the run.
          const message = error instanceof Error ? error.message : String(error);
          failures.push({ bot, mailLatencyMs: latency, cell, error: message });
          progress(`  ${String(latency)} ms C=${String(cell.concurrency)} N=${String(cell.n)} ${bot}: FAILED ${message}`);
          continue;
        }
        results.push(result);
        progress(`  ${String(latency)} ms C=${String(cell.concurrency)} N=${String(cell.n)} ${bot}: ack p99 ${result.ack?.p99.toFixed(1) ?? '–'} ms, overhead p50 ${result.overhead?.p50.toFixed(1) ?? '–'} ms, ${result.throughputPerS.toFixed(0)}/s, bad ${String(result.lost + result.duplicated + result.wrong + result.errors)}${result.firstError ? ` (${result.firstError})` : ''} [${((performance.now() - started) / 1000).toFixed(1)} s]`);
      }
    }
  }

  let leak: LeakResult | undefined;
  if (runLeak) {
    progress(`leak check: handle-bot-slack, ${String(leakCommands)} commands, C=50, 0 ms`);
    leak = await runLeakCheck('handle-bot-slack', { mailLatencyMs: 0, concurrency: 50, total: leakCommands, chunk: Math.max(1, Math.round(leakCommands / 10)), pool: 5000 }, ctx)
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        failures.push({ bot: 'handle-bot-slack', mailLatencyMs: 0, cell: { concurrency: 50, n: leakCommands }, error: `leak check: ${message}` });
        progress(`leak check FAILED: ${message}`);
        return undefined;
      });
  }

  let store: StoreResult | undefined;
  if (!flags['skip-store']) {
    progress(`store latency: ${String(storeOps)} operations per backend`);
    store = await runStoreLatency(storeOps).catch((error: unknown) => {
      progress(`store latency failed: ${String(error)}`);
      return undefined;
    });
  }

  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine,
    settings: { bots_run_as: flags.tsx ? 'TypeScript through tsx' : 'transpiled JavaScript (bench/build.ts)', latencies, cells, bots, warmup: ctx.warmup, knownUsers: ctx.knownUsers, botNodeArgs, botEnv, logLevel: ctx.logLevel, leakCommands: runLeak ? leakCommands : 0, storeOps, store: 'sqlite (DESIGN default) for the bot runs' },
    cells: results,
    failures,
    ...(leak ? { leak } : {}),
    ...(store ? { store } : {}),
    comparisons: compare(results),
    targets: judge(results, leak),
  };
  process.stdout.write(`${renderText(report)}\n`);
  progress(`\nJSON: ${writeJson(report, RESULTS)}`);
  if (ctx.cpuProf) progress(`CPU profiles: ${ctx.cpuProf.dir}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}
