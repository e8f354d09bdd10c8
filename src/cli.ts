#!/usr/bin/env node
/**
 * handle-bot's command line: `start` (every front door whose credentials are configured),
 * `console`, `demo`, `doctor`, `export`/`import`, `rotate-secret`, and the platform set-up
 * commands. Exit codes: 0 done, 1 failure, 2 configuration error.
 *
 * Each command imports what it needs when it runs: the console never loads Bolt or
 * discord.js, and only `demo` loads the demo mail service.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnv, slackConfigured, type Config } from './ops/config.js';
import { consoleLogger, createLogger } from './ops/logger.js';
import { installProcessGuard } from './ops/process-guard.js';
import { SecretMismatchError } from './store/secret-check.js';

const USAGE = `Usage: handle-bot <command> [options]

Commands:
  start                      run every front door whose credentials are configured
                             (the console when none is and stdin is a terminal)
  console [--user <name>] [--locale <en|pt-BR>]
                             the terminal front door; reads commands from stdin
                             (the language defaults to LANG)
  demo [--user <name>]       the console against a demo mail service on this machine,
                             with a throw-away store: try every command, nothing is sent anywhere
  doctor                     check the configuration, store, secret, mail service, Slack and
                             Discord; prints a checklist with a fix for each problem
  export [--output <file>]   write every stored record (keys stay sealed) as NDJSON (default: stdout)
  import [--input <file>]    load an export into the store named by STORE_URL (default: stdin);
                             running it twice changes nothing
  rotate-secret              re-seal every stored key under HANDLE_BOT_SECRET
                             (set HANDLE_BOT_SECRET_PREVIOUS to the old secret first)
  manifest [--request-url <url>] [--redirect-url <url>]
                             write commands/slack-manifest.json from the command definitions;
                             with a request URL, print the HTTP-mode manifest instead (its OAuth
                             redirect URL next to it); --redirect-url sets the "Add to Slack" one
  register-discord [--guild <id>] [--remove]
                             register the Discord commands (only when they changed); with a
                             server id, to that server only (instant, for development);
                             --remove deletes that server's commands again

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

/** The long-running commands outlive whatever escapes one request (see ops/process-guard). */
function guardProcess(config: Config, logsTo: 1 | 2): Config {
  installProcessGuard({ log: logsTo === 2 ? consoleLogger(config) : createLogger({ level: config.LOG_LEVEL ?? 'info', fd: 1, format: config.LOG_FORMAT }) });
  return config;
}

async function consoleCommand(config: Config, user: string, locale: string | undefined): Promise<number> {
  const [{ createRuntime }, { runConsole }, { noMetrics }] = await Promise.all([import('./runtime.js'), import('./console/console.js'), import('./ops/no-metrics.js')]);
  const { consoleLocale } = await import('./console/locale.js');
  // The console's stdout is the conversation; logs go to stderr. It serves no /metrics.
  const runtime = await createRuntime(config, { log: consoleLogger(config), metrics: noMetrics() });
  // At info (the console logs warnings only unless LOG_LEVEL says otherwise): when start-up ends, for bench/startup.ts.
  runtime.log.info('console ready');
  try {
    await runConsole({ engine: runtime.frontDoor.engine, user, input: process.stdin, output: process.stdout, locale: consoleLocale(locale, process.env) });
  } finally {
    await runtime.close();
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      user: { type: 'string' }, locale: { type: 'string' }, help: { type: 'boolean', short: 'h' }, guild: { type: 'string' }, 'request-url': { type: 'string' }, 'redirect-url': { type: 'string' },
      output: { type: 'string', short: 'o' }, input: { type: 'string', short: 'i' }, remove: { type: 'boolean' },
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
      return consoleCommand(guardProcess(configOrExit(), 2), user, values.locale);
    case 'start': {
      const { startConfigured } = await import('./main.js');
      const config = configOrExit();
      // With no platform configured, start opens the console, whose stdout is the conversation.
      return startConfigured(guardProcess(config, slackConfigured(config) || config.DISCORD_TOKEN ? 1 : 2), { user, locale: values.locale });
    }
    case 'demo': {
      const [{ runDemo }, { consoleLocale }] = await Promise.all([import('./tools/demo/run-demo.js'), import('./console/locale.js')]);
      return runDemo(configOrExit(), { user, locale: consoleLocale(values.locale, process.env), input: process.stdin, output: process.stdout });
    }
    case 'doctor': {
      // The doctor reads the configuration itself: a broken one is its first ❌, not an exit.
      const { runDoctor } = await import('./tools/doctor/run-doctor.js');
      return runDoctor(process.stdout);
    }
    case 'export': {
      const { exportCommand } = await import('./tools/transfer/commands.js');
      return exportCommand(configOrExit(), values.output);
    }
    case 'import': {
      const { importCommand } = await import('./tools/transfer/commands.js');
      return importCommand(configOrExit(), values.input);
    }
    case 'rotate-secret': {
      const { rotateSecretCommand } = await import('./tools/rotate-secret.js');
      return rotateSecretCommand(configOrExit());
    }
    case 'manifest': {
      const [{ slackManifestText, writeSlackManifest }, { commands }] = await Promise.all([import('./slack/index.js'), import('../commands/index.js')]);
      const requestUrl = values['request-url'];
      const redirectUrl = values['redirect-url'];
      if (requestUrl || redirectUrl) {
        // The operator's own variant (HTTP mode, or "Add to Slack"): print it, keep the committed file as it is.
        process.stdout.write(slackManifestText(commands, { ...(requestUrl ? { socketMode: false, requestUrl } : {}), ...(redirectUrl ? { redirectUrl } : {}) }));
        return 0;
      }
      process.stdout.write(`Wrote ${await writeSlackManifest(commands)}\n`);
      return 0;
    }
    case 'register-discord': {
      const { registerDiscordCommand } = await import('./tools/register-discord.js');
      return registerDiscordCommand(configOrExit(), values.guild, values.remove === true);
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    if (error instanceof SecretMismatchError) {
      // A configuration problem with its own explanation (what was found, what to set).
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`handle-bot: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
