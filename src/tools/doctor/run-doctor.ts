/**
 * `handle-bot doctor`: one checklist, a line per part with ✅ / ❌ (and how to fix it) / ➖ (not
 * configured). Exit 0 when nothing is wrong, 1 otherwise. It reads the same configuration as
 * `start` and changes nothing but a probe record it deletes again.
 */
import { ConfigError, loadConfig, loadDotEnv, slackConfigured, slackHosted, type Config } from '../../ops/config.js';
import { consoleLogger } from '../../ops/logger.js';
import { registerSecret } from '../../ops/redact.js';
import { problem, type Check } from './check.js';
import { discordCheck } from './discord-check.js';
import { openDoctorBackend, secretCheck, storeCheck } from './local-checks.js';
import { mailCheck } from './mail-check.js';
import { slackCheck } from './slack-check.js';

const MARK: Record<Check['status'], string> = { ok: '✅', problem: '❌', skipped: '➖' };

export function renderCheck(check: Check): string {
  const line = `${MARK[check.status]} ${check.name}: ${check.detail}`;
  return check.fix ? `${line}\n   Fix: ${check.fix}` : line;
}

function describeConfig(config: Config): string {
  const doors = [
    slackConfigured(config) ? `Slack (${config.SLACK_APP_TOKEN ? 'Socket Mode' : 'HTTP mode'}${slackHosted(config) ? ', hosted for any workspace' : ''})` : undefined,
    config.DISCORD_TOKEN ? 'Discord' : undefined,
  ].filter(Boolean);
  return `valid; front doors: ${doors.length > 0 ? doors.join(', ') : 'none (the console only)'}; data folder ${config.DATA_DIR}`;
}

/** Any check that throws becomes a ❌ line instead of ending the checklist. */
async function guarded(name: string, run: () => Promise<Check>): Promise<Check> {
  try {
    return await run();
  } catch (error) {
    return problem(name, `the check itself failed: ${error instanceof Error ? error.message : String(error)}`, 'see the message; run again with LOG_LEVEL=debug for details');
  }
}

export async function runDoctor(output: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const print = (check: Check) => output.write(`${renderCheck(check)}\n`);
  output.write('handle-bot doctor\n\n');
  let config: Config;
  try {
    if (env === process.env) loadDotEnv();
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print(problem('Configuration', `not valid:\n${error.problems.map((p) => `     - ${p}`).join('\n')}`, 'correct these variables (environment or .env; see .env.example); the other checks need a valid configuration'));
    output.write('\n1 problem found.\n');
    return 1;
  }
  for (const secret of [config.SLACK_BOT_TOKEN, config.SLACK_APP_TOKEN, config.SLACK_SIGNING_SECRET, config.DISCORD_TOKEN,
    config.MAIL_API_BOT_TOKEN, config.HANDLE_BOT_SECRET, config.HANDLE_BOT_SECRET_PREVIOUS]) registerSecret(secret);

  const checks: Check[] = [{ status: 'ok', name: 'Configuration', detail: describeConfig(config) }];
  print(checks[0] as Check);
  const { backend, where } = await openDoctorBackend(config, consoleLogger({ ...config, LOG_LEVEL: config.LOG_LEVEL ?? 'silent' }));
  try {
    const store = await guarded('Store', () => storeCheck(config, backend, where));
    print(store);
    const secret = await guarded('Sealing secret', () => secretCheck(config, backend, where, store.status === 'ok'));
    print(secret);
    checks.push(store, secret);
  } finally {
    await backend.close();
  }
  // The remote checks are independent: ask them together, print them in order.
  const remote = await Promise.all([
    guarded('Mail service', () => mailCheck(config)),
    guarded('Slack', () => slackCheck(config)),
    guarded('Discord', () => discordCheck(config)),
  ]);
  for (const check of remote) print(check);
  checks.push(...remote);

  const problems = checks.filter((c) => c.status === 'problem').length;
  output.write(problems === 0 ? '\nEverything checked is ready.\n' : `\n${problems} problem${problems === 1 ? '' : 's'} found.\n`);
  return problems === 0 ? 0 : 1;
}


