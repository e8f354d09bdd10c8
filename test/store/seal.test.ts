/** The sealing primitive on its own: fresh nonces, identity binding, key ids. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../../src/domain/api-key.js';
import { keyId, openPayload, sealingKey, sealPayload } from '../../src/store/seal.js';
import { parseStoreUrl } from '../../src/store/store-url.js';

const secret = Buffer.alloc(32, 7);
const other = Buffer.alloc(32, 8);
const payload = { apiKey: 'f'.repeat(64) as ApiKey, ownerEmail: 'owner@example.org' };

describe('sealing', () => {
  it('the key id is the first 8 hex characters of SHA-256 of the secret', () => {
    expect(keyId(secret)).toBe(createHash('sha256').update(secret).digest('hex').slice(0, 8));
    expect(sealingKey(secret).kid).toBe(keyId(secret));
  });

  it('every seal uses a fresh nonce, and the box holds nothing in clear', () => {
    const a = sealPayload(payload, 'console:a', sealingKey(secret));
    const b = sealPayload(payload, 'console:a', sealingKey(secret));
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ct).not.toBe(b.ct);
    expect(Buffer.from(a.nonce, 'base64')).toHaveLength(12);
    expect(JSON.stringify(a)).not.toMatch(/ffff|owner@/);
  });

  it('opens for the same identity under the right key only', () => {
    const box = sealPayload(payload, 'console:a', sealingKey(secret));
    expect(openPayload(box, 'console:a', [sealingKey(other), sealingKey(secret)])).toEqual({ ok: true, payload, kid: keyId(secret) });
    expect(openPayload(box, 'console:b', [sealingKey(secret)])).toEqual({ ok: false, reason: 'tampered' });
    expect(openPayload(box, 'console:a', [sealingKey(other)])).toEqual({ ok: false, reason: 'unknown_secret' });
    expect(openPayload({ ...box, kid: keyId(other) }, 'console:a', [sealingKey(other)])).toEqual({ ok: false, reason: 'tampered' });
    expect(openPayload('junk', 'console:a', [sealingKey(secret)])).toEqual({ ok: false, reason: 'tampered' });
    expect(openPayload({ ...box, nonce: '!!!!' }, 'console:a', [sealingKey(secret)])).toEqual({ ok: false, reason: 'tampered' });
  });
});

describe('STORE_URL', () => {
  it.each([
    ['sqlite://data/handle-bot.sqlite', { kind: 'sqlite', file: '/srv/bot/data/handle-bot.sqlite' }],
    ['sqlite:///var/lib/bot.sqlite', { kind: 'sqlite', file: '/var/lib/bot.sqlite' }],
    ['redis://h:6379/2', { kind: 'redis', url: 'redis://h:6379/2' }],
    ['rediss://h:6380', { kind: 'redis', url: 'rediss://h:6380' }],
    ['postgres://u@h/db', { kind: 'postgres', url: 'postgres://u@h/db' }],
    ['postgresql://u@h/db', { kind: 'postgres', url: 'postgresql://u@h/db' }],
  ])('%s', (url, expected) => {
    expect(parseStoreUrl(url, '/srv/bot')).toEqual(expected);
  });

  it('anything else is refused', () => {
    expect(() => parseStoreUrl('mysql://h/db')).toThrow(/must start with/);
    expect(() => parseStoreUrl('sqlite://')).toThrow(/needs a file path/);
  });
});
