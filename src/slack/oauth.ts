/**
 * The hosted, multi-workspace mode: Bolt's own OAuth ("Add to Slack"). Any workspace installs
 * the app from `/slack/install`; Slack sends the installer back to `/slack/oauth_redirect`, where
 * Bolt exchanges the code (`oauth.v2.access`) and hands the installation to the store below,
 * which keeps it sealed through the engine port. For each request Bolt's authorize then fetches
 * that workspace's bot token (refreshing it first when token rotation is on and it is about to
 * expire). In HTTP mode the pages are served by the same server as `/slack/events`; in Socket
 * Mode by Bolt's installer server on SLACK_INSTALLER_PORT.
 */
import type { Installation, InstallationQuery, InstallationStore, InstallProviderOptions } from '@slack/bolt';
import type { EnginePort } from '../core/port.js';
import { obj, str } from '../domain/untyped.js';
import type { Config } from '../ops/config.js';
import type { Logger } from '../ops/logger.js';
import { registerSecret } from '../ops/redact.js';
import { renderInstallPage, sendInstalledPage, sendInstallFailedPage } from './install-pages.js';
import { OAUTH_REDIRECT_PATH, SLACK_BOT_SCOPES } from './manifest.js';

export { OAUTH_REDIRECT_PATH };
export const INSTALL_PATH = '/slack/install';

/** The workspace (or organisation) an installation or a query names. */
function keyOf(source: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined }) {
  return { teamId: source.teamId, enterpriseId: source.enterpriseId, isEnterpriseInstall: source.isEnterpriseInstall };
}

/** Tokens read back from the store are scrubbed from every log line, like the configured ones. */
function registerTokens(installation: Installation): void {
  registerSecret(installation.bot?.token);
  registerSecret(installation.bot?.refreshToken);
  registerSecret(installation.user.token);
  registerSecret(installation.user.refreshToken);
}

/** Bolt's InstallationStore over the engine port (the front door never touches the store itself). */
export function portInstallationStore(engine: Pick<EnginePort, 'workspaces'>): InstallationStore {
  return {
    async storeInstallation(installation) {
      registerTokens(installation);
      await engine.workspaces.save(keyOf({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: installation.isEnterpriseInstall }), { ...installation });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await engine.workspaces.fetch(keyOf(query));
      // Bolt's authorize turns this into "not authorized": no listener runs for a workspace that never installed.
      if (!found) throw new Error(`no installation for this workspace (team ${query.teamId ?? '-'}, enterprise ${query.enterpriseId ?? '-'})`);
      const installation = found as unknown as Installation;
      registerTokens(installation);
      return installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await engine.workspaces.remove(keyOf(query));
    },
  };
}

/** The bot token of a workspace, for posts no request carries a token for (admin notifications). */
export async function workspaceToken(engine: Pick<EnginePort, 'workspaces'>, teamId: string): Promise<string | undefined> {
  const found = await engine.workspaces.fetch({ teamId });
  return str(obj(found?.bot)?.token);
}

function failureReason(code: string | undefined): 'cancelled' | 'expired' | 'failed' {
  if (code === 'slack_oauth_installer_authorization_error') return 'cancelled';
  if (code === 'slack_oauth_invalid_state' || code === 'slack_oauth_missing_state') return 'expired';
  return 'failed';
}

/** What HTTPReceiver and SocketModeReceiver take to run Bolt's OAuth (installerOptions.clientOptions: Slack's API URL, retries). */
export function hostedOAuthOptions(deps: {
  engine: Pick<EnginePort, 'workspaces'>;
  config: Config;
  log: Logger;
  clientOptions: NonNullable<InstallProviderOptions['clientOptions']>;
  /** Socket Mode only: where Bolt's installer server listens. */
  installerPort?: number;
}) {
  const { config, log } = deps;
  return {
    clientId: config.SLACK_CLIENT_ID ?? '',
    clientSecret: config.SLACK_CLIENT_SECRET ?? '',
    stateSecret: config.SLACK_STATE_SECRET ?? '',
    scopes: [...SLACK_BOT_SCOPES],
    installationStore: portInstallationStore(deps.engine),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: OAUTH_REDIRECT_PATH,
      // The state travels in a cookie and the URL, signed with SLACK_STATE_SECRET: any replica checks it.
      stateVerification: true,
      directInstall: false,
      renderHtmlForInstallPath: renderInstallPage,
      // GovSlack and tests: the authorize page lives next to the Web API (https://slack.com/api/ → https://slack.com/oauth/v2/authorize).
      authorizationUrl: new URL('../oauth/v2/authorize', config.SLACK_API_URL).href,
      clientOptions: deps.clientOptions,
      ...(deps.installerPort === undefined ? {} : { port: deps.installerPort }),
      callbackOptions: {
        success: (installation: Installation, _options: unknown, req: Parameters<typeof sendInstalledPage>[0], res: Parameters<typeof sendInstalledPage>[1]) => {
          const workspace = installation.team?.name ?? installation.enterprise?.name ?? installation.team?.id ?? installation.enterprise?.id ?? 'Slack';
          sendInstalledPage(req, res, workspace);
        },
        failure: (error: { code?: string; message: string }, _options: unknown, req: Parameters<typeof sendInstalledPage>[0], res: Parameters<typeof sendInstalledPage>[1]) => {
          const reason = failureReason(error.code);
          log.warn({ code: error.code, reason }, 'slack: an installation did not finish');
          sendInstallFailedPage(req, res, reason, INSTALL_PATH);
        },
      },
    },
  };
}
