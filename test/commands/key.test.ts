import { describe, expect, it } from 'vitest';
import { keyRemove, keyRequest, keySet, keyStatus } from '../../commands/key.js';
import type { CredentialsOutcome, KeyCheckOutcome } from '../../src/mail-api/outcomes.js';
import { base, fakeCtx, KEY } from './fake-ctx.js';

const checking = (outcome: KeyCheckOutcome, extra: Parameters<typeof fakeCtx>[0] = {}) => fakeCtx({ ...extra, mail: { checkKey: () => Promise.resolve(outcome) } });

describe('key set', () => {
  it('is asked in its form as a secret, never typed', () => {
    expect(keySet.form).toBe('key_set');
    expect(keySet.options).toEqual([expect.objectContaining({ name: 'key', type: 'api_key', arrives: 'secret' })]);
  });

  it('without a key (no form could be shown): says how to link one', async () => {
    expect((await keySet.run(fakeCtx().ctx, {})).outcome).toEqual({ kind: 'needs_input', option: 'key' });
  });

  it('a malformed key is refused without asking the service', async () => {
    const run = fakeCtx();
    expect((await keySet.run(run.ctx, { key: 'nope' })).outcome).toEqual({ kind: 'refused', reason: 'invalid_input' });
    expect(run.mailCalls).toEqual([]);
  });

  it('an accepted key is linked (normalised), replacing one or not, and the admins may hear of it', async () => {
    let stored = '';
    const first = checking({ ...base, kind: 'key_ok' }, { linked: false, store: { setKey: (_id, key) => { stored = key; return Promise.resolve({ fingerprint: 'x', linkedAt: 1 }); } } });
    expect((await keySet.run(first.ctx, { key: ` ${KEY.toUpperCase()} ` })).outcome).toEqual({ kind: 'key_linked', replaced: false });
    expect(stored).toBe(KEY);
    expect(first.events).toEqual([{ type: 'key_linked', scope: 'slack:T1', who: 'slack:T1:U1' }]);
    expect((await keySet.run(checking({ ...base, kind: 'key_ok' }).ctx, { key: KEY })).outcome).toEqual({ kind: 'key_linked', replaced: true });
  });

  it.each([
    [{ ...base, kind: 'key_rejected' }, 'key_rejected'],
    [{ ...base, kind: 'key_malformed' }, 'key_malformed'],
    [{ ...base, kind: 'key_missing' }, 'key_missing'],
    [{ ...base, kind: 'rate_limited', retryAfterSeconds: 1, scope: 'key' }, 'rate_limited'],
    [{ ...base, kind: 'banned', ban: { kind: 'ip' } }, 'banned'],
    [{ ...base, kind: 'service_error', status: 500 }, 'service_error'],
  ] as [KeyCheckOutcome, string][])('the service does not accept it (%o): nothing is stored', async (outcome, reason) => {
    const run = checking(outcome, { store: { setKey: () => Promise.reject(new Error('must not store')) } });
    expect((await keySet.run(run.ctx, { key: KEY })).outcome).toEqual({ kind: 'failed', reason });
  });
});

describe('key status', () => {
  it.each([
    [{ ...base, kind: 'key_ok' }, 'ok'],
    [{ ...base, kind: 'key_rejected' }, 'rejected'],
    [{ ...base, kind: 'timeout', outcomeUnknown: false }, undefined],
  ] as [KeyCheckOutcome, string | undefined][])('%o: shown, and a definite answer noted on the record', async (outcome, noted) => {
    const run = checking(outcome);
    expect((await keyStatus.run(run.ctx)).outcome).toEqual({ kind: 'shown' });
    expect(run.keyMeta).toEqual(noted ? [expect.objectContaining({ verifyResult: noted })] : []);
  });
});

describe('key remove', () => {
  it('says whether a key was linked; the admins hear only of a removal', async () => {
    const linked = fakeCtx();
    expect((await keyRemove.run(linked.ctx)).outcome).toEqual({ kind: 'key_removed', wasLinked: true });
    expect(linked.events).toEqual([{ type: 'key_removed', scope: 'slack:T1', who: 'slack:T1:U1' }]);
    const none = fakeCtx({ linked: false });
    expect((await keyRemove.run(none.ctx)).outcome).toEqual({ kind: 'key_removed', wasLinked: false });
    expect(none.events).toEqual([]);
  });
});

describe('key request', () => {
  it('asks for the address in its form when a button leaves it out', () => {
    expect(keyRequest.options[0]).toMatchObject({ name: 'email', type: 'email', arrives: 'typed_or_form' });
    expect(keyRequest.form).toBe('key_request');
  });

  it.each([
    [{ ...base, kind: 'request_sent', email: 'd@x.example', days: 30 }, { kind: 'credentials_requested' }],
    [{ ...base, kind: 'request_cooldown', email: 'd@x.example' }, { kind: 'failed', reason: 'request_cooldown' }],
    [{ ...base, kind: 'managed_domain' }, { kind: 'failed', reason: 'managed_domain' }],
    [{ ...base, kind: 'invalid_params' }, { kind: 'failed', reason: 'invalid_params' }],
    [{ ...base, kind: 'rate_limited', retryAfterSeconds: 60, scope: 'origin' }, { kind: 'failed', reason: 'rate_limited' }],
    [{ ...base, kind: 'banned', ban: { kind: 'email' } }, { kind: 'failed', reason: 'banned' }],
    [{ ...base, kind: 'unreachable' }, { kind: 'failed', reason: 'unreachable' }],
  ] as [CredentialsOutcome, object][])('%o', async (outcome, expected) => {
    const run = fakeCtx({ mail: { requestCredentials: () => Promise.resolve(outcome) } });
    expect((await keyRequest.run(run.ctx, { email: ' d@x.example ' })).outcome).toEqual(expected);
  });
});
