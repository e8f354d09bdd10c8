/**
 * Attributes a V8 CPU profile's samples to the stages of a command (issue 19), by the files and
 * functions on each sample's stack, for handle-bot and the naive bots alike:
 *
 *   npx tsx bench/profile.ts --stages <bot-a.cpuprofile> [<bot-b.cpuprofile> …]
 *
 * A sample belongs to the stage of the innermost frame on its stack that names one (a seal called
 * from the key store is "key unseal", a pino call inside the mail client is "logging"). Transport
 * libraries (undici, discord.js's REST, node's own HTTP and stream code) name no stage of
 * their own: they take the stage of the project's code that called them. What runs with no such
 * caller on the stack — sockets' data handlers, timers, promise machinery — is its own row, as is GC.
 */

export type Frame = { functionName: string; url: string };

type Rule = { stage: string; test: (file: string) => boolean };

const under = (...prefixes: string[]) => (file: string) => prefixes.some((p) => file.startsWith(p));

/** In order of the table; the first rule that matches a frame names its stage. */
const RULES: Rule[] = [
  { stage: 'logging', test: under('node_modules/pino', 'node_modules/sonic-boom', 'node_modules/fast-redact', 'node_modules/pino-std-serializers', 'src/ops/logger', 'src/ops/redact', 'src/slack/bolt-logger', 'src/core/notifier') },
  { stage: 'metrics', test: under('node_modules/prom-client', 'src/ops/metrics') },
  { stage: 'key unseal', test: under('src/store/seal', 'src/store/link-record', 'src/store/secret') },
  { stage: 'store reads + writes', test: under('src/store/', 'node_modules/better-sqlite3', 'node_modules/keyv', 'node_modules/@keyv/') },
  { stage: 'Slack Web API (users.info)', test: under('src/slack/user-directory', 'node_modules/@slack/web-api', 'node_modules/axios') },
  { stage: 'mail call', test: under('src/mail-api/') },
  { stage: 'rendering', test: under('src/slack/render', 'src/discord/render', 'src/discord/markdown', 'src/core/messages/', 'src/core/text') },
  { stage: 'reply delivery', test: under('node_modules/@slack/bolt/dist/context/create-respond', 'src/slack/deliver', 'src/slack/response-url', 'src/slack/notifications', 'src/core/channel-notifier', 'src/discord/reply-delivery', 'src/discord/webhook-rest', 'src/discord/notifications') },
  {
    stage: 'receive + verify + ack',
    test: under('node_modules/@slack/bolt/dist/receivers/', 'node_modules/raw-body', 'node_modules/tsscmp', 'src/slack/request-guard', 'src/ops/http-guard', 'src/ops/request-freshness', 'node:_http_server', 'node:_http_incoming', 'node:querystring'),
  },
  {
    stage: 'dispatch + guards + command',
    test: under('node_modules/@slack/bolt/', 'node_modules/zod', 'node_modules/p-queue', 'src/slack/', 'src/discord/', 'src/core/', 'src/domain/', 'src/ops/', 'commands/', 'bench/baselines/'),
  },
];

const UNATTRIBUTED_IO = 'HTTP client I/O (no caller on the stack)';

/**
 * Libraries that do a stage's work for the code that called them. The naive bots do everything
 * in one handler: there the library itself says the stage (fetch is their mail call, Bolt's
 * respond — axios — and discord.js's REST their reply delivery).
 */
const TRANSPORT: { test: (file: string) => boolean; inBaseline: string }[] = [
  { test: under('node_modules/@discordjs/rest', 'node_modules/discord.js/src/structures/'), inBaseline: 'reply delivery' },
  { test: under('node:internal/deps/undici', 'node_modules/undici'), inBaseline: 'mail call' },
];

export const STAGES = [...RULES.map((r) => r.stage), UNATTRIBUTED_IO, 'event loop, promises, timers', 'GC'];

/** The file a frame runs, relative to the repository or as node names it (node:…, node_modules/…). */
export function fileOf(url: string): string {
  const modules = url.indexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + 1);
  if (url.startsWith('node:')) return url;
  const own = /\/((?:src|commands|bench)\/.+)$/.exec(url.replace(/^.*\/bench\/results\/build\//, '/'));
  return own?.[1] ?? url;
}

/** `stack` runs from the sampled frame (innermost) to the root. */
export function stageOf(stack: Frame[]): string {
  let transport: (typeof TRANSPORT)[number] | undefined;
  for (const frame of stack) {
    if (frame.functionName === '(garbage collector)') return 'GC';
    const file = fileOf(frame.url);
    const rule = RULES.find((r) => r.test(file));
    if (rule) return transport && file.startsWith('bench/baselines/') ? transport.inBaseline : rule.stage;
    transport ??= TRANSPORT.find((t) => t.test(file));
  }
  return transport ? UNATTRIBUTED_IO : 'event loop, promises, timers';
}
