/**
 * The store's surface, as the engine and the adapters use it. Every method rejects with
 * StorageUnavailableError when the backend fails (never answers "nothing there" instead);
 * the core turns that into a plain-words reply.
 */
import type { ApiKey } from '../domain/api-key.js';
import type { Identity } from '../domain/identity.js';
import type { InstallationRecords, ScopeForgetReport } from './installations.js';
import type { SealingInspection } from './sealing-inspection.js';
import type { IntentRecords } from './intents.js';

export type { InstallationKey, InstallationRecord, InstallationRecords, ScopeForgetReport } from './installations.js';

export type { SealingInspection } from './sealing-inspection.js';
export type { IntentPayload, IntentRecords, StoredIntent } from './intents.js';

export class StorageUnavailableError extends Error {
  readonly kind = 'storage_unavailable' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** What may be shown about a linked key: never the key itself. */
export type KeyRecordView = {
  fingerprint: string; // "…ab12": the last 4 characters only
  linkedAt: number; // epoch ms
  verifiedAt?: number; // epoch ms of the last check against the service
  verifyResult?: 'ok' | 'rejected';
  ownerEmail?: string; // learned from the last successful create; private replies only
};

export type OpenedKey =
  | { status: 'linked'; apiKey: ApiKey; record: KeyRecordView }
  | { status: 'none' }
  /** A record exists but cannot be opened: tampered with, moved to another identity, or sealed under an unknown secret. */
  | { status: 'unreadable'; reason: 'tampered' | 'unknown_secret' };

export type Settings = {
  notifyChannel?: string; // platform channel id for admin notifications
  announce: boolean; // post a channel announcement when a handle is claimed (default true)
  onboarding: boolean; // welcome newcomers (default false)
  welcomeText?: string;
  keyEvents: boolean; // notify admins on key linked/removed (default false)
  /** The workspace's language for its channel posts: a locale id (`pt-BR`), or absent/`auto` to follow the platform. */
  language?: string;
};
export const DEFAULT_SETTINGS: Settings = { announce: true, onboarding: false, keyEvents: false };

/** `pending`: written before the service was asked to create it, never settled (the process stopped in between). */
export type HistoryStatus = 'claimed' | 'deleted' | 'unconfirmed' | 'pending';
export type HistoryEntry = { handle: string; status: HistoryStatus; at: number /* epoch ms */; requestId?: string };

/** A create recorded ahead of the service call (store/claims.ts), to be settled after it. */
export type PendingClaim = { identity: Identity; key: string; handle: string; at: number; requestId?: string };
/** What a pending create became: claimed, or unconfirmed (the service did not say). */
export type SettledStatus = 'claimed' | 'unconfirmed';

/** A reserved turn (start it after `waitMs`), or none (the queue is full for `retryAfterMs`). */
export type Turn = { ok: true; waitMs: number } | { ok: false; retryAfterMs: number };

export type RotationReport = { resealed: number; alreadyCurrent: number; unreadable: number };

export interface Store {
  /** Where the store is, without credentials (for messages and logs). */
  readonly location: string;
  getKey(identity: Identity): Promise<OpenedKey>;
  /** Last write wins for one identity. */
  setKey(identity: Identity, apiKey: ApiKey, meta?: { verifiedAt?: number; verifyResult?: 'ok' | 'rejected' }): Promise<KeyRecordView>;
  updateKeyMeta(identity: Identity, patch: { verifiedAt?: number; verifyResult?: 'ok' | 'rejected'; ownerEmail?: string }): Promise<void>;
  /** true when a key was linked. */
  removeKey(identity: Identity): Promise<boolean>;

  /** scope: `slack:<team>`, `discord:<guild>`, `console`. */
  getSettings(scope: string): Promise<Settings>;
  updateSettings(scope: string, patch: Partial<Settings>): Promise<Settings>;

  /** One record per entry; never a read-modify-write array. */
  addHistory(identity: Identity, entry: HistoryEntry): Promise<void>;
  /** Newest first. */
  listHistory(identity: Identity, limit?: number): Promise<HistoryEntry[]>;
  /** Records a create as `pending` before the service is asked (write-ahead). */
  beginClaim(identity: Identity, entry: { handle: string; at: number; requestId?: string }): Promise<PendingClaim>;
  /** Replaces the pending record with what happened; `undefined` (the service said no) removes it. */
  settleClaim(claim: PendingClaim, status: SettledStatus | undefined): Promise<void>;

  /** true for exactly one caller across processes and replicas until the claim expires. */
  claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
  /** Ends a claim early (whoever holds it), so the next claimOnce of that key wins. */
  releaseClaim(key: string): Promise<void>;
  /**
   * A turn in a queue shared by every replica, turns starting at least `intervalSeconds` apart:
   * how long to wait for it, or — when it would be more than `maxWaitSeconds` away — none, and
   * how long until one would be.
   */
  reserveTurn(key: string, intervalSeconds: number, maxWaitSeconds: number): Promise<Turn>;

  /** Commands acknowledged and not yet answered, sealed (intents.ts): what a replica that died left to finish. */
  readonly intents: IntentRecords;
  /** Slack installations of the hosted multi-workspace mode, sealed like keys (installations.ts). */
  readonly installations: InstallationRecords;
  /**
   * Removes what one workspace left (it uninstalled the app): the scope's settings and, with
   * `identityPrefix` (`slack:<team>:`), its members' linked keys and history.
   */
  forgetScope(scope: string, identityPrefix?: string): Promise<ScopeForgetReport>;

  /** Removes the identity's link and history. */
  forget(identity: Identity): Promise<void>;
  /** Re-seals every record under the current secret. */
  rotateSecret(): Promise<RotationReport>;
  /** Read-only: which secret ids the stored keys (a sample) name, and how many the configured secrets open. */
  inspectSealing(sample?: number): Promise<SealingInspection>;
  /** One cheap read under the store's deadline (readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
