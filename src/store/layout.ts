/**
 * Where things live, the same on every backend. keyv namespaces: `links`, `settings`,
 * `history`, `claims`. Inside a namespace:
 *   links     <identity>                               sealed key record
 *   settings  <scope>|<field>                          one value per field (no read-modify-write)
 *   history   <identity>|<at: 15 digits>-<8 hex>       one record per entry; keys sort by time
 *   claims    <caller's key>                           written only by claimOnce
 * `|` closes the identity part, so `%` and `|` inside an identity are percent-escaped: the
 * entries of `console:a` are then a contiguous key range that never holds `console:a|b`'s.
 */
import { randomBytes } from 'node:crypto';
import type { Identity } from '../domain/identity.js';

export const NAMESPACES = ['links', 'settings', 'history', 'claims'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export function escapeIdentity(identity: Identity): string {
  return identity.replace(/%/g, '%25').replace(/\|/g, '%7C');
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
  return `${scope}|${field}`;
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
