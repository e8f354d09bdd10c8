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
 * `--root DIR` runs another checkout's build (`npm run build` there) as the replicas.
 * `--rounds R` runs every replica count R times, alternating the order; the × column divides each
 * row by the median of the first count's rows, and a last line gives each count's median.
 * `--generator lean` (default): the bench-only fakes, a TCP balancer, bodies signed before the
 * clock starts, one keep-alive pool, replicas logging to files (lean-*.ts) — so this process
 * leaves the cores to the replicas. `--generator full`: the tests' fakes and per-request
 * balancer, a new connection per command, every log line parsed here (the figures before).
 *
 *   npm run build && npx tsx bench/scale-out.ts [--replicas 1,2,3] [--commands 3000] [--concurrency 200] [--latency 100] [--generator lean|full] [--rounds 1] [--root DIR] [--tsx]
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from '@keyv/redis';
import { Pool } from 'undici';
import type { ApiKey } from '../src/domain/api-key.js';
import { slackIdentity } from '../src/domain/identity.js';
import { createLogger } from '../src/ops/logger.js';
import { openStore } from '../src/store/index.js';
import { startFakeMailApi } from '../test/fakes/mail-api.js';
import { newTriggerId, signedPost, slackSignature, slashCommandForm, startFakeSlack } from '../test/fakes/slack.js';
import { startBalancer } from '../test/helpers/balancer.js';
import { startSlackBot, type CliProcess } from '../test/helpers/cli-process.js';
import { TEST_REDIS_URL } from '../test/helpers/services.js';
import { startTcpBalancer } from './lean-balancer.js';
import { startLeanMail, startLeanSlack } from './lean-fakes.js';
import { startReplica } from './lean-replicas.js';
import { median, summarize } from './stats.js';

const { values } = parseArgs({
  options: {
    replicas: { type: 'string', default: '1,2,3' }, commands: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '200' },
    latency: { type: 'string', default: '100' }, warmup: { type: 'string', default: '300' }, tsx: { type: 'boolean', default: false },
    generator: { type: 'string', default: 'lean' }, rounds: { type: 'string', default: '1' }, root: { type: 'string' },
  },
});
const N = Number(values.commands);
const C = Number(values.concurrency);
const WARMUP = Number(values.warmup);
const SIGNING = 'bench-scale-signing-secret';
const SEALING = 'ef'.repeat(32);
const TEAM = 'T0TEST';
const LOG_DIR = fileURLToPath(new URL('./results/logs/', import.meta.url));

/** CPU time (ms) of a process or thread from its /proc stat line: utime + stime (fields 14 and 15). */
function cpuMsOf(statFile: string): number {
  const stat = fs.readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time (ms) of a process — all its threads, and its main thread alone (the event loop; the
 * rest is V8's GC and compiler threads and libuv's pool) — and its peak RSS (MB), from /proc.
 */
function procStats(pid: number): { cpuMs: number; mainCpuMs: number; peakRssMb: number } {
  const status = fs.readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMs: cpuMsOf(`/proc/${String(pid)}/stat`), mainCpuMs: cpuMsOf(`/proc/${String(pid)}/task/${String(pid)}/stat`), peakRssMb: hwm / 1024 };
}

type Redis = { info(section: string): Promise<string> };

/** Commands Redis has processed, and the CPU (ms) the Redis server has used, so far. */
async function redisStats(client: Redis): Promise<{ commands: number; cpuMs: number }> {
  const [stats, cpu] = [await client.info('stats'), await client.info('cpu')];
  const seconds = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(cpu)?.[1] ?? 0);
  return { commands: Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? 0), cpuMs: (seconds('used_cpu_sys') + seconds('used_cpu_user')) * 1000 };
}

type CellResult = {
  replicas: number; throughput: number; ackP99: number; doneP99: number; lost: number; duplicated: number;
  perReplica: Array<{ commands: number; cpuMsPerCmd: number; mainThreadMsPerCmd: number; peakRssMb: number }>; redisPerCmd: number; redisCpuMsPerCmd: number; generatorCpuMsPerCmd: number;
  /** Cores kept busy by the replicas, Redis and this process together over the measured window. */
  coresBusy: number;
};

/** The replicas behind a balancer, and how a command is sent to them and its replies awaited. */
type Rig = {
  /** Sends command `index`; resolves with the HTTP status once the ack (the response) is in. */
  send(index: number, replicaCount: number): Promise<number>;
  /** Resolves when command `index` has both replies, or after 30 s. */
  replied(index: number): Promise<void>;
  replyCount(index: number): number;
  bots: Array<{ pid: number; commandsDone(): number }>;
  close(): Promise<void>;
};

/** Before issue 15's generator work: the tests' fakes, the per-request HTTP balancer, a new connection per command, logs parsed here. */
async function fullRig(users: string[], replicaCount: number, env: Record<string, string>): Promise<Rig> {
  const slack = await startFakeSlack({ users: users.map((id) => ({ id, name: id.toLowerCase() })), channels: [{ id: 'C1', name: 'general', is_member: true }] });
  const mail = await startFakeMailApi({ rateLimits: false, latencyMs: Number(values.latency) });
  for (const user of users) mail.addKey(keyOf(user), `${user.toLowerCase()}@example.com`);
  const started = await Promise.all(Array.from({ length: replicaCount }, () => startSlackBot({ ...env, MAIL_API_URL: mail.url, SLACK_API_URL: slack.url }, { compiled: !values.tsx, ...(values.root ? { root: values.root } : {}) })));
  const bots: CliProcess[] = started.map((s) => s.bot);
  const balancer = await startBalancer(started.map((s) => new URL(s.endpoint).origin));
  const events = `${balancer.url}/slack/events`;
  // One long-lived waiter sees every reply; replies are counted per response_url.
  const hooks: string[] = [];
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
  return {
    async send(index, replicas) {
      const responseUrl = slack.newResponseUrl();
      hooks[index] = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
      const result = await signedPost(events, SIGNING, slashCommandForm({ team_id: TEAM, user_id: users[index]!, channel_id: 'C1', text: `create s${String(replicas)}-${String(index)}`, response_url: responseUrl, trigger_id: newTriggerId() }));
      return result.status;
    },
    replied: (index) => waitFor(() => (replies.get(hooks[index]!) ?? 0) >= 2, (done) => finish.set(hooks[index]!, done), () => finish.delete(hooks[index]!)),
    replyCount: (index) => replies.get(hooks[index]!) ?? 0,
    bots: bots.map((b) => ({ pid: b.child.pid!, commandsDone: () => b.logs.filter((l) => l.msg === 'command done').length })),
    async close() {
      await Promise.all(bots.map((b) => b.stop()));
      await balancer.close();
      await slack.close();
      await mail.close();
    },
  };
}

/** The lean generator: bench-only fakes (lean-fakes.ts), a TCP balancer, pre-signed bodies, one keep-alive pool, replicas logging to files. */
async function leanRig(users: string[], replicaCount: number, env: Record<string, string>, logDir: string): Promise<Rig> {
  const replies = new Uint8Array(users.length);
  const waiters: Array<(() => void) | undefined> = [];
  const slack = await startLeanSlack({ team: TEAM, onReply: (index) => {
    replies[index] = (replies[index] ?? 0) + 1;
    if (replies[index] === 2) waiters[index]?.();
  } });
  const mail = await startLeanMail({ latencyMs: Number(values.latency) });
  const replicas = await Promise.all(Array.from({ length: replicaCount }, () => startReplica({ ...env, MAIL_API_URL: mail.url, SLACK_API_URL: `${slack.url}/api/` }, logDir, values.root)));
  const balancer = await startTcpBalancer(replicas.map((r) => r.port));
  const pool = new Pool(balancer.url, { connections: C, keepAliveTimeout: 60_000 });
  // Signed before the clock starts: the generator's measured work is sending and counting.
  const timestamp = String(Math.floor(Date.now() / 1000));
  const requests = users.map((user, index) => {
    const body = slashCommandForm({ team_id: TEAM, user_id: user, channel_id: 'C1', text: `create s${String(replicaCount)}-${String(index)}`, response_url: `${slack.url}/hooks/${String(index)}`, trigger_id: `${timestamp}.${String(index)}.bench` }).toString();
    return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(SIGNING, timestamp, body) } };
  });
  return {
    async send(index) {
      const { body, headers } = requests[index]!;
      const answer = await pool.request({ path: '/slack/events', method: 'POST', headers, body });
      await answer.body.dump();
      return answer.statusCode;
    },
    replied: (index) => waitFor(() => (replies[index] ?? 0) >= 2, (done) => { waiters[index] = done; }, () => { waiters[index] = undefined; }),
    replyCount: (index) => replies[index] ?? 0,
    bots: replicas.map((r) => ({ pid: r.child.pid!, commandsDone: () => r.commandsDone() })),
    async close() {
      await pool.close();
      await balancer.close();
      await Promise.all(replicas.map((r) => r.stop()));
      await slack.close();
      await mail.close();
    },
  };
}

/** Resolves when `ready()` holds (now, or when `register`'s callback is called), or after 30 s. */
function waitFor(ready: () => boolean, register: (done: () => void) => void, unregister: () => void): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => { unregister(); resolve(); }, 30_000);
    register(() => { clearTimeout(timer); unregister(); resolve(); });
  });
}

function keyOf(user: string): string {
  return createHash('sha256').update(user).digest('hex');
}

async function cell(replicaCount: number, redis: Redis): Promise<CellResult> {
  const prefix = `hb_bench_scale_${String(replicaCount)}_${Date.now().toString(36)}`;
  const users = Array.from({ length: N + WARMUP }, (_, i) => `USCALE${String(i)}`);
  const store = await openStore({ url: TEST_REDIS_URL, secret: SEALING, namespacePrefix: prefix, dataDir: '.', log: createLogger({ level: 'silent' }) });
  for (const user of users) await store.setKey(slackIdentity(TEAM, user), keyOf(user) as ApiKey);
  await store.close();
  const env = {
    STORE_URL: TEST_REDIS_URL, STORE_PREFIX: prefix, HANDLE_BOT_SECRET: SEALING, SLACK_BOT_TOKEN: 'xoxb-bench-scale-0123456789',
    SLACK_SIGNING_SECRET: SIGNING, COOLDOWN_SECONDS: '0', LOG_LEVEL: 'info',
  };
  const rig = values.generator === 'full' ? await fullRig(users, replicaCount, env) : await leanRig(users, replicaCount, env, path.join(LOG_DIR, prefix));

  const ack: number[] = [];
  const done: number[] = [];
  let failed = 0;
  let next = 0;
  async function runOne(index: number, measured: boolean): Promise<void> {
    const started = performance.now();
    const status = await rig.send(index, replicaCount);
    const acked = performance.now();
    if (status !== 200) failed += 1;
    await rig.replied(index);
    if (!measured) return;
    ack.push(acked - started);
    done.push(performance.now() - started);
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
  const countsBefore = rig.bots.map((b) => b.commandsDone());
  const cpuBefore = rig.bots.map((b) => procStats(b.pid));
  const redisBefore = await redisStats(redis);
  const generatorBefore = process.cpuUsage();
  const t0 = performance.now();
  await loop(N, WARMUP, true);
  const seconds = (performance.now() - t0) / 1000;
  const generator = process.cpuUsage(generatorBefore);
  const redisAfter = await redisStats(redis);
  const stats = rig.bots.map((b, i) => ({ ...procStats(b.pid), before: cpuBefore[i]! }));
  const perReplica = rig.bots.map((b, i) => b.commandsDone() - countsBefore[i]!);

  const counts = Array.from({ length: N }, (_, i) => rig.replyCount(WARMUP + i));
  const result: CellResult = {
    replicas: replicaCount,
    throughput: N / seconds,
    ackP99: summarize(ack.sort((a, b) => a - b))?.p99 ?? 0,
    doneP99: summarize(done.sort((a, b) => a - b))?.p99 ?? 0,
    lost: counts.filter((c) => c < 2).length + failed,
    duplicated: counts.filter((c) => c > 2).length,
    perReplica: stats.map((s, i) => ({
      commands: perReplica[i] ?? 0, peakRssMb: s.peakRssMb,
      cpuMsPerCmd: (s.cpuMs - s.before.cpuMs) / Math.max(1, perReplica[i] ?? 0), mainThreadMsPerCmd: (s.mainCpuMs - s.before.mainCpuMs) / Math.max(1, perReplica[i] ?? 0),
    })),
    redisPerCmd: (redisAfter.commands - redisBefore.commands) / N,
    redisCpuMsPerCmd: (redisAfter.cpuMs - redisBefore.cpuMs) / N,
    generatorCpuMsPerCmd: (generator.user + generator.system) / 1000 / N,
    coresBusy: (stats.reduce((sum, st) => sum + st.cpuMs - st.before.cpuMs, 0) + (generator.user + generator.system) / 1000 + redisAfter.cpuMs - redisBefore.cpuMs) / (seconds * 1000),
  };
  await rig.close();
  return result;
}

const LOAD_AT_START = os.loadavg().map((l) => l.toFixed(2)).join(' ');
const redis = createClient({ url: TEST_REDIS_URL });
await redis.connect();
const results: CellResult[] = [];
const counts = values.replicas.split(',').map(Number);
for (let round = 0; round < Number(values.rounds); round++) {
  // Every round runs each replica count once, the order reversed every other round, so a machine getting busier hurts all alike.
  for (const replicas of round % 2 === 0 ? counts : [...counts].reverse()) {
    const result = await cell(replicas, redis);
    results.push(result);
    process.stderr.write(`${JSON.stringify(result)}\n`);
  }
}
await redis.close();

const throughputs = (replicas: number) => results.filter((r) => r.replicas === replicas).map((r) => r.throughput);
const base = median(throughputs(counts[0]!));
console.log(`\nscale-out: Slack HTTP bot behind a round-robin balancer on Redis, mail at ${values.latency} ms, C=${String(C)}, N=${String(N)}, generator ${values.generator} (cpu/RSS per replica); load average ${LOAD_AT_START} at start, ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at end\n`);
console.log('| replicas | cmds/s | × 1 replica | ack p99 ms | done p99 ms | lost | dup | per replica: cmds, CPU ms/cmd (main thread), peak RSS MB | Redis cmds/cmd, CPU ms/cmd | generator+fakes CPU ms/cmd | cores busy |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const per = r.perReplica.map((p) => `${String(p.commands)}, ${p.cpuMsPerCmd.toFixed(2)} (${p.mainThreadMsPerCmd.toFixed(2)}), ${p.peakRssMb.toFixed(0)}`).join(' / ');
  console.log(`| ${String(r.replicas)} | ${r.throughput.toFixed(0)} | ${(r.throughput / base).toFixed(2)} | ${r.ackP99.toFixed(1)} | ${r.doneP99.toFixed(1)} | ${String(r.lost)} | ${String(r.duplicated)} | ${per} | ${r.redisPerCmd.toFixed(1)}, ${r.redisCpuMsPerCmd.toFixed(2)} | ${r.generatorCpuMsPerCmd.toFixed(2)} | ${r.coresBusy.toFixed(2)} |`);
}
if (Number(values.rounds) > 1) {
  console.log(`\nmedian cmds/s over ${values.rounds} rounds: ${counts.map((n) => `${String(n)} replica(s) ${median(throughputs(n)).toFixed(0)} (${(median(throughputs(n)) / base).toFixed(2)}×)`).join(', ')}`);
}
