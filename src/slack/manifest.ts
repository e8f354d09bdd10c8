/**
 * The Slack app manifest, generated from the command definitions: paste it into
 * api.slack.com/apps → Create New App → From a manifest. `handle-bot manifest` writes it to
 * commands/slack-manifest.json, the one generated file in git; a test fails when it is stale.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from '../core/types.js';
import { CLAIM_STEP_CALLBACK_ID, claimStepDefinition } from './workflow-step.js';

/** Where Slack sends everything in HTTP mode (Bolt's default endpoint). */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * DESIGN.md's list, and no more unless an issue needs it. Onboarding needs nothing new:
 * `team_join` is delivered with users:read, the welcome DM is conversations.open (im:write) plus
 * chat:write, App Home (`app_home_opened`, views.publish) and the workflow step
 * (`function_executed`, functions.completeSuccess/completeError) need no scope at all.
 */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'channels:read', 'groups:read', 'channels:join'] as const;

/**
 * The events the app subscribes to: the Home tab opening, newcomers, the workflow step's runs, and
 * the app leaving a workspace (uninstalled, or its token revoked: what the workspace left is removed).
 */
export const SLACK_BOT_EVENTS = ['app_home_opened', 'app_uninstalled', 'function_executed', 'team_join', 'tokens_revoked'] as const;

export const SLASH_COMMAND = '/handle';
export const MANIFEST_PATH = 'commands/slack-manifest.json';
/** Replaced by the operator's public URL in HTTP mode; ignored while Socket Mode is on. */
export const REQUEST_URL_PLACEHOLDER = `https://handle-bot.example.com${SLACK_EVENTS_PATH}`;

export type SlackManifestOptions = {
  /** App name (≤35 characters) and bot user name (a-z, 0-9, - _ .). */
  name?: string;
  botName?: string;
  /** Socket Mode (default) needs no public URL; HTTP mode sends everything to `requestUrl`. */
  socketMode?: boolean;
  requestUrl?: string;
  /**
   * Where Slack sends an installer back in the hosted "Add to Slack" mode (`/slack/oauth_redirect`).
   * Default in HTTP mode: next to the request URL; in Socket Mode: none unless given (the installer
   * server on SLACK_INSTALLER_PORT).
   */
  redirectUrl?: string;
};

/** Where Bolt's installer answers Slack's redirect (src/slack/oauth.ts). */
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

/** The usage hint Slack shows while typing `/handle`: the everyday verbs (admins have help). */
export function slackUsageHint(commands: readonly Command[]): string {
  const hint = commands.filter((c) => c.who === 'everyone').map((c) => c.usage).join(' | ');
  return hint.length <= 1000 ? hint : `${hint.slice(0, 999)}…`;
}

export function buildSlackManifest(commands: readonly Command[], options: SlackManifestOptions = {}): Record<string, unknown> {
  const name = options.name ?? 'handle-bot';
  const requestUrl = options.requestUrl ?? REQUEST_URL_PLACEHOLDER;
  const socketMode = options.socketMode ?? true;
  const redirectUrl = options.redirectUrl ?? (options.requestUrl && !socketMode ? new URL(OAUTH_REDIRECT_PATH, options.requestUrl).href : undefined);
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Claim an e-mail handle on the mail-forwarding service with your own API key',
      long_description:
        'Link your own mail-forwarding API key once (privately, in a dialog; it is stored encrypted and never shown again), ' +
        'then claim handles from any channel with /handle create <name>: the handle is reserved on every domain of the service ' +
        'and its mail is forwarded to you. Also: list and delete your handles, see the domains, ask the service for a new key. ' +
        'Your key and recent handles are on the app\'s Home tab. Workspace admins choose where admin notifications go, ' +
        'whether new handles are announced, and whether newcomers get a welcome message. Workflow Builder gets a step, ' +
        '"Claim an e-mail handle", that claims a handle for the person running the workflow with their own key. Type /handle help.',
      background_color: '#2c2d30',
    },
    features: {
      bot_user: { display_name: options.botName ?? name, always_online: true },
      slash_commands: [
        {
          command: SLASH_COMMAND,
          url: requestUrl,
          description: 'Claim and manage your e-mail handles',
          usage_hint: slackUsageHint(commands),
          // Channels arrive as <#C123|name>, so `admin notify #channel` gets an id, not a name.
          should_escape: true,
        },
      ],
      // The Home tab shows the person's key and handles; the read-only Messages tab holds the welcome DM.
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
    },
    oauth_config: { ...(redirectUrl ? { redirect_urls: [redirectUrl] } : {}), scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      // Socket Mode receives events over its socket; only HTTP mode has a URL for Slack to verify.
      event_subscriptions: { ...(socketMode ? {} : { request_url: requestUrl }), bot_events: [...SLACK_BOT_EVENTS] },
      interactivity: { is_enabled: true, request_url: requestUrl },
      // Custom workflow steps need an org-ready app whose functions run on our own server.
      org_deploy_enabled: true,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
      function_runtime: 'remote',
    },
    // The Workflow Builder step "Claim an e-mail handle" (app.function in workflow-step.ts).
    functions: { [CLAIM_STEP_CALLBACK_ID]: claimStepDefinition() },
  };
}

/** The file's exact text: pretty JSON and a final newline. */
export function slackManifestText(commands: readonly Command[], options: SlackManifestOptions = {}): string {
  return `${JSON.stringify(buildSlackManifest(commands, options), null, 2)}\n`;
}

/** Writes the manifest of `commands` (default commands/slack-manifest.json, relative to the working directory); returns the path. */
export async function writeSlackManifest(commands: readonly Command[], path: string = MANIFEST_PATH, options: SlackManifestOptions = {}): Promise<string> {
  await writeFile(path, slackManifestText(commands, options), 'utf8');
  return path;
}
