import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseSecret, slackConfigured, slackHosted } from '../../src/ops/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('configuration', () => {
  it('gives every default of the design table when the environment is empty', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      MAIL_API_URL: 'https://mail.haltman.io',
      MAIL_API_TIMEOUT_MS: 15000,
      DOMAINS_CACHE_SECONDS: 300,
      STORE_URL: `sqlite://${path.join(ROOT, 'data', 'handle-bot.sqlite')}`,
      DATA_DIR: path.join(ROOT, 'data'),
      COOLDOWN_SECONDS: 5,
      ADMIN_USERS: [],
      NOTIFY_COALESCE_SECONDS: 60,
      OUTAGE_THRESHOLD: 5,
      SLACK_PORT: 3000,
      SLACK_API_URL: 'https://slack.com/api/',
      DISCORD_API_URL: 'https://discord.com/api',
      DISCORD_MEMBERS_INTENT: false,
      LOG_FORMAT: 'auto',
    });
    expect(config.HEALTH_PORT).toBeUndefined();
    expect(config.LOG_LEVEL).toBeUndefined(); // info for services, warn for the console (each decides)
  });

  it('lists every problem at once, naming the variable and never echoing a secret', () => {
    const secretish = 'not-a-valid-secret-value-123';
    let error: unknown;
    try {
      loadConfig({ MAIL_API_URL: 'ftp://x', COOLDOWN_SECONDS: 'soon', HANDLE_BOT_SECRET: secretish, ADMIN_USERS: 'bob', STORE_URL: 'mysql://db' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['MAIL_API_URL', 'COOLDOWN_SECONDS', 'HANDLE_BOT_SECRET', 'ADMIN_USERS', 'STORE_URL']) {
      expect(message).toContain(name);
    }
    expect(message).toContain('openssl rand -hex 32');
    expect(message).not.toContain(secretish);
    expect((error as ConfigError).problems.length).toBeGreaterThanOrEqual(5);
  });

  it('requires a shared secret with Redis or Postgres, and the app id next to a Discord token', () => {
    expect(() => loadConfig({ STORE_URL: 'redis://127.0.0.1:6379' })).toThrow(/HANDLE_BOT_SECRET/);
    expect(() => loadConfig({ DISCORD_TOKEN: 'x' })).toThrow(/DISCORD_APPLICATION_ID/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_APP_TOKEN|SLACK_SIGNING_SECRET/);
  });

  it('hosted Slack ("Add to Slack") needs all three OAuth values, no bot token, and a way in; STORE_PREFIX is a safe name', () => {
    const hosted = { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'client-secret-value', SLACK_STATE_SECRET: 'state-secret-0123456789' };
    const config = loadConfig({ ...hosted, SLACK_SIGNING_SECRET: 'signing' });
    expect(slackHosted(config) && slackConfigured(config)).toBe(true);
    expect(config.SLACK_INSTALLER_PORT).toBe(3001);
    expect(() => loadConfig({ SLACK_CLIENT_ID: '1.2', SLACK_SIGNING_SECRET: 'signing' })).toThrow(/SLACK_CLIENT_SECRET[\s\S]*SLACK_STATE_SECRET/);
    expect(() => loadConfig({ ...hosted, SLACK_SIGNING_SECRET: 'signing', SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_BOT_TOKEN: must be empty/);
    expect(() => loadConfig(hosted)).toThrow(/SLACK_APP_TOKEN \(Socket Mode\) or SLACK_SIGNING_SECRET/);
    expect(() => loadConfig({ ...hosted, SLACK_APP_TOKEN: 'xapp-1' })).not.toThrow();
    expect(() => loadConfig({ STORE_PREFIX: 'Bad-Name' })).toThrow(/STORE_PREFIX/);
  });

  it('parses identities, booleans and secrets in both encodings', () => {
    const hex = 'ab'.repeat(32);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({ ADMIN_USERS: 'slack:T1:U2, discord:789', DISCORD_MEMBERS_INTENT: 'true', HANDLE_BOT_SECRET: hex, HANDLE_BOT_SECRET_PREVIOUS: b64 });
    expect(config.ADMIN_USERS).toEqual(['slack:T1:U2', 'discord:789']);
    expect(config.DISCORD_MEMBERS_INTENT).toBe(true);
    expect(parseSecret(hex)?.length).toBe(32);
    expect(parseSecret(b64)?.length).toBe(32);
    expect(parseSecret('short')).toBeUndefined();
  });
});

describe('a copied .env.example', () => {
  it('loads as it is: its empty values mean unset', () => {
    const text = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const env = Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const config = loadConfig(env);
    expect(config.HEALTH_PORT).toBeUndefined();
    expect(config.LOG_LEVEL).toBeUndefined();
    expect(config.STORE_URL).toBe(`sqlite://${path.join(ROOT, 'data', 'handle-bot.sqlite')}`);
  });
});

describe('where the data lives', () => {
  it('reads DATA_DIR and a relative SQLite path from handle-bot\'s folder, whatever the working folder', () => {
    const before = process.cwd();
    try {
      process.chdir('/');
      const config = loadConfig({ DATA_DIR: 'elsewhere/state' });
      expect(config.DATA_DIR).toBe(path.join(ROOT, 'elsewhere/state'));
      // The database follows the data folder unless STORE_URL says otherwise: one folder, file and secret together.
      expect(config.STORE_URL).toBe(`sqlite://${path.join(ROOT, 'elsewhere/state/handle-bot.sqlite')}`);
      expect(loadConfig({ STORE_URL: 'sqlite://db/x.sqlite' }).STORE_URL).toBe(`sqlite://${path.join(ROOT, 'db/x.sqlite')}`);
      expect(loadConfig({ STORE_URL: 'sqlite:///var/lib/hb/x.sqlite' }).STORE_URL).toBe('sqlite:///var/lib/hb/x.sqlite');
      expect(loadConfig({ DATA_DIR: '/srv/hb' }).STORE_URL).toBe('sqlite:///srv/hb/handle-bot.sqlite');
    } finally {
      process.chdir(before);
    }
  });
});
