/**
 * `handle-bot start`: every front door whose credentials are configured. With none, a person
 * at a terminal gets the console (after being told how to enable Slack/Discord); anything
 * else (a service manager, a pipe) gets a clear error listing what to set.
 */
import type { Config } from './ops/config.js';
import { createRuntime } from './runtime.js';
import { runConsole } from './console/console.js';
import { pino } from 'pino';
import { createLogger } from './ops/logger.js';

const HOW_TO_ENABLE = `No chat platform is configured. Set, in the environment or in .env:
  Slack:   SLACK_BOT_TOKEN plus SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)
  Discord: DISCORD_TOKEN and DISCORD_APPLICATION_ID
See README.md and .env.example.`;

export async function startConfigured(config: Config, options: { user: string }): Promise<number> {
  const slack = Boolean(config.SLACK_BOT_TOKEN);
  const discord = Boolean(config.DISCORD_TOKEN);
  if (!slack && !discord) {
    if (!process.stdin.isTTY) {
      process.stderr.write(`${HOW_TO_ENABLE}\nTo try the bot without a chat platform: npm run console\n`);
      return 1;
    }
    process.stderr.write(`${HOW_TO_ENABLE}\nStarting the console instead.\n\n`);
    const runtime = await createRuntime(config, { log: createLogger({ level: config.LOG_LEVEL, destination: pino.destination(2) }) });
    try {
      await runConsole({ engine: runtime.engine, user: options.user, input: process.stdin, output: process.stdout });
    } finally {
      await runtime.close();
    }
    return 0;
  }
  process.stderr.write('Slack and Discord front doors arrive with their issues; use the console for now.\n');
  return 1;
}
