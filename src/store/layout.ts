/**
 * Where things live, the same on every backend. keyv namespaces: `links`, `settings`,
 * `history`, `claims`, `installations`. Inside a namespace:
 *   links     <identity>                               sealed key record
 *   settings  <scope>|<field>                          one value per field (no read-modify-write)
 *   history   <identity>|<at: 15 digits>-<8 hex>       one record per entry; keys sort by time
 *   claims    <caller's key>                           written only by claimOnce
 *   installations  team:<id> | enterprise:<id>          a sealed Slack installation (installations.ts)
 * `|` closes the identity part, so `%` and `|` inside an identity are percent-escaped: the
 * entries of `console:a` are then a contiguous key range that never holds `console:a|b`'s.
 * Every part that comes from outside (identity, scope, claim key) is bounded (boundedKeyPart),
 * so any identity fits every backend's keys — Postgres's key column holds 255 characters.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Identity } from '../domain/identity.js';

export const NAMESPACES = ['links', 'settings', 'history', 'claims', 'installations'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** Longest key part kept as it is: with its namespace and a history suffix, well under 255. */
const MAX_KEY_PART = 160;
/** Marks a shortened key part. A part kept as it is never contains it. */
const SHORTENED = '%~';

/**
 * A key part every backend can hold. Short parts — Slack and Discord ids, ordinary console
 * names — are kept as they are; a longer one (or one that happens to contain the marker)
 * becomes its first 80 characters, the marker and the SHA-256 of the whole: still distinct
 * for distinct inputs, still readable at a glance, at most 146 characters.
 */
export function boundedKeyPart(text: string): string {
  if (text.length <= MAX_KEY_PART && !text.includes(SHORTENED)) return text;
  let head = text.slice(0, 80);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1); // never half of a surrogate pair
  return `${head}${SHORTENED}${createHash('sha256').update(text).digest('hex')}`;
}

/**
 * Where an identity's link record lives, and what its sealing is bound to (the same text, so
 * rotate-secret can re-seal from the stored keys alone). The identity itself for every
 * identity that was ever storable, so existing records stay where they are.
 */
export function linkKey(identity: Identity): string {
  return boundedKeyPart(identity);
}

export function escapeIdentity(identity: Identity): string {
  return boundedKeyPart(identity.replace(/%/g, '%25').replace(/\|/g, '%7C'));
}

/** The prefix every history key of one identity starts with (inside the `history` namespace). */
export function historyPrefix(identity: Identity): string {
  return `${escapeIdentity(identity)}|`;
}

export function historyKey(identity: Identity, at: number): string {
  const time = Math.max(0, Math.floor(at)).toString().padStart(15, '0');
  return `${historyPrefix(identity)}${time}-${randomBytes(4).toString('hex')}`;
}

export function settingsKey(scope: string, field: string): string {
  return `${boundedKeyPart(scope)}|${field}`;
}

/**
 * [low, high) bounds of every string that starts with `prefix`, in binary (byte/"C") order:
 * the prefix itself up to the prefix with its last character incremented. Lets SQL use the
 * primary-key index without LIKE escaping.
 */
export function prefixRange(prefix: string): [string, string] {
  const last = prefix.charCodeAt(prefix.length - 1);
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)];
}

/** The identity a history key belongs to (the inverse of historyKey's first part), or undefined. */
export function identityOfHistoryKey(key: string): Identity | undefined {
  const end = key.indexOf('|');
  if (end <= 0) return undefined;
  return key.slice(0, end).replace(/%7C/g, '|').replace(/%25/g, '%');
}
