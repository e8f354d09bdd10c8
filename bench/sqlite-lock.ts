/**
 * Acknowledgements while another process holds the SQLite store's write lock (issue 18,
 * point 2). One `handle-bot start` process (Slack HTTP mode, SQLite, loopback fakes), users with
 * linked keys; then another process takes the file's write lock for --hold seconds (default 12)
 * while `/handle create …` commands arrive every --every ms (default 100), and a few seconds
 * more after it lets go. Prints the ack latency (p50, p99, max) of the commands sent while the
 * lock was held and after, and how they were answered.
 *
 *   npm run build && npx tsx bench/sqlite-lock.ts [--root <another built checkout>] [--hold 12] [--every 100]
 */
import path from 'node:path';
import type { ApiKey } from '../src/domain/api-key.js';
import { parseArgs } from 'node:util';
import { createLogger } from '../src/ops/logger.js';
import { openStore } from '../src/store/index.js';
import { startSlackBot } from '../test/helpers/cli-process.js';
import { startFakeMailApi } from '../test/fakes/mail-api.js';
import { newTriggerId, signedPost, slashCommandForm, startFakeSlack } from '../test/fakes/slack.js';
import { holdSqliteLock } from '../test/store/lock-holder.js';

const { values } = parseArgs({
  options: { root: { type: 'string' }, hold: { type: 'string', default: '12' }, every: { type: 'string', default: '100' }, tsx: { type: 'boolean', default: false } },
});
const HOLD_MS = Number(values.hold) * 1000;
const EVERY_MS = Number(values.every);
const AFTER_MS = 3000;
const SECRET = 'bench-signing-secret';
const SEALING = 'cd'.repeat(32);
// One command per user: none of them waits on another's cooldown.
const USERS = Array.from({ length: 400 }, (_, i) => `UBENCH${String(i)}`);

/** What kind of answer a reply is. */
function kind(text: string): string {
  if (text.includes('claimed')) return 'claimed';
  if (/storage/i.test(text)) return 'cannot reach its storage';
  return text.split('\n')[0] ?? '';
}

const slack = await startFakeSlack({ users: USERS.map((id) => ({ id, name: id.toLowerCase() })), channels: [{ id: 'C1', name: 'general', is_member: true }] });
const mail = await startFakeMailApi({ rateLimits: false });
const { bot, endpoint } = await startSlackBot({
  MAIL_API_URL: mail.url, STORE_URL: 'sqlite://data/bench.sqlite', DATA_DIR: 'data', HANDLE_BOT_SECRET: SEALING,
  SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, LOG_LEVEL: 'info',
}, { compiled: !values.tsx, ...(values.root ? { root: values.root } : {}) });
const file = path.join(bot.cwd, 'data/bench.sqlite');

type Sample = { sentAt: number; ackMs: number; during: boolean; reply?: string };
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

try {

  // Keys linked straight in the store file, sealed under the same secret the bot uses.
  const store = await openStore({ url: `sqlite://${file}`, secret: SEALING, dataDir: path.dirname(file), log: createLogger({ level: 'silent' }) });
  for (const user of USERS) await store.setKey(`slack:T0TEST:${user}`, mail.newKey(`${user}@example.com`) as ApiKey);
  await store.close();

  let n = 0;
  const samples: Sample[] = [];
  const send = async (during: boolean) => {
    const user = USERS[n % USERS.length]!;
    n += 1;
    const responseUrl = slack.newResponseUrl();
    const sample: Sample = { sentAt: Date.now(), ackMs: NaN, during };
    samples.push(sample);
    const form = slashCommandForm({ user_id: user, channel_id: 'C1', text: `create bench-${String(n)}`, response_url: responseUrl, trigger_id: newTriggerId() });
    const started = performance.now();
    const result = await signedPost(endpoint, SECRET, form);
    sample.ackMs = performance.now() - started;
    if (result.status !== 200) sample.reply = `HTTP ${String(result.status)}`;
    const reply = await slack.waitForResponse((r) => r.url === responseUrl, 30_000).catch(() => undefined);
    sample.reply ??= reply ? kind(String(reply.body.text ?? '')) : 'no answer within 30 s';
  };
  await send(false); // warm-up: the file exists, in WAL mode

  const holder = holdSqliteLock(file);
  await holder.locked;
  const pending: Promise<void>[] = [];
  const lockedAt = Date.now();
  while (Date.now() - lockedAt < HOLD_MS) {
    pending.push(send(true));
    await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
  }
  await holder.release();
  const releasedAt = Date.now();
  while (Date.now() - releasedAt < AFTER_MS) {
    pending.push(send(false));
    await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
  }
  await Promise.all(pending);

  for (const [label, during] of [[`lock held ${String(HOLD_MS / 1000)} s`, true], ['after release', false]] as const) {
    const group = samples.slice(1).filter((s) => s.during === during);
    const acks = group.map((s) => s.ackMs).sort((a, b) => a - b);
    const replies = group.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.reply ?? '?']: (acc[s.reply ?? '?'] ?? 0) + 1 }), {});
    console.log(`${label}: ${String(group.length)} commands; ack p50 ${percentile(acks, 50).toFixed(1)} ms, p99 ${percentile(acks, 99).toFixed(1)} ms, max ${(acks.at(-1) ?? NaN).toFixed(1)} ms`);
    console.log(`  answers: ${JSON.stringify(replies)}`);
  }
} finally {
  await bot.stop();
  await slack.close();
  await mail.close();
}
