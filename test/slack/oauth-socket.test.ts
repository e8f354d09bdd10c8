/**
 * The hosted mode in Socket Mode: Bolt's installer server serves "Add to Slack" on its own port
 * (SLACK_INSTALLER_PORT) while events arrive over the socket; a workspace installed there is
 * served with its own token.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { startSlack, type SlackHandle } from '../../src/slack/app.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { newTriggerId, slashCommandPayload, startFakeSlack, type FakeSlack, type JsonObject } from '../fakes/slack.js';
import { APP_TOKEN, blocksText } from './harness.js';
import { installThroughOAuth } from './oauth-flow.js';

describe('"Add to Slack" in Socket Mode: the installer pages on their own port', () => {
  let slack: FakeSlack;
  let mail: FakeMailApi;
  let runtime: Runtime;
  let front: SlackHandle;
  let dataDir: string;

  beforeAll(async () => {
    slack = await startFakeSlack({ clientId: 'sock.client', clientSecret: 'sock-client-secret-1234', users: [{ id: 'UGIL', name: 'gil', team_id: 'TGAMMA' }] });
    slack.oauth.add({ teamId: 'TGAMMA', teamName: 'Gamma' });
    mail = await startFakeMailApi({ rateLimits: false });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-oauth-socket-'));
    const config = loadConfig({
      MAIL_API_URL: mail.url, STORE_URL: `sqlite://${path.join(dataDir, 'handle-bot.sqlite')}`, DATA_DIR: dataDir,
      SLACK_CLIENT_ID: 'sock.client', SLACK_CLIENT_SECRET: 'sock-client-secret-1234', SLACK_STATE_SECRET: 'sock-state-secret-0123456789',
      SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.url,
    });
    runtime = await createRuntime(config, { log: createLogger({ level: 'silent' }) });
    front = await startSlack(runtime.frontDoor, { installerPort: 0, retries: 0 });
  });

  afterAll(async () => {
    await front.stop();
    await slack.closeSockets();
    await runtime.close();
    await slack.close();
    await mail.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('installs through the installer port, then answers the workspace over the socket with its own token', async () => {
    expect(front.mode).toBe('socket');
    expect(front.installerPort).toBeGreaterThan(0);
    const run = await installThroughOAuth(slack, `http://127.0.0.1:${String(front.installerPort)}`, 'TGAMMA');
    expect(run.status).toBe(200);
    expect(run.finalPage).toContain('handle-bot is now in Gamma');

    const responseUrl = slack.newResponseUrl();
    const payload = slashCommandPayload({ team_id: 'TGAMMA', user_id: 'UGIL', channel_id: 'CGAMMA', text: 'help', response_url: responseUrl, trigger_id: newTriggerId() });
    await slack.waitForAck(slack.sendEnvelope('slash_commands', payload));
    const answer = await slack.waitForResponse((r) => r.url === responseUrl);
    expect(blocksText(answer.body.blocks as JsonObject[])).toContain('/handle');
    const [token] = slack.oauth.botTokens('TGAMMA');
    const lookup = await slack.waitForCall('users.info', (c) => c.body.user === 'UGIL');
    expect(lookup.headers.authorization).toBe(`Bearer ${String(token)}`);
  });
});
