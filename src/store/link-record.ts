/**
 * The stored link record: a sealed box (key + owner e-mail) next to the meta that may be shown
 * (fingerprint, linked-at, last verification). The fingerprint shown to users is recomputed
 * from the opened key, so editing the stored one changes nothing a user sees.
 */
import { keyFingerprint } from '../domain/api-key.js';
import type { Identity } from '../domain/identity.js';
import { openPayload, sealPayload, type SealedBox, type SealedPayload, type SealingKey } from './seal.js';
import type { KeyRecordView } from './types.js';

export type LinkMeta = { linkedAt: number; verifiedAt?: number; verifyResult?: 'ok' | 'rejected' };
export type LinkRecord = SealedBox & LinkMeta & { fingerprint: string };

export type OpenedLink =
  | { status: 'linked'; payload: SealedPayload; meta: LinkMeta; kid: string }
  | { status: 'unreadable'; reason: 'tampered' | 'unknown_secret' };

export function sealLinkRecord(identity: Identity, payload: SealedPayload, meta: LinkMeta, sealing: SealingKey): LinkRecord {
  const record: LinkRecord = { ...sealPayload(payload, identity, sealing), fingerprint: keyFingerprint(payload.apiKey), linkedAt: meta.linkedAt };
  if (meta.verifiedAt !== undefined) record.verifiedAt = meta.verifiedAt;
  if (meta.verifyResult !== undefined) record.verifyResult = meta.verifyResult;
  return record;
}

function parseMeta(value: Record<string, unknown>): LinkMeta | undefined {
  const { linkedAt, verifiedAt, verifyResult } = value;
  if (typeof linkedAt !== 'number' || !Number.isFinite(linkedAt)) return undefined;
  if (verifiedAt !== undefined && (typeof verifiedAt !== 'number' || !Number.isFinite(verifiedAt))) return undefined;
  if (verifyResult !== undefined && verifyResult !== 'ok' && verifyResult !== 'rejected') return undefined;
  const meta: LinkMeta = { linkedAt };
  if (verifiedAt !== undefined) meta.verifiedAt = verifiedAt;
  if (verifyResult !== undefined) meta.verifyResult = verifyResult;
  return meta;
}

export function openLinkRecord(value: unknown, identity: Identity, keys: readonly SealingKey[]): OpenedLink {
  if (value === null || typeof value !== 'object') return { status: 'unreadable', reason: 'tampered' };
  const opened = openPayload(value, identity, keys);
  if (!opened.ok) return { status: 'unreadable', reason: opened.reason };
  const meta = parseMeta(value as Record<string, unknown>);
  if (!meta) return { status: 'unreadable', reason: 'tampered' };
  return { status: 'linked', payload: opened.payload, meta, kid: opened.kid };
}

export function recordView(payload: SealedPayload, meta: LinkMeta): KeyRecordView {
  const view: KeyRecordView = { fingerprint: keyFingerprint(payload.apiKey), linkedAt: meta.linkedAt };
  if (meta.verifiedAt !== undefined) view.verifiedAt = meta.verifiedAt;
  if (meta.verifyResult !== undefined) view.verifyResult = meta.verifyResult;
  if (payload.ownerEmail !== undefined) view.ownerEmail = payload.ownerEmail;
  return view;
}
