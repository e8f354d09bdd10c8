/**
 * Every status/body row of upstream-contract.md, through the real client against the fake,
 * in the live service's shapes and in the public docs' shapes. The harness checks after each
 * test that the API key appeared nowhere but in the X-API-Key header.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, OWNER, type Harness } from './harness.js';

const CREATE = '/api/handle/create';
const UNKNOWN_KEY = 'f'.repeat(64);

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('create', () => {
  it('a valid handle is created; the handle is sent normalised and the goto is the key owner', async () => {
    const outcome = await h.api.createHandle(h.key, '  Alice ', h.call());
    expect(outcome).toEqual({ kind: 'created', handle: 'alice', goto: OWNER, requestId: 'req-1' });
    const request = await h.fake.waitFor((r) => r.path === CREATE);
    expect(request.body).toEqual({ handle: 'alice' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-api-key']).toBe(h.key);
  });

  it('takes the handle from the server answer (its normalised form)', async () => {
    h.fake.inject({ kind: 'raw', status: 200, body: JSON.stringify({ ok: true, created: true, handle: 'server.form', goto: OWNER }) });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toMatchObject({ kind: 'created', handle: 'server.form' });
  });


  it('400 invalid_params (live) becomes invalid_handle', async () => {
    h.fake.inject({ kind: 'raw', status: 400, body: '{"error":"invalid_params","field":"handle"}' });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'invalid_handle', handle: 'alice', requestId: 'req-1' });
  });

  it("400 invalid_params (docs' richer shape) keeps reason and hint", async () => {
    h.fake.inject({
      kind: 'raw',
      status: 400,
      body: JSON.stringify({ error: 'invalid_params', field: 'handle', reason: 'invalid_format', hint: 'use a-z', constraints: { max_length: 64 } }),
    });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({
      kind: 'invalid_handle', handle: 'alice', reason: 'invalid_format', hint: 'use a-z', requestId: 'req-1',
    });
  });

  it('409 alias_taken: taken by someone else', async () => {
    h.fake.takeHandle('alice');
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'taken', handle: 'alice', requestId: 'req-1' });
  });

  it('409: taken by the caller too (what a blind retry of a successful create would see)', async () => {
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('created');
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('taken');
  });

  it('409: a deleted handle stays reserved', async () => {
    await h.api.createHandle(h.key, 'alice', h.call());
    expect((await h.api.deleteHandle(h.key, 'alice', h.call())).kind).toBe('deleted');
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('taken');
  });

  it('409: an active alias with the same local part blocks the handle, an inactive one does not', async () => {
    h.fake.addAlias('bob@example.test');
    h.fake.addAlias('carol@example.test', { active: false });
    expect((await h.api.createHandle(h.key, 'bob', h.call())).kind).toBe('taken');
    expect((await h.api.createHandle(h.key, 'carol', h.call())).kind).toBe('created');
  });

  it("409 in the docs' Conflict shape is taken too", async () => {
    h.fake.setShapes('docs');
    h.fake.takeHandle('alice');
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'taken', handle: 'alice', requestId: 'req-1' });
  });
});

describe('401: the three live codes and the docs shape', () => {
  it('missing_api_key → key_missing', async () => {
    h.fake.inject({ kind: 'raw', status: 401, body: '{"error":"missing_api_key"}' });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'key_missing', requestId: 'req-1' });
  });

  it('invalid_api_key_format → key_malformed', async () => {
    expect(await h.api.createHandle('not-a-key', 'alice', h.call())).toEqual({ kind: 'key_malformed', requestId: 'req-1' });
  });

  it('invalid_or_expired_api_key → key_rejected: unknown, revoked, and 64 non-hex characters alike', async () => {
    const revoked = h.fake.newKey('gone@example.com');
    h.fake.revokeKey(revoked);
    for (const key of [UNKNOWN_KEY, revoked, 'z'.repeat(64)]) {
      expect(await h.api.createHandle(key, 'alice', h.call())).toMatchObject({ kind: 'key_rejected' });
    }
  });

  it('the server trims and lower-cases the key header', async () => {
    expect((await h.api.checkKey(`  ${h.key.toUpperCase()} `, h.call())).kind).toBe('key_ok');
  });

  it('docs shape {"error":"Unauthorized"} → key_rejected', async () => {
    h.fake.setShapes('docs');
    expect(await h.api.createHandle(UNKNOWN_KEY, 'alice', h.call())).toEqual({ kind: 'key_rejected', requestId: 'req-1' });
  });

  it('a bad key wins over a bad handle at the server', async () => {
    h.fake.inject({ kind: 'raw', status: 401, body: '{"error":"invalid_or_expired_api_key"}' });
    expect((await h.api.deleteHandle(UNKNOWN_KEY, 'alice', h.call())).kind).toBe('key_rejected');
  });
});

describe('403 banned, live and docs shapes', () => {
  it('a name ban (live) carries kind, value, reason and since', async () => {
    h.fake.ban({ type: 'name', value: 'admin', reason: 'reserved by the service' });
    const outcome = await h.api.createHandle(h.key, 'admin', h.call());
    expect(outcome).toMatchObject({ kind: 'banned', ban: { kind: 'name', value: 'admin', reason: 'reserved by the service' } });
    expect(outcome.kind === 'banned' && typeof outcome.ban.since).toBe('string');
  });

  it('a banned name wins over taken', async () => {
    h.fake.ban({ type: 'name', value: 'root' });
    h.fake.takeHandle('root');
    expect(await h.api.createHandle(h.key, 'root', h.call())).toMatchObject({ kind: 'banned', ban: { kind: 'name' } });
  });

  it.each([
    ['email', OWNER],
    ['domain', 'example.com'],
  ] as const)('an owner %s ban makes every create fail', async (type, value) => {
    h.fake.ban({ type, value });
    expect(await h.api.createHandle(h.key, 'anything', h.call())).toMatchObject({ kind: 'banned', ban: { kind: type, value } });
  });

  it('an IP ban answers every keyed route', async () => {
    h.fake.ban({ type: 'ip', value: '127.0.0.1' });
    expect(await h.api.checkKey(h.key, h.call())).toMatchObject({ kind: 'banned', ban: { kind: 'ip', value: '127.0.0.1' } });
  });

  it('docs shape {"error","ban":{},"type","value"}', async () => {
    h.fake.setShapes('docs');
    h.fake.ban({ type: 'name', value: 'admin' });
    expect(await h.api.createHandle(h.key, 'admin', h.call())).toEqual({
      kind: 'banned', ban: { kind: 'name', value: 'admin' }, requestId: 'req-1',
    });
  });

  it('an unknown ban type is reported as unknown, not guessed', async () => {
    h.fake.inject({ kind: 'raw', status: 403, body: '{"error":"banned","ban":{"ban_type":"planet","ban_value":"mars"}}' });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toMatchObject({ kind: 'banned', ban: { kind: 'unknown', value: 'mars' } });
  });
});

describe('429', () => {
  it('per key: JSON with reason too_many_requests_key, Retry-After in seconds', async () => {
    h.fake.setRateLimits({ keyPerMinute: 1 });
    await h.api.createHandle(h.key, 'a1', h.call());
    const outcome = await h.api.createHandle(h.key, 'a2', h.call());
    expect(outcome).toMatchObject({ kind: 'rate_limited', scope: 'key' });
    expect(outcome.kind === 'rate_limited' && outcome.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(outcome.kind === 'rate_limited' && outcome.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('per origin: plain text labelled text/html', async () => {
    h.fake.setRateLimits({ originPerMinute: 1 });
    await h.api.checkKey(h.key, h.call());
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toMatchObject({ kind: 'rate_limited', scope: 'origin' });
    const limited = await h.fake.waitFor((r) => r.status === 429);
    expect(limited.path).toBe(CREATE);
  });

  it.each([
    ['absent', undefined, 60],
    ['unparseable', 'soon', 60],
    ['a number', '17', 17],
    ['zero', '0', 1],
  ])('Retry-After %s → %j becomes %i s', async (_what, header, expected) => {
    h.fake.inject({ kind: 'raw', status: 429, body: '{"error":"rate_limited"}', ...(header === undefined ? {} : { headers: { 'retry-after': header } }) });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: expected, scope: 'unknown' });
  });
});

describe('5xx and anything else', () => {
  it.each(['live', 'docs'] as const)('500 internal_error (%s shape) → service_error', async (shapes) => {
    h.fake.setShapes(shapes);
    h.fake.inject({ kind: 'status', status: 500 }, { times: 1 });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'service_error', status: 500, requestId: 'req-1' });
  });

  it('503 temporarily_unavailable → service_unavailable', async () => {
    h.fake.inject({ kind: 'status', status: 503 });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'service_unavailable', requestId: 'req-1' });
  });

  it("a gateway's 504 on a create: the outcome is unknown", async () => {
    h.fake.inject({ kind: 'raw', status: 504, body: '<html>504 Gateway Time-out</html>', contentType: 'text/html' });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'timeout', outcomeUnknown: true, requestId: 'req-1' });
  });

  it("the framework's 404 (wrong route or base URL) is unexpected_response, not not_found", async () => {
    const misrouted = h.client({ baseUrl: `${h.fake.url}/wrong-prefix` });
    expect(await misrouted.deleteHandle(h.key, 'alice', h.call())).toEqual({ kind: 'unexpected_response', status: 404, requestId: 'req-1' });
    expect(h.fake.requests[0]?.path).toBe('/wrong-prefix/api/handle/delete');
  });

  it.each([
    [418, '{"error":"teapot"}'],
    [200, '<html>sign in</html>'],
    [200, ''],
    [302, ''],
  ])('status %i with %j → unexpected_response', async (status, body) => {
    h.fake.inject({ kind: 'raw', status, body, contentType: 'text/html' });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'unexpected_response', status, requestId: 'req-1' });
  });

  it('a 200 HTML page on the stats route does not pass as "your key works"', async () => {
    h.fake.inject({ kind: 'raw', status: 200, body: '<!doctype html><title>app</title>', contentType: 'text/html' });
    expect(await h.api.checkKey(h.key, h.call())).toEqual({ kind: 'unexpected_response', status: 200, requestId: 'req-1' });
  });

  it('an oversized body is discarded and judged by status', async () => {
    h.fake.inject({ kind: 'raw', status: 500, body: 'x'.repeat(200_000), contentType: 'text/plain' }, { times: 1 });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'service_error', status: 500, requestId: 'req-1' });
    // The pool still works afterwards.
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('created');
  });
});

describe('keep-alive', () => {
  it('connections are reused across answers of every shape', async () => {
    h.fake.setRateLimits({ keyPerMinute: 3 });
    h.fake.takeHandle('taken');
    await h.api.createHandle(h.key, 'alice', h.call()); // 200 JSON
    await h.api.createHandle(h.key, 'taken', h.call()); // 409 JSON
    await h.api.createHandle('f'.repeat(64), 'x', h.call()); // 401 JSON
    await h.api.createHandle(h.key, 'bob', h.call());
    await h.api.createHandle(h.key, 'carol', h.call()); // 429 JSON
    h.fake.inject({ kind: 'html', status: 502 }, { times: 1 });
    await h.api.domains(h.call()); // 502 HTML
    h.fake.inject({ kind: 'raw', status: 204, body: '' }, { times: 1 });
    await h.api.checkKey(h.key, h.call()); // empty
    h.fake.setRateLimits({ originPerMinute: 0 });
    await h.api.checkKey(h.key, h.call()); // 429 plain text
    expect(h.fake.requests.map((r) => r.status)).toEqual([200, 409, 401, 200, 429, 502, 204, 429]);
    // Keep-alive holds across every answer shape: no error path leaves a connection unusable.
    // (undici frees a connection a tick after its body ends, so sequential calls alternate between two.)
    expect(new Set(h.fake.requests.map((r) => r.remotePort)).size).toBeLessThanOrEqual(2);
  });
});

describe('delete', () => {
  it('200 → deleted; the handle stays reserved', async () => {
    await h.api.createHandle(h.key, 'alice', h.call());
    expect(await h.api.deleteHandle(h.key, 'Alice', h.call())).toEqual({ kind: 'deleted', handle: 'alice', requestId: 'req-2' });
    expect(h.fake.handleState('alice')).toEqual({ owner: OWNER, active: false });
  });

  it('404 handle_not_found → not_found', async () => {
    expect(await h.api.deleteHandle(h.key, 'nobody', h.call())).toEqual({ kind: 'not_found', handle: 'nobody', requestId: 'req-1' });
  });

  it("403 forbidden (someone else's handle) → forbidden", async () => {
    h.fake.takeHandle('alice', h.fake.newKey('other@example.com'));
    expect(await h.api.deleteHandle(h.key, 'alice', h.call())).toEqual({ kind: 'forbidden', handle: 'alice', requestId: 'req-1' });
  });

  it('429 and 401 as on create', async () => {
    expect((await h.api.deleteHandle(UNKNOWN_KEY, 'alice', h.call())).kind).toBe('key_rejected');
    h.fake.setRateLimits({ keyPerMinute: 0 });
    expect(await h.api.deleteHandle(h.key, 'alice', h.call())).toMatchObject({ kind: 'rate_limited', scope: 'key' });
  });
});

describe('checkKey (GET /api/alias/stats)', () => {
  it('200 → key_ok; 401 → key_rejected', async () => {
    expect(await h.api.checkKey(h.key, h.call())).toEqual({ kind: 'key_ok', requestId: 'req-1' });
    expect(await h.api.checkKey(UNKNOWN_KEY, h.call())).toEqual({ kind: 'key_rejected', requestId: 'req-2' });
  });

  it('does not check owner bans (a 200 here does not promise a create will work)', async () => {
    h.fake.ban({ type: 'email', value: OWNER });
    expect((await h.api.checkKey(h.key, h.call())).kind).toBe('key_ok');
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('banned');
  });
});

describe('requestCredentials', () => {
  it('200 sent → request_sent with the confirmation details', async () => {
    const outcome = await h.api.requestCredentials(' new@example.org ', 30, h.call());
    expect(outcome).toMatchObject({ kind: 'request_sent', email: 'new@example.org', days: 30, ttlMinutes: 15, requestId: 'req-1' });
    expect(outcome.kind === 'request_sent' && Date.parse(outcome.expiresAt!)).toBeGreaterThan(0);
    expect(h.fake.requests[0]?.body).toEqual({ email: 'new@example.org', days: 30 });
    expect(h.fake.requests[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('a repeat within 60 s → request_cooldown with the next allowed time', async () => {
    await h.api.requestCredentials('new@example.org', 30, h.call());
    const outcome = await h.api.requestCredentials('new@example.org', 30, h.call());
    expect(outcome).toMatchObject({ kind: 'request_cooldown', email: 'new@example.org' });
    expect(outcome.kind === 'request_cooldown' && Date.parse(outcome.nextAllowedAt!)).toBeGreaterThan(0);
  });

  it('e-mail and days are checked locally (the origin budget is 10 per hour)', async () => {
    expect(await h.api.requestCredentials('not an address', 30, h.call())).toMatchObject({ kind: 'invalid_params', field: 'email' });
    expect(await h.api.requestCredentials('a@example.org', 0, h.call())).toMatchObject({ kind: 'invalid_params', field: 'days' });
    expect(await h.api.requestCredentials('a@example.org', 10_000, h.call())).toMatchObject({ kind: 'invalid_params', field: 'days' });
    expect(await h.api.requestCredentials('a@example.org', 1.5, h.call())).toMatchObject({ kind: 'invalid_params', field: 'days' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it.each(['live', 'docs'] as const)('400 invalid_params from the service (%s shape) → invalid_params', async (shapes) => {
    h.fake.setShapes(shapes);
    const outcome = await h.api.requestCredentials('a@nodot', 30, h.call());
    expect(outcome).toMatchObject({ kind: 'invalid_params', field: 'email' });
    if (shapes === 'docs') expect(outcome).toMatchObject({ reason: 'invalid_email', hint: 'a valid e-mail address' });
  });

  it('400 managed_domain_not_allowed → managed_domain with the domain', async () => {
    expect(await h.api.requestCredentials('me@example2.test', 30, h.call())).toEqual({ kind: 'managed_domain', domain: 'example2.test', requestId: 'req-1' });
  });

  it('403 banned → banned', async () => {
    h.fake.ban({ type: 'domain', value: 'spam.example' });
    expect(await h.api.requestCredentials('x@spam.example', 30, h.call())).toMatchObject({ kind: 'banned', ban: { kind: 'domain' } });
  });

  it('429 per e-mail (3/hour) → rate_limited', async () => {
    let now = 1_700_000_000_000;
    await h.fake.close();
    h = await startHarness({ fake: { now: () => now } });
    for (let i = 0; i < 3; i++) {
      expect((await h.api.requestCredentials('new@example.org', 30, h.call())).kind).toBe('request_sent');
      now += 61_000; // past the cooldown
    }
    expect(await h.api.requestCredentials('new@example.org', 30, h.call())).toMatchObject({ kind: 'rate_limited' });
  });

  it('500 when the service cannot send mail; the request is still recorded, so a retry reports the cooldown', async () => {
    h.fake.failMailDelivery(true);
    expect(await h.api.requestCredentials('new@example.org', 30, h.call())).toEqual({ kind: 'service_error', status: 500, requestId: 'req-1' });
    expect((await h.api.requestCredentials('new@example.org', 30, h.call())).kind).toBe('request_cooldown');
  });
});

describe('domains', () => {
  it('GET /api/domains → the bare array', async () => {
    expect(await h.api.domains(h.call())).toEqual({ kind: 'domains', domains: ['example.test', 'example2.test'], stale: false, requestId: 'req-1' });
  });

  it('a body that is not an array of strings → unexpected_response', async () => {
    h.fake.inject({ kind: 'raw', status: 200, body: '{"domains":["example.test"]}' });
    expect(await h.api.domains(h.call())).toEqual({ kind: 'unexpected_response', status: 200, requestId: 'req-1' });
  });
});
