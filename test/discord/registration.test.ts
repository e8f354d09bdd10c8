/**
 * Command definitions come from commands/, and `register-discord` writes them only when the
 * remote ones differ (compare first; bulk overwrite), to one guild or globally.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { buildDiscordCommands, registerDiscordCommands, sameCommands } from '../../src/discord/index.js';
import { loadConfig } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.js';
import { GUILD, TOKEN } from './harness.js';

const quiet = createLogger({ destination: new Writable({ write: (_c, _e, done) => { done(); } }) });

let fake: FakeDiscord | undefined;
afterEach(async () => { await fake?.close(); fake = undefined; });

async function setup() {
  fake = await startFakeDiscord({ token: TOKEN, guilds: [{ id: GUILD }] });
  const config = loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
  return { fake, config };
}

const writes = (f: FakeDiscord) => f.requests.filter((r) => r.method !== 'GET' && r.path.includes('/commands'));

describe('Discord command definitions', () => {
  const [handle, admin] = buildDiscordCommands(commands);

  it('/handle has a subcommand per verb and the key group; it works in servers and in DMs with the bot', () => {
    // Guild and user installs; servers, the bot's DM, and (user-installed) other DMs and group DMs.
    expect(handle).toMatchObject({ name: 'handle', type: 1, integration_types: [0, 1], contexts: [0, 1, 2] });
    expect(handle).not.toHaveProperty('default_member_permissions');
    const options = (handle as { options: { name: string; type: number; options?: { name: string }[] }[] }).options;
    expect(options.map((o) => `${o.type}:${o.name}`)).toEqual(['1:create', '1:delete', '1:list', '1:domains', '2:key', '1:forget', '1:help']);
    expect(options.find((o) => o.name === 'key')?.options?.map((o) => o.name)).toEqual(['set', 'status', 'remove', 'request']);
    expect(options.find((o) => o.name === 'create')).toMatchObject({ options: [{ name: 'name', type: 3, required: true, min_length: 1, max_length: 64 }] });
    expect(options.find((o) => o.name === 'delete')).toMatchObject({ options: [{ name: 'name', autocomplete: true, max_length: 64 }] });
    expect(options.find((o) => o.name === 'help')).toMatchObject({ options: [{ name: 'command', type: 3, max_length: 40 }] });
  });

  it('/handle-admin: Manage Server by default, servers only, one subcommand per admin verb', () => {
    expect(admin).toMatchObject({ name: 'handle-admin', default_member_permissions: '32', contexts: [0], integration_types: [0] });
    const options = (admin as { options: { name: string; options: object[] }[] }).options;
    expect(options.map((o) => o.name)).toEqual(['notify', 'notify-off', 'announce', 'onboarding', 'key-events', 'language']);
    expect(options[0]?.options).toEqual([{ name: 'channel', description: expect.any(String), description_localizations: { 'pt-BR': expect.any(String) }, required: true, type: 7, channel_types: [0, 5] }]);
    expect(options[3]?.options).toMatchObject([{ name: 'enabled', type: 5, required: true }, { name: 'welcome', type: 3, max_length: 1000 }]);
    // The language is chosen, not typed: its values are shown as they are in every language.
    expect(options[5]?.options).toEqual([expect.objectContaining({
      name: 'language', type: 3, required: true,
      choices: [{ name: 'auto', value: 'auto' }, { name: 'en', value: 'en' }, { name: 'pt-BR', value: 'pt-BR' }],
    })]);
  });

  it('stays within Discord’s limits for names and descriptions', () => {
    const walk = (o: { name: string; description: string; options?: unknown[] }): void => {
      expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(o.description.length).toBeGreaterThan(0);
      expect(o.description.length).toBeLessThanOrEqual(100);
      for (const child of (o.options ?? []) as typeof o[]) walk(child);
    };
    for (const command of buildDiscordCommands(commands)) walk(command as never);
  });
});

describe('register-discord', () => {
  it('registers to a guild, then does nothing while the remote commands match', async () => {
    const { fake, config } = await setup();
    expect(await registerDiscordCommands(config, quiet, { guildId: GUILD, commands })).toEqual({ changed: true, scope: 'guild', commands: 2 });
    expect(writes(fake).map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /applications/${fake.applicationId}/guilds/${GUILD}/commands`]);
    expect(fake.commands(GUILD).map((c) => c.name)).toEqual(['handle', 'handle-admin']);
    // What Discord hands back carries ids, versions and defaults: still the same definitions.
    expect(sameCommands(fake.commands(GUILD), buildDiscordCommands(commands))).toBe(true);

    expect(await registerDiscordCommands(config, quiet, { guildId: GUILD, commands })).toEqual({ changed: false, scope: 'guild', commands: 2 });
    expect(writes(fake)).toHaveLength(1);
    expect(fake.commands()).toEqual([]); // nothing global
  });

  it('overwrites when a definition changed', async () => {
    const { fake, config } = await setup();
    await registerDiscordCommands(config, quiet, { commands });
    const changed = commands.map((c) => (c.verb.join(' ') === 'create' ? { ...c, description: 'Claim a brand-new handle' } : c));
    expect(await registerDiscordCommands(config, quiet, { commands: changed })).toMatchObject({ changed: true, scope: 'global' });
    expect(writes(fake).map((r) => r.method)).toEqual(['PUT', 'PUT']);
    expect(JSON.stringify(fake.commands())).toContain('Claim a brand-new handle');

    // A command registered elsewhere without the admin gate counts as different, so it is overwritten too.
    const ungated = buildDiscordCommands(commands).map((c) => ({ ...c, default_member_permissions: null }));
    expect(sameCommands(ungated, buildDiscordCommands(commands))).toBe(false);
  });

  it('uses DISCORD_GUILD_ID when no --guild is given, and refuses without credentials', async () => {
    const { fake, config } = await setup();
    expect(await registerDiscordCommands({ ...config, DISCORD_GUILD_ID: GUILD }, quiet, { commands })).toMatchObject({ scope: 'guild', changed: true });
    expect(fake.commands(GUILD)).toHaveLength(2);
    await expect(registerDiscordCommands({ ...config, DISCORD_TOKEN: undefined }, quiet, { commands })).rejects.toThrow(/DISCORD_TOKEN and DISCORD_APPLICATION_ID/);
    await expect(registerDiscordCommands(config, quiet, { guildId: 'my-server', commands })).rejects.toThrow(/numeric server id/);
  });
});
