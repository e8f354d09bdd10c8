/**
 * Slack workspaces coming and going in the hosted mode: an installation is stored when a
 * workspace adds the app, and when it leaves (app_uninstalled, tokens_revoked, or a token Slack
 * now refuses) everything it left is removed — the installation, the workspace's settings and
 * its members' linked keys and history — once, whichever replica hears of it first.
 */
import { slackScope } from '../domain/scope.js';
import type { Logger } from '../ops/logger.js';
import type { InstallationKey, InstallationRecord, Store } from '../store/types.js';
import { installationId } from '../store/installations.js';

/** Why a workspace is removed, as logged. */
export type GoneReason = 'app_uninstalled' | 'tokens_revoked' | 'token_refused';

/** How long "already removed" is remembered: every replica's copy of the event arrives well within it. */
const GONE_MARK_SECONDS = 3600;

const goneMark = (id: string) => `slack:gone:${id}`;

export function createWorkspaces(store: Store, log: Logger) {
  return {
    async save(key: InstallationKey, installation: InstallationRecord): Promise<void> {
      await store.installations.save(key, installation);
      const id = installationId(key);
      // Installed again after an uninstall: a later uninstall must clean up again.
      if (id) await store.releaseClaim(goneMark(id));
      log.info({ workspace: id }, 'slack workspace installed the app');
    },
    fetch: (key: InstallationKey) => store.installations.fetch(key),
    async remove(key: InstallationKey): Promise<void> {
      await store.installations.remove(key);
    },
    /** Removes what the workspace left; true when this call did it (false: another delivery or replica did). */
    async gone(key: InstallationKey, reason: GoneReason): Promise<boolean> {
      const id = installationId(key);
      if (!id) return false;
      if (!(await store.claimOnce(goneMark(id), GONE_MARK_SECONDS))) {
        log.info({ workspace: id, reason }, 'slack workspace already removed (another delivery or replica did it)');
        return false;
      }
      const installation = await store.installations.remove(key);
      const orgWide = key.isEnterpriseInstall === true && key.enterpriseId !== undefined;
      const owner = orgWide ? key.enterpriseId : key.teamId;
      // Members' identities are `slack:<enterprise or team>:<user>`: a single workspace of an
      // organisation shares its members' identities with the organisation's other workspaces, so
      // only an org-wide uninstall, or a workspace outside any organisation, takes their keys along.
      const identityPrefix = orgWide || !key.enterpriseId ? `slack:${owner ?? ''}:` : undefined;
      const removed = await store.forgetScope(slackScope(owner ?? ''), identityPrefix);
      log.warn({ workspace: id, reason, installation, ...removed }, 'slack workspace removed: its installation, settings and members\' keys are deleted');
      return true;
    },
  };
}

export type Workspaces = ReturnType<typeof createWorkspaces>;
