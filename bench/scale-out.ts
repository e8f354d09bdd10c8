/**
 * The scale-out cell (issue 15): 1, 2 and 3 replicas of the Slack HTTP bot (`handle-bot start`,
 * each its own process) behind a round-robin balancer on loopback, sharing one Redis (a fresh
 * STORE_PREFIX per cell), the mail service answering after --latency ms, --concurrency commands
 * in flight (closed loop). Each command is `/handle create <unique>` from its own user (no
 * cooldown waits); done = both replies (announcement and detail) reached its response_url.
 *
 * Per cell: throughput, ack p99, completion p99, lost and duplicated commands, CPU ms per command
 * and peak RSS of each replica (from /proc), Redis commands per command (INFO stats), and the CPU
 * this process (load generator + fakes + balancer) spent per command — to see who is the
 * bottleneck.
 *
 *   npm run build && npx tsx bench/scale-out.ts [--replicas 1,2,3] [--commands 3000] [--concurrency 200] [--latency 100] [--tsx]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient } from '@keyv/redis';
import type { ApiKey } from '../src/domain/api-key.js';
import { slackIdentity } from '../src/domain/identity.js';
import { createLogger } from '../src/ops/logger.js';
import { openStore } from '../src/store/index.js';
import { startFakeMailApi } from '../test/fakes/mail-api.js';
import { newTriggerId, signedPost, slashCommandForm, startFakeSlack } from '../test/fakes/slack.js';
import { startBalancer } from '../test/helpers/balancer.js';
import { startSlackBot, type CliProcess } from '../test/helpers/cli-process.js';
import { TEST_REDIS_URL } from '../test/helpers/services.js';
import { summarize } from './stats.js';

const { values } = parseArgs({
  options: {
    replicas: { type: 'string', default: '1,2,3' }, commands: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '200' },
    latency: { type: 'string', default: '100' }, warmup: { type: 'string', default: '300' }, tsx: { type: 'boolean', default: false },
  },
});
const N = Number(values.commands);
const C = Number(values.concurrency);
const WARMUP = Number(values.warmup);
const SIGNING = 'bench-scale-signing-secret';
const SEALING = 'ef'.repeat(32);
const TEAM = 'T0TEST';

/** CPU time (ms) and peak RSS (MB) of a process, from /proc. */
function procStats(pid: number): { cpuMs: number; peakRssMb: number } {
  const stat = fs.readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15)
  const status = fs.readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMs: ticks * 10, peakRssMb: hwm / 1024 };
}

type Redis = { info(section: string): Promise<string> };

async function redisCommands(client: Redis): Promise<number> {
  const info = await client.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
}

type CellResult = {
  replicas: number; throughput: number; ackP99: number; doneP99: number; lost: number; duplicated: number;
  perReplica: Array<{ commands: number; cpuMsPerCmd: number; peakRssMb: number }>; redisPerCmd: number; generatorCpuMsPerCmd: number;
};

async function cell(replicaCount: number, redis: Redis): Promise<CellResult> {
  const prefix = `hb_bench_scale_${String(replicaCount)}_${Date.now().toString(36)}`;
  const users = Array.from({ length: N + WARMUP }, (_, i) => `USCALE${String(i)}`);
  const slack = await startFakeSlack({ users: users.map((id) => ({ id, name: id.toLowerCase() })), channels: [{ id: 'C1', name: 'general', is_member: true }] });
  const mail = await startFakeMailApi({ rateLimits: false, latencyMs: Number(values.latency) });
  const store = await openStore({ url: TEST_REDIS_URL, secret: SEALING, namespacePrefix: prefix, dataDir: '.', log: createLogger({ level: 'silent' }) });
  for (const user of users) await store.setKey(slackIdentity(TEAM, user), mail.newKey(`${user.toLowerCase()}@example.com`) as ApiKey);
  await store.close();
  const env = {
    MAIL_API_URL: mail.url, STORE_URL: TEST_REDIS_URL, STORE_PREFIX: prefix, HANDLE_BOT_SECRET: SEALING, SLACK_BOT_TOKEN: 'xoxb-bench-scale-0123456789',
    SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: slack.url, COOLDOWN_SECONDS: '0', LOG_LEVEL: 'info',
  };
  const started = await Promise.all(Array.from({ length: replicaCount }, () => startSlackBot(env, { compiled: !values.tsx })));
  const bots: CliProcess[] = started.map((s) => s.bot);
  const balancer = await startBalancer(started.map((s) => new URL(s.endpoint).origin));
  const events = `${balancer.url}/slack/events`;

  // One long-lived waiter sees every reply (the fake's waitFor with a predicate that never ends it):
  // replies are counted per response_url, and each command waits only on its own.
  const replies = new Map<string, number>();
  const finish = new Map<string, () => void>();
  slack.waitFor((event) => {
    if (event.kind === 'response') {
      const count = (replies.get(event.hookId) ?? 0) + 1;
      replies.set(event.hookId, count);
      if (count >= 2) finish.get(event.hookId)?.();
    }
    return false;
  }, 2_000_000_000).catch(() => undefined);
  const ack: number[] = [];
  const done: number[] = [];
  const perReplica = new Array<number>(replicaCount).fill(0);
  const measuredHooks: string[] = [];
  let next = 0;
  async function runOne(index: number, measured: boolean): Promise<void> {
    const user = users[index]!;
    const responseUrl = slack.newResponseUrl();
    const started = performance.now();
    const result = await signedPost(events, SIGNING, slashCommandForm({ team_id: TEAM, user_id: user, channel_id: 'C1', text: `create s${String(replicaCount)}-${String(index)}`, response_url: responseUrl, trigger_id: newTriggerId() }));
    const acked = performance.now();
    const hook = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    if ((replies.get(hook) ?? 0) < 2) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 30_000);
        finish.set(hook, () => { clearTimeout(timer); resolve(); });
      });
      finish.delete(hook);
    }
    if (!measured) return;
    measuredHooks.push(hook);
    ack.push(acked - started);
    done.push(performance.now() - started);
    perReplica[Number(result.headers['x-replica'])] = (perReplica[Number(result.headers['x-replica'])] ?? 0) + 1;
  }
  async function loop(total: number, offset: number, measured: boolean) {
    next = 0;
    await Promise.all(Array.from({ length: C }, async () => {
      while (next < total) {
        const index = offset + next;
        next += 1;
        await runOne(index, measured);
      }
    }));
  }
  await loop(WARMUP, 0, false);
  const cpuBefore = bots.map((b) => procStats(b.child.pid!).cpuMs);
  const redisBefore = await redisCommands(redis);
  const generatorBefore = process.cpuUsage();
  const t0 = performance.now();
  await loop(N, WARMUP, true);
  const seconds = (performance.now() - t0) / 1000;
  const generator = process.cpuUsage(generatorBefore);
  const redisAfter = await redisCommands(redis);
  const stats = bots.map((b, i) => ({ ...procStats(b.child.pid!), before: cpuBefore[i]! }));

  const counts = measuredHooks.map((hook) => replies.get(hook) ?? 0);
  const result: CellResult = {
    replicas: replicaCount,
    throughput: N / seconds,
    ackP99: summarize(ack.sort((a, b) => a - b))?.p99 ?? 0,
    doneP99: summarize(done.sort((a, b) => a - b))?.p99 ?? 0,
    lost: counts.filter((c) => c < 2).length,
    duplicated: counts.filter((c) => c > 2).length,
    perReplica: stats.map((s, i) => ({ commands: perReplica[i] ?? 0, cpuMsPerCmd: (s.cpuMs - s.before) / Math.max(1, perReplica[i] ?? 0), peakRssMb: s.peakRssMb })),
    redisPerCmd: (redisAfter - redisBefore) / N,
    generatorCpuMsPerCmd: (generator.user + generator.system) / 1000 / N,
  };
  await Promise.all(bots.map((b) => b.stop()));
  await balancer.close();
  await slack.close();
  await mail.close();
  return result;
}

const redis = createClient({ url: TEST_REDIS_URL });
await redis.connect();
const results: CellResult[] = [];
for (const replicas of values.replicas.split(',').map(Number)) {
  const result = await cell(replicas, redis);
  results.push(result);
  process.stderr.write(`${JSON.stringify(result)}\n`);
}
await redis.close();

const base = results[0]?.throughput ?? 1;
console.log(`\nscale-out: Slack HTTP bot behind a round-robin balancer on Redis, mail at ${values.latency} ms, C=${String(C)}, N=${String(N)} (cpu/RSS per replica)\n`);
console.log('| replicas | cmds/s | × 1 replica | ack p99 ms | done p99 ms | lost | dup | per replica: cmds, CPU ms/cmd, peak RSS MB | Redis cmds/cmd | generator+fakes CPU ms/cmd |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const per = r.perReplica.map((p) => `${String(p.commands)}, ${p.cpuMsPerCmd.toFixed(2)}, ${p.peakRssMb.toFixed(0)}`).join(' / ');
  console.log(`| ${String(r.replicas)} | ${r.throughput.toFixed(0)} | ${(r.throughput / base).toFixed(2)} | ${r.ackP99.toFixed(1)} | ${r.doneP99.toFixed(1)} | ${String(r.lost)} | ${String(r.duplicated)} | ${per} | ${r.redisPerCmd.toFixed(1)} | ${r.generatorCpuMsPerCmd.toFixed(2)} |`);
}
