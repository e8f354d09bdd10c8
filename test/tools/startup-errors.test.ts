/**
 * Set-up mistakes explained: start-up network failures name the service and the variable,
 * `register-discord --guild 12` says the id is too short, Discord's "Missing Access" says what
 * is wrong, and `--remove` deletes a server's commands (which otherwise show twice next to the
 * global ones).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/ops/config.js';
import { explainStartupError } from '../../src/ops/startup-errors.js';
import { guildIdProblem, registerDiscordCommand } from '../../src/tools/register-discord.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord.js';

const TOKEN = 'fake.bot.token';
const GUILD = '1200000000000000012';
let discord: FakeDiscord;

async function captured(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { out.push(String(c)); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => { err.push(String(c)); return true; });
  try {
    return { code: await run(), out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeAll(async () => {
  discord = await startFakeDiscord({ token: TOKEN, guilds: [{ id: GUILD, channels: [{ id: '1300000000000000013', name: 'general' }] }] });
});
afterAll(async () => {
  await discord.close();
});

const config = () => loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl, LOG_LEVEL: 'silent' });

describe('start-up errors', () => {
  it('an unreachable Slack or Discord names the variable and the reason, not "fetch failed"', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4567'), { code: 'ECONNREFUSED', port: 4567 });
    const slackError = Object.assign(new Error('A request error occurred: fetch failed'), {
      code: 'slack_webapi_request_error', original: new TypeError('fetch failed', { cause: refused }),
    });
    const settings = loadConfig({ SLACK_API_URL: 'http://127.0.0.1:4567/api/', DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1100000000000000001', DISCORD_API_URL: 'http://127.0.0.1:4567/api' });
    expect(explainStartupError(slackError, settings)).toBe('could not reach Slack at SLACK_API_URL (http://127.0.0.1:4567/api/): ECONNREFUSED. Check the URL and this host\'s network access to it.');
    expect(explainStartupError(refused, settings)).toMatch(/^could not reach Discord at DISCORD_API_URL \(http:\/\/127\.0\.0\.1:4567\/api\): ECONNREFUSED/);
    const badToken = Object.assign(new Error('An API error occurred: invalid_auth'), { code: 'slack_webapi_platform_error', data: { ok: false, error: 'invalid_auth' } });
    expect(explainStartupError(badToken, settings)).toMatch(/^Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/);
  });
});

describe('register-discord', () => {
  it('--guild 12 is refused as too short to be a server id', async () => {
    expect(guildIdProblem('12')).toMatch(/^--guild 12 is too short to be a server id: Discord server ids have 17 to 20 digits/);
    expect(guildIdProblem('my-server')).toMatch(/is not a server id: a server id is only digits/);
    const run = await captured(() => registerDiscordCommand(config(), '12'));
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/too short/);
    expect(discord.commands(GUILD)).toHaveLength(0);
  });

  it('"Missing Access" explains the application id or the bot\'s membership', async () => {
    const run = await captured(() => registerDiscordCommand(config(), '1299999999999999999'));
    expect(run.code).toBe(1);
    expect(run.err).toContain('Discord answered "Missing Access" for the commands of server 1299999999999999999. Either DISCORD_APPLICATION_ID');
    expect(run.err).toContain('or the bot is not a member of server 1299999999999999999: invite it with https://discord.com/oauth2/authorize?client_id=');
  });

  it('--remove deletes the server-only commands registered while developing', async () => {
    expect((await captured(() => registerDiscordCommand(config(), GUILD))).out).toMatch(/^Registered \d+ command\(s\) in server/);
    expect(discord.commands(GUILD).length).toBeGreaterThan(0);
    const removed = await captured(() => registerDiscordCommand(config(), GUILD, true));
    expect(removed.out).toMatch(/^Removed handle-bot's \d+ command\(s\) from server /);
    expect(discord.commands(GUILD)).toHaveLength(0);
    expect((await captured(() => registerDiscordCommand(config(), GUILD, true))).out).toMatch(/has no handle-bot commands: nothing to do/);
  });
});
