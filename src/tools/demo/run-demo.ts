/**
 * `handle-bot demo` (`npm run demo`): the console, against the faithful fake of the mail service
 * on 127.0.0.1, with a throw-away store in a temporary folder and a demo API key offered in the
 * welcome. Every reply is marked as a demo. Nothing is sent anywhere: the configured mail
 * service, chat platforms, store and secret are all left out, and the temporary folder is
 * deleted on the way out.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderConsoleReply } from '../../console/render.js';
import { runConsole } from '../../console/console.js';
import { catalogue, type Locale } from '../../core/messages/index.js';
import type { EnginePort } from '../../core/port.js';
import type { CommandResult, Reply } from '../../core/types.js';
import type { Config } from '../../ops/config.js';
import { consoleLogger } from '../../ops/logger.js';
import { createRuntime } from '../../runtime.js';
import { startFakeMailApi } from './fake-mail-api/index.js';

/** Fixed, so the README and scripts can use it; it opens nothing but the demo service. */
export const DEMO_API_KEY = 'de305e0a'.repeat(8);
export const DEMO_DOMAINS = ['demo.example', 'demo-mail.example'];
const TAKEN_HANDLE = 'admin';

/** The configuration with everything that could reach the outside replaced or removed. */
function demoConfig(config: Config, mailUrl: string, dir: string): Config {
  return {
    ...config,
    MAIL_API_URL: mailUrl,
    MAIL_API_BOT_TOKEN: undefined,
    STORE_URL: `sqlite://${path.join(dir, 'demo.sqlite')}`,
    DATA_DIR: dir,
    // A throw-away secret: nothing to back up, and no "generated a secret" warning.
    HANDLE_BOT_SECRET: randomBytes(32).toString('hex'),
    HANDLE_BOT_SECRET_PREVIOUS: undefined,
    SLACK_BOT_TOKEN: undefined, SLACK_APP_TOKEN: undefined, SLACK_SIGNING_SECRET: undefined,
    DISCORD_TOKEN: undefined, DISCORD_APPLICATION_ID: undefined,
    HEALTH_PORT: undefined,
    // No pause between claims: a demo is for trying things one after another.
    COOLDOWN_SECONDS: 0,
  };
}

/** The engine port with every reply marked as a demo: nothing a demo says can pass for the real service. */
function markedEngine(engine: EnginePort): EnginePort {
  const markedAsDemo = (reply: Reply): Reply => ({ ...reply, title: [catalogue(reply.locale).demoMark, ...reply.title] });
  const mark = (result: CommandResult): CommandResult => ({ ...result, replies: result.replies.map(markedAsDemo) });
  return {
    ...engine,
    dispatch: async (invocation, verb, args) => mark(await engine.dispatch(invocation, verb, args)),
    dispatchLine: async (invocation, line) => mark(await engine.dispatchLine(invocation, line)),
  };
}

export async function runDemo(
  config: Config,
  io: { user: string; locale?: Locale | undefined; input: NodeJS.ReadableStream & { isTTY?: boolean }; output: NodeJS.WritableStream },
): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handle-bot-demo-'));
  const api = await startFakeMailApi({ domains: DEMO_DOMAINS });
  try {
    api.addKey(DEMO_API_KEY, `${io.user}@people.example`);
    api.takeHandle(TAKEN_HANDLE);
    const settings = demoConfig(config, api.url, dir);
    const runtime = await createRuntime(settings, { log: consoleLogger(settings) });
    try {
      const welcome = catalogue(io.locale).demoWelcomeReply({ apiKey: DEMO_API_KEY, domains: DEMO_DOMAINS, takenHandle: TAKEN_HANDLE });
      for (const line of renderConsoleReply(welcome, 1)) io.output.write(`${line}\n`);
      await runConsole({ engine: markedEngine(runtime.frontDoor.engine), user: io.user, input: io.input, output: io.output, locale: io.locale });
    } finally {
      await runtime.close();
    }
  } finally {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}
