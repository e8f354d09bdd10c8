/**
 * The Slack app manifest is generated from the command definitions and committed: this test
 * fails when commands/slack-manifest.json is stale (run `handle-bot manifest` to refresh it).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { buildSlackManifest, MANIFEST_PATH, SLACK_BOT_SCOPES, slackManifestText } from '../../src/slack/manifest.js';

describe('Slack manifest', () => {
  it('the committed commands/slack-manifest.json is what the builder makes from the command definitions', () => {
    const committed = fs.readFileSync(MANIFEST_PATH, 'utf8');
    expect(committed, 'stale manifest: run `handle-bot manifest` and commit commands/slack-manifest.json').toBe(slackManifestText(commands));
  });

  it('declares /handle with should_escape and a usage hint built from the commands, the listed scopes and no more, interactivity and Socket Mode', () => {
    const manifest = buildSlackManifest(commands) as any;
    const [slash] = manifest.features.slash_commands;
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(slash).toMatchObject({ command: '/handle', should_escape: true, url: expect.stringMatching(/^https:\/\/.+\/slack\/events$/) });
    for (const command of commands.filter((c) => c.who === 'everyone')) expect(slash.usage_hint).toContain(command.usage);
    expect(slash.usage_hint).not.toContain('admin');
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'im:write', 'users:read', 'channels:read', 'groups:read', 'channels:join']);
    expect(manifest.oauth_config.scopes.bot).toEqual([...SLACK_BOT_SCOPES]);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
    expect(manifest.settings).toMatchObject({ interactivity: { is_enabled: true }, socket_mode_enabled: true });
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
  });

  it('points the command and interactivity at a real URL for HTTP mode', () => {
    const manifest = buildSlackManifest(commands, { socketMode: false, requestUrl: 'https://bot.example.org/slack/events' }) as any;
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.interactivity.request_url).toBe('https://bot.example.org/slack/events');
    expect(manifest.features.slash_commands[0].url).toBe('https://bot.example.org/slack/events');
  });
});
