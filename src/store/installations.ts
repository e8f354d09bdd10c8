/**
 * Slack installations (the hosted, multi-workspace mode): what Bolt's OAuth flow returns for a
 * workspace — its bot token, and with token rotation a refresh token — kept sealed exactly like
 * an API key (seal.ts), bound to the installation's id so a box copied onto another workspace's
 * record does not open. An org-wide (Enterprise Grid) install is kept under its enterprise id,
 * any other under its team id (layout.ts: the `installations` namespace).
 *
 * Also here: forgetting everything a workspace left behind when it uninstalls the app — its
 * settings, and its members' linked keys and history.
 */
import type { Backend } from './backend.js';
import { storedText, UNREADABLE_VALUE } from './codec.js';
import { describeError, type Guard } from './guard.js';
import { boundedKeyPart, identityOfHistoryKey } from './layout.js';
import { openBytes, sealBytes, SEAL_VERSION, type SealingKey } from './seal.js';
import type { Logger } from '../ops/logger.js';

/** Which installation: Bolt's InstallationQuery, reduced to what picks the record. */
export type InstallationKey = { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined };

/** An installation as Bolt hands it over: opaque here, sealed whole. */
export type InstallationRecord = Record<string, unknown>;

export type InstallationRecords = {
  save(key: InstallationKey, installation: InstallationRecord): Promise<void>;
  /** The installation, or undefined (none, or one that cannot be opened: logged). */
  fetch(key: InstallationKey): Promise<InstallationRecord | undefined>;
  /** true when one was stored. */
  remove(key: InstallationKey): Promise<boolean>;
  /**
   * Moves every installation sealed under HANDLE_BOT_SECRET_PREVIOUS to the current secret
   * (rotate-secret), so removing the previous secret afterwards leaves no workspace unable to
   * open its bot token. A record saved meanwhile (a new install) is left as it is: it is current.
   */
  resealAll(): Promise<{ resealed: number; alreadyCurrent: number; unreadable: number }>;
};

/** What forgetting one workspace removed. */
export type ScopeForgetReport = { settings: number; keys: number; histories: number };

/** The record's id: `enterprise:<id>` for an org-wide install, `team:<id>` otherwise; undefined when the key names neither. */
export function installationId(key: InstallationKey): string | undefined {
  if (key.isEnterpriseInstall === true && key.enterpriseId) return boundedKeyPart(`enterprise:${key.enterpriseId}`);
  if (key.teamId) return boundedKeyPart(`team:${key.teamId}`);
  return undefined;
}

function additionalData(id: string): Buffer {
  return Buffer.from(`handle-bot/slack-installation/v${SEAL_VERSION}\u0000${id}`, 'utf8');
}

export function createInstallationRecords(deps: { backend: Backend; guard: Guard; current: SealingKey; previous?: SealingKey | undefined; log: Logger }): InstallationRecords {
  const { backend, guard, current, log } = deps;
  const keys = deps.previous ? [current, deps.previous] : [current];
  const kv = backend.kv.installations;
  const seal = (id: string, installation: InstallationRecord) => sealBytes(Buffer.from(JSON.stringify(installation), 'utf8'), additionalData(id), current);

  async function read(id: string): Promise<InstallationRecord | undefined> {
    const stored: unknown = await kv.get(id);
    if (stored === undefined) return undefined;
    const opened = openBytes(stored === UNREADABLE_VALUE ? null : stored, additionalData(id), keys);
    if (!opened.ok) {
      log.warn({ installation: id, reason: opened.reason }, 'a Slack installation cannot be opened; the workspace must install the app again');
      return undefined;
    }
    const installation = JSON.parse(opened.plain.toString('utf8')) as InstallationRecord;
    opened.plain.fill(0);
    if (opened.kid !== current.kid) {
      // Sealed under HANDLE_BOT_SECRET_PREVIOUS: move it to the current secret now (best effort).
      await kv.set(id, seal(id, installation)).catch((error: unknown) => {
        log.warn({ error: describeError(error) }, 'could not re-seal a Slack installation under the current secret');
      });
    }
    return installation;
  }

  return {
    save(key, installation) {
      const id = installationId(key);
      if (!id) return Promise.reject(new TypeError('an installation needs a team id or, org-wide, an enterprise id'));
      return guard('saveInstallation', async () => {
        await kv.set(id, seal(id, installation));
      });
    },
    fetch(key) {
      return guard('fetchInstallation', async () => {
        const id = installationId(key);
        const found = id === undefined ? undefined : await read(id);
        if (found || !key.enterpriseId || key.isEnterpriseInstall) return found;
        // A workspace of an organisation that installed the app org-wide.
        return read(boundedKeyPart(`enterprise:${key.enterpriseId}`));
      });
    },
    remove(key) {
      const id = installationId(key);
      if (!id) return Promise.resolve(false);
      return guard('removeInstallation', () => kv.delete(id));
    },
    async resealAll() {
      const report = { resealed: 0, alreadyCurrent: 0, unreadable: 0 };
      for (const id of await guard('resealInstallations', () => backend.listKeys('installations'))) {
        // One guarded step per record: a long rotation is not one deadline.
        const outcome = await guard('resealInstallations', async () => {
          const stored: unknown = await kv.get(id);
          if (stored === undefined) return 'current'; // removed meanwhile (an uninstall)
          const opened = openBytes(stored === UNREADABLE_VALUE ? null : stored, additionalData(id), keys);
          if (!opened.ok) return 'unreadable';
          const next = opened.kid === current.kid ? undefined : sealBytes(opened.plain, additionalData(id), current);
          opened.plain.fill(0);
          if (!next) return 'current';
          // Lost to a concurrent save (a re-install): that one is sealed under the current secret.
          return (await backend.replaceIfUnchanged('installations', id, storedText(stored), storedText(next))) ? 'resealed' : 'current';
        });
        if (outcome === 'resealed') report.resealed += 1;
        else if (outcome === 'current') report.alreadyCurrent += 1;
        else report.unreadable += 1;
      }
      if (report.unreadable > 0) log.warn({ ...report }, 'some Slack installations cannot be opened with the configured secrets; those workspaces must install the app again');
      return report;
    },
  };
}

/**
 * Removes a workspace's settings (scope `slack:<team>`) and, when `identityPrefix` is given
 * (`slack:<team>:`), every linked key and history of its members. keyv has no prefix delete: the
 * namespace's keys are listed (a key range on SQL, SCAN on Redis) and filtered — an uninstall is
 * rare, and this touches nothing of other workspaces.
 */
export async function forgetScopeRecords(backend: Backend, scope: string, identityPrefix: string | undefined): Promise<ScopeForgetReport> {
  const settingsPrefix = `${boundedKeyPart(scope)}|`;
  const settings = (await backend.listKeys('settings')).filter((key) => key.startsWith(settingsPrefix));
  if (settings.length > 0) await backend.kv.settings.delete(settings);
  if (identityPrefix === undefined || identityPrefix === '') return { settings: settings.length, keys: 0, histories: 0 };
  const links = (await backend.listKeys('links')).filter((key) => key.startsWith(identityPrefix));
  if (links.length > 0) await backend.kv.links.delete(links);
  const owners = new Set<string>();
  for (const key of await backend.listKeys('history')) {
    const identity = identityOfHistoryKey(key);
    if (identity?.startsWith(identityPrefix)) owners.add(identity);
  }
  for (const identity of owners) await backend.deleteHistory(identity);
  return { settings: settings.length, keys: links.length, histories: owners.size };
}
