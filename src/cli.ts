#!/usr/bin/env node
/**
 * handle-bot's command line: `start` (every front door whose credentials are configured),
 * `console`, `rotate-secret`, and the platform set-up commands.
 * Exit codes: 0 done, 1 failure, 2 configuration error.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnv, type Config } from './ops/config.js';
import { createRuntime } from './runtime.js';
import { runConsole } from './console/console.js';
import { consoleLocale } from './console/locale.js';
import { startConfigured } from './main.js';
import { slackManifestText, writeSlackManifest } from './slack/index.js';
import { commands } from '../commands/index.js';
import { registerDiscordCommands } from './discord/index.js';
import os from 'node:os';
import { pino } from 'pino';
import { createLogger } from './ops/logger.js';

const USAGE = `Usage: handle-bot <command> [options]

Commands:
  start                      run every front door whose credentials are configured
                             (the console when none is and stdin is a terminal)
  console [--user <name>] [--locale <en|pt-BR>]
                             the terminal front door; reads commands from stdin
                             (the language defaults to LANG)
  rotate-secret              re-seal every stored key under HANDLE_BOT_SECRET
                             (set HANDLE_BOT_SECRET_PREVIOUS to the old secret first)
  manifest [--request-url <url>]
                             write commands/slack-manifest.json from the command definitions;
                             with a request URL, print the HTTP-mode manifest instead
  register-discord [--guild <id>]
                             register the Discord commands (only when they changed); with a
                             server id, to that server only (instant, for development)

Configuration comes from the environment and ./.env; see .env.example.`;

function configOrExit(): Config {
  try {
    loadDotEnv();
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function consoleCommand(config: Config, user: string, locale: string | undefined): Promise<void> {
  // The console's stdout is the conversation; logs go to stderr.
  const runtime = await createRuntime(config, { log: createLogger({ level: config.LOG_LEVEL, destination: pino.destination(2) }) });
  try {
    await runConsole({ engine: runtime.frontDoor.engine, user, input: process.stdin, output: process.stdout, locale: consoleLocale(locale, process.env) });
  } finally {
    await runtime.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      user: { type: 'string' }, locale: { type: 'string' }, help: { type: 'boolean', short: 'h' }, guild: { type: 'string' }, 'request-url': { type: 'string' },
    },
  });
  const [command = 'start'] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const user = values.user ?? os.userInfo().username;
  switch (command) {
    case 'console':
      await consoleCommand(configOrExit(), user, values.locale);
      return 0;
    case 'start':
      return startConfigured(configOrExit(), { user, locale: values.locale });
    case 'rotate-secret': {
      const runtime = await createRuntime(configOrExit());
      try {
        const report = await runtime.store.rotateSecret();
        process.stdout.write(`Re-sealed ${report.resealed} key(s); ${report.alreadyCurrent} already current; ${report.unreadable} unreadable.\n`);
        return report.unreadable > 0 ? 1 : 0;
      } finally {
        await runtime.close();
      }
    }
    case 'manifest': {
      const requestUrl = values['request-url'];
      if (requestUrl) {
        // The HTTP-mode variant is the operator's own: print it, keep the committed file as it is.
        process.stdout.write(slackManifestText(commands, { socketMode: false, requestUrl }));
        return 0;
      }
      process.stdout.write(`Wrote ${await writeSlackManifest(commands)}\n`);
      return 0;
    }
    case 'register-discord': {
      const config = configOrExit();
      const guildId = values.guild ?? config.DISCORD_GUILD_ID;
      const result = await registerDiscordCommands(config, createLogger({ level: config.LOG_LEVEL, destination: pino.destination(2) }), { commands, ...(guildId ? { guildId } : {}) });
      process.stdout.write(result.changed
        ? `Registered ${result.commands} command(s) ${result.scope === 'guild' ? `in server ${guildId ?? ''}` : 'globally (may take up to an hour to appear)'}.\n`
        : `The ${result.scope === 'guild' ? 'server' : 'global'} commands are already up to date: nothing to do.\n`);
      return 0;
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`handle-bot: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
