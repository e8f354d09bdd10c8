/**
 * The Store the engine uses, over any Backend: sealed links, settings, history, claims.
 * Every method runs under the guard (deadline + StorageUnavailableError); sealing problems are
 * outcomes ('unreadable'), never errors.
 */
import type { Logger } from '../ops/logger.js';
import type { Backend } from './backend.js';
import { storedText, UNREADABLE_VALUE } from './codec.js';
import { createClaimJournal } from './claims.js';
import { describeError, type Guard } from './guard.js';
import { createInstallationRecords, forgetScopeRecords } from './installations.js';
import { inspectSealing } from './sealing-inspection.js';
import { createIntentRecords } from './intents.js';
import { boundedKeyPart, historyKey, linkKey, settingsKey } from './layout.js';
import { type LinkMeta, type LinkRecord, openLinkRecord, recordView, sealLinkRecord } from './link-record.js';
import type { SealedPayload, SealingKey } from './seal.js';
import { DEFAULT_SETTINGS, type HistoryEntry, type KeyRecordView, type OpenedKey, type RotationReport, type Settings, type Store } from './types.js';

const HISTORY_STATUSES = new Set(['claimed', 'deleted', 'unconfirmed', 'pending']);
const SETTINGS_FIELDS = ['notifyChannel', 'announce', 'onboarding', 'welcomeText', 'keyEvents', 'language'] as const;
type SettingsField = (typeof SETTINGS_FIELDS)[number];
const FIELD_TYPE: Record<SettingsField, 'string' | 'boolean'> = {
  notifyChannel: 'string',
  announce: 'boolean',
  onboarding: 'boolean',
  welcomeText: 'string',
  keyEvents: 'boolean',
  language: 'string',
};
/** A settings key nothing writes: reading it is the cheapest real round trip to the backend. */
const READINESS_PROBE_KEY = 'readiness|probe';
/** Attempts of a compare-and-swap loop before giving up to a busier writer. */
const SWAP_ATTEMPTS = 3;

/** `source`: where the current secret comes from (`HANDLE_BOT_SECRET` or the generated file), for messages. */
export type Sealing = { current: SealingKey; previous?: SealingKey; source: string };

function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (value === null || typeof value !== 'object') return false;
  const { handle, status, at, requestId } = value as Record<string, unknown>;
  return typeof handle === 'string' && typeof status === 'string' && HISTORY_STATUSES.has(status) &&
    typeof at === 'number' && Number.isFinite(at) && (requestId === undefined || typeof requestId === 'string');
}


/** How long another replica's settings change may take to be seen here. */
export const SETTINGS_CACHE_MS = 5000;
export function createKeyStore(deps: { backend: Backend; sealing: Sealing; guard: Guard; log: Logger; location: string; now?: () => number }): Store {
  const { backend, sealing, guard, log } = deps;
  const now = deps.now ?? Date.now;
  const openKeys = sealing.previous ? [sealing.current, sealing.previous] : [sealing.current];
  const links = backend.kv.links;
  let closed = false;

  /** Reads and opens one link; `stored` is the exact stored value, for a later swap. */
  async function readLink(at: string) {
    const stored: unknown = await links.get(at);
    if (stored === undefined) return { stored, opened: undefined };
    return { stored, opened: openLinkRecord(stored === UNREADABLE_VALUE ? null : stored, at, openKeys) };
  }

  /**
   * Writes `next` only if the record is still `stored`: a meta update or re-seal racing a
   * `setKey`/`removeKey` loses, so the user's last key write always wins.
   */
  function swapLink(at: string, stored: unknown, next: LinkRecord): Promise<boolean> {
    return backend.replaceIfUnchanged('links', at, storedText(stored), storedText(next));
  }

  /**
   * Settings are read on every claim (announce or not) and every admin notification, and change
   * rarely: a short cache spares the backend. A change made through this store is seen at
   * once; one made by another replica within SETTINGS_CACHE_MS.
   */
  const settingsCache = new Map<string, { settings: Settings; until: number }>();
  function cacheSettings(scope: string, settings: Settings): Settings {
    settingsCache.set(scope, { settings, until: now() + SETTINGS_CACHE_MS });
    return { ...settings };
  }

  async function readSettings(scope: string): Promise<Settings> {
    const values: unknown[] = await backend.kv.settings.get(SETTINGS_FIELDS.map((field) => settingsKey(scope, field)));
    const settings: Settings = { ...DEFAULT_SETTINGS };
    SETTINGS_FIELDS.forEach((field, index) => {
      // A damaged or foreign value falls back to the default rather than failing the command.
      if (typeof values[index] === FIELD_TYPE[field]) Object.assign(settings, { [field]: values[index] });
    });
    return settings;
  }

  function reseal(at: string, payload: SealedPayload, meta: LinkMeta): LinkRecord {
    return sealLinkRecord(at, payload, meta, sealing.current);
  }

  return {
    location: deps.location,
    ...createClaimJournal(backend, guard),
    installations: createInstallationRecords({ backend, guard, current: sealing.current, previous: sealing.previous, log }),
    intents: createIntentRecords({ backend, guard, current: sealing.current, previous: sealing.previous }),

    forgetScope(scope, identityPrefix) {
      settingsCache.delete(scope);
      return guard('forgetScope', () => forgetScopeRecords(backend, scope, identityPrefix));
    },

    getKey(identity) {
      const at = linkKey(identity);
      return guard('getKey', async (): Promise<OpenedKey> => {
        const { stored, opened } = await readLink(at);
        if (!opened) return { status: 'none' };
        if (opened.status === 'unreadable') return opened;
        if (opened.kid !== sealing.current.kid) {
          // Sealed under HANDLE_BOT_SECRET_PREVIOUS: move it to the current secret now. Best
          // effort: the key was read either way, and rotate-secret catches what this misses.
          try {
            await swapLink(at, stored, reseal(at, opened.payload, opened.meta));
          } catch (error) {
            log.warn({ error: describeError(error) }, 'could not re-seal a key under the current secret');
          }
        }
        return { status: 'linked', apiKey: opened.payload.apiKey, record: recordView(opened.payload, opened.meta) };
      });
    },

    setKey(identity, apiKey, meta = {}) {
      // `apiKey` is an ApiKey: parseApiKey already checked and normalised it where it arrived.
      return guard('setKey', async (): Promise<KeyRecordView> => {
        const linkMeta: LinkMeta = { linkedAt: now() };
        if (meta.verifiedAt !== undefined) linkMeta.verifiedAt = meta.verifiedAt;
        if (meta.verifyResult !== undefined) linkMeta.verifyResult = meta.verifyResult;
        // A new key starts without an owner e-mail: the old one belonged to the old key's account.
        const payload: SealedPayload = { apiKey };
        const at = linkKey(identity);
        await links.set(at, reseal(at, payload, linkMeta));
        return recordView(payload, linkMeta);
      });
    },

    updateKeyMeta(identity, patch) {
      const at = linkKey(identity);
      return guard('updateKeyMeta', async () => {
        for (let attempt = 0; attempt < SWAP_ATTEMPTS; attempt += 1) {
          const { stored, opened } = await readLink(at);
          if (opened?.status !== 'linked') return; // nothing (readable) to annotate
          const meta: LinkMeta = { ...opened.meta };
          if (patch.verifiedAt !== undefined) meta.verifiedAt = patch.verifiedAt;
          if (patch.verifyResult !== undefined) meta.verifyResult = patch.verifyResult;
          const payload: SealedPayload = patch.ownerEmail === undefined ? opened.payload : { ...opened.payload, ownerEmail: patch.ownerEmail };
          if (await swapLink(at, stored, reseal(at, payload, meta))) return;
        }
        log.info({ operation: 'updateKeyMeta' }, 'the link changed during every attempt; the newer write stands');
      });
    },

    removeKey(identity) {
      return guard('removeKey', () => links.delete(linkKey(identity)));
    },

    getSettings(scope) {
      const cached = settingsCache.get(scope);
      if (cached && cached.until > now()) return Promise.resolve({ ...cached.settings });
      return guard('getSettings', async () => cacheSettings(scope, await readSettings(scope)));
    },

    updateSettings(scope, patch) {
      const fields = SETTINGS_FIELDS.filter((field) => Object.hasOwn(patch, field));
      const wrong = fields.find((field) => patch[field] !== undefined && typeof patch[field] !== FIELD_TYPE[field]);
      if (wrong) return Promise.reject(new TypeError(`settings.${wrong} must be a ${FIELD_TYPE[wrong]}`));
      return guard('updateSettings', async (): Promise<Settings> => {
        // One key per field: two admins changing different settings at once both keep their
        // change. `undefined` removes a field (e.g. notifications turned off).
        await Promise.all(
          fields.map(async (field) => {
            const key = settingsKey(scope, field);
            const value = patch[field];
            if (value === undefined) await backend.kv.settings.delete(key);
            else await backend.kv.settings.set(key, value);
          }),
        );
        return cacheSettings(scope, await readSettings(scope));
      });
    },

    addHistory(identity, entry) {
      if (!isHistoryEntry(entry)) return Promise.reject(new TypeError('addHistory needs { handle, status, at[, requestId] }'));
      const record: HistoryEntry = { handle: entry.handle, status: entry.status, at: entry.at };
      if (entry.requestId !== undefined) record.requestId = entry.requestId;
      return guard('addHistory', () => backend.appendHistory(identity, historyKey(identity, entry.at), record, entry.at));
    },

    listHistory(identity, limit = 20) {
      const count = Math.max(1, Math.min(1000, Math.floor(limit)));
      return guard('listHistory', async () => (await backend.listHistory(identity, count)).filter(isHistoryEntry));
    },

    claimOnce(key, ttlSeconds) {
      if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) return Promise.reject(new RangeError('claimOnce needs a positive, finite ttlSeconds'));
      return guard('claimOnce', () => backend.claim(boundedKeyPart(key), Math.max(1, Math.ceil(ttlSeconds * 1000))));
    },

    reserveTurn(key, intervalSeconds, maxWaitSeconds) {
      if (!(intervalSeconds > 0) || !Number.isFinite(intervalSeconds) || !(maxWaitSeconds >= 0) || !Number.isFinite(maxWaitSeconds)) {
        return Promise.reject(new RangeError('reserveTurn needs a positive interval and a finite, non-negative longest wait'));
      }
      return guard('reserveTurn', () => backend.reserveTurn(boundedKeyPart(key), Math.ceil(intervalSeconds * 1000), Math.ceil(maxWaitSeconds * 1000)));
    },

    releaseClaim(key) {
      // Claims live in the `claims` namespace in the layout keyv uses, whatever wrote them.
      return guard('releaseClaim', async () => {
        await backend.kv.claims.delete(boundedKeyPart(key));
      });
    },

    forget(identity) {
      return guard('forget', async () => {
        await Promise.all([links.delete(linkKey(identity)), backend.deleteHistory(identity)]);
      });
    },

    async rotateSecret() {
      const report: RotationReport = { resealed: 0, alreadyCurrent: 0, unreadable: 0 };
      // The stored keys are link keys already (linkKey), which is what sealing is bound to.
      const stored = await guard('rotateSecret', () => backend.listKeys('links'));
      for (const at of stored) {
        // One guarded step per record: a long rotation is not one deadline.
        const outcome = await guard('rotateSecret', async () => {
          for (let attempt = 0; attempt < SWAP_ATTEMPTS; attempt += 1) {
            const { stored, opened } = await readLink(at);
            if (!opened) return 'gone';
            if (opened.status === 'unreadable') return 'unreadable';
            if (opened.kid === sealing.current.kid) return 'current';
            if (await swapLink(at, stored, reseal(at, opened.payload, opened.meta))) return 'resealed';
          }
          return 'current'; // rewritten meanwhile by setKey, hence under the current secret
        });
        if (outcome === 'resealed') report.resealed += 1;
        else if (outcome === 'current') report.alreadyCurrent += 1;
        else if (outcome === 'unreadable') report.unreadable += 1;
      }
      log.info({ ...report }, 'rotate-secret finished');
      return report;
    },

    inspectSealing(sample) {
      return guard('inspectSealing', () => inspectSealing(backend, sealing, sample));
    },

    ping() {
      return guard('ping', async () => {
        await backend.kv.settings.get(READINESS_PROBE_KEY);
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
}
