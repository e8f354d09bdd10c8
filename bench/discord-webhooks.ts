/**
 * Interaction webhooks and discord.js's global limiter, measured.
 *
 * Each command is `/handle create` with a linked key and announcements on, so the bot sends
 * one interaction callback (the defer) and two interaction-webhook calls (editReply with the
 * detail, a public followUp with the announcement). Stock @discordjs/rest queues those webhook
 * calls behind its 50 requests/s global limit although Discord does not count them; handle-bot
 * routes them around it (src/discord/webhook-rest.ts). Same fakes, same load, both modes:
 * N interactions, at most IN_FLIGHT at once, each finished when its follow-up is recorded.
 *
 *   npx tsx bench/discord-webhooks.ts                       # N=400, 50 in flight, 2 rounds
 *   BENCH_N=1000 BENCH_IN_FLIGHT=100 npx tsx bench/discord-webhooks.ts
 */
import { performance } from 'node:perf_hooks';
import { ALICE, type Harness, startHarness } from '../test/discord/harness.js';

const N = Number(process.env.BENCH_N ?? 400);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = 50;

type Result = { mode: string; seconds: number; perSecond: number; deferMs: number[]; doneMs: number[] };

async function run(bypass: boolean, label: string): Promise<Result> {
  const h = await startHarness({ bot: { interactionWebhooksBypassGlobalLimit: bypass }, logLevel: 'info', env: { LOG_LEVEL: 'info' } });
  try {
    await h.linkKey(ALICE);
    await load(h, `w${label}`, WARMUP); // connections, JIT, SQLite pages
    const started = performance.now();
    const { deferMs, doneMs } = await load(h, label, N);
    const seconds = (performance.now() - started) / 1000;
    return { mode: bypass ? 'bypass (handle-bot)' : 'stock global limiter', seconds, perSecond: N / seconds, deferMs, doneMs };
  } finally {
    await h.close();
  }
}

async function load(h: Harness, prefix: string, count: number): Promise<{ deferMs: number[]; doneMs: number[] }> {
  const deferMs: number[] = [];
  const doneMs: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const sentAt = performance.timeOrigin + performance.now();
      const x = h.run('create', { name: `${prefix}-${i}` });
      const [defer, announcement] = await Promise.all([x.callback(), x.followUp(0)]);
      if (defer.type !== 5) throw new Error(`interaction ${i}: first response was type ${defer.type}`);
      deferMs.push(defer.at - sentAt);
      doneMs.push(announcement.at - sentAt);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { deferMs, doneMs };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const results: Result[] = [];
for (let round = 0; round < ROUNDS; round++) {
  results.push(await run(false, `s${round}`));
  results.push(await run(true, `b${round}`));
}

const ms = (v: number) => v.toFixed(0).padStart(6);
process.stdout.write(`Discord interaction webhooks: N=${N} /handle create, ${IN_FLIGHT} in flight, 1 defer + 2 webhook calls each (Node ${process.version})\n`);
process.stdout.write('mode                    commands/s   wall s   defer p50/p95 ms   done p50/p95 ms\n');
for (const r of results) {
  process.stdout.write(
    `${r.mode.padEnd(22)} ${r.perSecond.toFixed(1).padStart(11)} ${r.seconds.toFixed(2).padStart(8)}   ${ms(percentile(r.deferMs, 50))} /${ms(percentile(r.deferMs, 95))}    ${ms(percentile(r.doneMs, 50))} /${ms(percentile(r.doneMs, 95))}\n`,
  );
}
