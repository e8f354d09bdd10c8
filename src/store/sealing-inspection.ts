/**
 * A read-only look at how the stored keys are sealed: which secret ids they name and whether
 * the configured secrets open them. Used before start (refuse to run with a secret that opens
 * nothing), by rotate-secret (say which old secret is needed) and by `doctor`. It never
 * writes: no re-sealing, no repair.
 */
import type { Backend } from './backend.js';
import { UNREADABLE_VALUE } from './codec.js';
import { openLinkRecord } from './link-record.js';
import type { SealingKey } from './seal.js';

export type SealingInspection = {
  /** Link records in the store (all of them, not only the sample). */
  records: number;
  /** How many were looked at. */
  sampled: number;
  /** Of the sample: opened with the configured secret(s). */
  opened: number;
  /** Secret ids the sampled records were sealed under, with how many each. */
  kidsFound: Record<string, number>;
  currentKid: string;
  previousKid?: string;
  /** Where the current secret comes from: `HANDLE_BOT_SECRET` or the generated file's path. */
  secretSource: string;
};

export const DEFAULT_SAMPLE = 50;

export async function inspectSealing(
  backend: Backend,
  keys: { current: SealingKey; previous?: SealingKey | undefined; source: string },
  sample = DEFAULT_SAMPLE,
): Promise<SealingInspection> {
  const identities = await backend.listKeys('links');
  const openKeys = keys.previous ? [keys.current, keys.previous] : [keys.current];
  const chosen = identities.slice(0, sample);
  const stored: unknown[] = chosen.length === 0 ? [] : await backend.kv.links.get(chosen);
  const inspection: SealingInspection = {
    records: identities.length, sampled: 0, opened: 0, kidsFound: {}, currentKid: keys.current.kid, secretSource: keys.source,
    ...(keys.previous ? { previousKid: keys.previous.kid } : {}),
  };
  chosen.forEach((identity, index) => {
    const value = stored[index];
    if (value === undefined) return; // deleted meanwhile
    inspection.sampled += 1;
    const kid = kidOf(value) ?? '(unreadable record)';
    inspection.kidsFound[kid] = (inspection.kidsFound[kid] ?? 0) + 1;
    if (openLinkRecord(value === UNREADABLE_VALUE ? null : value, identity, openKeys).status === 'linked') inspection.opened += 1;
  });
  return inspection;
}

/** The secret id of one stored record (for messages before any secret exists), or undefined. */
export async function someStoredKid(backend: Backend): Promise<{ records: number; kid?: string }> {
  const identities = await backend.listKeys('links');
  const first = identities[0];
  if (first === undefined) return { records: 0 };
  const kid = kidOf(await backend.kv.links.get(first));
  return kid === undefined ? { records: identities.length } : { records: identities.length, kid };
}

/** The secret id a stored record names, if it is a record at all. */
export function kidOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const kid: unknown = Reflect.get(value, 'kid');
  return typeof kid === 'string' ? kid : undefined;
}
