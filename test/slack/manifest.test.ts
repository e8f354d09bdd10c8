/**
 * The Slack app manifest is generated from the command definitions and committed: this test
 * fails when commands/slack-manifest.json is stale (run `handle-bot manifest` to refresh it).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { buildSlackManifest, MANIFEST_PATH, SLACK_BOT_SCOPES, slackManifestText } from '../../src/slack/manifest.js';
import { startSlackHarness } from './harness.js';

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

  it('names the "Add to Slack" redirect URL: next to the request URL in HTTP mode, or as given (Socket Mode\'s installer server)', () => {
    const http = buildSlackManifest(commands, { socketMode: false, requestUrl: 'https://bot.example.org/slack/events' }) as any;
    expect(http.oauth_config.redirect_urls).toEqual(['https://bot.example.org/slack/oauth_redirect']);
    const socket = buildSlackManifest(commands, { redirectUrl: 'https://install.example.org/slack/oauth_redirect' }) as any;
    expect(socket.oauth_config.redirect_urls).toEqual(['https://install.example.org/slack/oauth_redirect']);
    expect((buildSlackManifest(commands) as any).oauth_config.redirect_urls).toBeUndefined();
  });

  it('enables App Home (Home tab, read-only Messages tab) and subscribes to the events onboarding, App Home, the step and uninstall clean-up need', () => {
    const manifest = buildSlackManifest(commands) as any;
    expect(manifest.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true });
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'app_uninstalled', 'function_executed', 'team_join', 'tokens_revoked']);
    // Socket Mode (the default) takes events over the socket; HTTP mode points them at the bot's URL.
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    const http = buildSlackManifest(commands, { socketMode: false, requestUrl: 'https://bot.example.org/slack/events' }) as any;
    expect(http.settings.event_subscriptions).toEqual({ request_url: 'https://bot.example.org/slack/events', bot_events: ['app_home_opened', 'app_uninstalled', 'function_executed', 'team_join', 'tokens_revoked'] });
  });

  it('declares the Workflow Builder step with what Slack requires for custom steps: org-ready, remote function runtime', () => {
    const manifest = buildSlackManifest(commands) as any;
    expect(manifest.settings).toMatchObject({ org_deploy_enabled: true, function_runtime: 'remote' });
    expect(manifest._metadata.major_version).toBe(1);
    expect(Object.keys(manifest.functions)).toEqual(['claim_handle']);
    const step = manifest.functions.claim_handle;
    expect(step.title).toBe('Claim an e-mail handle');
    expect(step.title.length).toBeLessThanOrEqual(255);
    expect(step.description.length).toBeGreaterThan(0);
    // Schema version 1: each parameter flat under its name, with is_required.
    expect(step.input_parameters).toEqual({
      handle: expect.objectContaining({ type: 'string', name: 'handle', is_required: true }),
      interactivity: expect.objectContaining({ type: 'slack#/types/interactivity', name: 'interactivity', is_required: true }),
    });
    // No input names a user: who the step acts for comes only from the interactivity input.
    expect(Object.values(step.input_parameters).map((p: any) => p.type)).not.toContain('slack#/types/user_id');
    expect(step.output_parameters).toEqual({
      handle: expect.objectContaining({ type: 'string', name: 'handle', is_required: true }),
      addresses: expect.objectContaining({ type: 'string', name: 'addresses', is_required: true }),
    });
  });

  it('the step the manifest declares is the one the app listens for', async () => {
    const h = await startSlackHarness();
    try {
      const [callbackId] = Object.keys((buildSlackManifest(commands) as any).functions);
      const run = await h.runStep({ handle: 'x', interactivity: { interactor: { id: 'UALICE', secret: 's' }, interactivity_pointer: 'p' } }, { callbackId: callbackId! });
      // Handled (no key linked, so it fails readably), not left running.
      const end = await h.stepEnd(run.executionId);
      expect(end.body.error).toContain('you have not linked a mail-service API key');
    } finally {
      await h.close();
    }
  });
});
