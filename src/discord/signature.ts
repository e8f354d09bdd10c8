/**
 * Discord's request signature for the HTTP interactions endpoint: Ed25519 over
 * `X-Signature-Timestamp` + the raw body, checked with the application's public key
 * (Developer Portal → General Information → Public Key) through node:crypto — no crypto of
 * our own. A request is also refused when its timestamp is outside the freshness window
 * (ops/request-freshness.ts, both ways), so a captured request cannot be replayed later.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { MAX_REQUEST_AGE_SECONDS } from '../ops/request-freshness.js';

export type SignatureRefusal = 'unsigned' | 'malformed' | 'stale' | 'bad_signature';

const HEX_KEY = /^[0-9a-f]{64}$/i;
const HEX_SIGNATURE = /^[0-9a-f]{128}$/i;

/** The public key as node:crypto wants it; throws on anything but 32 bytes of hex. */
export function discordPublicKey(hex: string): KeyObject {
  if (!HEX_KEY.test(hex)) throw new Error('DISCORD_PUBLIC_KEY must be 64 hexadecimal characters');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

export function checkDiscordSignature(
  key: KeyObject, headers: IncomingHttpHeaders, body: Buffer, nowSeconds = Date.now() / 1000,
): { ok: true } | { ok: false; reason: SignatureRefusal } {
  const signature = headers['x-signature-ed25519'];
  const timestamp = headers['x-signature-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return { ok: false, reason: 'unsigned' };
  if (!HEX_SIGNATURE.test(signature) || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_REQUEST_AGE_SECONDS) return { ok: false, reason: 'stale' };
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return verify(null, signed, key, Buffer.from(signature, 'hex')) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
