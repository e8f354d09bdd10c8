/**
 * The fake itself, spoken to with raw HTTP (no client in between): it must behave like the
 * service as upstream-contract.md describes it, because every other test trusts it.
 */
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeMailApi, type FakeMailApi, type FakeMailApiOptions } from '../fakes/mail-api.js';

let fake: FakeMailApi;
let key: string;
let now: number;

async function start(options: FakeMailApiOptions = {}) {
  await fake.close();
  fake = await startFakeMailApi({ now: () => now, ...options });
  key = fake.newKey('owner@example.com');
}

beforeEach(async () => {
  now = 1_700_000_000_000;
  fake = await startFakeMailApi({ now: () => now });
  key = fake.newKey('owner@example.com');
});
afterEach(async () => {
  await fake.close();
});

type Sent = { status: number; headers: Record<string, unknown>; text: string; json: unknown };

async function send(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Sent> {
  const response = await request(`${fake.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

/** `apiKey: null` sends no X-API-Key header at all. */
const create = (handle: unknown, apiKey: string | null = key, headers: Record<string, string> = {}) =>
  send('POST', '/api/handle/create', { handle }, { ...(apiKey === null ? {} : { 'x-api-key': apiKey }), ...headers });

describe('create, case by case', () => {
  it('normalises (trim incl. tabs/newlines, lower-case) and answers 200 with the owner as goto', async () => {
    expect(await create(' \tAlice\n')).toMatchObject({ status: 200, json: { ok: true, created: true, handle: 'alice', goto: 'owner@example.com' } });
  });

  it.each([['a..b'], ['.a'], ['a.'], ['a b'], ['jöhn'], ['a@b'], ['x'.repeat(65)], [''], [42], [undefined]])(
    'refuses %j with 400 invalid_params',
    async (handle) => {
      expect(await create(handle)).toMatchObject({ status: 400, json: { error: 'invalid_params', field: 'handle' } });
    },
  );

  it('accepts 64 characters of every atext character', async () => {
    expect((await create("a!#$%&'*+/=?^_`{|}~-.b")).status).toBe(200);
    expect((await create('y'.repeat(64))).status).toBe(200);
  });

  it('a body that is not JSON gets the framework 400; a non-JSON content type leaves an empty body', async () => {
    expect(await send('POST', '/api/handle/create', '{oops', { 'x-api-key': key })).toMatchObject({
      status: 400, json: { error: 'Bad Request', statusCode: 400 },
    });
    expect(await send('POST', '/api/handle/create', 'handle=alice', { 'x-api-key': key, 'content-type': 'text/plain' })).toMatchObject({
      status: 400, json: { error: 'invalid_params' },
    });
  });

  it('the three 401s: missing, malformed (after trim + lower-case), unknown (64 non-hex is unknown)', async () => {
    expect((await create('alice', null)).json).toEqual({ error: 'missing_api_key' });
    expect((await create('alice', 'abc')).json).toEqual({ error: 'invalid_api_key_format' });
    expect((await create('alice', 'z'.repeat(64))).json).toEqual({ error: 'invalid_or_expired_api_key' });
    expect((await create('alice', `  ${key.toUpperCase()}  `)).status).toBe(200);
  });

  it('a bad key wins over a bad handle', async () => {
    expect(await create('a..b', 'f'.repeat(64))).toMatchObject({ status: 401 });
  });

  it('name ban wins over taken, owner ban wins over taken', async () => {
    fake.takeHandle('admin');
    fake.ban({ type: 'name', value: 'admin', reason: 'reserved' });
    expect(await create('admin')).toMatchObject({
      status: 403, json: { error: 'banned', ban: { ban_type: 'name', ban_value: 'admin', reason: 'reserved', banned_at: new Date(now).toISOString() } },
    });
    fake.takeHandle('bob');
    fake.ban({ type: 'domain', value: 'example.com' });
    expect(await create('bob')).toMatchObject({ status: 403, json: { ban: { ban_type: 'domain', ban_value: 'example.com' } } });
  });

  it('IP ban comes before rate limits and the key', async () => {
    fake.setRateLimits({ keyPerMinute: 0, originPerMinute: 0 });
    fake.ban({ type: 'ip', value: '127.0.0.1' });
    expect(await create('alice', null)).toMatchObject({ status: 403, json: { ban: { ban_type: 'ip' } } });
  });

  it('rate limits come before the key: an invalid key is counted and limited too', async () => {
    fake.setRateLimits({ keyPerMinute: 1 });
    const badKey = 'f'.repeat(64);
    expect((await create('alice', badKey)).status).toBe(401);
    expect(await create('alice', badKey)).toMatchObject({
      status: 429, json: { error: 'rate_limited', where: 'handle_create', reason: 'too_many_requests_key' },
    });
  });

  it('taken: by others, by the caller, after delete, and by an active alias', async () => {
    fake.takeHandle('other');
    fake.addAlias('bob@example.test');
    expect((await create('mine')).status).toBe(200);
    expect((await send('POST', '/api/handle/delete', { handle: 'mine' }, { 'x-api-key': key })).status).toBe(200);
    for (const handle of ['other', 'mine', 'bob']) {
      expect(await create(handle)).toMatchObject({ status: 409, json: { ok: false, error: 'alias_taken' } });
    }
  });
});

describe('rate limits', () => {
  it('per key: 120 a minute by default, every request counts, with Retry-After until the window ends', async () => {
    for (let i = 0; i < 120; i++) await create('a..b'); // failures count too
    now += 15_000;
    const limited = await create('alice');
    expect(limited).toMatchObject({ status: 429, json: { reason: 'too_many_requests_key' } });
    expect(limited.headers['retry-after']).toBe('45');
    now += 45_000;
    expect((await create('alice')).status).toBe(200);
  });

  it('per origin: 300 a minute by default, plain text labelled text/html, no RateLimit-* headers', async () => {
    for (let i = 0; i < 300; i++) await send('GET', '/api/domains');
    const limited = await send('GET', '/api/domains');
    expect(limited).toMatchObject({ status: 429, text: 'Too many requests, please try again later.' });
    expect(limited.headers['content-type']).toMatch(/^text\/html/);
    expect(limited.headers['retry-after']).toBe('60');
    expect(Object.keys(limited.headers).filter((h) => h.startsWith('ratelimit'))).toEqual([]);
  });

  it('per origin counts per X-Bot-Source only with a valid X-Bot-Auth-Token', async () => {
    await start({ botTokens: ['good'], rateLimits: { originPerMinute: 1 } });
    const as = (token: string, source: string) => send('GET', '/api/domains', undefined, { 'x-bot-auth-token': token, 'x-bot-source': source });
    expect((await as('good', 'slack:T:U1')).status).toBe(200);
    expect((await as('good', 'slack:T:U2')).status).toBe(200);
    expect((await as('good', 'slack:T:U1')).status).toBe(429);
    // A wrong token falls back to the IP, whose budget is still untouched, then spent.
    expect((await as('bad', 'slack:T:U3')).status).toBe(200);
    expect((await as('bad', 'slack:T:U4')).status).toBe(429);
  });

  it('stats has its own bucket, apart from create/delete', async () => {
    fake.setRateLimits({ keyPerMinute: 1 });
    await create('alice');
    expect((await create('bob')).status).toBe(429);
    expect(await send('GET', '/api/alias/stats', undefined, { 'x-api-key': key })).toMatchObject({ status: 200, json: { totals: 1, active: 1 } });
  });

  it('rateLimits: false switches every limit off', async () => {
    await start({ rateLimits: false });
    for (let i = 0; i < 400; i++) expect((await send('GET', '/api/domains')).status).toBe(200);
  });
});

describe('delete, stats, domains', () => {
  it('delete: 200 deactivates, 404 unknown, 403 someone else’s', async () => {
    await create('alice');
    fake.takeHandle('theirs');
    const del = (handle: string) => send('POST', '/api/handle/delete', { handle }, { 'x-api-key': key });
    expect(await del('ALICE')).toMatchObject({ status: 200, json: { ok: true, updated: true, handle: 'alice', active: false } });
    expect(await del('nobody')).toMatchObject({ status: 404, json: { error: 'handle_not_found' } });
    expect(await del('theirs')).toMatchObject({ status: 403, json: { error: 'forbidden' } });
  });

  it('stats needs a key; domains does not', async () => {
    expect((await send('GET', '/api/alias/stats')).json).toEqual({ error: 'missing_api_key' });
    expect((await send('GET', '/api/domains')).json).toEqual(['example.test', 'example2.test']);
  });

  it('an unknown route gets the framework 404', async () => {
    expect(await send('GET', '/api/nope')).toMatchObject({ status: 404, json: { message: 'Cannot GET /api/nope', error: 'Not Found', statusCode: 404 } });
  });
});

describe('credentials', () => {
  const ask = (email: unknown, days: unknown = 30) => send('POST', '/api/credentials/create', { email, days });

  it('sends a confirmation, then answers the 60 s cooldown with sent:false', async () => {
    const first = await ask('New@Example.org');
    expect(first).toMatchObject({
      status: 200,
      json: { ok: true, action: 'api_credentials_create', email: 'new@example.org', days: 30, automatic_renew: false, confirmation: { sent: true, send_count: 1 } },
    });
    now += 59_000;
    expect((await ask('new@example.org')).json).toMatchObject({ confirmation: { sent: false, reason: 'cooldown' } });
    now += 1_000;
    expect((await ask('new@example.org')).json).toMatchObject({ confirmation: { sent: true, send_count: 2 } });
    expect(fake.credentialsSends).toHaveLength(2);
  });

  it.each([
    ['bad e-mail', 'nope', 30, 'email'],
    ['days 0', 'a@example.org', 0, 'days'],
    ['days 10000', 'a@example.org', 10_000, 'days'],
    ['days not an integer', 'a@example.org', 2.5, 'days'],
  ])('%s → 400 invalid_params', async (_what, email, days, field) => {
    expect(await ask(email, days)).toMatchObject({ status: 400, json: { error: 'invalid_params', field } });
  });

  it('refuses an address on a managed domain', async () => {
    expect(await ask('me@example.test')).toMatchObject({ status: 400, json: { error: 'managed_domain_not_allowed', field: 'email', domain: 'example.test' } });
  });

  it('3 per hour per e-mail and 10 per hour per origin', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await ask('a@example.org')).status).toBe(200);
      now += 61_000;
    }
    expect(await ask('a@example.org')).toMatchObject({ status: 429, json: { reason: 'too_many_requests_email' } });
    for (let i = 0; i < 6; i++) expect((await ask(`u${i}@example.org`)).status).toBe(200);
    expect(await ask('last@example.org')).toMatchObject({ status: 429, json: { reason: 'too_many_requests_origin' } });
  });
});

describe('docs shapes', () => {
  beforeEach(() => {
    fake.setShapes('docs');
  });

  it('400 with reason, hint and constraints', async () => {
    expect((await create('a..b')).json).toMatchObject({ error: 'invalid_params', field: 'handle', reason: 'invalid_format', hint: expect.any(String), constraints: {} });
  });

  it('401 Unauthorized, 403 banned with type/value beside an empty ban, 409 Conflict, 500 with requestId', async () => {
    expect((await create('alice', 'f'.repeat(64))).json).toMatchObject({ error: 'Unauthorized', code: 401 });
    fake.ban({ type: 'name', value: 'admin' });
    expect((await create('admin')).json).toEqual({ error: 'banned', ban: {}, type: 'name', value: 'admin' });
    fake.takeHandle('alice');
    expect((await create('alice')).json).toMatchObject({ error: 'Conflict', code: 409 });
    fake.inject({ kind: 'status', status: 500 }, { times: 1 });
    const failed = await create('bob', key, { 'x-request-id': 'rid-7' });
    expect(failed.json).toMatchObject({ code: 500, requestId: 'rid-7' });
  });
});

describe('request ids, recording and the gate', () => {
  it('echoes x-request-id, or makes one up, on every response', async () => {
    expect((await send('GET', '/api/domains', undefined, { 'x-request-id': 'abc' })).headers['x-request-id']).toBe('abc');
    expect((await send('GET', '/api/domains')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    fake.setRateLimits({ originPerMinute: 0 });
    expect((await send('GET', '/api/domains', undefined, { 'x-request-id': 'limited' })).headers['x-request-id']).toBe('limited');
  });

  it('records method, path, headers, parsed body and time; waitFor resolves from history and from future traffic', async () => {
    await create('alice');
    expect(await fake.waitFor((r) => r.path === '/api/handle/create')).toMatchObject({
      method: 'POST', body: { handle: 'alice' }, at: now, status: 200, headers: expect.objectContaining({ 'x-api-key': key }),
    });
    const later = fake.waitFor((r) => r.path === '/api/domains');
    await send('GET', '/api/domains');
    expect((await later).status).toBe(200);
  });

  it('waitFor rejects when nothing matches in time', async () => {
    await expect(fake.waitFor(() => false, 20)).rejects.toThrow(/no matching request/);
  });

  it('hold() records requests but answers none until release(), then in arrival order', async () => {
    fake.hold();
    const order: string[] = [];
    const first = create('first').then(() => order.push('first'));
    await fake.waitFor((r) => (r.body as { handle?: string } | undefined)?.handle === 'first');
    const second = create('second').then(() => order.push('second'));
    await fake.waitFor((r) => (r.body as { handle?: string } | undefined)?.handle === 'second');
    expect(fake.requests.map((r) => r.status)).toEqual([undefined, undefined]);
    fake.release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });

  it('a hang is recorded and held until the client gives up', async () => {
    fake.inject({ kind: 'hang' }, { times: 1 });
    await expect(request(`${fake.url}/api/domains`, { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    expect(fake.requests[0]?.fault).toBe('hang');
    expect(fake.requests[0]?.status).toBeUndefined();
  });
});
