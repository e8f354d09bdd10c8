/**
 * The hosted, multi-workspace mode end to end: two fake workspaces install the app through
 * Bolt's real OAuth flow (install page, consent, `oauth.v2.access`), then use it side by side —
 * each with its own token, its own admin settings and its own notifications; token rotation
 * refreshes a token about to expire; the store holds no token or secret in clear; and when one
 * workspace uninstalls (or its token is refused), its installation, settings and members' keys
 * leave the store while the other keeps working.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../src/domain/api-key.js';
import { slackIdentity } from '../../src/domain/identity.js';
import { loadConfig } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { startSlack, type SlackHandle } from '../../src/slack/app.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { eventCallback, newTriggerId, signedPost, slashCommandForm, startFakeSlack, type FakeSlack, type SlackCall } from '../fakes/slack.js';
import { blocksText } from './harness.js';
import { installThroughOAuth } from './oauth-flow.js';

const SIGNING_SECRET = 'hosted-signing-secret-0123456789';
const CLIENT_ID = '1111.2222';
const CLIENT_SECRET = 'hosted-client-secret-5c1e7a9d0b';
const STATE_SECRET = 'hosted-state-secret-8f2d6b4a1c3e';

/** Every key and value of the store, straight from the SQLite file. */
function storeRows(file: string): Array<{ key: string; value: string }> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT key, value FROM handle_bot ORDER BY key').all() as Array<{ key: string; value: string }>;
  } finally {
    db.close();
  }
}

const keysOf = (rows: Array<{ key: string }>) => rows.map((r) => r.key).filter((k) => !k.startsWith('claims:'));

describe('"Add to Slack": two workspaces installed through OAuth, separate, and cleaned up on uninstall', () => {
  let slack: FakeSlack;
  let mail: FakeMailApi;
  let runtime: Runtime;
  let front: SlackHandle;
  let dataDir: string;
  let dbFile: string;
  let base: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      users: [
        { id: 'UADA', name: 'ada', team_id: 'TACME', is_admin: true },
        { id: 'UAMY', name: 'amy', team_id: 'TACME' },
        { id: 'UBEA', name: 'bea', team_id: 'TBETA', is_admin: true, locale: 'pt-BR' },
        { id: 'UBOB', name: 'bob', team_id: 'TBETA' },
      ],
      channels: [{ id: 'CACME', name: 'acme-admins', is_member: true }, { id: 'CBETA', name: 'beta-admins', is_member: true }],
    });
    slack.oauth.add({ teamId: 'TACME', teamName: 'Acme & <Co>' });
    // Token rotation on, with a token that expires within Bolt's 2-hour margin: the first request refreshes it.
    slack.oauth.add({ teamId: 'TBETA', teamName: 'Beta', tokenRotation: true, expiresIn: 3600 });
    mail = await startFakeMailApi({ rateLimits: false });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-oauth-'));
    dbFile = path.join(dataDir, 'handle-bot.sqlite');
    const config = loadConfig({
      MAIL_API_URL: mail.url, STORE_URL: `sqlite://${dbFile}`, DATA_DIR: dataDir, COOLDOWN_SECONDS: '0', NOTIFY_COALESCE_SECONDS: '0',
      SLACK_CLIENT_ID: CLIENT_ID, SLACK_CLIENT_SECRET: CLIENT_SECRET, SLACK_STATE_SECRET: STATE_SECRET,
      SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, LOG_LEVEL: 'debug',
    });
    const log = createLogger({ level: 'debug', destination: { write: (line: string) => { logLines.push(line); } } });
    runtime = await createRuntime(config, { log });
    front = await startSlack(runtime.frontDoor, { port: 0, host: '127.0.0.1', retries: 0 });
    base = `http://127.0.0.1:${String(front.port)}`;
  });

  afterAll(async () => {
    await front.stop();
    await runtime.close();
    await slack.close();
    await mail.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function command(team: string, user: string, channel: string, text: string) {
    const responseUrl = slack.newResponseUrl();
    const sent = await signedPost(`${base}/slack/events`, SIGNING_SECRET, slashCommandForm({ team_id: team, user_id: user, channel_id: channel, text, response_url: responseUrl, trigger_id: newTriggerId() }));
    expect(sent.status).toBe(200);
    await slack.waitFor(() => slack.responsesTo(responseUrl).length > 0);
    await front.whenIdle();
    return blocksText(slack.responsesTo(responseUrl)[0]!.body.blocks as never);
  }
  const bearer = (call: SlackCall) => String(call.headers.authorization).replace('Bearer ', '');
  const postsTo = (channel: string) => slack.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);

  it('installs two workspaces through the install page, Slack\'s consent and oauth.v2.access; the pages say what to do next', async () => {
    expect(front.hosted).toBe(true);
    const acme = await installThroughOAuth(slack, base, 'TACME');
    expect(acme.installPage).toContain('Add to Slack');
    expect(new URL(acme.authorizeUrl).pathname).toBe('/oauth/v2/authorize');
    expect(new URL(acme.authorizeUrl).searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(acme.status).toBe(200);
    // The workspace's name is escaped: a team called "Acme & <Co>" cannot inject markup.
    expect(acme.finalPage).toContain('handle-bot is now in Acme &amp; &lt;Co&gt;');
    expect(acme.finalPage).toContain('/handle help');

    const beta = await installThroughOAuth(slack, base, 'TBETA', { language: 'pt-BR,pt;q=0.9' });
    expect(beta.installPage).toContain('Adicionar ao Slack');
    expect(beta.finalPage).toContain('O handle-bot já está em Beta');
    expect(slack.callsTo('oauth.v2.access')).toHaveLength(2);
    expect(keysOf(storeRows(dbFile))).toEqual(['installations:team:TACME', 'installations:team:TBETA']);
  });

  it('a cancelled install and one whose state cookie is missing land on pages that say why', async () => {
    const cancelled = await installThroughOAuth(slack, base, 'TACME', { deny: true });
    expect(cancelled.status).toBe(400);
    expect(cancelled.finalPage).toContain('The installation was cancelled in Slack');
    const foreign = await installThroughOAuth(slack, base, 'TACME', { cookie: false, language: 'pt-BR' });
    expect(foreign.status).toBe(400);
    expect(foreign.finalPage).toContain('Este link de instalação expirou ou foi aberto em outro navegador');
    expect(foreign.finalPage).toContain('href="/slack/install"');
  });

  it('each workspace works with its own token, settings and notifications; an admin changes only their own workspace', async () => {
    for (const [team, user] of [['TACME', 'UAMY'], ['TBETA', 'UBOB']] as const) {
      await runtime.store.setKey(slackIdentity(team, user), mail.newKey(`${user.toLowerCase()}@example.com`) as ApiKey, { verifiedAt: Date.now(), verifyResult: 'ok' });
    }
    expect(await command('TACME', 'UADA', 'CACME', 'admin notify <#CACME|acme-admins>')).toContain('#CACME');
    expect(await command('TBETA', 'UBEA', 'CBETA', 'admin notify <#CBETA|beta-admins>')).toContain('#CBETA');
    expect(await command('TACME', 'UADA', 'CACME', 'admin announce off')).toBeTruthy();

    expect(await command('TACME', 'UAMY', 'CACME', 'create acme-one')).toContain('acme-one');
    expect(await command('TBETA', 'UBOB', 'CBETA', 'create beta-one')).toContain('beta-one');
    await front.notifications.idle();

    const [tokenA] = slack.oauth.botTokens('TACME');
    const betaTokens = slack.oauth.botTokens('TBETA');
    // Beta's first token was about to expire: Bolt refreshed it (oauth.v2.access with the refresh token) and stored the new one.
    expect(slack.callsTo('oauth.v2.access').filter((c) => c.body.grant_type === 'refresh_token')).toHaveLength(1);
    expect(betaTokens).toHaveLength(2);
    const tokenB = betaTokens.at(-1);
    expect(postsTo('CACME').map((c) => [bearer(c), blocksText(c.body.blocks as never)])).toEqual([[tokenA, expect.stringContaining('acme-one')]]);
    expect(postsTo('CBETA').map(bearer)).toEqual([tokenB]);
    expect(blocksText(postsTo('CBETA')[0]!.body.blocks as never)).toContain('beta-one');
    // Every Web API call about a workspace's people carried that workspace's token.
    for (const call of slack.callsTo('users.info')) {
      expect(bearer(call), String(call.body.user)).toBe(String(call.body.user).startsWith('UA') ? tokenA : tokenB);
    }
    const settings = { acme: await runtime.store.getSettings('slack:TACME'), beta: await runtime.store.getSettings('slack:TBETA') };
    expect(settings.acme).toMatchObject({ notifyChannel: 'CACME', announce: false });
    expect(settings.beta).toMatchObject({ notifyChannel: 'CBETA', announce: true });
  });

  it('the store holds no bot token, refresh token, client secret or state secret in clear (rows and raw file)', () => {
    const secrets = [...slack.oauth.secretsOf('TACME'), ...slack.oauth.secretsOf('TBETA'), CLIENT_SECRET, STATE_SECRET];
    expect(secrets.filter((s) => s.startsWith('xoxe-')).length).toBeGreaterThan(0);
    const rows = JSON.stringify(storeRows(dbFile));
    const raw = ['', '-wal'].map((suffix) => (fs.existsSync(dbFile + suffix) ? fs.readFileSync(dbFile + suffix).toString('latin1') : '')).join('');
    for (const secret of secrets) {
      expect(rows.includes(secret), `${secret.slice(0, 6)}… in the rows`).toBe(false);
      expect(raw.includes(secret), `${secret.slice(0, 6)}… in the file`).toBe(false);
    }
    expect(logLines.join('\n')).not.toMatch(/xox[be]-/);
  });

  it('app_uninstalled removes that workspace\'s installation, settings and members\' keys, once; the other keeps working', async () => {
    const before = keysOf(storeRows(dbFile));
    console.log(`store before uninstalling TACME:\n  ${before.join('\n  ')}`);
    expect(before).toEqual(expect.arrayContaining(['installations:team:TACME', 'links:slack:TACME:UAMY', 'settings:slack:TACME|notifyChannel']));

    const body = eventCallback({ type: 'app_uninstalled' }, { team_id: 'TACME' });
    expect((await signedPost(`${base}/slack/events`, SIGNING_SECRET, body)).status).toBe(200);
    // Slack retries an event it thinks failed: the copy changes nothing.
    expect((await signedPost(`${base}/slack/events`, SIGNING_SECRET, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    await front.whenIdle();

    const after = keysOf(storeRows(dbFile));
    console.log(`store after uninstalling TACME:\n  ${after.join('\n  ')}`);
    expect(after.filter((k) => k.includes('TACME'))).toEqual([]);
    expect(after).toEqual(expect.arrayContaining(['installations:team:TBETA', 'links:slack:TBETA:UBOB', 'settings:slack:TBETA|notifyChannel']));
    expect(after.some((k) => k.startsWith('history:slack:TBETA:UBOB|'))).toBe(true);
    const removed = logLines.filter((l) => l.includes('slack workspace removed'));
    expect(removed).toHaveLength(1);
    expect(removed[0]).toContain('"reason":"app_uninstalled"');

    expect(await command('TBETA', 'UBOB', 'CBETA', 'list')).toContain('beta-one');
  });

  it('a token Slack refuses during a command (the uninstall event was lost) removes that workspace the same way, once', async () => {
    slack.oauth.revoke('TBETA');
    const responseUrl = slack.newResponseUrl();
    await signedPost(`${base}/slack/events`, SIGNING_SECRET, slashCommandForm({ team_id: 'TBETA', user_id: 'UBOB', channel_id: 'CBETA', text: 'key set', response_url: responseUrl, trigger_id: newTriggerId() }));
    await slack.waitFor(() => logLines.some((l) => l.includes('slack workspace removed') && l.includes('token_refused')));
    await front.whenIdle();
    expect(keysOf(storeRows(dbFile)).filter((k) => k.includes('TBETA'))).toEqual([]);
    expect(logLines.filter((l) => l.includes('slack workspace removed'))).toHaveLength(2);
  });
});
