/**
 * One complete bot process for the multi-process tests: the real runtime and the real Bolt app
 * in HTTP mode, configured from the environment-style JSON given as argv[2]. Started as
 * `node --import tsx test/slack/slack-worker.ts '<json env>'`. Speaks in lines: `ready <port>` on
 * stdout once Bolt listens; on stdin, `idle` (answered `idle` once no admin notification is
 * still being posted) and `stop` (graceful stop, then exit 0). Logs go to stderr.
 */
import readline from 'node:readline';
import { loadConfig } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { startSlack } from '../../src/slack/app.js';

const env = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const say = (line: string) => { process.stdout.write(`${line}\n`); };

const log = createLogger({ level: env.LOG_LEVEL ?? 'warn', destination: { write: (line: string) => { process.stderr.write(line); } } });
const runtime = await createRuntime(loadConfig(env), { log });
const front = await startSlack(runtime.frontDoor, { port: 0, host: '127.0.0.1', retries: 0 });
say(`ready ${String(front.port)}`);

for await (const line of readline.createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === 'idle') {
    await front.whenIdle();
    await front.notifications.idle();
    say('idle');
  } else if (command === 'stop') {
    await front.stop();
    await runtime.close();
    say('stopped');
    process.exit(0);
  }
}
