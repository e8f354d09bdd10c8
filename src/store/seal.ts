/**
 * Sealing a user's API key: AES-256-GCM, a fresh 96-bit nonce per seal, the identity as
 * additional authenticated data (a sealed box copied onto another user's record does not
 * open), and a key id so records sealed under an older secret can still be recognised.
 *
 * The AES key is derived from the operator's secret with HKDF (so the secret itself is never
 * used directly as a cipher key and can later feed other derived keys); the key id is the first
 * 8 hex characters of SHA-256 of the secret, as the design fixes. Opening never throws: any
 * damage is reported as 'tampered', a key id we do not hold as 'unknown_secret'.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { parseApiKey, type ApiKey } from '../domain/api-key.js';
import type { Identity } from '../domain/identity.js';

export const SEAL_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type SealingKey = { readonly kid: string; readonly key: Buffer };

/** What is inside the box: the key and the owner's e-mail (personal data, so sealed too). */
export type SealedPayload = { apiKey: ApiKey; ownerEmail?: string };

/** The sealed part of a stored record (base64 fields). */
export type SealedBox = { v: typeof SEAL_VERSION; kid: string; nonce: string; ct: string; tag: string };

export type OpenOutcome =
  | { ok: true; payload: SealedPayload; kid: string }
  | { ok: false; reason: 'tampered' | 'unknown_secret' };

export function keyId(secret: Buffer): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}

export function sealingKey(secret: Buffer): SealingKey {
  if (secret.length !== 32) throw new Error('a sealing secret must be 32 bytes');
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'handle-bot/api-key-seal/v1', 32));
  return { kid: keyId(secret), key };
}

function additionalData(identity: Identity): Buffer {
  // The version is bound too, so a future format cannot be confused with this one.
  return Buffer.from(`handle-bot/api-key/v${SEAL_VERSION}\u0000${identity}`, 'utf8');
}

export function sealPayload(payload: SealedPayload, identity: Identity, sealing: SealingKey): SealedBox {
  return sealBytes(Buffer.from(JSON.stringify(payload), 'utf8'), additionalData(identity), sealing);
}

/**
 * Seals `plain` (zeroed afterwards) bound to `aad`: the one cipher every sealed record uses
 * (API keys here, Slack installations in installations.ts), each kind with its own `aad`.
 */
export function sealBytes(plain: Buffer, aad: Buffer, sealing: SealingKey): SealedBox {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealing.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);
  return {
    v: SEAL_VERSION,
    kid: sealing.kid,
    nonce: nonce.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
function strictBase64(value: unknown, bytes?: number): Buffer | undefined {
  if (typeof value !== 'string' || !BASE64.test(value) || value.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(value, 'base64');
  if (bytes !== undefined && decoded.length !== bytes) return undefined;
  return decoded;
}

/** Opens a box under whichever of `keys` its key id names. */
export function openPayload(box: unknown, identity: Identity, keys: readonly SealingKey[]): OpenOutcome {
  const opened = openBytes(box, additionalData(identity), keys);
  if (!opened.ok) return opened;
  const payload = parsePayload(opened.plain);
  opened.plain.fill(0);
  return payload ? { ok: true, payload, kid: opened.kid } : { ok: false, reason: 'tampered' };
}

/** The plain bytes of a box sealed by sealBytes under `aad`; the caller zeroes them after use. */
export function openBytes(box: unknown, aad: Buffer, keys: readonly SealingKey[]): { ok: true; plain: Buffer; kid: string } | { ok: false; reason: 'tampered' | 'unknown_secret' } {
  if (box === null || typeof box !== 'object') return { ok: false, reason: 'tampered' };
  const { v, kid, nonce, ct, tag } = box as Record<string, unknown>;
  if (v !== SEAL_VERSION || typeof kid !== 'string') return { ok: false, reason: 'tampered' };
  const sealing = keys.find((k) => k.kid === kid);
  if (!sealing) return { ok: false, reason: 'unknown_secret' };
  const nonceBytes = strictBase64(nonce, NONCE_BYTES);
  const tagBytes = strictBase64(tag, TAG_BYTES);
  const ctBytes = strictBase64(ct);
  if (!nonceBytes || !tagBytes || !ctBytes) return { ok: false, reason: 'tampered' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealing.key, nonceBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tagBytes);
    return { ok: true, plain: Buffer.concat([decipher.update(ctBytes), decipher.final()]), kid };
  } catch {
    // Authentication failed: changed bytes, another record's box, or a kid pointing at the wrong secret.
    return { ok: false, reason: 'tampered' };
  }
}

function parsePayload(plain: Buffer): SealedPayload | undefined {
  try {
    const parsed: unknown = JSON.parse(plain.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const { apiKey, ownerEmail } = parsed as Record<string, unknown>;
    // What was sealed was an ApiKey; anything else in the box is damage, not a key.
    const key = typeof apiKey === 'string' ? parseApiKey(apiKey) : undefined;
    if (!key?.ok || key.key !== apiKey) return undefined;
    if (ownerEmail !== undefined && typeof ownerEmail !== 'string') return undefined;
    return ownerEmail === undefined ? { apiKey: key.key } : { apiKey: key.key, ownerEmail };
  } catch {
    return undefined;
  }
}
