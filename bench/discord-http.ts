/**
 * Discord at scale (issue 16): HTTP-interactions cells — 1 and 2 replicas of `handle-bot start`
 * behind the round-robin balancer (test/helpers/retrying-balancer.ts) — next to a gateway cell (one
 * process), all on one shared store (Postgres by default; Redis with --backend redis), against
 * the loopback fakes with the mail API answering after --latency ms. Closed loop: --n creates
 * from distinct users (keys linked beforehand), --c in flight.
 *
 *   npm run build && npx tsx bench/discord-http.ts [--n 1000] [--c 200] [--latency 100] [--backend postgres] [--tsx]
 *
 * Per cell: throughput, defer p50/p99 (the first response: the HTTP answer over HTTP, the callback
 * over the gateway), final-reply p50/p99 (the @original edit and the public announcement both
 * arrived), the replicas' CPU (s, and ms per command) and peak RSS (VmHWM), lost and duplicated.
 * Written to bench/results/discord-http-<time>.json.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ApiKey } from '../src/domain/api-key.js';
import { createLogger } from '../src/ops/logger.js';
import { openStore } from '../src/store/index.js';
import { type DiscordTraffic, startFakeDiscord } from '../test/fakes/discord.js';
import { startFakeMailApi } from '../test/fakes/mail-api.js';
import { startRetryingBalancer as startBalancer } from '../test/helpers/retrying-balancer.js';
import { startCli, type CliProcess } from '../test/helpers/cli-process.js';
import { freshPostgres, freshRedis } from '../test/helpers/fresh-stores.js';
import { summarize, type Summary } from './stats.js';

const { values: flags } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' }, c: { type: 'string', default: '200' }, latency: { type: 'string', default: '100' },
    backend: { type: 'string', default: 'postgres' }, tsx: { type: 'boolean', default: false },
    only: { type: 'string' }, // run only the cells whose name contains this
  },
});
const N = Number(flags.n);
const C = Number(flags.c);
const LATENCY = Number(flags.latency);
const TOKEN = 'bench.bot.token';
const GUILD = '100000000000000001';
const CHANNEL = '100000000000000002';
const DEADLINE_MS = 60_000;
const CLK_TCK = 100;

type Cell = { name: string; mode: 'gateway' | 'http'; replicas: number };
const CELLS: Cell[] = [
  { name: 'gateway, 1 process', mode: 'gateway', replicas: 1 },
  { name: 'HTTP, 1 replica', mode: 'http', replicas: 1 },
  { name: 'HTTP, 2 replicas', mode: 'http', replicas: 2 },
];

type Result = {
  cell: string; commands: number; inFlight: number; mailLatencyMs: number; throughputPerS: number;
  defer?: Summary | undefined; final?: Summary | undefined; cpuSeconds: number; cpuMsPerCommand: number; peakRssMb: number; lost: number; duplicated: number;
  /** What was duplicated: a second @original edit, a second announcement, a second create at the mail API. */
  duplicates: { edits: number; announcements: number; creates: number };
};

/** utime + stime (s) and VmHWM (MB) of a process, from /proc. */
function usage(pid: number): { cpu: number; hwmMb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpu, hwmMb: Number(hwm ?? 0) / 1024 };
}

async function runCell(cell: Cell): Promise<Result> {
  const database = flags.backend === 'redis' ? await freshRedis() : await freshPostgres();
  const mail = await startFakeMailApi({ rateLimits: false, latencyMs: LATENCY });
  const discord = await startFakeDiscord({ token: TOKEN, guilds: [{ id: GUILD, name: 'bench', channels: [{ id: CHANNEL, name: 'general' }] }] });
  const secret = randomBytes(32).toString('hex');
  const users = Array.from({ length: N }, (_, i) => String(300_000_000_000_000_000n + BigInt(i)));
  const store = await openStore({ url: database.url, secret, dataDir: 'unused', log: createLogger({ level: 'silent' }) });
  for (const user of users) await store.setKey(`discord:${user}`, mail.newKey(`u${user}@bench.example`) as ApiKey, { verifiedAt: Date.now(), verifyResult: 'ok' });
  await store.close();

  const env = {
    MAIL_API_URL: mail.url, STORE_URL: database.url, HANDLE_BOT_SECRET: secret, DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl, LOG_LEVEL: 'warn',
    ...(cell.mode === 'http' ? { DISCORD_PUBLIC_KEY: discord.publicKey, DISCORD_HTTP_PORT: '0' } : {}),
  };
  const replicas: CliProcess[] = Array.from({ length: cell.replicas }, () => startCli(['start'], { ...env, LOG_LEVEL: 'info' }, { compiled: !flags.tsx }));
  const connected = await Promise.all(replicas.map((r) => r.waitForLog((l) => l.msg === 'Discord connected', 'Discord connected', 60_000)));
  const balancer = cell.mode === 'http' ? await startBalancer(connected.map((l) => String(l.endpoint))) : undefined;
  if (balancer) discord.useInteractionsEndpoint(balancer.url);

  // One observer of every event: first responses, detail edits and announcements per interaction.
  const seen = new Map<string, { sent: number; handle: string; defer?: number; detail: number[]; announced: number[]; resolve: () => void }>();
  discord.waitFor((event: DiscordTraffic) => {
    const entry = 'interactionId' in event && event.interactionId !== undefined ? seen.get(event.interactionId) : undefined;
    if (!entry) return false;
    if (event.kind === 'callback' && entry.defer === undefined) entry.defer = event.at - entry.sent;
    if (event.kind === 'webhook' && event.status < 300 && JSON.stringify(event.body).includes(entry.handle)) {
      if (event.method === 'PATCH' && event.messageId === '@original') entry.detail.push(event.at);
      else if (event.method === 'POST' && ((Number(event.body?.flags) || 0) & 64) === 0) entry.announced.push(event.at);
    }
    if (entry.detail.length > 0 && entry.announced.length > 0) entry.resolve();
    return false;
  }, 2_000_000_000).catch(() => undefined);

  const before = replicas.map((r) => usage(r.child.pid!).cpu);
  const started = performance.now();
  let next = 0;
  const finals: number[] = [];
  let lost = 0;
  const tag = randomBytes(3).toString('hex');
  await Promise.all(Array.from({ length: C }, async () => {
    while (next < N) {
      const i = next++;
      const handle = `b${tag}-${i}`;
      const payload = discord.chatInputInteraction({ user: { id: users[i]!, username: `bench${i}` }, guildId: GUILD, channelId: CHANNEL, subcommand: 'create', options: { name: handle } });
      let timer: NodeJS.Timeout | undefined;
      const done = new Promise<boolean>((resolve) => {
        seen.set(payload.id as string, { sent: performance.timeOrigin + performance.now(), handle, detail: [], announced: [], resolve: () => { resolve(true); } });
        timer = setTimeout(() => { resolve(false); }, DEADLINE_MS);
      });
      discord.sendInteraction(payload);
      const ok = await done;
      clearTimeout(timer);
      const entry = seen.get(payload.id as string)!;
      if (ok) finals.push(Math.max(entry.detail[0]!, entry.announced[0]!) - entry.sent);
      else lost += 1;
    }
  }));
  const wallS = (performance.now() - started) / 1000;
  const after = replicas.map((r) => usage(r.child.pid!));
  const cpuSeconds = after.reduce((sum, u, i) => sum + u.cpu - before[i]!, 0);
  // Anything that arrives twice: a second edit or announcement, or a second create at the mail API.
  const creates = new Map<string, number>();
  for (const r of mail.requests) if (r.path === '/api/handle/create') creates.set(String((r.body as { handle?: string }).handle), (creates.get(String((r.body as { handle?: string }).handle)) ?? 0) + 1);
  const entries = [...seen.values()];
  const duplicated = entries.filter((e) => e.detail.length > 1 || e.announced.length > 1 || (creates.get(e.handle) ?? 0) > 1).length;
  const duplicates = {
    edits: entries.filter((e) => e.detail.length > 1).length,
    announcements: entries.filter((e) => e.announced.length > 1).length,
    creates: entries.filter((e) => (creates.get(e.handle) ?? 0) > 1).length,
  };

  await Promise.all(replicas.map((r) => r.stop()));
  await balancer?.close();
  await Promise.all([discord.close(), mail.close()]);
  await database.drop();
  return {
    cell: cell.name, commands: N, inFlight: C, mailLatencyMs: LATENCY, throughputPerS: Math.round(N / wallS),
    defer: summarize([...seen.values()].flatMap((e) => (e.defer === undefined ? [] : [e.defer]))), final: summarize(finals),
    cpuSeconds: Math.round(cpuSeconds * 10) / 10, cpuMsPerCommand: Math.round((cpuSeconds * 1000 / N) * 100) / 100,
    peakRssMb: Math.round(Math.max(...after.map((u) => u.hwmMb))), lost, duplicated, duplicates,
  };
}

const results: Result[] = [];
for (const cell of CELLS.filter((c) => flags.only === undefined || c.name.includes(flags.only))) {
  process.stderr.write(`${cell.name}: N=${N} C=${C} mail ${LATENCY} ms…\n`);
  results.push(await runCell(cell));
}
const ms = (s: Summary | undefined, key: 'p50' | 'p99') => (s ? s[key].toFixed(1) : '–');
const rows = results.map((r) => `| ${r.cell} | ${r.throughputPerS} | ${ms(r.defer, 'p50')} | ${ms(r.defer, 'p99')} | ${ms(r.final, 'p50')} | ${ms(r.final, 'p99')} | ${r.cpuSeconds} (${r.cpuMsPerCommand}) | ${r.peakRssMb} | ${r.lost} / ${r.duplicated} |`);
process.stdout.write([
  `Discord, ${N} creates, ${C} in flight, mail ${LATENCY} ms, store ${flags.backend}`,
  '| cell | cmd/s | defer p50 ms | defer p99 ms | final p50 ms | final p99 ms | CPU s (ms/cmd) | peak RSS MB (max replica) | lost / dup |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows, '',
].join('\n'));
const out = path.join('bench', 'results', `discord-http-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(results, null, 2));
process.stderr.write(`written to ${out}\n${JSON.stringify(results.map((r) => ({ cell: r.cell, duplicates: r.duplicates })))}\n`);
