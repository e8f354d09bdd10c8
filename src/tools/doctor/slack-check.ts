/**
 * The doctor's check of Slack: the bot token works (`auth.test`), the scopes Slack granted cover
 * the manifest's, and in Socket Mode the app-level token may open a connection.
 */
import { slackHosted, type Config } from '../../ops/config.js';
import { SLACK_BOT_SCOPES } from '../../slack/manifest.js';
import { httpCall, ok, problem, skipped, type Check } from './check.js';

const NAME = 'Slack';

async function slackCall(config: Config, method: string, token: string) {
  return httpCall(`${config.SLACK_API_URL.replace(/\/?$/, '/')}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

export async function slackCheck(config: Config): Promise<Check> {
  if (!config.SLACK_BOT_TOKEN && slackHosted(config)) return skipped(NAME, 'hosted "Add to Slack" mode: each workspace\'s token is granted and checked when it installs the app');
  if (!config.SLACK_BOT_TOKEN) return skipped(NAME, 'not configured (SLACK_BOT_TOKEN is empty)');
  const answer = await slackCall(config, 'auth.test', config.SLACK_BOT_TOKEN);
  if (answer.kind === 'failed') {
    return problem(NAME, `could not reach Slack at SLACK_API_URL (${config.SLACK_API_URL}): ${answer.reason}`, 'check SLACK_API_URL and this host\'s network access to it');
  }
  const body = (answer.json ?? {}) as { ok?: unknown; error?: unknown; team?: unknown; user?: unknown };
  if (body.ok !== true) {
    const error = typeof body.error === 'string' ? body.error : `HTTP ${answer.status}`;
    return problem(NAME, `auth.test refused SLACK_BOT_TOKEN (${error})`,
      'copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions; after changing scopes, reinstall the app to get a new one');
  }
  const who = `bot @${String(body.user)} in ${String(body.team)}`;
  const granted = header(answer.headers['x-oauth-scopes']);
  const missing = granted === undefined ? [] : SLACK_BOT_SCOPES.filter((s) => !granted.split(',').map((g) => g.trim()).includes(s));
  if (missing.length > 0) {
    return problem(NAME, `${who}, but the token lacks the scopes ${missing.join(', ')}`,
      'add them under OAuth & Permissions → Bot Token Scopes (or paste commands/slack-manifest.json again), then reinstall the app and copy the new token');
  }
  const scopes = granted === undefined ? 'Slack did not say which scopes it granted' : 'every scope of the manifest granted';
  if (config.SLACK_APP_TOKEN) {
    const socket = await slackCall(config, 'apps.connections.open', config.SLACK_APP_TOKEN);
    const socketBody = (socket.kind === 'answer' ? socket.json ?? {} : {}) as { ok?: unknown; error?: unknown };
    if (socketBody.ok !== true) {
      const why = socket.kind === 'failed' ? socket.reason : typeof socketBody.error === 'string' ? socketBody.error : `HTTP ${socket.status}`;
      return problem(NAME, `${who}; ${scopes}; but SLACK_APP_TOKEN cannot open a Socket Mode connection (${why})`,
        'turn Socket Mode on (Settings → Socket Mode) and create an app-level token with connections:write (Basic Information → App-Level Tokens)');
    }
    return ok(NAME, `${who}; ${scopes}; Socket Mode token accepted`);
  }
  return ok(NAME, `${who}; ${scopes}; HTTP mode on port ${config.SLACK_PORT} (POST /slack/events)`);
}
