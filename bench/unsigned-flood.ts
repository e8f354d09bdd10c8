/**
 * Memory under a flood of unauthenticated bodies (issue 18, point 9): one `handle-bot start`
 * process (Slack HTTP mode, loopback fakes), then 40 concurrent unsigned 3.9 MB POSTs to
 * /slack/events, three ways (declared length; chunked; chunked with fresh signature headers so
 * only the signature is wrong). Prints the bot's RSS before, its peak (VmHWM) after each wave,
 * the statuses it answered, and that it still answers a command. `--bytes 100` gives the cost of
 * the same number of connections with tiny bodies, to compare with.
 *
 *   npm run build && npx tsx bench/unsigned-flood.ts [--root <another built checkout>] [--tsx]
 * (`--root`: e.g. the code before the fix; `--tsx`: run the sources instead of dist/).
 */
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { startSlackBot } from '../test/helpers/cli-process.js';
import { startFakeMailApi } from '../test/fakes/mail-api.js';
import { signedPost, slashCommandForm, startFakeSlack } from '../test/fakes/slack.js';

const { values } = parseArgs({ options: { root: { type: 'string' }, posts: { type: 'string', default: '40' }, tsx: { type: 'boolean', default: false }, bytes: { type: 'string', default: '3900000' } } });
const POSTS = Number(values.posts);
const BODY = Buffer.alloc(Number(values.bytes), 'x');
const SECRET = 'bench-signing-secret';


function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

function post(url: string, headers: Record<string, string>, chunked: boolean): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(chunked ? {} : { 'content-length': String(BODY.length) }), ...headers },
    }, (res) => {
      res.resume();
      resolve(String(res.statusCode));
    });
    req.on('error', (error: NodeJS.ErrnoException) => { resolve(error.code ?? 'error'); });
    req.end(BODY);
  });
}

const slack = await startFakeSlack({ users: [{ id: 'UALICE', name: 'alice' }], channels: [{ id: 'C1', name: 'general', is_member: true }] });
const mail = await startFakeMailApi({ rateLimits: false });
const { bot, endpoint } = await startSlackBot({
  MAIL_API_URL: mail.url, STORE_URL: 'sqlite://data/bench.sqlite', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: slack.url, LOG_LEVEL: 'info',
}, { compiled: !values.tsx, ...(values.root ? { root: values.root } : {}) });
try {
  const pid = bot.child.pid!;
  const command = async () => {
    const url = slack.newResponseUrl();
    const sent = await signedPost(endpoint, SECRET, slashCommandForm({ user_id: 'UALICE', channel_id: 'C1', text: 'help', response_url: url }));
    await slack.waitForResponse((r) => r.url === url, 30_000);
    return sent.status;
  };
  await command();
  const start = memory(pid);
  console.log(`before: RSS ${String(start.rssMb)} MB, peak so far ${String(start.peakMb)} MB`);
  const now = () => String(Math.floor(Date.now() / 1000));
  const waves: [string, Record<string, string>, boolean][] = [
    ['declared length, no signature', {}, false],
    ['chunked, no signature', {}, true],
    ['chunked, fresh timestamp + wrong signature', { 'x-slack-request-timestamp': now(), 'x-slack-signature': `v0=${'0'.repeat(64)}` }, true],
  ];
  for (const [label, headers, chunked] of waves) {
    const statuses = await Promise.all(Array.from({ length: POSTS }, () => post(endpoint, headers, chunked)));
    const counts = statuses.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    const m = memory(pid);
    console.log(`${String(POSTS)} × ${(BODY.length / 1e6).toFixed(1)} MB, ${label}: answers ${JSON.stringify(counts)}; RSS now ${String(m.rssMb)} MB, peak so far ${String(m.peakMb)} MB`);
  }
  console.log(`a command afterwards: HTTP ${String(await command())}, answered`);
} finally {
  await bot.stop();
  await slack.close();
  await mail.close();
}
